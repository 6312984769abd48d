import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldProblem, invalidFields } from './domain-error';

const TYPE_CHECKS = new Set(['whitelistValidation', 'isString', 'isInt', 'isNumber', 'isArray', 'isObject', 'isBoolean']);

function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

/** class-validator's nested errors as flat `{field, message}` pairs: `lineItems[0].quantity`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = childPath(parent, error.property);
    const constraints = error.constraints ?? {};
    // A value of the wrong type fails every rule after the type check; name only the type.
    const typeCheck = Object.keys(constraints).find((name) => TYPE_CHECKS.has(name));
    const messages = typeCheck !== undefined ? [constraints[typeCheck]] : Object.values(constraints);
    for (const message of messages) {
      // class-validator words unknown fields "property x should not exist"; say it plainly.
      out.push({ field, message: message.endsWith('should not exist') ? 'is not a known field' : message });
    }
    if (error.children && error.children.length > 0) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Validates every DTO: unknown fields rejected, no implicit type coercion, errors naming fields. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidFields(flattenValidationErrors(errors)),
  });
}
