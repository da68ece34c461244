import { open } from 'node:fs/promises';
import { describeFileError } from './file-error';
import { UnreadableInputError } from './verification-errors';

/**
 * The most an envelope, PipelineRun or key file may hold: 32 MiB. Chains stores an envelope in an
 * annotation (Kubernetes allows 256 KiB of annotations per object, 1.5 MiB per object in etcd), so
 * real inputs are kilobytes; the bound keeps a hostile file from exhausting a deploy gate's memory.
 */
export const MAX_ATTESTATION_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Reads a whole small input file (`what` names it in messages: `key`, `signature`, `pipelinerun`),
 * refusing one larger than `limit` bytes without reading past the limit (a FIFO or device too).
 * Throws {@link UnreadableInputError} naming the file and the problem.
 */
export async function readBoundedFile(path: string, what: string, limit = MAX_ATTESTATION_FILE_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const file = await open(path, 'r');
    try {
      if ((await file.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
        const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
        if (total > limit) break;
      }
    } finally {
      await file.close().catch(() => undefined);
    }
  } catch (err) {
    throw new UnreadableInputError(`cannot read ${what} ${path}: ${describeFileError(err)}`);
  }
  if (total > limit) {
    throw new UnreadableInputError(
      `${what} ${path} is larger than ${limit / 1024 / 1024} MiB (an attestation is kilobytes; is this the right file?)`,
    );
  }
  return Buffer.concat(chunks, total);
}
