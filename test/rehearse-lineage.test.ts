// Issue 17, parts 3 and 4 end to end: the rehearsal trains a directory model (several files); its
// provenance names the directory's OMS root digest (what `digest` prints and an OMS signature of
// the directory names), the unsigned OMS statement is uploaded beside it, and `verify` checks the
// directory by that root. Tested as processes, as the other rehearsal tests are.
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
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

/**
 * A model project whose entry point writes a directory (weights, a config, a tokenizer file) from
 * the verified copies of its inputs the training task hands it (BASE_MODEL_DIR, DATASET_DIR).
 */
const TRAIN_PY = `import hashlib, json, os, sys
name = sys.argv[1]
seen = {}
for what in ("BASE_MODEL_DIR", "DATASET_DIR"):
    top = os.environ.get(what, "")
    for folder, _, files in os.walk(top):
        for f in sorted(files):
            full = os.path.join(folder, f)
            seen[os.path.relpath(full, top)] = hashlib.sha256(open(full, "rb").read()).hexdigest()
os.makedirs(os.path.join(name, "tokenizer"))
with open(os.path.join(name, "model.pth"), "wb") as f:
    f.write(b"directory weights " * 64)
with open(os.path.join(name, "config.json"), "w") as f:
    json.dump({"layers": 3, "trained_from": seen}, f, sort_keys=True)
with open(os.path.join(name, "tokenizer", "vocab.json"), "w") as f:
    json.dump({"a": 0, "b": 1}, f)
print("trained " + name + "/")
`;

const haveDist = fs.existsSync(path.join(dist, 'runs'));
if (!haveDist) console.log(`skipping the lineage rehearsal: ${dist} has no synthesized objects`);

const oms = path.resolve(root, '..', 'shared', 'oms');
const haveOms = fs.existsSync(path.join(oms, 'cases', 'v1.1.0-elliptic-key', 'model.sig'));
if (!haveOms) console.log(`skipping the lineage rehearsal: ${oms} (model_signing's signed cases, the base model) is absent`);
const describeLineage = haveDist && haveOms ? describe : describe.skip;

/** A copy of dist/ whose slsa-for-models run sets the base-model and dataset params. */
function distWithInputs(dir: string, baseModel: Record<string, string>, dataset: Record<string, string>): string {
  fs.cpSync(dist, dir, { recursive: true });
  const runFile = path.join(dir, 'runs', 'slsa-for-models-run.yaml');
  const yamlObject = (o: Record<string, string>): string =>
    `{${Object.entries(o)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(', ')}}`;
  const params = `  params:\n    - name: base-model\n      value: ${yamlObject(baseModel)}\n    - name: dataset\n      value: ${yamlObject(dataset)}\n`;
  const text = fs.readFileSync(runFile, 'utf8');
  if (!text.includes('\n  params:\n')) throw new Error(`${runFile} has no spec.params`);
  fs.writeFileSync(runFile, text.replace('\n  params:\n', `\n${params}`));
  return dir;
}

