/**
 * JSON text as Go's `encoding/json` writes it: object keys of maps in sorted order and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as `\u003c` ... . Tekton and Chains marshal results and termination messages
 * this way, so byte counts and byte contents (e.g. byproduct `content`) must match it.
 */
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A deep copy of `value` with every object's keys in sorted order (how protojson writes a `Struct`). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
