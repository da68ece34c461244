/** A segment of a path into a Tekton object: a field name or an array index. */
export type FieldPathSegment = string | number;
