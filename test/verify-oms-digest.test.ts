// The OMS root digest: model_signing's listing, order and hashing, against its own signatures
// and unit-test goldens in ../shared/oms, and `slsa-for-models digest` as a process.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareResources, rootDigest, sortResources } from '../src/verify/oms/manifest';
import { hashTasks } from '../src/verify/oms/hash-pool';
import { resolveIgnorePaths } from '../src/verify/oms/model-files';
import { serializeModel } from '../src/verify/oms/serialize-model';
import { modelSubjectDigest } from '../src/verify/oms/model-subject';
import { cases, OMS } from './support/oms-cases';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
// the digest needs only the cases, not the trusted root the signature checks need
const HAVE_OMS = fs.existsSync(path.join(OMS, 'cases.tsv'));
if (!HAVE_OMS) console.log(`skipping the model_signing cases: ${OMS} is absent`);
const withOms = HAVE_OMS ? it : it.skip;

function digestCli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'digest', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-digest-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string | Buffer>): string {
  const dir = path.join(work, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('compareResources', () => {
  it('compares paths component by component, not as strings', () => {
    // GIVEN names where string order and path order differ ('/' < '-' is false as strings)
    const names = ['a-c', 'a/b', 'a', 'a.txt', 'a/b/c', 'b'];
    // THEN a/b sorts right after a, before a-c (Python PurePosixPath order)
    expect(sortResources(names.map((p) => ({ path: p }))).map((r) => r.path)).toEqual(['a', 'a/b', 'a/b/c', 'a-c', 'a.txt', 'b']);
    expect(compareResources({ path: 'a/b' }, { path: 'a-c' })).toBeLessThan(0);
    expect('a/b' < 'a-c').toBe(false);
  });

  it('orders shards by start and end as integers', () => {
    const shards = [
      { path: 'f', start: 16, end: 24 },
      { path: 'f', start: 8, end: 16 },
      { path: 'f', start: 0, end: 8 },
      { path: 'e', start: 100, end: 108 },
    ];
    expect(sortResources(shards).map((s) => `${s.path}:${s.start}`)).toEqual(['e:100', 'f:0', 'f:8', 'f:16']);
  });

  it('compares by code point, as Python does, not by UTF-16 unit', () => {
    // U+1F600 (astral) is above U+FF5E in code points, below it in UTF-16 units
    expect(compareResources({ path: '\u{1F600}' }, { path: '\uFF5E' })).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFF5E').toBe(true);
  });

  it('roots an empty model at sha256 of nothing', () => {
    expect(rootDigest([])).toBe(sha(''));
  });
});

describe('serializeModel against model_signing', () => {
  withOms("recomputes every signed case's root digest", async () => {
    for (const c of cases().filter((r) => r.predicate_type.endsWith('signature/v1.0'))) {
      const model = path.join(OMS, c.model_path);
      const ignores = [c.signature, ...(c.ignore_paths === '-' ? [] : [c.ignore_paths])].map((p) => path.join(OMS, p));
      const serialized = await serializeModel(model, { ignorePaths: resolveIgnorePaths(model, ignores) });
      expect(`${c.case} sha256:${serialized.rootDigest}`).toBe(`${c.case} ${c.expected_digest}`);
    }
  });

  withOms('reproduces the 18 unit-test goldens, files and shards, resource by resource', async () => {
    const empty = path.join(work, 'empty_folder_model');
    fs.mkdirSync(empty, { recursive: true });
    const [, ...rows] = fs
      .readFileSync(path.join(OMS, 'payloads.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(18);
    for (const [golden, modelPath] of rows) {
      const statement = JSON.parse(fs.readFileSync(path.join(OMS, 'payloads', golden), 'utf8'));
      const serialization = statement.predicate.serialization;
      const model = modelPath === 'models/empty_folder_model' ? empty : path.join(OMS, 'payloads', modelPath);
      const serialized = await serializeModel(model, {
        method: serialization.method,
        shardSize: serialization.shard_size,
        allowSymlinks: true,
        ignoreGitPaths: false,
      });
      const names = serialized.resources.map((r) => ({
        name: r.start === undefined ? r.path : `${r.path}:${r.start}:${r.end}`,
        algorithm: r.algorithm,
        digest: r.digest,
      }));
      expect({ golden, resources: names }).toEqual({
        golden,
        resources: statement.predicate.resources.map((r: Record<string, string>) => ({
          name: r.name,
          algorithm: r.algorithm,
          digest: r.digest,
        })),
      });
      expect(serialized.rootDigest).toBe(statement.subject[0].digest.sha256);
    }
  });
});

describe('serializeModel', () => {
  it('leaves git files at the root out unless told, and keeps them deeper down', async () => {
    const dir = tree('git', { 'w.bin': 'w', '.git/HEAD': 'ref', '.gitignore': '*', 'sub/.gitignore': 'x' });
    const names = async (ignoreGitPaths?: boolean): Promise<string[]> =>
      (await serializeModel(dir, { ignoreGitPaths })).resources.map((r) => r.path);
    expect(await names()).toEqual(['sub/.gitignore', 'w.bin']);
    expect(await names(false)).toEqual(['.git/HEAD', '.gitignore', 'sub/.gitignore', 'w.bin']);
  });

  it('names a single-file model "."', async () => {
    const dir = tree('single', { 'model.pth': 'weights' });
    const serialized = await serializeModel(path.join(dir, 'model.pth'));
    expect(serialized.resources).toEqual([{ path: '.', algorithm: 'sha256', digest: sha('weights') }]);
    expect(serialized.name).toBe('model.pth');
  });

  it('refuses a symlink unless allowed, then hashes its target under its own name', async () => {
    const dir = tree('links', { 'real.bin': 'real' });
    fs.symlinkSync('real.bin', path.join(dir, 'link.bin'));
    await expect(serializeModel(dir)).rejects.toThrow(/link\.bin is a symbolic link/);
    const serialized = await serializeModel(dir, { allowSymlinks: true });
    expect(serialized.resources.map((r) => [r.path, r.digest])).toEqual([
      ['link.bin', sha('real')],
      ['real.bin', sha('real')],
    ]);
  });

  it('refuses a FIFO in the model', async () => {
    const dir = tree('fifo', { a: 'a' });
    if (spawnSync('mkfifo', [path.join(dir, 'pipe')]).status !== 0) return;
    await expect(serializeModel(dir)).rejects.toThrow(/pipe is neither a regular file nor a directory/);
  });

  it('hashes with blake2b (64-byte digests) and blake3 (hash-wasm), inline and on workers', async () => {
    const dir = tree('blake', { f: 'abc' });
    const serialized = await serializeModel(dir, { hashType: 'blake2b' });
    expect(serialized.resources[0]).toMatchObject({ algorithm: 'blake2b', digest: createHash('blake2b512').update('abc').digest('hex') });
    // BLAKE3 test vector of "abc" (BLAKE3 reference)
    const abc = '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85';
    expect((await serializeModel(dir, { hashType: 'blake3' })).resources[0]).toMatchObject({ algorithm: 'blake3', digest: abc });
    const tasks = ['a', 'b'].map((label) => ({ path: path.join(dir, 'f'), algorithm: 'blake3', label, size: 3 }));
    expect(await hashTasks(tasks, { threads: 2, inlineBelowBytes: 0 })).toEqual([abc, abc]);
    await expect(serializeModel(dir, { hashType: 'md5' as never })).rejects.toThrow(/^hash_type "md5" is unknown/);
  });

  it('gives the same digests on worker threads as inline, and reports progress', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 5; i++) files[`part-${i}.bin`] = Buffer.alloc(3 * 1024 * 1024 + i, i + 1);
    const dir = tree('threads', files);
    const tasks = Object.keys(files).map((name) => ({
      path: path.join(dir, name),
      algorithm: 'sha256',
      label: name,
      size: files[name].length,
    }));
    let last = 0;
    const threaded = await hashTasks(tasks, {
      threads: 2,
      inlineBelowBytes: 0,
      chunkSize: 1024 * 1024,
      onProgress: (done) => {
        last = done;
      },
    });
    const inline = await hashTasks(tasks, { threads: 1 });
    expect(threaded).toEqual(Object.values(files).map(sha));
    expect(inline).toEqual(threaded);
    expect(last).toBe(Object.values(files).reduce((s, b) => s + b.length, 0));
  });

  it('names a file that cannot be read, from a worker too', async () => {
    const tasks = [
      { path: path.join(work, 'nope'), algorithm: 'sha256', label: 'nope', size: 1 },
      { path: path.join(work, 'nope2'), algorithm: 'sha256', label: 'nope2', size: 1 },
    ];
    await expect(hashTasks(tasks, { threads: 2, inlineBelowBytes: 0 })).rejects.toThrow(/cannot read model file nope2?: no such file/);
  });
});

describe('modelSubjectDigest', () => {
  it("is a file's own sha256, and a directory's OMS root", async () => {
    const dir = tree('subject', { 'model.pth': 'weights', 'config.json': '{}' });
    expect(await modelSubjectDigest(path.join(dir, 'model.pth'))).toEqual({ sha256: sha('weights'), kind: 'file' });
    const root = (await serializeModel(dir)).rootDigest;
    expect(await modelSubjectDigest(dir)).toEqual({ sha256: root, kind: 'directory' });
    expect(root).toBe(
      rootDigest(
        sortResources([
          { path: 'model.pth', digest: sha('weights') },
          { path: 'config.json', digest: sha('{}') },
        ]),
      ),
    );
    await expect(modelSubjectDigest(path.join(dir, 'absent'))).rejects.toThrow(/absent: no such file/);
  });
});

describe('resolveIgnorePaths', () => {
  it('reads paths relative to the working directory and skips those outside the model', () => {
    const dir = tree('ignores', { 'm/a': 'a' });
    expect(resolveIgnorePaths('m', ['m/a', 'm/missing/x', 'elsewhere', '/etc/passwd', 'm'], dir)).toEqual(['a', 'missing/x', '.']);
  });
});

describe('slsa-for-models digest', () => {
  withOms("prints each case's signed root, run from elsewhere and from the case folder", () => {
    for (const c of cases().filter((r) => r.predicate_type.endsWith('signature/v1.0'))) {
      const ignores = [c.signature, ...(c.ignore_paths === '-' ? [] : [c.ignore_paths])];
      const fromOms = digestCli([...ignores.flatMap((p) => ['--ignore-paths', p]), c.model_path], OMS);
      expect(`${c.case} ${fromOms.stdout}`).toBe(`${c.case} ${c.expected_digest}\n`);
      const caseDir = path.join(OMS, 'cases', c.case);
      const inCase = digestCli(
        [
          ...ignores.flatMap((p) => ['--ignore-paths', path.relative(caseDir, path.join(OMS, p))]),
          path.relative(caseDir, path.join(OMS, c.model_path)) || '.',
        ],
        caseDir,
      );
      expect(`${c.case} ${inCase.stdout}`).toBe(`${c.case} ${c.expected_digest}\n`);
    }
  });

  withOms('counts the signature and an unignored extra file, as model_signing does', () => {
    const r = digestCli(['--ignore-paths', 'cases/v1.0.1-certificate/model.sig', 'cases/v1.0.1-certificate'], OMS);
    expect(r).toMatchObject({ status: 0, stdout: 'sha256:cff8b745a85467e042fc9f9aa593935789924ea4d0da212bbe7d964fdc9eea23\n' });
    expect(digestCli(['cases/v1.0.1-certificate'], OMS).stdout).not.toBe(r.stdout);
  });

  it('fails in one line for a missing model, and exits 2 for bad usage', () => {
    const missing = digestCli([path.join(work, 'absent')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^slsa-for-models digest: cannot read model .*absent: no such file\n$/);
    expect(digestCli([]).status).toBe(2);
    expect(digestCli(['--ignore-git-paths', '--no-ignore-git-paths', work]).status).toBe(2);
  });
});
