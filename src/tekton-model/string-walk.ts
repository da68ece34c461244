import { FieldPathSegment } from './field-path';

/**
 * Calls `visit` for every string inside `value` that holds `$(` (objects and arrays walked
 * depth-first), with its path below `path`. Paths are built on one shared stack and copied only
 * for the strings visited, so walking large specs allocates little.
 */
export function forEachString(
  value: unknown,
  path: readonly FieldPathSegment[],
  visit: (text: string, path: readonly FieldPathSegment[]) => void,
): void {
  const stack: FieldPathSegment[] = [...path];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('$(')) visit(v, stack.slice());
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        walk(v[i]);
        stack.pop();
      }
      return;
    }
    for (const key in v) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      stack.push(key);
      walk((v as Record<string, unknown>)[key]);
      stack.pop();
    }
  };
  walk(value);
}
