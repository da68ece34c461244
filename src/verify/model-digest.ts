import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UnreadableInputError } from './verification-errors';
import { describeFileError } from './verification-key';

/** The sha256 of a file and how many bytes it had. */
export interface FileDigest {
  /** Lowercase hex sha256. */
  readonly sha256: string;
  /** The number of bytes hashed. */
  readonly size: number;
}

/** Options for {@link sha256OfFile}. */
export interface Sha256OfFileOptions {
  /** Called as bytes are hashed, at most once per chunk. */
  readonly onProgress?: (bytesHashed: number, totalBytes: number) => void;
  /** Read chunk size in bytes. @default 1 MiB */
  readonly chunkSize?: number;
}

/** The default read chunk: large enough that per-chunk overhead vanishes beside hashing, small enough for flat memory. */
export const DEFAULT_HASH_CHUNK_SIZE = 1024 * 1024;

/**
 * Hashes a file with sha256 as a stream: any size, memory bounded by one chunk.
 * Throws {@link UnreadableInputError} when the file cannot be read (missing, a directory, no permission).
 */
export async function sha256OfFile(path: string, options: Sha256OfFileOptions = {}): Promise<FileDigest> {
  let total: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    total = info.size;
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${path}: ${describeFileError(err)}`);
  }
  const hash = createHash('sha256');
  let done = 0;
  try {
    const stream = createReadStream(path, { highWaterMark: options.chunkSize ?? DEFAULT_HASH_CHUNK_SIZE });
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      options.onProgress?.(done, Math.max(total, done));
    }
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${path}: ${describeFileError(err)}`);
  }
  return { sha256: hash.digest('hex'), size: done };
}
