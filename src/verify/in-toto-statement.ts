import { findAmbiguousJsonKey, IN_TOTO_STATEMENT_FIELDS } from './ambiguous-json-keys';
import { AttestationRejectedError } from './verification-errors';

/** The statement types this verifier reads. */
export const IN_TOTO_STATEMENT_TYPES: readonly string[] = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];

/** One subject of a statement: an artifact name and its digests by algorithm. */
export interface InTotoSubject {
  /** The artifact's name (may be empty). */
  readonly name: string;
  /** Hex digests by algorithm name (`sha256`, ...), exactly as recorded (cosign compares them as text). */
  readonly digest: Readonly<Record<string, string>>;
}

/** An in-toto statement (v0.1 or v1) read from an authenticated payload. */
export interface InTotoStatement {
  /** `_type`: `https://in-toto.io/Statement/v0.1` or `/v1`. */
  readonly type: string;
  /** The predicate type URI. */
  readonly predicateType: string;
  /** The subjects; empty when the statement has `subject: null`, `[]` or none. */
  readonly subjects: readonly InTotoSubject[];
  /** The predicate, unvalidated JSON (`undefined` when absent). */
  readonly predicate: unknown;
}

/**
 * Reads an in-toto statement from payload bytes. Throws {@link AttestationRejectedError}
 * naming the field when the payload is not JSON, `_type` is not v0.1/v1, `predicateType` is not a
 * string, `subject` is not a list of `{name, digest}` objects, or a key is ambiguous (twice in one
 * object, or a case variant of a field name that Go would read as that field). A `null` subject is accepted
 * (Chains writes it for runs with no output artifact) and simply matches nothing.
 */
export function parseInTotoStatement(payload: Uint8Array): InTotoStatement {
  const text = Buffer.from(payload).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AttestationRejectedError(`the signed payload is not JSON (${(err as Error).message.toLowerCase()})`);
  }
  const ambiguity = findAmbiguousJsonKey(text, IN_TOTO_STATEMENT_FIELDS);
  if (ambiguity !== undefined)
    throw new AttestationRejectedError(`the signed statement is ambiguous: ${ambiguity} (JSON readers would disagree on what it says)`);
  if (!isObject(json)) throw new AttestationRejectedError('the signed payload is not a JSON object (expected an in-toto statement)');
  if (Object.prototype.hasOwnProperty.call(json, 'predicate_type')) {
    // cosign v3 reads statements with protojson, which takes the proto field name as predicateType too.
    throw new AttestationRejectedError(
      'the signed statement is ambiguous: key "predicate_type" is read as "predicateType" by protojson (cosign v3), and not by other readers',
    );
  }
  const type = json._type;
  if (typeof type !== 'string' || !IN_TOTO_STATEMENT_TYPES.includes(type)) {
    throw new AttestationRejectedError(`statement _type is ${describe(type)} (expected ${IN_TOTO_STATEMENT_TYPES.join(' or ')})`);
  }
  const predicateType = json.predicateType;
  if (typeof predicateType !== 'string' || predicateType === '') {
    throw new AttestationRejectedError(`statement predicateType is ${describe(predicateType)} (expected a URI)`);
  }
  const rawSubjects = json.subject;
  if (rawSubjects !== undefined && rawSubjects !== null && !Array.isArray(rawSubjects)) {
    throw new AttestationRejectedError(`statement subject is ${describe(rawSubjects)} (expected a list)`);
  }
  const subjects = (rawSubjects ?? []).map((entry: unknown, index: number) => readSubject(entry, index));
  return { type, predicateType, subjects, predicate: json.predicate };
}

function readSubject(entry: unknown, index: number): InTotoSubject {
  const field = `statement subject[${index}]`;
  if (!isObject(entry)) throw new AttestationRejectedError(`${field} is ${describe(entry)} (expected an object with name and digest)`);
  const name = entry.name ?? '';
  if (typeof name !== 'string') throw new AttestationRejectedError(`${field}.name is ${describe(name)} (expected a string)`);
  const rawDigest = entry.digest ?? {};
  if (!isObject(rawDigest))
    throw new AttestationRejectedError(`${field}.digest is ${describe(rawDigest)} (expected an object of algorithm: hex)`);
  const digest: Record<string, string> = Object.create(null);
  for (const [algorithm, value] of Object.entries(rawDigest)) {
    if (typeof value !== 'string')
      throw new AttestationRejectedError(`${field}.digest.${algorithm} is ${describe(value)} (expected a hex string)`);
    digest[algorithm] = value;
  }
  return { name, digest };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
