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

/** What EventFieldsProperty accepts, for a value present: hashable fields, none of them reserved. */
export function areAcceptedEventFields(value: unknown): boolean {
  return fieldsProblem(value) === null && reservedNameProblem(value) === null;
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

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

const RFC3339_EXAMPLE = 'e.g. 2026-11-24T10:15:00.000Z';

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * An RFC 3339 time with an explicit offset (a bare local time would be ambiguous), or why it is
 * not one. Impossible dates (30 February) are refused instead of rolling over into the next month,
 * and so are the leap second `:60` and the hour `24`: an event time is an instant to the
 * millisecond, and neither has one of its own. Digits finer than milliseconds are refused unless
 * they are zeros, since the record keeps milliseconds.
 */
export function readRfc3339(value: unknown): { time: Date } | { problem: string } {
  const m = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (m === null) return { problem: `must be an RFC 3339 time with a UTC offset, ${RFC3339_EXAMPLE}` };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { problem: `is not a date of the calendar (${m[1]}-${m[2]}-${m[3]})` };
  }
  if (second === 60) return { problem: 'must not be a leap second (:60); send :59.999 or the next second' };
  if (hour === 24) return { problem: 'must not use the hour 24; send 00:00 of the next day' };
  if (hour > 23 || minute > 59 || second > 59) return { problem: `is not a time of day (${m[4]}:${m[5]}:${m[6]})` };
  const fraction = m[7] ?? '';
  if (/[1-9]/.test(fraction.slice(3))) return { problem: 'must not be finer than milliseconds' };
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return { problem: `has no valid UTC offset, ${RFC3339_EXAMPLE}` };
  // Built from its parts, not by Date's own parser, which rolls impossible dates over.
  const time = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0'))));
  time.setUTCFullYear(year);
  const sign = m[8] === '-' ? -1 : 1;
  time.setTime(time.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  return { time };
}

/** The instant of an RFC 3339 time (readRfc3339), or null. */
export function parseRfc3339(value: unknown): Date | null {
  const read = readRfc3339(value);
  return 'time' in read ? read.time : null;
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
        defaultMessage: (args: ValidationArguments) => {
          const read = readRfc3339(args.value);
          return `${args.property} ${'problem' in read ? read.problem : 'is invalid'}`;
        },
      },
    });
}
