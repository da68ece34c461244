/**
 * The field names of a Go struct that Go's `encoding/json` fills from a JSON object, by the
 * path of the objects they live in: `''` the top-level object, `'subject[]'` every object of the
 * top-level `subject` list (the only paths whose objects Go reads into structs; everything else,
 * such as `digest` or `predicate`, is a map whose keys Go keeps exactly).
 */
export type StructFieldsByPath = Readonly<Record<string, readonly string[]>>;

/** The struct fields of an in-toto statement as in-toto-golang's `in_toto.Statement` declares them (what cosign decodes). */
export const IN_TOTO_STATEMENT_FIELDS: StructFieldsByPath = {
  '': ['_type', 'predicateType', 'subject', 'predicate'],
  'subject[]': ['name', 'digest'],
};

/** The struct fields of a DSSE envelope as Go's `dsse.Envelope` declares them. */
export const DSSE_ENVELOPE_FIELDS: StructFieldsByPath = {
  '': ['payloadType', 'payload', 'signatures'],
  'signatures[]': ['keyid', 'sig'],
};

/**
 * The deepest nesting of objects and lists that Go's `encoding/json` (and protojson, which cosign
 * reads statements with) decodes: both stop at 10000 levels.
 */
export const MAX_JSON_NESTING_DEPTH = 10_000;

/**
 * Finds a key that different JSON readers would read differently, in text that is already known
 * to be valid JSON: a key that appears twice in one object (JavaScript and Go keep the last,
 * other readers the first), or, where Go decodes into a struct, a key that is not a field name but
 * equals one ignoring case (Go's decoder matches `"Subject"` or `"ſubject"` to the field `subject`;
 * JavaScript does not). Also refuses nesting deeper than {@link MAX_JSON_NESTING_DEPTH}, which Go
 * refuses. Returns a lowercase phrase naming the key and where it is, or `undefined`.
 * Keys are compared after JSON unescaping (`"p\u0061yload"` is `"payload"`). One pass, linear in
 * the text: a path is spelled out only for the few objects Go decodes into structs, and for a report.
 */
export function findAmbiguousJsonKey(text: string, structFields: StructFieldsByPath): string | undefined {
  const frames: Frame[] = [];
  const structPaths = new Set(Object.keys(structFields));
  let expectKey = false;
  let pendingKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = endOfString(text, i);
      const frame = frames[frames.length - 1];
      if (expectKey && frame?.kind === 'object') {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const problem = keyProblem(frame, key, structFields);
        if (problem !== undefined) return problem;
        pendingKey = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= MAX_JSON_NESTING_DEPTH) {
        return `it nests objects and lists deeper than ${MAX_JSON_NESTING_DEPTH} levels (Go's JSON decoders refuse it)`;
      }
      const parent = frames[frames.length - 1];
      const path = parent === undefined ? '' : childPath(parent, pendingKey, structPaths);
      const place = { parent, key: parent?.kind === 'array' ? undefined : pendingKey };
      frames.push(c === 0x7b ? { kind: 'object', path, place, keys: new Set<string>() } : { kind: 'array', path, place });
      expectKey = c === 0x7b;
      pendingKey = undefined;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = frames[frames.length - 1]?.kind === 'object';
    }
  }
  return undefined;
}

/** Where a frame sits: its parent and the key it is under (none for a list element). */
interface Place {
  readonly parent: Frame | undefined;
  readonly key: string | undefined;
}

interface ObjectFrame {
  readonly kind: 'object';
  /** Where the object is (`''`, `subject[]`, ...; list indexes folded to `[]`), only while it can lead to a struct path. */
  readonly path: string | undefined;
  readonly place: Place;
  readonly keys: Set<string>;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: string | undefined;
  readonly place: Place;
}

type Frame = ObjectFrame | ArrayFrame;

/** The path of a child, or `undefined` when no struct path starts with it (so deep nesting never builds long strings). */
function childPath(parent: Frame, key: string | undefined, structPaths: ReadonlySet<string>): string | undefined {
  if (parent.path === undefined) return undefined;
  const path = parent.kind === 'array' ? `${parent.path}[]` : parent.path === '' ? (key ?? '') : `${parent.path}.${key ?? ''}`;
  for (const structPath of structPaths) if (structPath.startsWith(path)) return path;
  return undefined;
}

/** The path of a frame for a message: built once, from the innermost key outwards, at most about 200 characters. */
function describePlace(frame: Frame): string {
  const parts: string[] = [];
  let length = 0;
  for (let at: Frame | undefined = frame; at?.place.parent !== undefined; at = at.place.parent) {
    const part = at.place.key === undefined ? '[]' : `.${at.place.key.length > 40 ? `${at.place.key.slice(0, 40)}...` : at.place.key}`;
    if (length > 200) {
      parts.push('...');
      break;
    }
    parts.push(part);
    length += part.length;
  }
  const path = parts.reverse().join('').replace(/^\./, '');
  return path === '' ? 'the top-level object' : path;
}

function keyProblem(frame: ObjectFrame, key: string, structFields: StructFieldsByPath): string | undefined {
  if (frame.keys.has(key)) return `key ${JSON.stringify(shorten(key))} appears twice in ${describePlace(frame)}`;
  frame.keys.add(key);
  const fields =
    frame.path !== undefined && Object.prototype.hasOwnProperty.call(structFields, frame.path) ? structFields[frame.path] : undefined;
  if (fields === undefined || fields.includes(key)) return undefined;
  const folded = goFold(key);
  const field = fields.find((name) => goFold(name) === folded);
  return field === undefined
    ? undefined
    : `key ${JSON.stringify(key)} in ${describePlace(frame)} is not "${field}" but Go's decoder reads it as "${field}"`;
}

function shorten(key: string): string {
  return key.length > 80 ? `${key.slice(0, 80)}...` : key;
}

/** Folds case the way Go's `encoding/json` field matching does (simple folding: `ſ` is `s`, `K` (Kelvin) is `k`). */
function goFold(name: string): string {
  return name.toUpperCase().toLowerCase();
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}
