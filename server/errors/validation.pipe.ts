import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { type DomainError, ErrorCode, type FieldProblem, invalidFields } from './domain-error';

/** The class-validator constraint of names ordertrace reserves: answered 422 RESERVED_FIELD_NAME, not 400. */
export const RESERVED_FIELD_NAME_CONSTRAINT = 'reservedFieldName';

function usesReservedName(errors: ValidationError[]): boolean {
  return errors.some(
    (e) => (e.constraints !== undefined && RESERVED_FIELD_NAME_CONSTRAINT in e.constraints) || usesReservedName(e.children ?? []),
  );
}

/** class-validator's errors as the one DomainError of the request. */
export function validationFailure(errors: ValidationError[], parent = ''): DomainError {
  return invalidFields(
    flattenValidationErrors(errors, parent),
    usesReservedName(errors) ? ErrorCode.RESERVED_FIELD_NAME : ErrorCode.VALIDATION_FAILED,
  );
}

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

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * A check that accepts a DTO's most common, valid bodies by the DTO's own rules in plain code, and
 * returns null for everything else, which the decorators then decide and word.
 */
export type CommonBodyCheck = (body: unknown) => object | null;

/** ValidationPipe, with a cheaper way in for bodies a common-body check accepts. */
class CheckedValidationPipe extends ValidationPipe {
  constructor(private readonly commonBodies: ReadonlyMap<unknown, CommonBodyCheck>) {
    super({
      ...VALIDATOR_OPTIONS,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) => validationFailure(errors),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.type === 'body' ? this.commonBodies.get(metadata.metatype) : undefined;
    const accepted = check?.(value);
    return accepted !== undefined && accepted !== null ? Promise.resolve(accepted) : super.transform(value, metadata);
  }

  /*
   * Every value this pipe sees is a JSON body (the one body parser, server/http/json-body-parser.ts),
   * a path parameter or a parsed query string; custom parameter decorators are not validated. None
   * of them can hold a sparse array or a binary value, so the two walks over the whole value that
   * look for them would find nothing, on every validated request, refused ones included.
   */
  protected override closeArrayGaps(): void {}

  protected override findNestedBinaryValues(): ValidationError[] {
    return [];
  }
}

/** Validates every DTO: unknown fields rejected, no implicit type coercion, errors naming fields. */
export function createValidationPipe(commonBodies: ReadonlyMap<unknown, CommonBodyCheck> = new Map()): ValidationPipe {
  return new CheckedValidationPipe(commonBodies);
}

/**
 * The same validation as the pipe, for a value inside a body (an item of a bulk request): the
 * DTO instance, or the error naming the fields under `path`.
 */
export function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
  path: string,
  commonBody?: (body: unknown) => T | null,
): T | DomainError {
  const accepted = commonBody?.(plain);
  if (accepted !== undefined && accepted !== null) return accepted;
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return invalidFields([{ field: path, message: 'must be a JSON object' }]);
  const instance = plainToInstance(dto, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return errors.length === 0 ? instance : validationFailure(errors, path);
}
