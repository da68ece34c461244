import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256OfFile } from '../src/verify/model-digest';

describe('sha256OfFile', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-digest-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('hashes in chunks to the same digest as a one-shot hash, reporting progress up to the size', async () => {
    const bytes = Buffer.alloc(1_000_003);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const file = path.join(work, 'model.bin');
    fs.writeFileSync(file, bytes);
    const progress: [number, number][] = [];
    const digest = await sha256OfFile(file, { chunkSize: 64 * 1024, onProgress: (done, total) => progress.push([done, total]) });
    expect(digest).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect(progress.length).toBe(Math.ceil(bytes.length / (64 * 1024)));
    expect(progress[progress.length - 1]).toEqual([bytes.length, bytes.length]);
    expect(progress.every(([done], i) => i === 0 || done > progress[i - 1][0])).toBe(true);
  });

  test('an empty file has the empty sha256', async () => {
    const file = path.join(work, 'empty');
    fs.writeFileSync(file, '');
    expect((await sha256OfFile(file)).sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('a missing file and a directory are unreadable, in one line', async () => {
    await expect(sha256OfFile(path.join(work, 'nope'))).rejects.toThrow(`cannot read model ${path.join(work, 'nope')}: no such file`);
    await expect(sha256OfFile(work)).rejects.toThrow(`cannot read model ${work}: it is a directory`);
  });
});
