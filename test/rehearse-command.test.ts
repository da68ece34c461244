import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateCosignKeyPair } from '../src/rehearse/cosign-key';

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'lib', 'src', 'cli', 'main.js');
const dist = path.join(root, 'dist');
const shared = path.resolve(__dirname, '..', '..', 'shared');

beforeAll(() => {
  spawnSync(process.execPath, [path.join(root, 'tools', 'build-if-stale.js')], { cwd: root, stdio: 'ignore' });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const base = { ...process.env };
  delete base.COSIGN_PASSWORD;
  return spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-cmd-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Copies dist/ to a temp dir, with `edit` applied to the main YAML text. */
function editedDist(name: string, edit: (yaml: string) => string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
  for (const file of fs.readdirSync(dist)) {
    if (file.endsWith('.yaml')) fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dist, file), 'utf8')));
  }
  for (const file of fs.readdirSync(path.join(dist, 'runs'))) fs.copyFileSync(path.join(dist, 'runs', file), path.join(dir, 'runs', file));
  return dir;
}

const haveDist = fs.existsSync(path.join(dist, 'runs'));
const describeDist = haveDist ? describe : describe.skip;
if (!haveDist) console.log(`skipping rehearse end-to-end tests: ${dist} has no synthesized objects`);

describeDist('slsa-for-models rehearse on the synthesized pipeline', () => {
  let out: string;
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    out = path.join(tmp, 'out');
    run = cli(['rehearse', '--out', out]);
  });

  test('succeeds, prints a line per task and step, and ends with the exact verify command', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('task '))).toEqual([
      expect.stringMatching(/^task git-clone \(TaskRun slsa-for-models-[a-z0-9]{5}-git-clone\)$/),
      expect.stringMatching(/^task build-model /),
      expect.stringMatching(/^task upload-model /),
    ]);
    expect(lines.filter((l) => /^ {2}step \w+ ok /.test(l))).toHaveLength(3);
    expect(run.stdout).toMatch(/container images are not pulled/);
    expect(lines[lines.length - 1]).toBe(
      `  slsa-for-models verify --key ${out}/cosign.pub --pipelinerun ${out}/pipelinerun.json --rekor-entry ${out}/rekor-entry.json --trusted-root ${out}/trusted_root.json ${out}/pytorch_model.pth`,
    );
  });

  test("runs the deploy gate's verify and promote on the result: the model passes, a tampered one and another commit are refused", () => {
    const lines = run.stdout.split('\n');
    const start = lines.indexOf(
      'deploy gate (verify and promote, as the slsa-for-models-deploy Pipeline runs them; the InferenceService apply is not rehearsed):',
    );
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 4)).toEqual([
      expect.stringMatching(/^ {2}passed: the rehearsal's model: deploy-gate: verified .*; deploy-gate: promoted sha256:[0-9a-f]{64} to /),
      expect.stringMatching(/^ {2}refused: a tampered model \(one bit flipped\): deploy-gate: verify failed: no subject matches sha256:/),
      expect.stringMatching(
        /^ {2}refused: a policy naming another source commit: deploy-gate: verify failed: source .* is at commit [0-9a-f]{40}, not [0-9a-f]{40}$/,
      ),
    ]);
    expect(fs.readdirSync(path.join(out, 'deploy-gate', 'store'))).toEqual([expect.stringMatching(/^sha256-[0-9a-f]{64}$/)]);
  });

  test('writes the PipelineRun with status and the Chains annotations, cosign.pub, an encrypted cosign.key and the model', () => {
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const uid = pr.metadata.uid;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pr.metadata.annotations['chains.tekton.dev/signed']).toBe('true');
    expect(Object.keys(pr.metadata.annotations)).toEqual(
      expect.arrayContaining([`chains.tekton.dev/signature-pipelinerun-${uid}`, `chains.tekton.dev/payload-pipelinerun-${uid}`]),
    );
    expect(pr.status.conditions[0]).toMatchObject({ type: 'Succeeded', status: 'True' });
    expect(pr.status.results.map((r: any) => r.name)).toEqual([
      'source_ARTIFACT_INPUTS',
      'base-model_ARTIFACT_INPUTS',
      'dataset_ARTIFACT_INPUTS',
      'training-resumed-from',
      'model_ARTIFACT_OUTPUTS',
    ]);
    // no base model and no dataset given: both recorded empty (Chains resolves no dependency from them)
    expect(pr.status.results[1].value).toEqual({ uri: '', digest: '' });
    expect(pr.status.results[3].value).toBe('none');
    expect(fs.readFileSync(path.join(out, 'cosign.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    expect(fs.statSync(path.join(out, 'cosign.key')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(out, 'cosign.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(fs.readFileSync(path.join(out, 'pytorch_model.pth')).subarray(0, 31).toString()).toBe('slsa-for-models rehearsal model');
  });

  test('the provenance is Chains slsa/v2alpha4: model subject, git source with sha1, runSpec, builder, invocation id', () => {
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const uid = pr.metadata.uid;
    const statement = JSON.parse(Buffer.from(pr.metadata.annotations[`chains.tekton.dev/payload-pipelinerun-${uid}`], 'base64').toString());
    const model = fs.readFileSync(path.join(out, 'pytorch_model.pth'));
    expect(statement.subject).toEqual([
      {
        name: expect.stringMatching(
          /^https:\/\/artifactregistry\.googleapis\.com\/v1\/projects\/rehearsal-project\/locations\/us\/repositories\/ml-artifacts\/files\/pytorch-model:[0-9a-f]{64}:pytorch_model\.pth$/,
        ),
        digest: { sha256: crypto.createHash('sha256').update(model).digest('hex') },
      },
    ]);
    const commit = spawnSync('git', ['-C', path.join(out, 'model-project'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    expect(statement.predicate.buildDefinition.resolvedDependencies).toContainEqual({
      name: 'inputs/result',
      uri: `git+file://${out}/model-project.git`,
      digest: { sha1: commit },
    });
    expect(statement.predicate.buildDefinition.externalParameters.runSpec.pipelineRef).toEqual({ name: 'slsa-for-models' });
    expect(statement.predicate.buildDefinition.externalParameters.runSpec.timeouts).toEqual({
      pipeline: '2h0m0s',
      tasks: '1h50m0s',
      finally: '10m0s',
    });
    expect(statement.predicate.runDetails.builder).toEqual({ id: 'https://tekton.dev/chains/v2' });
    expect(statement.predicate.runDetails.metadata.invocationId).toBe(uid);
  });

  test('the TaskRuns are signed too (chains-config artifacts.taskrun.format); the upload TaskRun attests the model', () => {
    const items = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8')).items;
    expect(items.map((t: any) => t.metadata.labels['tekton.dev/pipelineTask'])).toEqual(['git-clone', 'build-model', 'upload-model']);
    const upload = items[2];
    const statement = JSON.parse(
      Buffer.from(upload.metadata.annotations[`chains.tekton.dev/payload-taskrun-${upload.metadata.uid}`], 'base64').toString(),
    );
    const model = fs.readFileSync(path.join(out, 'pytorch_model.pth'));
    expect(statement.subject.map((s: any) => s.digest.sha256)).toEqual([crypto.createHash('sha256').update(model).digest('hex')]);
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'oci://docker.io/google/cloud-sdk', digest: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    ]);
  });

  const logFlags = (entry = path.join(out, 'rekor-entry.json'), root = path.join(out, 'trusted_root.json')) => [
    '--rekor-entry',
    entry,
    '--trusted-root',
    root,
  ];

  test('slsa-for-models verify accepts the files, and refuses the model with one byte changed', () => {
    const ok = cli([
      'verify',
      '--key',
      path.join(out, 'cosign.pub'),
      '--pipelinerun',
      path.join(out, 'pipelinerun.json'),
      ...logFlags(),
      path.join(out, 'pytorch_model.pth'),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const tampered = path.join(tmp, 'tampered.pth');
    const bytes = fs.readFileSync(path.join(out, 'pytorch_model.pth'));
    bytes[100] ^= 0x01;
    fs.writeFileSync(tampered, bytes);
    const bad = cli([
      'verify',
      '--key',
      path.join(out, 'cosign.pub'),
      '--pipelinerun',
      path.join(out, 'pipelinerun.json'),
      ...logFlags(),
      tampered,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/no subject matches/);
  });

  test("the attestation is in the rehearsal's own transparency log, and verify checks it: a broken proof or another log key fail", () => {
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    expect(pr.metadata.annotations['chains.tekton.dev/transparency']).toBe('https://rekor.rehearsal.invalid/api/v1/log/entries?logIndex=0');
    const verifyWith = (entry: string, root: string) =>
      cli([
        'verify',
        '--key',
        path.join(out, 'cosign.pub'),
        '--pipelinerun',
        path.join(out, 'pipelinerun.json'),
        ...logFlags(entry, root),
        path.join(out, 'pytorch_model.pth'),
      ]);
    const entry = JSON.parse(fs.readFileSync(path.join(out, 'rekor-entry.json'), 'utf8'));
    const value: any = Object.values(entry)[0];
    expect(value.verification.inclusionProof).toMatchObject({ logIndex: 0, treeSize: 1 });
    // A broken inclusion proof: a hash too many on the path from the entry to the checkpoint's root.
    const broken = JSON.parse(JSON.stringify(entry));
    (Object.values(broken)[0] as any).verification.inclusionProof.hashes.push('00'.repeat(32));
    fs.writeFileSync(path.join(tmp, 'broken-entry.json'), JSON.stringify(broken));
    const brokenRun = verifyWith(path.join(tmp, 'broken-entry.json'), path.join(out, 'trusted_root.json'));
    expect(brokenRun.status).toBe(1);
    expect(brokenRun.stderr).toMatch(/not verified: .*inclusion proof error/);
    // Another log's key in the trusted root.
    const root = JSON.parse(fs.readFileSync(path.join(out, 'trusted_root.json'), 'utf8'));
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    root.tlogs[0].publicKey.rawBytes = other.toString('base64');
    fs.writeFileSync(path.join(tmp, 'other-root.json'), JSON.stringify(root));
    const wrongKey = verifyWith(path.join(out, 'rekor-entry.json'), path.join(tmp, 'other-root.json'));
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toMatch(/inclusion promise could not be verified/);
    // The run's log entry beside another envelope signed by the same key (the upload TaskRun's).
    const upload = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8')).items[2];
    fs.writeFileSync(
      path.join(tmp, 'taskrun.build-slsa'),
      Buffer.from(upload.metadata.annotations[`chains.tekton.dev/signature-taskrun-${upload.metadata.uid}`], 'base64'),
    );
    const otherEnvelope = cli([
      'verify',
      '--key',
      path.join(out, 'cosign.pub'),
      '--signature',
      path.join(tmp, 'taskrun.build-slsa'),
      '--type',
      'any',
      ...logFlags(),
      path.join(out, 'pytorch_model.pth'),
    ]);
    expect(otherEnvelope.status).toBe(1);
    expect(otherEnvelope.stderr).toMatch(/tlog entry signature mismatch/);
  });

  test('an independent DSSE check (node:crypto and openssl on the PAE) accepts the signature', () => {
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const envelope = JSON.parse(
      Buffer.from(pr.metadata.annotations[`chains.tekton.dev/signature-pipelinerun-${pr.metadata.uid}`], 'base64').toString(),
    );
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const payload = Buffer.from(envelope.payload, 'base64');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `), payload]);
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    const pub = fs.readFileSync(path.join(out, 'cosign.pub'));
    expect(crypto.verify('sha256', pae, pub, sig)).toBe(true);
    fs.writeFileSync(path.join(tmp, 'pae.bin'), pae);
    fs.writeFileSync(path.join(tmp, 'sig.der'), sig);
    const openssl = spawnSync(
      'openssl',
      ['dgst', '-sha256', '-verify', path.join(out, 'cosign.pub'), '-signature', path.join(tmp, 'sig.der'), path.join(tmp, 'pae.bin')],
      { encoding: 'utf8' },
    );
    if (openssl.error) return console.log('openssl not installed: node:crypto check only');
    expect(openssl.stdout.trim()).toBe('Verified OK');
  });
});

describeDist('slsa-for-models rehearse when a step script is broken', () => {
  test("a wrong result path fails with the task, the step and the script's own error, and writes nothing", () => {
    const broken = editedDist('broken-clone', (yaml) => yaml.replace('> "$SOURCE_RESULT"', '> "$SOURCE_RESULT/source.json"'));
    const out = path.join(tmp, 'broken-out');
    const result = cli(['rehearse', '--out', out, '--dist', broken]);
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^slsa-for-models rehearse: task "git-clone" step "clone" exited with code 1 \(log: .*stderr\.log\)$/);
    expect(lines.slice(1).join('\n')).toMatch(/^ {2}\| .*source_ARTIFACT_INPUTS\/source\.json: No such file or directory$/m);
    expect(fs.existsSync(path.join(out, 'pipelinerun.json'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'model-project'))).toBe(false);
  });

  test('a result path that names no declared result fails before running the step', () => {
    const broken = editedDist('broken-commit', (yaml) => yaml.replace('$(results.commit.path)', '$(results.comit.path)'));
    const result = cli(['rehearse', '--out', path.join(tmp, 'broken-commit-out'), '--dist', broken]);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'slsa-for-models rehearse: task "git-clone" step "clone": env COMMIT_RESULT refers to $(results.comit.path), which is not defined here (tekton would not resolve it)',
    );
  });
});

describe('slsa-for-models rehearse usage', () => {
  test('--out is required (exit 2, one line)', () => {
    const result = cli(['rehearse']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'slsa-for-models rehearse: --out DIR is required: the directory for pipelinerun.json, cosign.pub and the model\n',
    );
  });
  (haveDist ? test : test.skip)('a --source that is not a git repository is one line, exit 2, nothing left behind', () => {
    const out = path.join(tmp, 'source-out');
    const result = cli(['rehearse', '--out', out, '--source', tmp]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `slsa-for-models rehearse: --source ${tmp}: not a git repository with a commit; commit the model project first\n`,
    );
    // dist/runs/ holds the CPU run and the GPU run; the rehearsal says which one it takes
    expect(result.stdout).toMatch(
      /^(note: 2 PipelineRuns in [^\n]*; rehearsing the first \(slsa-for-models-\); --run NAME picks another\n)?$/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });
  test('an unknown --dist is bad input', () => {
    const result = cli(['rehearse', '--out', path.join(tmp, 'x'), '--dist', path.join(tmp, 'nope')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^slsa-for-models rehearse: --dist .*nope: no such directory/);
  });
  (haveDist ? test : test.skip)('a model name outside the enum is refused before anything is written', () => {
    const out = path.join(tmp, 'enum-out');
    const result = cli(['rehearse', '--out', out, '--model-name', 'model.onnx']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--model-name: param "model-name" value "model.onnx" is not in its enum/);
    expect(fs.existsSync(out)).toBe(false);
  });
  (haveDist ? test : test.skip)('--key without COSIGN_PASSWORD, and with a wrong one, are one-line errors', () => {
    const key = path.join(tmp, 'k.key');
    fs.writeFileSync(key, generateCosignKeyPair('right').privateKeyPem);
    const unset = cli(['rehearse', '--out', path.join(tmp, 'k1'), '--key', key]);
    expect(unset.status).toBe(2);
    expect(unset.stderr).toMatch(/COSIGN_PASSWORD is not set/);
    const wrong = cli(['rehearse', '--out', path.join(tmp, 'k2'), '--key', key], { COSIGN_PASSWORD: 'wrong' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trimEnd().split('\n')).toEqual([
      `slsa-for-models rehearse: ${key}: wrong password or damaged key (decryption failed); set COSIGN_PASSWORD to the key's password`,
    ]);
  });
});

const chainsKey = path.join(shared, 'fixtures', 'dsse', 'tektoncd-chains-testdata', 'cosign.key');
(haveDist && fs.existsSync(chainsKey) ? describe : describe.skip)("rehearse --key with Tekton Chains' test key", () => {
  if (!fs.existsSync(chainsKey)) console.log(`skipping --key fixture test: ${chainsKey} does not exist`);
  test('signs with it (keyid is its SSH fingerprint, cosign.pub its public half) and --model-name picks the format', () => {
    const out = path.join(tmp, 'chains-key');
    const result = cli(['rehearse', '--out', out, '--key', chainsKey, '--model-name', 'tensorflow_model.keras'], { COSIGN_PASSWORD: 'p' });
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n').pop()).toBe(
      `  slsa-for-models verify --key ${out}/cosign.pub --pipelinerun ${out}/pipelinerun.json --rekor-entry ${out}/rekor-entry.json --trusted-root ${out}/trusted_root.json ${out}/tensorflow_model.keras`,
    );
    expect(
      cli([
        'verify',
        '--key',
        path.join(out, 'cosign.pub'),
        '--pipelinerun',
        path.join(out, 'pipelinerun.json'),
        '--rekor-entry',
        path.join(out, 'rekor-entry.json'),
        '--trusted-root',
        path.join(out, 'trusted_root.json'),
        path.join(out, 'tensorflow_model.keras'),
      ]).status,
    ).toBe(0);
    expect(fs.existsSync(path.join(out, 'cosign.key'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'cosign.pub'), 'utf8')).toBe(
      fs.readFileSync(path.join(shared, 'fixtures', 'dsse', 'tektoncd-chains-testdata', 'cosign.pub'), 'utf8'),
    );
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const envelope = JSON.parse(
      Buffer.from(pr.metadata.annotations[`chains.tekton.dev/signature-pipelinerun-${pr.metadata.uid}`], 'base64').toString(),
    );
    expect(envelope.signatures[0].keyid).toBe('SHA256:yYS4pD9tqWXZw5+maNJ3gWm9HyoAB0qH0ef0FkIWfYs');
  });
});
