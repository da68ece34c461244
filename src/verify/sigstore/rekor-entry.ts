import { createHash } from 'node:crypto';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import { decodeStrictBase64 } from '../strict-base64';
import { UnreadableInputError } from '../verification-errors';

/**
 * The log entry kinds whose body this verifier can match to what was signed (Rekor v1 API
 * entries; Tekton Chains uploads `dsse` 0.0.1, cosign `attest` uploads `intoto` 0.0.2 (or 0.0.1
 * with `--rekor-entry-type intoto`, which no Sigstore verifier reads: refused), `cosign sign-blob`
 * uploads `hashedrekord` 0.0.1).
 */
export const SUPPORTED_ENTRY_KINDS: readonly string[] = ['dsse 0.0.1', 'intoto 0.0.2', 'hashedrekord 0.0.1'];

const HEX = /^[0-9a-f]+$/;
const MAX_PROOF_HASHES = 64;

/**
 * Reads what Rekor's API answers for `GET /api/v1/log/entries?logIndex=N` (or
 * `/api/v1/log/entries/UUID`): a JSON object with one key, the entry's UUID, whose value holds
 * `body`, `integratedTime`, `logID`, `logIndex` and `verification` (`signedEntryTimestamp`, and
 * `inclusionProof` with `checkpoint`, `hashes`, `logIndex`, `rootHash`, `treeSize`). Returns the
 * same entry as a Sigstore bundle holds it (`TransparencyLogEntry`), so that one verifier checks
 * both. Checks the shape only, and that the UUID names this body (its last 64 hex digits are the
 * entry's leaf hash); the signatures and proofs are checked by {@link verifySigstoreEvidence}.
 * Throws {@link UnreadableInputError} naming the field.
 */
export function parseRekorEntry(input: string | Uint8Array, source: string): TransparencyLogEntry {
  const what = `rekor entry ${source}`;
  let json: unknown;
  try {
    json = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
  } catch (err) {
    throw new UnreadableInputError(`${what} is not JSON: ${(err as Error).message}`);
  }
  const top = objectAt(json, what, '(top level)');
  const uuids = Object.keys(top);
  if (uuids.length !== 1)
    throw new UnreadableInputError(
      `${what} holds ${uuids.length} entries, expected one (Rekor's answer to GET /api/v1/log/entries?logIndex=N)`,
    );
  const uuid = uuids[0];
  if (!/^([0-9a-f]{16})?[0-9a-f]{64}$/.test(uuid))
    throw new UnreadableInputError(`${what} key ${JSON.stringify(uuid.slice(0, 100))} is not an entry UUID (64 or 80 hex digits)`);
  const entry = objectAt(top[uuid], what, uuid);
  const body = base64At(entry.body, what, 'body');
  const integratedTime = integerAt(entry.integratedTime, what, 'integratedTime');
  const logIndex = integerAt(entry.logIndex, what, 'logIndex');
  const logId = hexAt(entry.logID, what, 'logID', 32);
  const verification = objectAt(entry.verification, what, 'verification');
  const set = base64At(verification.signedEntryTimestamp, what, 'verification.signedEntryTimestamp');

  const leafHash = createHash('sha256')
    .update(Buffer.from([0]))
    .update(body)
    .digest('hex');
  if (uuid.slice(-64) !== leafHash) throw new UnreadableInputError(`${what} UUID ${uuid} does not name its body (leaf hash ${leafHash})`);

  const kindVersion = kindVersionOf(body, what);
  const result: TransparencyLogEntry = {
    logIndex: String(logIndex),
    logId: { keyId: logId },
    kindVersion,
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: set },
    inclusionProof: undefined,
    canonicalizedBody: body,
  };
  if (verification.inclusionProof === undefined) return result;
  const proof = objectAt(verification.inclusionProof, what, 'verification.inclusionProof');
  const hashes = proof.hashes;
  if (!Array.isArray(hashes) || hashes.length > MAX_PROOF_HASHES)
    throw new UnreadableInputError(`${what} field verification.inclusionProof.hashes is not a list of at most ${MAX_PROOF_HASHES} hashes`);
  if (typeof proof.checkpoint !== 'string' || proof.checkpoint.length > 64 * 1024)
    throw new UnreadableInputError(`${what} field verification.inclusionProof.checkpoint is not a checkpoint (text)`);
  return {
    ...result,
    inclusionProof: {
      logIndex: String(integerAt(proof.logIndex, what, 'verification.inclusionProof.logIndex')),
      rootHash: hexAt(proof.rootHash, what, 'verification.inclusionProof.rootHash', 32),
      treeSize: String(integerAt(proof.treeSize, what, 'verification.inclusionProof.treeSize')),
      hashes: hashes.map((hash, i) => hexAt(hash, what, `verification.inclusionProof.hashes[${i}]`, 32)),
      checkpoint: { envelope: proof.checkpoint },
    },
  };
}

/** The `kind` and `apiVersion` of an entry body (canonical JSON), checked to be one this verifier matches. */
export function kindVersionOf(body: Buffer, what: string): { kind: string; version: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UnreadableInputError(`${what} body is not JSON`);
  }
  const record = objectAt(parsed, what, 'body');
  const kind = record.kind;
  const version = record.apiVersion;
  if (typeof kind !== 'string' || typeof version !== 'string') throw new UnreadableInputError(`${what} body has no kind and apiVersion`);
  return { kind, version };
}

function objectAt(value: unknown, what: string, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableInputError(`${what} field ${field} is not an object`);
  return value as Record<string, unknown>;
}

function integerAt(value: unknown, what: string, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new UnreadableInputError(`${what} field ${field} is not a non-negative integer`);
  return value;
}

function base64At(value: unknown, what: string, field: string): Buffer {
  if (typeof value !== 'string' || value === '') throw new UnreadableInputError(`${what} field ${field} is not base64 text`);
  const decoded = decodeStrictBase64(value);
  if (!decoded.ok) throw new UnreadableInputError(`${what} field ${field} is not base64: ${decoded.error}`);
  return decoded.bytes;
}

function hexAt(value: unknown, what: string, field: string, bytes: number): Buffer {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !HEX.test(value))
    throw new UnreadableInputError(`${what} field ${field} is not ${bytes} bytes of lowercase hex`);
  return Buffer.from(value, 'hex');
}
