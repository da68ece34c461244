// Issue 17, parts 3 and 4 end to end: the rehearsal trains a directory model (several files); its
// provenance names the directory's OMS root digest (what `digest` prints and an OMS signature of
// the directory names), the unsigned OMS statement is uploaded beside it, and `verify` checks the
// directory by that root. Tested as processes, as the other rehearsal tests are.
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'lib', 'src', 'cli', 'main.js');
const dist = path.join(root, 'dist');

beforeAll(() => {
  spawnSync(process.execPath, [path.join(root, 'tools', 'build-if-stale.js')], { cwd: root, stdio: 'ignore' });
});

function cli(args: string[]): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.COSIGN_PASSWORD;
  return spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', env });
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A model project whose entry point writes a directory: weights, a config and a tokenizer file. */
const TRAIN_PY = `import json, os, sys
name = sys.argv[1]
os.makedirs(os.path.join(name, "tokenizer"))
with open(os.path.join(name, "model.pth"), "wb") as f:
    f.write(b"directory weights " * 64)
with open(os.path.join(name, "config.json"), "w") as f:
    json.dump({"layers": 3}, f)
with open(os.path.join(name, "tokenizer", "vocab.json"), "w") as f:
    json.dump({"a": 0, "b": 1}, f)
print("trained " + name + "/")
`;

const haveDist = fs.existsSync(path.join(dist, 'runs'));
const describeDist = haveDist ? describe : describe.skip;
if (!haveDist) console.log(`skipping the lineage rehearsal: ${dist} has no synthesized objects`);

describeDist('rehearse: a directory model, by its root digest', () => {
  let tmp: string;
  let out: string;
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-lineage-'));
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    git(project, 'init', '-q');
    // at the paths the pipeline's model-source default names (sigstore/model-transparency's layout)
    fs.mkdirSync(path.join(project, 'slsa_for_models', 'install'), { recursive: true });
    fs.writeFileSync(path.join(project, 'slsa_for_models', 'install', 'requirements_Linux.txt'), '# nothing to install\n');
    fs.writeFileSync(path.join(project, 'slsa_for_models', 'main.py'), TRAIN_PY);
    git(project, 'add', '.');
    git(project, 'commit', '-q', '-m', 'directory model project');
    out = path.join(tmp, 'out');
    run = cli(['rehearse', '--out', out, '--source', project, '--model-name', 'pytorch_model_directory']);
  }, 300000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the run trains and uploads the directory with its unsigned OMS statement beside it', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const model = path.join(out, 'pytorch_model_directory');
    expect(fs.readdirSync(model).sort()).toEqual(['config.json', 'model.pth', 'tokenizer']);
    expect(run.stdout).toContain(`wrote ${model}/ (a directory model: its subject is the root digest)`);
    const statement = JSON.parse(fs.readFileSync(path.join(out, 'pytorch_model_directory.oms.json'), 'utf8'));
    expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toEqual([
      'config.json',
      'model.pth',
      'tokenizer/vocab.json',
    ]);
  });

  test("the provenance's subject is the root digest that digest prints, and the OMS statement names it too", () => {
    const digest = cli(['digest', path.join(out, 'pytorch_model_directory')]);
    expect(digest.status).toBe(0);
    const rootDigest = digest.stdout.trim().replace(/^sha256:/, '');
    const pipelineRun = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const key = Object.keys(pipelineRun.metadata.annotations).find((k) => k.startsWith('chains.tekton.dev/signature-pipelinerun-'))!;
    const envelope = JSON.parse(Buffer.from(pipelineRun.metadata.annotations[key], 'base64').toString('utf8'));
    const provenance = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(provenance.subject).toEqual([
      {
        name: expect.stringMatching(
          /^https:\/\/artifactregistry\.googleapis\.com\/v1\/projects\/.+\/packages\/.+\/versions\/[0-9a-f]{64}$/,
        ),
        digest: { sha256: rootDigest },
      },
    ]);
    const statement = JSON.parse(fs.readFileSync(path.join(out, 'pytorch_model_directory.oms.json'), 'utf8'));
    expect(statement.subject[0].digest.sha256).toBe(rootDigest);
  });

  test('verify checks the directory by its root digest, and refuses it with one file changed', () => {
    const command = run.stdout.trimEnd().split('\n').pop()!.trim();
    expect(command).toMatch(/ \S*pytorch_model_directory$/);
    const args = command.split(' ').slice(2);
    const good = cli(['verify', ...args]);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/subject +\S+ sha256:[0-9a-f]{64} \(the directory's root digest\)/);
    const copy = path.join(tmp, 'tampered');
    fs.cpSync(path.join(out, 'pytorch_model_directory'), copy, { recursive: true });
    fs.appendFileSync(path.join(copy, 'config.json'), ' ');
    const bad = cli(['verify', ...args.slice(0, -1), copy]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^slsa-for-models verify: not verified: no subject matches the directory's root digest sha256:/);
  });
});
