import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { canonicalJson } from '../../proof/canonical';
import { isReservedDataKey, RESERVED_DATA_PREFIX } from '../../proof/record';
import { RESERVED_FIELD_NAME_CONSTRAINT } from '../errors/validation.pipe';

/** Names of public and sealed fields: they become JSON keys of the hashed record. */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const MAX_FIELDS = 100;

/**
 * Keeps a free-form JSON object exactly as parsed from the body. class-transformer would
 * otherwise copy it and silently drop keys such as `constructor`, changing what gets hashed.
 */
export function RawJson(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
}

function fieldsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  const keys = Object.keys(value);
  if (keys.length > MAX_FIELDS) return `must have at most ${MAX_FIELDS} fields`;
  // Reserved names are outside FIELD_NAME_PATTERN too, but get their own answer (reservedNameProblem).
  const badKey = keys.find((k) => !FIELD_NAME_PATTERN.test(k) && !isReservedDataKey(k));
  if (badKey !== undefined) {
    return `field name "${badKey.slice(0, 80)}" must start with a letter and hold at most 64 letters, digits, "_", "." or "-"`;
  }
  try {
    canonicalJson(value);
  } catch (e) {
    return `is not representable in canonical JSON (${e instanceof Error ? e.message.replace(/^\$/, 'value') : 'unknown'})`;
  }
  return null;
}

/** The first `ordertrace:` name among the fields: ordertrace writes those itself (who recorded an event). */
function reservedNameProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const reserved = Object.keys(value).find(isReservedDataKey);
  if (reserved === undefined) return null;
  return `field name "${reserved.slice(0, 80)}" is reserved: names beginning with "${RESERVED_DATA_PREFIX}" are written by ordertrace itself, never by a brand`;
}

/** No field named `ordertrace:…`; answered 422 RESERVED_FIELD_NAME. */
export function HasNoReservedNames(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: RESERVED_FIELD_NAME_CONSTRAINT,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => reservedNameProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${reservedNameProblem(args.value) ?? 'is invalid'}`,
      },
    });
}

/** A JSON object of named fields that can be hashed: valid names, finite numbers, no lone surrogates. */
export function IsEventFields(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEventFields',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => fieldsProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${fieldsProblem(args.value) ?? 'is invalid'}`,
      },
    });
}

/**
 * An optional object of named fields (`data` or `sealed`) of a request body: documented, kept
 * exactly as sent, and checked to be hashable.
 */
export function EventFieldsProperty(doc: { description: string; example?: Record<string, unknown> }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: true,
      ...doc,
      description: `${doc.description} Names beginning with "${RESERVED_DATA_PREFIX}" are reserved (422 RESERVED_FIELD_NAME).`,
    }),
    IsOptional(),
    RawJson(),
    HasNoReservedNames(),
    IsEventFields(),
  );
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 time with an explicit offset (a bare local time would be ambiguous). */
export function parseRfc3339(value: unknown): Date | null {
  if (typeof value !== 'string' || !RFC3339.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => parseRfc3339(value) !== null,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an RFC 3339 time with a UTC offset, e.g. 2026-11-24T10:15:00.000Z`,
      },
    });
}
