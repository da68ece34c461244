/**
 * Reading untyped JSON (parsed YAML or cdk8s `toJson()` output) without trusting its shape:
 * each reader returns undefined (or empty) when the value is not of the expected type.
 */

/** A JSON object, as read. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The value as an object, or undefined when it is not a plain object. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** The value as an array, or an empty array when it is not one. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string, or undefined when it is not one. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value as a non-empty string, or undefined. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Each element of an array that is an object, with its index (non-objects are skipped). */
export function objectsOf(value: unknown): Array<[JsonObject, number]> {
  const out: Array<[JsonObject, number]> = [];
  asArray(value).forEach((item, i) => {
    const o = asObject(item);
    if (o) out.push([o, i]);
  });
  return out;
}

/** Any value as text, never throwing: strings as they are, other scalars as `String` gives them, the rest as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[object]';
  }
}

/** Quotes a name for a message: `"x"`. */
export function quote(value: unknown): string {
  return JSON.stringify(textOf(value));
}

/** A list of names for a message: `a, b, c`, or `none`. */
export function listNames(names: Iterable<string>): string {
  const list = [...names];
  return list.length === 0 ? 'none' : list.join(', ');
}