function fileURLToPathSafe(uri: string): string {
  return uri.replace(/^file:\/\//, '');
}

/** The signed provenance of a rehearsal's PipelineRun. */
function provenanceOf(out: string): any {
  const pipelineRun = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
  const key = Object.keys(pipelineRun.metadata.annotations).find((k) => k.startsWith('chains.tekton.dev/signature-pipelinerun-'))!;
  const envelope = JSON.parse(Buffer.from(pipelineRun.metadata.annotations[key], 'base64').toString('utf8'));
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

describeLineage('rehearse: a directory model trained from a verified base model and dataset', () => {
  let tmp: string;
  let out: string;
  let run: SpawnSyncReturns<string>;
  let project: string;
  let baseRoot: string;
  let dataSha: string;
  let baseModel: Record<string, string>;
  let dataset: Record<string, string>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-lineage-'));
    // the base model: model_signing v1.1.0's signed two-file model, its signature and its key
    const base = path.join(tmp, 'inputs', 'base-model');
    fs.mkdirSync(base, { recursive: true });
    for (const f of ['signme-1', 'signme-2']) fs.copyFileSync(path.join(oms, 'cases', 'v1.1.0-elliptic-key', f), path.join(base, f));
    baseRoot = cli(['digest', base]).stdout.trim();
    const data = path.join(tmp, 'inputs', 'digits.csv');
    fs.writeFileSync(data, 'label,pixels\n3,0 1 1 0\n7,1 1 0 1\n');
    dataSha = crypto.createHash('sha256').update(fs.readFileSync(data)).digest('hex');
    baseModel = {
      uri: `file://${base}`,
      signature: `file://${path.join(oms, 'cases', 'v1.1.0-elliptic-key', 'model.sig')}`,
      key: `file://${path.join(oms, 'keys', 'certificate', 'signing-key-pub.pem')}`,
      'certificate-chain': '',
    };
    dataset = { uri: `file://${data}`, digest: `sha256:${dataSha}` };
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    git(project, 'init', '-q');
    // at the paths the pipeline's model-source default names (sigstore/model-transparency's layout)
    fs.mkdirSync(path.join(project, 'slsa_for_models', 'install'), { recursive: true });
    fs.writeFileSync(path.join(project, 'slsa_for_models', 'install', 'requirements_Linux.txt'), '# nothing to install\n');
    fs.writeFileSync(path.join(project, 'slsa_for_models', 'main.py'), TRAIN_PY);
    git(project, 'add', '.');
    git(project, 'commit', '-q', '-m', 'directory model project');
    out = path.join(tmp, 'out');
    const withInputs = distWithInputs(path.join(tmp, 'dist'), baseModel, dataset);
    run = cli(['rehearse', '--out', out, '--dist', withInputs, '--source', project, '--model-name', 'pytorch_model_directory']);
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
    const provenance = provenanceOf(out);
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
  test('the training step read the verified copies of both inputs', () => {
    const config = JSON.parse(fs.readFileSync(path.join(out, 'pytorch_model_directory', 'config.json'), 'utf8'));
    // each input lies in its directory under its own name: BASE_MODEL_DIR/base-model/, DATASET_DIR/digits.csv
    expect(Object.keys(config.trained_from).sort()).toEqual(['base-model/signme-1', 'base-model/signme-2', 'digits.csv']);
    expect(config.trained_from['digits.csv']).toBe(dataSha);
  });

  test('the provenance records both inputs as resolved dependencies, and by name in its byproducts', () => {
    const provenance = provenanceOf(out);
    const inputs = provenance.predicate.buildDefinition.resolvedDependencies.filter((d: any) => d.name === 'inputs/result');
    expect(inputs).toEqual(
      expect.arrayContaining([
        { uri: baseModel.uri, digest: { sha256: baseRoot.replace(/^sha256:/, '') }, name: 'inputs/result' },
        { uri: dataset.uri, digest: { sha256: dataSha }, name: 'inputs/result' },
      ]),
    );
    const names = provenance.predicate.runDetails.byproducts.map((b: any) => b.name.split('/').pop());
    expect(names).toEqual(expect.arrayContaining(['base-model_ARTIFACT_INPUTS', 'dataset_ARTIFACT_INPUTS']));
  });

  test('verify accepts it under a policy requiring both inputs and nothing else, and refuses either one differing', () => {
    const command = run.stdout.trimEnd().split('\n').pop()!.trim();
    const args = command.split(' ').slice(2);
    const source = provenanceOf(out).predicate.buildDefinition.resolvedDependencies.find((d: any) => d.digest.sha1).uri;
    const policy = (base: string, data: string): string[] => [
      '--dependency',
      `base-model=${base}`,
      '--dependency',
      `dataset=${data}`,
      '--only-listed-dependencies',
      '--source-uri',
      source,
    ];
    const good = cli(['verify', ...policy(baseRoot, `sha256:${dataSha}`), ...args]);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`  input      base-model ${baseModel.uri} ${baseRoot}\n`);
    expect(good.stdout).toContain(`  input      dataset ${dataset.uri} sha256:${dataSha}\n`);
    const otherData = cli(['verify', ...policy(baseRoot, `sha256:${'0'.repeat(64)}`), ...args]);
    expect(otherData.status).toBe(1);
    expect(otherData.stderr).toBe(
      `slsa-for-models verify: not verified: input dataset (${dataset.uri}) has digest sha256:${dataSha}, not sha256:${'0'.repeat(64)}\n`,
    );
    const otherBase = cli(['verify', ...policy(`sha256:${'1'.repeat(64)}`, `sha256:${dataSha}`), ...args]);
    expect(otherBase.status).toBe(1);
    expect(otherBase.stderr).toMatch(
      /^slsa-for-models verify: not verified: input base-model \(file:\/\/\S+\) has digest sha256:[0-9a-f]{64}, not sha256:1{64}\n$/,
    );
    // a policy file says the same
    const file = path.join(tmp, 'policy.yaml');
    fs.writeFileSync(
      file,
      `apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\ndependencies:\n  base-model: ${baseRoot}\n  dataset: sha256:${dataSha}\nonlyListedDependencies: true\nsource:\n  uri: ${source}\n`,
    );
    expect(cli(['verify', '--policy', file, ...args]).status).toBe(0);
  });

  test('a base model with one byte changed stops the run before training (fail closed)', () => {
    const tampered = path.join(tmp, 'inputs', 'tampered-base');
    fs.cpSync(fileURLToPathSafe(baseModel.uri), tampered, { recursive: true });
    fs.appendFileSync(path.join(tampered, 'signme-2'), 'x');
    const bad = cli([
      'rehearse',
      '--out',
      path.join(tmp, 'out-tampered'),
      '--dist',
      distWithInputs(path.join(tmp, 'dist-tampered'), { ...baseModel, uri: `file://${tampered}` }, dataset),
      '--source',
      project,
      '--model-name',
      'pytorch_model_directory',
    ]);
    // a failed rehearsal keeps its files for the reader: this test removes them
    const kept = /are kept in (\S+)/.exec(`${bad.stdout}\n${bad.stderr}`)?.[1];
    if (kept?.includes('slsa-for-models-rehearse-')) fs.rmSync(kept, { recursive: true, force: true });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/task "build-model" step "verify-inputs" exited with code 1/);
    expect(fs.existsSync(path.join(tmp, 'out-tampered', 'pipelinerun.json'))).toBe(false);
  }, 300000);
});

