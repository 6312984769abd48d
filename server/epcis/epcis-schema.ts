import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './schema/EPCIS-JSON-Schema.json';

let validator: ValidateFunction | null = null;

/** GS1's EPCIS 2.0 JSON schema (server/epcis/schema, with its licence), compiled once. */
function epcisValidator(): ValidateFunction {
  if (validator === null) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Where and why a document breaks the EPCIS 2.0 schema, or null when it conforms. */
export function epcisSchemaProblem(document: unknown): { path: string; message: string } | null {
  const validate = epcisValidator();
  if (validate(document)) return null;
  const first: ErrorObject | undefined = validate.errors?.[0];
  return {
    path: first?.instancePath === '' || first === undefined ? '(document)' : first.instancePath,
    message: first?.message ?? 'invalid',
  };
}
