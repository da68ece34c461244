// Hashes many files, or byte ranges of files, in parallel on worker threads: each worker streams
// its file through one fixed buffer, so memory stays bounded whatever the model's size.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describeFileError } from '../file-error';
import { UnreadableInputError } from '../verification-errors';

/** One piece of work: a whole file (`end` absent) or the bytes [start, end) of it. */
export interface HashTask {
  /** The file to read. */
  readonly path: string;
  /** Where to start reading. @default 0 */
  readonly start?: number;
  /** Where to stop (excluded); absent: the end of the file. */
  readonly end?: number;
  /** A node:crypto hash name (`sha256`, `blake2b512`), or `blake3` (hash-wasm). */
  readonly algorithm: string;
  /** What to call the file in messages (its name in the model). */
  readonly label: string;
  /** Its expected size in bytes, for scheduling and progress. */
  readonly size: number;
}

/** Options for {@link hashTasks}. */
export interface HashTasksOptions {
  /** The most worker threads to use. @default os.availableParallelism() */
  readonly threads?: number;
  /** Read buffer per worker, in bytes. @default 4 MiB */
  readonly chunkSize?: number;
  /** Below this many bytes in all, hash on the calling thread (starting workers costs more). @default 16 MiB */
  readonly inlineBelowBytes?: number;
  /** Called after each task with the bytes hashed so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The default read buffer of one worker: 4 MiB (flat memory; per-read overhead vanishes beside hashing). */
export const DEFAULT_POOL_CHUNK_SIZE = 4 * 1024 * 1024;

/**
 * The hashing loop, as JavaScript source: the one definition both the workers and the calling
 * thread run (a worker is started from source text, so it needs no compiled file on disk).
 */
const HASH_RANGE_SOURCE = `function hashRange(fs, newHash, buffer, task) {
  const fd = fs.openSync(task.path, 'r');
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('it is not a regular file'), { code: 'ENOTREGULAR' });
    const hash = newHash(task.algorithm);
    const end = task.end === undefined ? Infinity : task.end;
    let position = task.start === undefined ? 0 : task.start;
    let bytes = 0;
    while (position < end) {
      const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      position += read;
      bytes += read;
    }
    return { digest: hash.digest('hex'), bytes };
  } finally {
    fs.closeSync(fd);
  }
}`;

/**
 * A hash by name: node:crypto's, or BLAKE3 from hash-wasm (node:crypto has none; `blake3` is
 * the WASM hasher, re-initialized for each task, as JavaScript source for the workers too).
 */
const NEW_HASH_SOURCE = `function newHash(crypto, blake3, algorithm) {
  if (algorithm !== 'blake3') return crypto.createHash(algorithm);
  blake3.init();
  return blake3;
}`;

const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const hashRange = (${HASH_RANGE_SOURCE});
const newHash = (${NEW_HASH_SOURCE});
const buffer = Buffer.allocUnsafe(workerData.chunkSize);
const blake3 = workerData.hashWasm ? require(workerData.hashWasm).createBLAKE3() : Promise.resolve(undefined);
parentPort.on('message', ({ index, task }) => {
  blake3.then(b3 => {
    parentPort.postMessage({ index, result: hashRange(fs, algorithm => newHash(crypto, b3, algorithm), buffer, task) });
  }).catch(err => {
    parentPort.postMessage({ index, error: { message: String(err && err.message), code: err && err.code } });
  });
});`;

interface StreamingHash {
  update(data: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
}
type HashRange = (
  fsModule: typeof fs,
  newHash: (algorithm: string) => StreamingHash,
  buffer: Buffer,
  task: HashTask,
) => { digest: string; bytes: number };
type NewHash = (cryptoModule: typeof crypto, blake3: unknown, algorithm: string) => StreamingHash;
const hashRangeHere = new Function(`return (${HASH_RANGE_SOURCE});`)() as HashRange;
const newHashHere = new Function(`return (${NEW_HASH_SOURCE});`)() as NewHash;

/** Where hash-wasm (BLAKE3) is, for workers that need it: they are started from source text, so they load it by path. */
function hashWasmPath(): string {
  return require.resolve('hash-wasm');
}

function taskError(task: HashTask, err: { message?: string; code?: string }): UnreadableInputError {
  return new UnreadableInputError(`cannot read model file ${task.label}: ${describeFileError(err)}`);
}

/**
 * Hashes every task and resolves to their hex digests, in the order of `tasks`. The largest
 * tasks start first, spread over up to `threads` worker threads; small jobs run on the calling
 * thread. Throws {@link UnreadableInputError} naming the first file that cannot be read.
 */
export async function hashTasks(tasks: readonly HashTask[], options: HashTasksOptions = {}): Promise<string[]> {
  const chunkSize = options.chunkSize ?? DEFAULT_POOL_CHUNK_SIZE;
  const total = tasks.reduce((sum, t) => sum + ((t.end ?? t.size) - (t.start ?? 0)), 0);
  const digests = new Array<string>(tasks.length);
  let done = 0;
  const threads = Math.max(1, Math.min(options.threads ?? os.availableParallelism(), tasks.length));
  const needsBlake3 = tasks.some((t) => t.algorithm === 'blake3');
  if (threads === 1 || total < (options.inlineBelowBytes ?? 16 * 1024 * 1024)) {
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(chunkSize, total || 1)));
    const blake3 = needsBlake3 ? await (await import('hash-wasm')).createBLAKE3() : undefined;
    tasks.forEach((task, index) => {
      try {
        const result = hashRangeHere(fs, (algorithm) => newHashHere(crypto, blake3, algorithm), buffer, task);
        digests[index] = result.digest;
        done += result.bytes;
      } catch (err) {
        throw taskError(task, err as NodeJS.ErrnoException);
      }
      options.onProgress?.(done, total);
    });
    return digests;
  }
  // Largest first: with the big files started early, the last one to finish is a small one.
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[b].size - tasks[a].size);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const feed = (worker: Worker): void => {
        if (failed) return;
        if (next >= order.length) {
          if (running === 0) resolve();
          return;
        }
        const index = order[next++];
        running++;
        worker.postMessage({ index, task: tasks[index] });
      };
      for (let i = 0; i < threads; i++) {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { chunkSize, ...(needsBlake3 ? { hashWasm: hashWasmPath() } : {}) },
        });
        workers.push(worker);
        worker.on(
          'message',
          (message: { index: number; result?: { digest: string; bytes: number }; error?: { message?: string; code?: string } }) => {
            running--;
            if (message.error) {
              failed = true;
              reject(taskError(tasks[message.index], message.error));
              return;
            }
            digests[message.index] = message.result!.digest;
            done += message.result!.bytes;
            options.onProgress?.(done, total);
            feed(worker);
          },
        );
        worker.on('error', (err) => {
          failed = true;
          reject(new UnreadableInputError(`hashing worker failed: ${describeFileError(err)}`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return digests;
}
