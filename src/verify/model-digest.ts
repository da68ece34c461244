import { createHash } from 'node:crypto';
import { FileHandle, open, stat } from 'node:fs/promises';
import { UnreadableInputError } from './verification-errors';
import { describeFileError } from './file-error';

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
  /** Read chunk size in bytes (two buffers of it are used). @default 4 MiB */
  readonly chunkSize?: number;
  /** Called with each chunk as it is hashed (e.g. to feed a signature verifier in the same pass). */
  readonly onChunk?: (chunk: Buffer) => void;
}

/**
 * The default read chunk: large enough that per-read overhead vanishes beside hashing, small
 * enough for flat memory (two of them: 8 MiB). Measured with tools/bench/verify.js.
 */
export const DEFAULT_HASH_CHUNK_SIZE = 4 * 1024 * 1024;

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
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_HASH_CHUNK_SIZE, Math.max(total, 64 * 1024)));
  let done = 0;
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    // Double buffering: the next read (on libuv's thread pool) overlaps hashing the current chunk.
    const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
    let current = 0;
    let pending = file.read(buffers[current], 0, chunkSize, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const chunk = buffers[current];
      current ^= 1;
      pending = file.read(buffers[current], 0, chunkSize, null);
      hash.update(chunk.subarray(0, bytesRead));
      options.onChunk?.(chunk.subarray(0, bytesRead));
      done += bytesRead;
      options.onProgress?.(done, Math.max(total, done));
    }
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${path}: ${describeFileError(err)}`);
  } finally {
    await file?.close().catch(() => undefined);
  }
  return { sha256: hash.digest('hex'), size: done };
}

/**
 * Hashes a stream (standard input, a socket, a pipe) with sha256 as it arrives; memory stays flat.
 * `what` names it in messages. Throws {@link UnreadableInputError} when the stream fails.
 */
export async function sha256OfStream(stream: AsyncIterable<Buffer | string>, what: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      size += bytes.length;
    }
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${what}: ${describeFileError(err)}`);
  }
  return { sha256: hash.digest('hex'), size };
}
