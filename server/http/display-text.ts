import { Matches, type ValidationArguments } from 'class-validator';

/**
 * Text shown to people as it is (brand names, order references, item and recipient names): no
 * control characters (C0, DEL, C1), no line or paragraph separators and no bidirectional
 * formatting characters, which could make a name read as another (`U+202E` reverses what follows).
 * Free-form `data` keeps them; the places that show data escape them instead.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
export const DISPLAY_TEXT = /^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]*$/;

/** Validates a DTO property as DISPLAY_TEXT, with a message naming the property. */
export function IsDisplayText(): PropertyDecorator {
  return Matches(DISPLAY_TEXT, {
    message: (args: ValidationArguments) =>
      `${args.property} must not contain control, line separator or bidirectional formatting characters`,
  });
}
