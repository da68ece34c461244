// The one walk of a model's files (src/verify/model-tree.ts), seen through both of its callers:
// `verify --model-dir` (verifyModelDirectory) and the OMS listing (listModelFiles: `digest`, a
// directory's root digest, OMS signing and verification). Each case is one way the two walks
// used to differ, with the behaviour both now share (or the rule one caller keeps on top).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyModelDirectory } from '../src/verify/model-directory';
import { comparePaths } from '../src/verify/model-tree';
import { ListModelFilesOptions, listModelFiles } from '../src/verify/oms/model-files';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'model-tree-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** A model directory `m` holding `files` (relative path -> content); returns its path. */
function tree(files: Record<string, string>): string {
  const dir = path.join(work, 'm');
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** The files --model-dir checks, in its order (every file written is a subject). */
async function modelDirFiles(dir: string, files: Record<string, string>, maxFiles?: number): Promise<string[]> {
  const subjects = Object.entries(files).map(([name, content]) => ({ name, sha256: sha(content) }));
  const matches = await verifyModelDirectory(dir, subjects, { allowMissingFiles: true, ...(maxFiles ? { maxFiles } : {}) });
  return matches.map((m) => m.path);
}

/** The files OMS lists, in its order. */
function omsFiles(modelPath: string, options: ListModelFilesOptions = {}): string[] {
  return listModelFiles(modelPath, options).files.map((f) => f.name);
}

/** The error `run` throws, as `Kind: message` with the work folder written `W`. */
async function failure(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (err) {
    const e = err as Error;
    return `${e.name}: ${e.message.split(work).join('W')}`;
  }
  return 'no error';
}

describe('the files of a model directory, as --model-dir and OMS both walk them', () => {
  test('hidden files are files of the model; git files at the root are left out by OMS only', async () => {
    const files = { '.hidden': 'h', 'sub/.x': 'x', 'w.bin': 'w', '.gitignore': '*', 'sub/.gitignore': 'y' };
    const dir = tree(files);
    expect(await modelDirFiles(dir, files)).toEqual(['.gitignore', '.hidden', 'sub/.gitignore', 'sub/.x', 'w.bin']);
    expect(omsFiles(dir)).toEqual(['.hidden', 'sub/.gitignore', 'sub/.x', 'w.bin']);
    expect(omsFiles(dir, { ignoreGitPaths: false })).toEqual(['.gitignore', '.hidden', 'sub/.gitignore', 'sub/.x', 'w.bin']);
  });

  test("both list in model_signing's order: component by component, by code point", async () => {
    // JavaScript's `<` puts U+1F600 (a surrogate pair) before U+FF01, and `a-c` before `a/b`.
    const files = { 'a-c': '1', 'a/b': '2', '\u{1F600}': '3', '\u{FF01}': '4', B: '5', 'a.bin': '6' };
    const dir = tree(files);
    const order = ['B', 'a/b', 'a-c', 'a.bin', '\u{FF01}', '\u{1F600}'];
    expect(await modelDirFiles(dir, files)).toEqual(order);
    expect(omsFiles(dir)).toEqual(order);
    expect([...order].reverse().sort(comparePaths)).toEqual(order);
    expect(['\u{FF01}', '\u{1F600}'].sort()).toEqual(['\u{1F600}', '\u{FF01}']);
  });

  test('an empty directory adds nothing to either; an empty file in it is a file of both', async () => {
    const files = { 'w.bin': 'w' };
    const dir = tree(files);
    fs.mkdirSync(path.join(dir, 'empty', 'deeper'), { recursive: true });
    expect(await modelDirFiles(dir, files)).toEqual(['w.bin']);
    expect(omsFiles(dir)).toEqual(['w.bin']);
    fs.writeFileSync(path.join(dir, 'empty', '.keep'), '');
    const more = { ...files, 'empty/.keep': '' };
    expect(await modelDirFiles(dir, more)).toEqual(['empty/.keep', 'w.bin']);
    expect(omsFiles(dir)).toEqual(['empty/.keep', 'w.bin']);
  });

  test('a symlink in the model is refused by both; OMS hashes a file link only when symlinks are allowed', async () => {
    const files = { 'real.bin': 'r', 'sub/x': 'x' };
    const dir = tree(files);
    fs.symlinkSync('real.bin', path.join(dir, 'alias.bin'));
    expect(await failure(() => modelDirFiles(dir, files))).toBe(
      'AttestationRejectedError: alias.bin in model directory W/m is a symbolic link: refused (it could lead outside what is verified)',
    );
    expect(await failure(() => omsFiles(dir))).toBe(
      'AttestationRejectedError: model path W/m/alias.bin is a symbolic link (refused unless symlinks are allowed)',
    );
    expect(omsFiles(dir, { allowSymlinks: true })).toEqual(['alias.bin', 'real.bin', 'sub/x']);
  });

  test('a symlink to a directory in the model is refused by both; allowed, OMS does not descend into it', async () => {
    const files = { 'sub/x': 'x' };
    const dir = tree(files);
    fs.symlinkSync('sub', path.join(dir, 'also'));
    expect(await failure(() => modelDirFiles(dir, files))).toMatch(
      /^AttestationRejectedError: also in model directory W\/m is a symbolic link/,
    );
    expect(await failure(() => omsFiles(dir))).toMatch(/^AttestationRejectedError: model path W\/m\/also is a symbolic link/);
    expect(omsFiles(dir, { allowSymlinks: true })).toEqual(['sub/x']);
  });

  test('the model path itself as a symlink: --model-dir follows the directory it was given, OMS refuses it as model_signing does', async () => {
    const files = { 'w.bin': 'w' };
    tree(files);
    const link = path.join(work, 'current');
    fs.symlinkSync('m', link);
    expect(await modelDirFiles(link, files)).toEqual(['w.bin']);
    expect(await failure(() => omsFiles(link))).toBe(
      'AttestationRejectedError: model path W/current is a symbolic link (refused unless symlinks are allowed)',
    );
    expect(omsFiles(link, { allowSymlinks: true })).toEqual(['w.bin']);
    // A link loop is unreadable to --model-dir (it lists what it was given), refused by OMS (a link).
    fs.symlinkSync('loop-b', path.join(work, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(work, 'loop-b'));
    expect(await failure(() => modelDirFiles(path.join(work, 'loop-a'), files))).toBe(
      'UnreadableInputError: cannot read model directory W/loop-a: too many levels of symbolic links (a symlink loop?)',
    );
    expect(await failure(() => omsFiles(path.join(work, 'loop-a')))).toMatch(
      /^AttestationRejectedError: model path W\/loop-a is a symbolic link/,
    );
  });

  test('a FIFO in the model is refused by both; a regular file of that name is not', async () => {
    const files = { 'w.bin': 'w' };
    const dir = tree(files);
    if (spawnSync('mkfifo', [path.join(dir, 'pipe')]).status !== 0) return;
    expect(await failure(() => modelDirFiles(dir, files))).toBe(
      'AttestationRejectedError: pipe in model directory W/m is not a regular file: refused (it could lead outside what is verified)',
    );
    expect(await failure(() => omsFiles(dir))).toBe(
      'AttestationRejectedError: model path W/m/pipe is neither a regular file nor a directory',
    );
    fs.rmSync(path.join(dir, 'pipe'));
    fs.writeFileSync(path.join(dir, 'pipe'), 'p');
    expect(await modelDirFiles(dir, { ...files, pipe: 'p' })).toEqual(['pipe', 'w.bin']);
    expect(omsFiles(dir)).toEqual(['pipe', 'w.bin']);
  });

  test('a socket in the model is refused by both', async () => {
    const files = { 'w.bin': 'w' };
    const dir = tree(files);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve));
    try {
      expect(await failure(() => modelDirFiles(dir, files))).toMatch(
        /^AttestationRejectedError: sock in model directory W\/m is not a regular file/,
      );
      expect(await failure(() => omsFiles(dir))).toBe(
        'AttestationRejectedError: model path W/m/sock is neither a regular file nor a directory',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a model path that is a file: a single-file model to OMS, not a directory to --model-dir', async () => {
    const dir = tree({ 'w.bin': 'w' });
    const file = path.join(dir, 'w.bin');
    expect(listModelFiles(file)).toEqual({ singleFile: true, files: [{ name: '.', path: file, size: 1 }] });
    expect(await failure(() => modelDirFiles(file, { 'w.bin': 'w' }))).toBe(
      'UnreadableInputError: cannot read model directory W/m/w.bin: a part of the path is not a directory',
    );
    const absent = path.join(work, 'absent');
    expect(await failure(() => modelDirFiles(absent, {}))).toBe('UnreadableInputError: cannot read model directory W/absent: no such file');
    expect(await failure(() => omsFiles(absent))).toBe('UnreadableInputError: cannot read model W/absent: no such file');
  });

  describe('names that are not UTF-8', () => {
    /** Writes a file whose name is `prefix` followed by raw bytes; false where the file system refuses such a name. */
    function writeRawName(dir: string, prefix: string, bytes: number[], content: string): boolean {
      try {
        fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dir, prefix)), Buffer.from(bytes)]), content);
        return true;
      } catch {
        return false;
      }
    }

    test('are refused by both, also beside the file their lossy reading would name (which used to be read twice, the other never)', async () => {
      // w\xff read as UTF-8 is w\ufffd: both walks listed the real w\ufffd twice and never read
      // w\xff, so a directory with an unverified file of any content passed.
      const files = { 'w\uFFFD': 'good' };
      const dir = tree(files);
      if (!writeRawName(dir, 'w', [0xff], 'EVIL')) return;
      expect(await failure(() => modelDirFiles(dir, files))).toBe(
        'AttestationRejectedError: w\uFFFD in model directory W/m has a name that is not UTF-8: refused (no subject can name it)',
      );
      expect(await failure(() => omsFiles(dir))).toBe(
        'AttestationRejectedError: model path W/m/w\uFFFD has a name that is not UTF-8 (refused: no manifest can name it)',
      );
      fs.rmSync(Buffer.concat([Buffer.from(path.join(dir, 'w')), Buffer.from([0xff])]));
      expect(await modelDirFiles(dir, files)).toEqual(['w\uFFFD']);
      expect(omsFiles(dir)).toEqual(['w\uFFFD']);
    });

    test('a directory whose name is not UTF-8 is refused too; valid UTF-8 with a leading BOM is a name like any other', async () => {
      const files = { '\uFEFFbom.bin': 'b', 'caf\u00e9/x': 'x' };
      const dir = tree(files);
      expect(await modelDirFiles(dir, files)).toEqual(['caf\u00e9/x', '\uFEFFbom.bin']);
      expect(omsFiles(dir)).toEqual(['caf\u00e9/x', '\uFEFFbom.bin']);
      const raw = Buffer.concat([Buffer.from(path.join(dir, 'caf')), Buffer.from([0xe9])]);
      try {
        fs.mkdirSync(raw);
      } catch {
        return;
      }
      expect(await failure(() => modelDirFiles(dir, files))).toMatch(
        /^AttestationRejectedError: caf\uFFFD in model directory W\/m has a name that is not UTF-8/,
      );
      expect(await failure(() => omsFiles(dir))).toMatch(
        /^AttestationRejectedError: model path W\/m\/caf\uFFFD has a name that is not UTF-8/,
      );
    });
  });

  test('a bound on the number of files: --model-dir at 100000 by default, OMS only when asked; left-out files do not count', async () => {
    const files = { a: 'a', b: 'b', 'c/d': 'd' };
    const dir = tree({ ...files, '.git/HEAD': 'ref' });
    const withGit = { ...files, '.git/HEAD': 'ref' };
    expect(await failure(() => modelDirFiles(dir, withGit, 3))).toBe('UnreadableInputError: model directory W/m has more than 3 files');
    expect(await modelDirFiles(dir, withGit, 4)).toHaveLength(4);
    expect(omsFiles(dir, { maxFiles: 3 })).toEqual(['a', 'b', 'c/d']);
    expect(await failure(() => omsFiles(dir, { maxFiles: 2 }))).toBe('UnreadableInputError: model W/m has more than 2 files');
    expect(omsFiles(dir)).toHaveLength(3);
  });

  test('the errors are the verifier kinds: refusals judged (exit 1), unreadable input exit 2', async () => {
    const dir = tree({ 'w.bin': 'w' });
    fs.symlinkSync('w.bin', path.join(dir, 'l'));
    await expect(modelDirFiles(dir, {})).rejects.toThrow(AttestationRejectedError);
    expect(() => omsFiles(dir)).toThrow(AttestationRejectedError);
    await expect(modelDirFiles(path.join(dir, 'nope'), {})).rejects.toThrow(UnreadableInputError);
    expect(() => omsFiles(path.join(dir, 'nope'))).toThrow(UnreadableInputError);
  });
});
