import { DSSE_ENVELOPE_FIELDS, findAmbiguousJsonKey } from './ambiguous-json-keys';
import { decodeStrictBase64 } from './strict-base64';
import { AttestationRejectedError, UnreadableInputError } from './verification-errors';

/**
 * The most signatures of one envelope that are tried. cosign's `--signature` path tries every
 * signature of an envelope; a Sigstore bundle holds exactly one (sigstore-go). Chains writes one
 * per signer. An envelope with more is refused before any is tried, so that a hostile envelope
 * cannot make a gate spend minutes on signature checks.
 */
export const MAX_DSSE_SIGNATURES = 16;

/** The refusal of an envelope with more than {@link MAX_DSSE_SIGNATURES} signatures. */
export function tooManySignatures(count: number): AttestationRejectedError {
  return new AttestationRejectedError(
    `envelope has ${count} signatures; at most ${MAX_DSSE_SIGNATURES} are tried (Chains writes one per signer, a Sigstore bundle holds exactly one)`,
  );
}

/** One signature of a DSSE envelope, as written (still base64). */
export interface DsseSignature {
  /** The signer's key id: a hint only, never trusted. */
  readonly keyid?: string;
  /** The signature over the PAE, base64 (standard or URL-safe). */
  readonly sig: string;
}

/** A DSSE envelope as read from JSON; nothing in it is decoded or trusted yet. */
export interface DsseEnvelope {
  /** The media type of the payload; an in-toto statement is `application/vnd.in-toto+json`. */
  readonly payloadType: string;
  /** The payload, base64 (standard or URL-safe). */
  readonly payload: string;
  /** The signatures; an empty list is readable but never verifies. */
  readonly signatures: readonly DsseSignature[];
}

/**
 * Reads a DSSE envelope from the bytes of a file: JSON, or the base64 of that JSON
 * (what Tekton Chains stores in its `chains.tekton.dev/signature-*` annotations).
 * Throws {@link UnreadableInputError}, naming `source`, when the text is neither or the JSON
 * does not have the shape of an envelope (`payloadType`, `payload`, `signatures[].sig`), or has a
 * key that JSON readers would read differently (twice in one object, or a case variant of a field).
 * Throws {@link AttestationRejectedError} for more than {@link MAX_DSSE_SIGNATURES} signatures.
 */
export function parseDsseEnvelope(input: string | Uint8Array, source: string): DsseEnvelope {
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trim();
  if (text === '') throw new UnreadableInputError(`${source} is empty (expected a DSSE envelope as JSON, or base64 of one)`);
  if (!text.startsWith('{')) {
    const decoded = decodeStrictBase64(text);
    if (!decoded.ok) {
      throw new UnreadableInputError(`${source} is neither a JSON DSSE envelope nor base64 of one (as base64 it ${decoded.error})`);
    }
    text = decoded.bytes.toString('utf8').trim();
    if (!text.startsWith('{')) throw new UnreadableInputError(`${source} is base64, but what it encodes is not a JSON DSSE envelope`);
    source = `${source} (base64-decoded)`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UnreadableInputError(`${source} is not valid JSON (${lowerFirst((err as Error).message)})`);
  }
  // Refused before the key scan and the shape check, which would otherwise walk every one of them.
  const signatures = isObject(json) ? json.signatures : undefined;
  if (Array.isArray(signatures) && signatures.length > MAX_DSSE_SIGNATURES) throw tooManySignatures(signatures.length);
  const ambiguity = findAmbiguousJsonKey(text, DSSE_ENVELOPE_FIELDS);
  if (ambiguity !== undefined) throw new UnreadableInputError(`${source} is an ambiguous DSSE envelope: ${ambiguity}`);
  return envelopeFromJson(json, source);
}

/**
 * Checks that a parsed JSON value has the shape of a DSSE envelope and returns it typed.
 * Throws {@link UnreadableInputError} naming the field that is wrong.
 */
export function envelopeFromJson(json: unknown, source: string): DsseEnvelope {
  if (!isObject(json))
    throw new UnreadableInputError(`${source} is JSON but not an object (a DSSE envelope has payloadType, payload and signatures)`);
  const payloadType = json.payloadType;
  const payload = json.payload;
  if (typeof payloadType !== 'string') throw new UnreadableInputError(fieldProblem(source, 'payloadType', payloadType, 'a string'));
  if (typeof payload !== 'string') throw new UnreadableInputError(fieldProblem(source, 'payload', payload, 'a base64 string'));
  const rawSignatures = json.signatures;
  if (rawSignatures !== null && rawSignatures !== undefined && !Array.isArray(rawSignatures)) {
    throw new UnreadableInputError(fieldProblem(source, 'signatures', rawSignatures, 'a list'));
  }
  const signatures: DsseSignature[] = [];
  (rawSignatures ?? []).forEach((entry: unknown, index: number) => {
    const field = `signatures[${index}]`;
    if (!isObject(entry)) throw new UnreadableInputError(fieldProblem(source, field, entry, 'an object with "sig"'));
    if (typeof entry.sig !== 'string') throw new UnreadableInputError(fieldProblem(source, `${field}.sig`, entry.sig, 'a base64 string'));
    const keyid = entry.keyid;
    if (keyid !== undefined && keyid !== null && typeof keyid !== 'string') {
      throw new UnreadableInputError(fieldProblem(source, `${field}.keyid`, keyid, 'a string'));
    }
    signatures.push(typeof keyid === 'string' ? { keyid, sig: entry.sig } : { sig: entry.sig });
  });
  return { payloadType, payload, signatures };
}

function fieldProblem(source: string, field: string, value: unknown, expected: string): string {
  const found = value === undefined ? 'is missing' : `is ${describeJsonType(value)}`;
  return `${source}: envelope field "${field}" ${found} (expected ${expected})`;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
