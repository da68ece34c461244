// Hashes a model into an OMS manifest as model_signing serializes it (`_serialization/file.py`,
// `file_shard.py`): one resource per file, or per shard of each non-empty file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashTasks, HashTask, HashTasksOptions } from './hash-pool';
import { ListModelFilesOptions, listModelFiles } from './model-files';
import { OmsHashType, OmsResource, resourceAlgorithm, rootDigest, sortResources } from './manifest';
import { AttestationRejectedError } from '../verification-errors';

/** Options for {@link serializeModel}. */
export interface SerializeModelOptions extends ListModelFilesOptions, Pick<HashTasksOptions, 'threads' | 'chunkSize' | 'onProgress'> {
  /** `files` (default) or `shards`. */
  readonly method?: 'files' | 'shards';
  /** The per-resource hash. @default sha256 */
  readonly hashType?: OmsHashType;
  /** Shard size in bytes, for `shards`. @default 1000000000 (model_signing's) */
  readonly shardSize?: number;
}

/** A hashed model. */
export interface SerializedModel {
  /** The model's name as model_signing records it: the last component of its path. */
  readonly name: string;
  /** Whether the model is a single file. */
  readonly singleFile: boolean;
  /** The resources in model_signing's order. */
  readonly resources: readonly OmsResource[];
  /** The root digest over them (lowercase hex sha256). */
  readonly rootDigest: string;
}

/** model_signing's default shard size: 1 000 000 000 bytes. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** The hash name {@link hashTasks} takes for an OMS hash type (node:crypto's; `blake3` is hash-wasm's). */
export function nodeHashName(hashType: string): string {
  if (hashType === 'sha256') return 'sha256';
  if (hashType === 'blake2b') return 'blake2b512';
  if (hashType === 'blake3') return 'blake3';
  throw new AttestationRejectedError(`hash_type ${JSON.stringify(hashType)} is unknown (model_signing writes sha256, blake2b or blake3)`);
}

/** The model's name: the last component of its path (of the real directory for `.` or `..`). */
export function modelName(modelPath: string): string {
  const base = path.basename(path.normalize(modelPath));
  if (base !== '' && base !== '.' && base !== '..') return base;
  try {
    return path.basename(fs.realpathSync(modelPath));
  } catch {
    return path.basename(path.resolve(modelPath));
  }
}

/**
 * Lists and hashes a model (files in parallel on worker threads, each streamed in bounded
 * memory) and returns its resources in model_signing's order with their root digest. Throws
 * UnreadableInputError for a file that cannot be read, AttestationRejectedError for a refused
 * symlink, special file or name that is not UTF-8 (listModelFiles).
 */
export async function serializeModel(modelPath: string, options: SerializeModelOptions = {}): Promise<SerializedModel> {
  const method = options.method ?? 'files';
  const hashType = options.hashType ?? 'sha256';
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (method === 'shards' && !(Number.isSafeInteger(shardSize) && shardSize > 0)) {
    throw new AttestationRejectedError(`shard_size ${shardSize} is not a positive integer`);
  }
  const algorithm = nodeHashName(hashType);
  const listing = listModelFiles(modelPath, options);
  const pieces: { path: string; start?: number; end?: number; task: HashTask }[] = [];
  for (const file of listing.files) {
    if (method === 'files') {
      pieces.push({ path: file.name, task: { path: file.path, algorithm, label: file.name, size: file.size } });
      continue;
    }
    // An empty file has no shard; the last shard is the shorter one.
    for (let start = 0; start < file.size; start += shardSize) {
      const end = Math.min(start + shardSize, file.size);
      pieces.push({
        path: file.name,
        start,
        end,
        task: { path: file.path, start, end, algorithm, label: `${file.name}:${start}:${end}`, size: end - start },
      });
    }
  }
  const digests = await hashTasks(
    pieces.map((p) => p.task),
    options,
  );
  const recorded = resourceAlgorithm({ method, hashType, shardSize });
  const resources = sortResources(
    pieces.map((p, i): OmsResource =>
      p.start === undefined
        ? { path: p.path, algorithm: recorded, digest: digests[i] }
        : { path: p.path, start: p.start, end: p.end, algorithm: recorded, digest: digests[i] },
    ),
  );
  return { name: modelName(modelPath), singleFile: listing.singleFile, resources, rootDigest: rootDigest(resources) };
}
