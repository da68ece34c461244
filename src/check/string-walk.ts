import { FieldPathSegment } from './finding';

/** Calls `visit` for every string inside `value` (objects and arrays walked depth-first), with its path below `path`. */
export function forEachString(value: unknown, path: readonly FieldPathSegment[], visit: (text: string, path: readonly FieldPathSegment[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes('$(')) visit(value, path);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) forEachString(value[i], [...path, i], visit);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) forEachString(item, [...path, key], visit);
  }
}
