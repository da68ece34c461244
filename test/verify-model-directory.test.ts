import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { namesFile, verifyModelDirectory } from '../src/verify/model-directory';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'model-dir-'));
  mkdirSync(path.join(dir, 'tokenizer'));
  writeFileSync(path.join(dir, 'model.safetensors'), 'weights');
  writeFileSync(path.join(dir, 'tokenizer', 'vocab.json'), 'vocab');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const subjects = [
  { name: 'us-docker.pkg.dev/p/r/model:v1:model.safetensors', sha256: sha('weights') },
  { name: 'tokenizer/vocab.json', sha256: sha('vocab') },
];

describe('verifyModelDirectory', () => {
  test('every file is its subject and every subject has its file', async () => {
    await expect(verifyModelDirectory(dir, subjects)).resolves.toEqual([
      { path: 'model.safetensors', sha256: sha('weights'), subject: subjects[0].name },
      { path: 'tokenizer/vocab.json', sha256: sha('vocab'), subject: 'tokenizer/vocab.json' },
    ]);
  });

  test('a file with other bytes is refused', async () => {
    writeFileSync(path.join(dir, 'tokenizer', 'vocab.json'), 'evil');
    await expect(verifyModelDirectory(dir, subjects)).rejects.toThrow(
      /file tokenizer\/vocab.json .* has sha256:[0-9a-f]{64}, not the subject's/,
    );
  });

  test('an extra file is refused unless allowed', async () => {
    writeFileSync(path.join(dir, 'extra.py'), 'import os');
    await expect(verifyModelDirectory(dir, subjects)).rejects.toThrow(/file extra.py .* is not a subject/);
    await expect(verifyModelDirectory(dir, subjects, { allowExtraFiles: true })).resolves.toHaveLength(2);
  });

  test('a missing file is refused unless allowed', async () => {
    rmSync(path.join(dir, 'tokenizer', 'vocab.json'));
    await expect(verifyModelDirectory(dir, subjects)).rejects.toThrow(/subject tokenizer\/vocab.json has no file/);
    await expect(verifyModelDirectory(dir, subjects, { allowMissingFiles: true })).resolves.toHaveLength(1);
  });

  test('a symbolic link is refused', async () => {
    symlinkSync('/etc/hostname', path.join(dir, 'link'));
    await expect(verifyModelDirectory(dir, subjects, { allowExtraFiles: true })).rejects.toThrow(AttestationRejectedError);
  });

  test('a directory that is not there is unreadable', async () => {
    await expect(verifyModelDirectory(path.join(dir, 'absent'), subjects)).rejects.toThrow(UnreadableInputError);
  });

  test('names match at a path boundary only', () => {
    expect(namesFile('a/b.bin', 'b.bin')).toBe(true);
    expect(namesFile('repo:v1:b.bin', 'b.bin')).toBe(true);
    expect(namesFile('ab.bin', 'b.bin')).toBe(false);
    expect(namesFile('x/a/b.bin', 'a/b.bin')).toBe(true);
  });
});
