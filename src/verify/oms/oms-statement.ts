// The statement an OMS signature signs, read into a manifest as model_signing's
// `dsse_payload_to_manifest` reads it: the `signature/v1.0` predicate (one subject whose sha256
// is the root digest over the resources as listed) and the older `Digests/v0.1` (one subject
// per file, no root digest).
import { parseInTotoStatement } from '../in-toto-statement';
import { AttestationRejectedError } from '../verification-errors';
import { OMS_HASH_DIGEST_BYTES, OmsHashType, OmsResource, OmsSerialization, resourceAlgorithm, resourceName, rootDigest } from './manifest';

/** The predicate type model_signing writes since v0.3. */
export const OMS_PREDICATE_V1 = 'https://model_signing/signature/v1.0';
/** The predicate type of model_signing v0.2, which current model_signing still verifies. */
export const OMS_PREDICATE_DIGESTS_V01 = 'https://model_signing/Digests/v0.1';
/** The OMS predicate types. */
export const OMS_PREDICATE_TYPES: readonly string[] = [OMS_PREDICATE_V1, OMS_PREDICATE_DIGESTS_V01];
/** The in-toto statement type OMS requires. */
export const OMS_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** A signed manifest, as the statement records it. */
export interface OmsManifest {
  /** The predicate type. */
  readonly predicateType: string;
  /** The model's name (informative only; `compat-undefined-not-present` for v0.1). */
  readonly modelName: string;
  /** How the model was serialized. */
  readonly serialization: OmsSerialization;
  /** The resources in the recorded order. */
  readonly resources: readonly OmsResource[];
  /** The root digest (the subject's sha256); absent for `Digests/v0.1`. */
  readonly rootDigest?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reject(message: string): never {
  throw new AttestationRejectedError(message);
}

function readHex(value: unknown, field: string, bytes: number): string {
  // bytes.fromhex accepts either case; the digest is compared as bytes.
  if (typeof value !== 'string' || !/^[0-9a-fA-F]*$/.test(value) || value.length !== 2 * bytes) {
    reject(`statement ${field} is not a ${bytes}-byte hex digest`);
  }
  return value.toLowerCase();
}

/** Reads a resource name, as model_signing parses it for the serialization (`path` or `path:start:end`). */
function readName(name: string, method: 'files' | 'shards', field: string): Pick<OmsResource, 'path' | 'start' | 'end'> {
  const checkPath = (p: string): string => {
    if (p === '' || p.startsWith('/') || p.split('/').some((c) => c === '..' || c === '' || (c === '.' && p !== '.'))) {
      reject(`statement ${field} ${JSON.stringify(p)} is not a relative path inside the model`);
    }
    return p;
  };
  if (method === 'files') return { path: checkPath(name) };
  const parts = name.split(':');
  const start = Number(parts[1]);
  const end = Number(parts[2]);
  if (parts.length !== 3 || !/^\d+$/.test(parts[1]) || !/^\d+$/.test(parts[2]) || !Number.isSafeInteger(end) || start >= end) {
    reject(`statement ${field} ${JSON.stringify(name)} is not a shard name (path:start:end, start < end)`);
  }
  return { path: checkPath(parts[0]), start, end };
}

function readSerialization(value: unknown): OmsSerialization {
  if (!isObject(value)) reject('statement predicate.serialization is missing (expected method, hash_type, allow_symlinks)');
  const method = value.method;
  if (method !== 'files' && method !== 'shards')
    reject(`statement predicate.serialization.method is ${JSON.stringify(method)} (expected "files" or "shards")`);
  const hashType = value.hash_type;
  if (typeof hashType !== 'string' || !Object.prototype.hasOwnProperty.call(OMS_HASH_DIGEST_BYTES, hashType)) {
    reject(`statement predicate.serialization.hash_type is ${JSON.stringify(hashType)} (model_signing writes sha256, blake2b or blake3)`);
  }
  if (typeof value.allow_symlinks !== 'boolean') reject('statement predicate.serialization.allow_symlinks is not a boolean');
  let shardSize: number | undefined;
  if (method === 'shards') {
    // Written through protobuf Struct, so a JSON number (1000000000.0): it must still be a whole number.
    shardSize = value.shard_size as number;
    if (typeof shardSize !== 'number' || !Number.isSafeInteger(shardSize) || shardSize <= 0) {
      reject(`statement predicate.serialization.shard_size is ${JSON.stringify(value.shard_size)} (expected a positive whole number)`);
    }
  }
  const rawIgnore = value.ignore_paths ?? [];
  if (!Array.isArray(rawIgnore) || rawIgnore.some((p) => typeof p !== 'string'))
    reject('statement predicate.serialization.ignore_paths is not a list of paths');
  return {
    method,
    hashType: hashType as OmsHashType,
    allowSymlinks: value.allow_symlinks,
    ignorePaths: rawIgnore as string[],
    ...(shardSize !== undefined ? { shardSize } : {}),
  };
}

/**
 * Reads an authenticated OMS statement into its manifest, checking what model_signing checks
 * (statement type v1, one subject, the root digest over the resources in the recorded order) and
 * more: resource names inside the model, each once, with the serialization's algorithm and digest
 * size. Throws {@link AttestationRejectedError} naming the field.
 */
export function readOmsStatement(payload: Uint8Array): OmsManifest {
  const statement = parseInTotoStatement(payload);
  if (statement.type !== OMS_STATEMENT_TYPE)
    reject(`statement _type is ${JSON.stringify(statement.type)} (OMS signs ${OMS_STATEMENT_TYPE})`);
  const seen = new Set<string>();
  const once = (name: string): void => {
    if (seen.has(name)) reject(`statement lists resource ${JSON.stringify(name)} twice`);
    seen.add(name);
  };
  if (statement.predicateType === OMS_PREDICATE_DIGESTS_V01) {
    // model_signing v0.2: one subject per file, sha256, no root digest, no serialization.
    const serialization: OmsSerialization = { method: 'files', hashType: 'sha256', allowSymlinks: false, ignorePaths: [] };
    if (statement.subjects.length === 0) reject('statement has no subject (Digests/v0.1 lists one subject per file)');
    const resources = statement.subjects.map((subject, i): OmsResource => {
      const { path } = readName(subject.name, 'files', `subject[${i}].name`);
      once(path);
      return { path, algorithm: 'sha256', digest: readHex(subject.digest.sha256, `subject[${i}].digest.sha256`, 32) };
    });
    return { predicateType: statement.predicateType, modelName: 'compat-undefined-not-present', serialization, resources };
  }
  if (statement.predicateType !== OMS_PREDICATE_V1) {
    reject(`statement predicateType is ${JSON.stringify(statement.predicateType)} (OMS: ${OMS_PREDICATE_TYPES.join(' or ')})`);
  }
  if (statement.subjects.length !== 1)
    reject(`statement has ${statement.subjects.length} subjects (signature/v1.0 has exactly one: the model and its root digest)`);
  const subject = statement.subjects[0];
  const root = subject.digest.sha256;
  if (typeof root !== 'string' || !/^[0-9a-f]{64}$/.test(root))
    reject('statement subject[0].digest.sha256 is not a lowercase 64-digit hex root digest');
  const predicate = statement.predicate;
  if (!isObject(predicate)) reject('statement predicate is not an object');
  const serialization = readSerialization(predicate.serialization);
  if (!Array.isArray(predicate.resources)) reject('statement predicate.resources is not a list');
  const algorithm = resourceAlgorithm(serialization);
  const resources = predicate.resources.map((entry: unknown, i: number): OmsResource => {
    const field = `predicate.resources[${i}]`;
    if (!isObject(entry) || typeof entry.name !== 'string') reject(`statement ${field} has no name`);
    if (entry.algorithm !== algorithm)
      reject(`statement ${field}.algorithm is ${JSON.stringify(entry.algorithm)} (the serialization gives "${algorithm}")`);
    const where = readName(entry.name, serialization.method, `${field}.name`);
    once(resourceName(where));
    return { ...where, algorithm, digest: readHex(entry.digest, `${field}.digest`, OMS_HASH_DIGEST_BYTES[serialization.hashType]) };
  });
  const computed = rootDigest(resources);
  if (computed !== root) reject(`manifest is inconsistent: the subject's root digest is ${root}, the listed resources hash to ${computed}`);
  return { predicateType: statement.predicateType, modelName: subject.name, serialization, resources, rootDigest: root };
}