const trustedRoot = path.resolve(root, '..', 'shared', 'sigstore', 'trusted_root.public-good.json');
const haveSigstoreCase = haveOms && fs.existsSync(path.join(oms, 'cases', 'v1.0.0-sigstore', 'model.sig')) && fs.existsSync(trustedRoot);
if (haveDist && !haveSigstoreCase) console.log(`skipping the Sigstore-identity lineage rehearsal: ${oms} or ${trustedRoot} is absent`);

describe.each(haveDist && haveSigstoreCase ? ['sigstore'] : [])(
  'rehearse: a base model checked by its Sigstore identity (%s method)',
  () => {
    let tmp: string;
    let out: string;
    let run: SpawnSyncReturns<string>;
    let model: string;
    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-lineage-sigstore-'));
      // model_signing v1.0.0's model, signed keylessly on the public-good instance; its files without the signature
      model = path.join(tmp, 'inputs', 'base-model');
      fs.mkdirSync(model, { recursive: true });
      for (const f of ['signme-1', 'signme-2']) fs.copyFileSync(path.join(oms, 'cases', 'v1.0.0-sigstore', f), path.join(model, f));
      const project = path.join(tmp, 'project');
      fs.mkdirSync(path.join(project, 'slsa_for_models', 'install'), { recursive: true });
      git(project, 'init', '-q');
      fs.writeFileSync(path.join(project, 'slsa_for_models', 'install', 'requirements_Linux.txt'), '# nothing to install\n');
      fs.writeFileSync(path.join(project, 'slsa_for_models', 'main.py'), TRAIN_PY);
      git(project, 'add', '.');
      git(project, 'commit', '-q', '-m', 'directory model project');
      const dist = distWithInputs(
        path.join(tmp, 'dist'),
        {
          uri: `file://${model}`,
          signature: `file://${path.join(oms, 'cases', 'v1.0.0-sigstore', 'model.sig')}`,
          'certificate-identity': 'stefanb@us.ibm.com',
          'certificate-oidc-issuer': 'https://sigstore.verify.ibm.com/oauth2',
        },
        { uri: '', digest: '' },
      );
      // what TRUSTED_ROOT=FILE scripts/run-pipeline.sh publishes: the run's verifier workspace projects it
      fs.writeFileSync(
        path.join(dist, 'trusted-root.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: slsa-for-models-trusted-root\ndata:\n  trusted_root.json: ${JSON.stringify(fs.readFileSync(trustedRoot, 'utf8'))}\n`,
      );
      out = path.join(tmp, 'out');
      run = cli(['rehearse', '--out', out, '--dist', dist, '--source', project, '--model-name', 'pytorch_model_directory']);
    }, 300000);
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    test('the step verifies the identity against the trusted root, and the provenance records the base model by its root digest', () => {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      // the inputs beside the git source (also an inputs/result): the base model only, no dataset was given
      const inputs = provenanceOf(out).predicate.buildDefinition.resolvedDependencies.filter(
        (d: any) => d.name === 'inputs/result' && d.digest.sha1 === undefined,
      );
      expect(inputs).toEqual([
        {
          uri: `file://${model}`,
          digest: { sha256: '61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226' },
          name: 'inputs/result',
        },
      ]);
    });
  },
);
