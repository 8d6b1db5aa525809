// Schema builders for the seed's `key: {value, label_ja?, description?}` wrapper.
import { Type, type TSchema, type TObject, type TProperties } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;

/** A string enum as a plain JSON Schema `enum`, so validation errors read "must be one of …". */
export function OneOf<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** One wrapped key: `{ value: <schema>, label_ja?: string, description?: string }`. */
export function wrapped<T extends TSchema>(value: T) {
  return Type.Object(
    { value, label_ja: Type.Optional(Type.String()), description: Type.Optional(Type.String()) },
    closed,
  );
}

/** A config file: every listed key required, no other key allowed. */
export function configFile<P extends TProperties>(properties: P): TObject<P> {
  return Type.Object(properties, closed);
}

/** A closed object whose keys are all required. */
export function strict<P extends TProperties>(properties: P): TObject<P> {
  return Type.Object(properties, closed);
}

export const PositiveInt = Type.Integer({ minimum: 1 });
export const NonNegInt = Type.Integer({ minimum: 0 });
export const PositiveNumber = Type.Number({ exclusiveMinimum: 0 });
export const NonNegNumber = Type.Number({ minimum: 0 });
export const Probability = Type.Number({ minimum: 0, maximum: 1 });
export const TimeframeName = OneOf(['15m', '1h', '4h'] as const);
export const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' });
/** `ENV:NAME` or `VAULT:path`: the only way a secret may appear in config. */
export const SecretRef = Type.String({ pattern: '^(ENV:[A-Z_][A-Z0-9_]*|VAULT:.+)$' });
/** A closed range `[lo, hi]`. */
export const Range = Type.Tuple([Type.Number(), Type.Number()]);
