// The Python step script that computes a model directory's OMS manifest in a Tekton step: it
// must agree with the verifier (src/verify/oms) and with model_signing's own goldens.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OMS_MANIFEST_SCRIPT } from '../src/models/oms-manifest-step';
import { readOmsStatement } from '../src/verify/oms/oms-statement';
import { serializeModel } from '../src/verify/oms/serialize-model';

const OMS = path.resolve(__dirname, '..', '..', 'shared', 'oms');
const HAVE_OMS = fs.existsSync(path.join(OMS, 'payloads.tsv'));
if (!HAVE_OMS) console.log(`skipping the model_signing goldens: ${OMS} is absent`);
const withOms = HAVE_OMS ? it : it.skip;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-step-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function step(
  model: string,
  ...ignore: string[]
): { status: number | null; stdout: string; stderr: string; statement?: Record<string, any> } {
  const out = path.join(work, `statement-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync('python3', ['-c', OMS_MANIFEST_SCRIPT, model, out, ...ignore], { encoding: 'utf8' });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    ...(fs.existsSync(out) ? { statement: JSON.parse(fs.readFileSync(out, 'utf8')) } : {}),
  };
}

describe('OMS_MANIFEST_SCRIPT', () => {
  it('prints the root digest the verifier computes, and writes a statement the verifier reads', async () => {
    const dir = path.join(work, 'model');
    for (const [f, content] of Object.entries({
      'a-c': '1',
      'a/b': '2',
      'a.txt': '3',
      '.git/HEAD': 'x',
      'sub/.gitignore': 'y',
      'logs/x': 'z',
      '\u00e9t\u00e9': '4',
    })) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    const r = step(dir, 'logs');
    const expected = await serializeModel(dir, { ignorePaths: ['logs'] });
    expect(r).toMatchObject({ status: 0, stdout: `sha256:${expected.rootDigest}\n` });
    const manifest = readOmsStatement(Buffer.from(JSON.stringify(r.statement)));
    expect(manifest.resources.map((x) => x.path)).toEqual(['a/b', 'a-c', 'a.txt', 'sub/.gitignore', '\u00e9t\u00e9']);
    expect(manifest.resources).toEqual(expected.resources);
    expect(manifest.serialization.ignorePaths).toEqual(['.git', '.gitattributes', '.github', '.gitignore', 'logs']);
    expect(r.statement!.subject[0].name).toBe('model');
  });

  withOms('reproduces model_signing goldens for files serialization and each signed case root', () => {
    for (const model of ['sample_model', 'deep_model', 'empty_file_inside_model', 'file_model', 'empty_file_model']) {
      const golden = JSON.parse(
        fs.readFileSync(
          path.join(
            OMS,
            'payloads',
            'TestPayload',
            {
              sample_model: 'sample_model_folder',
              deep_model: 'deep_model_folder',
              empty_file_inside_model: 'model_folder_with_empty_file',
              file_model: 'sample_model_file',
              empty_file_model: 'empty_model_file',
            }[model]!,
          ),
          'utf8',
        ),
      );
      const r = step(path.join(OMS, 'payloads', 'models', model));
      expect(r.stdout).toBe(`sha256:${golden.subject[0].digest.sha256}\n`);
      expect(r.statement!.predicate.resources).toEqual(
        golden.predicate.resources.map((x: Record<string, string>) => ({ name: x.name, algorithm: x.algorithm, digest: x.digest })),
      );
    }
    expect(step(path.join(OMS, 'cases', 'v1.1.0-sigstore'), 'model.sig', 'ignore-me').stdout).toBe(
      'sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226\n',
    );
  });

  it('refuses a symlink and a missing model in one line', () => {
    const dir = path.join(work, 'linked');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'real'), 'r');
    fs.symlinkSync('real', path.join(dir, 'alias'));
    expect(step(dir)).toMatchObject({
      status: 1,
      stderr: `oms-manifest: ${path.join(dir, 'alias')} is a symbolic link (refused, as model_signing refuses it by default)\n`,
    });
    expect(step(path.join(work, 'absent'))).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/^oms-manifest: cannot read .*absent: No such file or directory\n$/),
    });
  });
});
