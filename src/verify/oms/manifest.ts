// The OpenSSF Model Signing (OMS) manifest: a model as a list of resources (whole files, or byte
// ranges of files), each with one digest, in model_signing's order, and the root digest over them.
// Read from sigstore/model-transparency `src/model_signing/manifest.py` and `_signing/signing.py`.
import { createHash } from 'node:crypto';
import { comparePaths } from '../model-tree';

/** The per-resource hash algorithms of a `serialization.hash_type`. */
export type OmsHashType = 'sha256' | 'blake2b' | 'blake3';

/** The hash types model_signing can write, with their digest sizes in bytes. */
export const OMS_HASH_DIGEST_BYTES: Readonly<Record<OmsHashType, number>> = { sha256: 32, blake2b: 64, blake3: 32 };

/**
 * How a model is cut into resources: `files` (one resource per file, named by its path) or
 * `shards` (each non-empty file cut into `shardSize`-byte ranges named `path:start:end`).
 */
export interface OmsSerialization {
  /** `files` or `shards`. */
  readonly method: 'files' | 'shards';
  /** The per-resource hash. */
  readonly hashType: OmsHashType;
  /** The shard size in bytes (a positive integer); only for `shards`. */
  readonly shardSize?: number;
  /** Whether symbolic links are followed (hashed as their target's content) instead of refused. */
  readonly allowSymlinks: boolean;
  /** Paths relative to the model root that were left out, as recorded (model_signing >= 1.1). */
  readonly ignorePaths: readonly string[];
}

/** One resource of a manifest: a file (`start`/`end` absent) or a shard of one. */
export interface OmsResource {
  /** The file's POSIX path relative to the model root (`.` for a single-file model). */
  readonly path: string;
  /** First byte of a shard (included). */
  readonly start?: number;
  /** End of a shard (excluded). */
  readonly end?: number;
  /** The algorithm name as recorded: `sha256`, or `sha256-sharded-1000000000` for a shard. */
  readonly algorithm: string;
  /** The digest, lowercase hex. */
  readonly digest: string;
}

/** The name a resource is recorded under: the path, or `path:start:end` for a shard. */
export function resourceName(resource: Pick<OmsResource, 'path' | 'start' | 'end'>): string {
  return resource.start === undefined ? resource.path : `${resource.path}:${resource.start}:${resource.end}`;
}

/** The algorithm name a resource of `serialization` records. */
export function resourceAlgorithm(serialization: Pick<OmsSerialization, 'method' | 'hashType' | 'shardSize'>): string {
  return serialization.method === 'shards' ? `${serialization.hashType}-sharded-${serialization.shardSize}` : serialization.hashType;
}

/**
 * model_signing's order of resources: the path compared component by component by code point
 * (`comparePaths`, the order the model tree is walked in), then a shard's start and end as integers.
 */
export function compareResources(a: Pick<OmsResource, 'path' | 'start' | 'end'>, b: Pick<OmsResource, 'path' | 'start' | 'end'>): number {
  return comparePaths(a.path, b.path) || (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0);
}

/** The root digest: sha256 over the raw bytes of each resource digest, in the order given. */
export function rootDigest(resources: readonly Pick<OmsResource, 'digest'>[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}

/** The resources sorted as model_signing signs them (a new array). */
export function sortResources<T extends Pick<OmsResource, 'path' | 'start' | 'end'>>(resources: readonly T[]): T[] {
  return [...resources].sort(compareResources);
}
