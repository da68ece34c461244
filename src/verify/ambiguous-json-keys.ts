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
 * Finds a key that different JSON readers would read differently, in text that is already known
 * to be valid JSON: a key that appears twice in one object (JavaScript and Go keep the last,
 * other readers the first), or, where Go decodes into a struct, a key that is not a field name but
 * equals one ignoring case (Go's decoder matches `"Subject"` or `"ſubject"` to the field `subject`;
 * JavaScript does not). Returns a lowercase phrase naming the key and where it is, or `undefined`.
 * Keys are compared after JSON unescaping (`"p\u0061yload"` is `"payload"`).
 */
export function findAmbiguousJsonKey(text: string, structFields: StructFieldsByPath): string | undefined {
  const frames: Frame[] = [];
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
        const problem = checkKey(frame, key, structFields);
        if (problem !== undefined) return problem;
        pendingKey = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = frames[frames.length - 1];
      const path = parent === undefined ? '' : childPath(parent, pendingKey);
      frames.push(c === 0x7b ? { kind: 'object', path, keys: new Set<string>() } : { kind: 'array', path });
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

interface ObjectFrame {
  readonly kind: 'object';
  /** Where the object is: `''`, `subject[]`, `predicate.buildDefinition`, ... (list indexes folded to `[]`). */
  readonly path: string;
  readonly keys: Set<string>;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: string;
}

type Frame = ObjectFrame | ArrayFrame;

function childPath(parent: Frame, key: string | undefined): string {
  if (parent.kind === 'array') return `${parent.path}[]`;
  return parent.path === '' ? key ?? '' : `${parent.path}.${key ?? ''}`;
}

function checkKey(frame: ObjectFrame, key: string, structFields: StructFieldsByPath): string | undefined {
  const where = frame.path === '' ? 'the top-level object' : frame.path;
  if (frame.keys.has(key)) return `key ${JSON.stringify(key)} appears twice in ${where}`;
  frame.keys.add(key);
  const fields = Object.prototype.hasOwnProperty.call(structFields, frame.path) ? structFields[frame.path] : undefined;
  if (fields === undefined || fields.includes(key)) return undefined;
  const folded = goFold(key);
  const field = fields.find(name => goFold(name) === folded);
  return field === undefined ? undefined : `key ${JSON.stringify(key)} in ${where} is not "${field}" but Go's decoder reads it as "${field}"`;
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
