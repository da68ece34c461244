import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { generateCosignKeyPair } from '../src/rehearse/cosign-key';
import { createModelProject, readModelProject } from '../src/rehearse/model-project';
import { readChainsSettings, rehearse } from '../src/rehearse/rehearsal';
import { RehearsalError, RehearsalInputError } from '../src/rehearse/rehearsal-error';
import { checkDocuments } from '../src/check';

/**
 * The orchestration of `rehearse` against a small dist/ written here: a pipeline shaped like the real one
 * (clone with real git, a python3 "training" step, an upload through the gcloud stand-in) without the
 * venv and pip of the real pipeline, so each rehearsal takes well under a second.
 */

const built = fs.existsSync(path.resolve(__dirname, '..', 'lib', 'src', 'rehearse', 'gcloud-stand-in.js'));
const describeBuilt = built ? describe : describe.skip;
if (!built) console.log('skipping rehearsal orchestration tests: lib/ is not built (npm run build)');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CLONE = `set -e
cd $(workspaces.out.path)
git init -q repo && cd repo
git fetch -q --depth 1 "$(params.url)" "$(params.revision)"
git checkout -q FETCH_HEAD
printf '{"uri":"git+%s.git","digest":"sha1:%s"}' "$(params.url)" "$(git rev-parse HEAD)" > $(results.source.path)`;
const TRAIN = `#!/usr/bin/env python3
import hashlib, subprocess
subprocess.run(["python3", "$(workspaces.src.path)/repo/$(params.main-path)", "$(params.model-name)"], cwd="$(workspaces.src.path)", check=True)
data = open("$(workspaces.src.path)/$(params.model-name)", "rb").read()
open("$(results.digest.path)", "w").write(hashlib.sha256(data).hexdigest())`;
const UPLOAD = `set -e
gcloud artifacts generic upload --location=us --repository=r --package=m --version="$(params.digest)" --source="$(workspaces.src.path)/$(params.model-name)" --format=json > /dev/null
printf '{"uri":"https://example.com/m/$(params.model-name)","digest":"sha256:%s","isBuildArtifact":"true"}' "$(params.digest)" > $(results.model.path)`;

function writeDist(
  dir: string,
  chains: Record<string, string> = { 'artifacts.pipelinerun.format': 'slsa/v2alpha4' },
  train = TRAIN,
): string {
  fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
  const docs = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'feature-flags', namespace: 'tekton-pipelines' },
      data: { 'enable-param-enum': 'true' },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'chains-config', namespace: 'tekton-chains' }, data: chains },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'clone' },
      spec: {
        params: [{ name: 'url' }, { name: 'revision' }],
        results: [{ name: 'source', type: 'object', properties: { uri: {}, digest: {} } }],
        workspaces: [{ name: 'out' }],
        steps: [{ name: 'clone', image: 'git', script: CLONE }],
      },
    },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'train' },
      spec: {
        params: [{ name: 'model-name' }, { name: 'main-path' }],
        results: [{ name: 'digest' }],
        workspaces: [{ name: 'src' }],
        steps: [{ name: 'train', image: 'python', script: train }],
      },
    },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'upload' },
      spec: {
        params: [{ name: 'model-name' }, { name: 'digest' }],
        results: [{ name: 'model', type: 'object', properties: { uri: {}, digest: {}, isBuildArtifact: {} } }],
        workspaces: [{ name: 'src' }],
        steps: [{ name: 'upload', image: 'gcloud', script: UPLOAD }],
      },
    },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'mini' },
      spec: {
        params: [
          { name: 'model-name', enum: ['pytorch_model.pth', 'tensorflow_model.keras'] },
          {
            name: 'model-source',
            type: 'object',
            properties: { url: {}, revision: {}, 'main-path': {}, 'requirements-path': {} },
            default: { url: 'https://github.com/x/y', revision: 'main', 'main-path': 'src/main.py', 'requirements-path': 'req.txt' },
          },
        ],
        workspaces: [{ name: 'shared' }],
        tasks: [
          {
            name: 'clone',
            taskRef: { name: 'clone' },
            params: [
              { name: 'url', value: '$(params.model-source.url)' },
              { name: 'revision', value: '$(params.model-source.revision)' },
            ],
            workspaces: [{ name: 'out', workspace: 'shared' }],
          },
          {
            name: 'train',
            runAfter: ['clone'],
            taskRef: { name: 'train' },
            params: [
              { name: 'model-name', value: '$(params.model-name)' },
              { name: 'main-path', value: '$(params.model-source.main-path)' },
            ],
            workspaces: [{ name: 'src', workspace: 'shared' }],
          },
          {
            name: 'upload',
            taskRef: { name: 'upload' },
            params: [
              { name: 'model-name', value: '$(params.model-name)' },
              { name: 'digest', value: '$(tasks.train.results.digest)' },
            ],
            workspaces: [{ name: 'src', workspace: 'shared' }],
          },
        ],
        results: [
          {
            name: 'source_ARTIFACT_INPUTS',
            type: 'object',
            value: { uri: '$(tasks.clone.results.source.uri)', digest: '$(tasks.clone.results.source.digest)' },
          },
          { name: 'model_ARTIFACT_OUTPUTS', type: 'object', value: '$(tasks.upload.results.model[*])' },
        ],
      },
    },
  ];
  fs.writeFileSync(path.join(dir, 'mini.yaml'), docs.map((d) => stringify(d)).join('---\n'));
  fs.writeFileSync(
    path.join(dir, 'runs', 'run.yaml'),
    stringify({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'mini-' },
      spec: {
        pipelineRef: { name: 'mini' },
        params: [{ name: 'model-name', value: 'pytorch_model.pth' }],
        workspaces: [{ name: 'shared', emptyDir: {} }],
      },
    }),
  );
  return dir;
}

function go(options: Partial<Parameters<typeof rehearse>[0]> & { distDir: string; outDir: string }) {
  const lines: string[] = [];
  const outcome = rehearse({ env: process.env, report: (l) => lines.push(l), admissionJudge: checkDocuments, ...options });
  return { outcome, lines };
}

function payloadOf(file: string): any {
  const pr = JSON.parse(fs.readFileSync(file, 'utf8'));
  return JSON.parse(Buffer.from(pr.metadata.annotations[`chains.tekton.dev/payload-pipelinerun-${pr.metadata.uid}`], 'base64').toString());
}

describeBuilt('rehearse (orchestration)', () => {
  test('generates the model project in DIR, signs, and writes the files; the subject is the uploaded model', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    const out = path.join(tmp, 'out');
    const { outcome } = go({ distDir: dist, outDir: out });
    expect(fs.readdirSync(out).sort()).toEqual([
      'cosign.key',
      'cosign.pub',
      'model-project',
      'pipelinerun.json',
      'pytorch_model.pth',
      'taskruns.json',
    ]);
    // artifacts.taskrun.format is Chains' default (in-toto) here, storage tekton: Chains signs each TaskRun in SLSA v0.2
    const taskRuns = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8'));
    expect(
      taskRuns.items.map((t: any) => [t.metadata.labels['tekton.dev/pipelineTask'], t.metadata.annotations['chains.tekton.dev/signed']]),
    ).toEqual([
      ['clone', 'true'],
      ['train', 'true'],
      ['upload', 'true'],
    ]);
    const uploadPayload = JSON.parse(
      Buffer.from(
        taskRuns.items[2].metadata.annotations[`chains.tekton.dev/payload-taskrun-${taskRuns.items[2].metadata.uid}`],
        'base64',
      ).toString(),
    );
    expect(uploadPayload.predicateType).toBe('https://slsa.dev/provenance/v0.2');
    const model = fs.readFileSync(path.join(out, 'pytorch_model.pth'));
    const statement = payloadOf(outcome.pipelineRunFile);
    expect(statement.subject).toEqual([
      { name: 'https://example.com/m/pytorch_model.pth', digest: { sha256: crypto.createHash('sha256').update(model).digest('hex') } },
    ]);
    const project = readModelProject(path.join(out, 'model-project'));
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { name: 'inputs/result', uri: `git+${project.url}.git`, digest: { sha1: project.commit } },
    ]);
    expect(fs.existsSync(path.join(out, 'model-project', 'src', 'main.py'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'model-project', 'req.txt'))).toBe(true);
    // This chains-config turns transparency off: nothing is logged, and the command says to skip the log check.
    expect(outcome.verifyCommand).toBe(
      `slsa-for-models verify --key ${out}/cosign.pub --pipelinerun ${out}/pipelinerun.json --insecure-ignore-tlog ${out}/pytorch_model.pth`,
    );
  });

  test('the generated project is the same commit on every run, and the model the same bytes', () => {
    const layout = { requirementsPath: 'req.txt', mainPath: 'src/main.py' };
    const a = createModelProject(path.join(tmp, 'a'), layout);
    const b = createModelProject(path.join(tmp, 'b'), layout);
    expect(a.commit).toBe(b.commit);
    const train = (dir: string) => spawnSync('python3', [path.join(dir, 'src', 'main.py'), 'pytorch_model.pth'], { cwd: dir });
    train(a.dir);
    train(b.dir);
    expect(fs.readFileSync(path.join(a.dir, 'pytorch_model.pth')).equals(fs.readFileSync(path.join(b.dir, 'pytorch_model.pth')))).toBe(
      true,
    );
    expect(spawnSync('python3', [path.join(a.dir, 'src', 'main.py'), 'model.onnx'], { cwd: a.dir, encoding: 'utf8' }).stderr).toMatch(
      /^usage: main.py MODEL_NAME, one of:/,
    );
  });

  test('--source trains another local repository; --model-name picks the format', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    const source = createModelProject(path.join(tmp, 'mine'), { requirementsPath: 'req.txt', mainPath: 'src/main.py' });
    const out = path.join(tmp, 'out');
    const { outcome, lines } = go({ distDir: dist, outDir: out, sourcePath: source.dir, modelName: 'tensorflow_model.keras' });
    expect(lines).toContain(`model source: ${source.url} at ${source.commit}`);
    expect(fs.existsSync(path.join(out, 'model-project'))).toBe(false);
    expect(outcome.modelFiles).toEqual([path.join(out, 'tensorflow_model.keras')]);
  });

  test('a second run signs with DIR/cosign.key (COSIGN_PASSWORD) and reuses DIR/model-project', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    const out = path.join(tmp, 'out');
    go({ distDir: dist, outDir: out, password: 'pw' });
    const pub = fs.readFileSync(path.join(out, 'cosign.pub'), 'utf8');
    const { lines } = go({ distDir: dist, outDir: out, password: 'pw' });
    expect(lines[0]).toBe(`signing with the existing ${out}/cosign.key`);
    expect(fs.readFileSync(path.join(out, 'cosign.pub'), 'utf8')).toBe(pub);
    expect(() => go({ distDir: dist, outDir: out, password: 'other' })).toThrow(/wrong password/);
  });

  test('steps do not see COSIGN_PASSWORD or cloud credentials; gcloud is the stand-in', () => {
    const probe = `#!/usr/bin/env python3
import hashlib, os, shutil, subprocess
assert "COSIGN_PASSWORD" not in os.environ, "step saw COSIGN_PASSWORD"
assert "GOOGLE_APPLICATION_CREDENTIALS" not in os.environ, "step saw GOOGLE_APPLICATION_CREDENTIALS"
assert "rehearse" in shutil.which("gcloud") or "slsa-for-models" in shutil.which("gcloud"), shutil.which("gcloud")
subprocess.run(["python3", "$(workspaces.src.path)/repo/$(params.main-path)", "$(params.model-name)"], cwd="$(workspaces.src.path)", check=True)
open("$(results.digest.path)", "w").write(hashlib.sha256(open("$(workspaces.src.path)/$(params.model-name)", "rb").read()).hexdigest())`;
    const dist = writeDist(path.join(tmp, 'dist'), undefined, probe);
    expect(() =>
      go({
        distDir: dist,
        outDir: path.join(tmp, 'out'),
        password: 'secret',
        env: { ...process.env, COSIGN_PASSWORD: 'secret', GOOGLE_APPLICATION_CREDENTIALS: '/x.json' },
      }),
    ).not.toThrow();
  });

  test('without an uploaded file the verify command checks the subject digest; without chains-config the default format is refused', () => {
    const dist = path.join(tmp, 'image-dist');
    fs.mkdirSync(path.join(dist, 'runs'), { recursive: true });
    const sha = 'a'.repeat(64);
    fs.writeFileSync(
      path.join(dist, 'runs', 'run.yaml'),
      stringify({
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'img' },
        spec: {
          pipelineSpec: {
            results: [
              { name: 'IMAGE_URL', value: '$(tasks.b.results.IMAGE_URL)' },
              { name: 'IMAGE_DIGEST', value: '$(tasks.b.results.IMAGE_DIGEST)' },
            ],
            tasks: [
              {
                name: 'b',
                taskSpec: {
                  results: [{ name: 'IMAGE_URL' }, { name: 'IMAGE_DIGEST' }],
                  steps: [
                    {
                      name: 's',
                      image: 'busybox',
                      script: `printf gcr.io/x/y > $(results.IMAGE_URL.path)\nprintf sha256:${sha} > $(results.IMAGE_DIGEST.path)`,
                    },
                  ],
                },
              },
            ],
          },
        },
      }),
    );
    // without a chains-config Chains' default applies: in-toto (SLSA v0.2), which verify checks with --type slsaprovenance02
    const o0 = path.join(tmp, 'o0');
    const defaults = go({ distDir: dist, outDir: o0 });
    expect(defaults.lines).toContain(`note: ${dist} has no chains-config ConfigMap, so Chains' defaults apply (format in-toto, SLSA v0.2)`);
    expect(defaults.outcome.verifyCommand).toBe(
      `slsa-for-models verify --key ${o0}/cosign.pub --pipelinerun ${o0}/pipelinerun.json --type slsaprovenance02 --insecure-ignore-tlog --digest ${sha}`,
    );
    const verified = spawnSync(
      process.execPath,
      [path.resolve(__dirname, '..', 'lib', 'src', 'cli', 'main.js'), ...defaults.outcome.verifyCommand.split(' ').slice(1)],
      { encoding: 'utf8' },
    );
    expect([verified.status, verified.stderr]).toEqual([0, '']);
    fs.writeFileSync(
      path.join(dist, 'chains.yaml'),
      stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'chains-config' },
        data: { 'artifacts.pipelinerun.format': 'slsa/v2alpha4' },
      }),
    );
    const out = path.join(tmp, 'o1');
    expect(go({ distDir: dist, outDir: out }).outcome.verifyCommand).toBe(
      `slsa-for-models verify --key ${out}/cosign.pub --pipelinerun ${out}/pipelinerun.json --insecure-ignore-tlog --digest ${sha}`,
    );
  });

  test('--out that is a file is bad input', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    fs.writeFileSync(path.join(tmp, 'file'), '');
    expect(() => go({ distDir: dist, outDir: path.join(tmp, 'file') })).toThrow(
      new RehearsalInputError(`--out ${path.join(tmp, 'file')}: exists and is not a directory`),
    );
  });

  test('--key signs with the given key and writes no cosign.key', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    const pair = generateCosignKeyPair('k');
    fs.writeFileSync(path.join(tmp, 'my.key'), pair.privateKeyPem);
    const out = path.join(tmp, 'out');
    go({ distDir: dist, outDir: out, keyFile: path.join(tmp, 'my.key'), password: 'k' });
    expect(fs.readFileSync(path.join(out, 'cosign.pub'), 'utf8')).toBe(pair.publicKeyPem);
    expect(fs.existsSync(path.join(out, 'cosign.key'))).toBe(false);
  });

  test("a failing step writes nothing into DIR and names the task, the step and the script's error", () => {
    const dist = writeDist(path.join(tmp, 'dist'), undefined, `#!/usr/bin/env python3\nimport sys\nsys.exit("train: out of memory")`);
    const out = path.join(tmp, 'out');
    let error: RehearsalError | undefined;
    try {
      go({ distDir: dist, outDir: out });
    } catch (err) {
      error = err as RehearsalError;
    }
    expect(error).toBeInstanceOf(RehearsalError);
    expect(error!.message).toMatch(/^task "train" step "train" exited with code 1/);
    expect(error!.detail).toBe('train: out of memory');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('with artifacts.taskrun.format slsa/v2alpha4 every TaskRun is signed too, as Chains does', () => {
    const dist = writeDist(path.join(tmp, 'dist'), {
      'artifacts.pipelinerun.format': 'slsa/v2alpha4',
      'artifacts.taskrun.format': 'slsa/v2alpha4',
    });
    const out = path.join(tmp, 'out');
    const { lines } = go({ distDir: dist, outDir: out });
    expect(lines).toContain('chains: signed 3 TaskRun attestation(s) (slsa/v2alpha4), written to taskruns.json');
    const pub = fs.readFileSync(path.join(out, 'cosign.pub'));
    const items = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8')).items;
    for (const tr of items) {
      const key = `taskrun-${tr.metadata.uid}`;
      expect(tr.metadata.annotations['chains.tekton.dev/signed']).toBe('true');
      const envelope = JSON.parse(Buffer.from(tr.metadata.annotations[`chains.tekton.dev/signature-${key}`], 'base64').toString());
      const payload = Buffer.from(envelope.payload, 'base64');
      expect(payload.equals(Buffer.from(tr.metadata.annotations[`chains.tekton.dev/payload-${key}`], 'base64'))).toBe(true);
      const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `), payload]);
      expect(crypto.verify('sha256', pae, pub, Buffer.from(envelope.signatures[0].sig, 'base64'))).toBe(true);
      expect(JSON.parse(payload.toString()).predicate.runDetails.metadata.invocationId).toBe(tr.metadata.uid);
    }
  });

  test('objects Tekton would refuse at admission are refused before anything runs (the check engine)', () => {
    const dist = writeDist(path.join(tmp, 'dist'));
    const file = path.join(dist, 'mini.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('$(params.model-source.main-path)', '$(params.model-sauce.main-path)'));
    const out = path.join(tmp, 'out');
    expect(() => go({ distDir: dist, outDir: out })).toThrow(/^tekton would reject the objects in .*: .*model-sauce/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('slsa/v2alpha3 is honoured; SLSA v0.2 formats are signed too', () => {
    const v3 = writeDist(path.join(tmp, 'v3'), { 'artifacts.pipelinerun.format': 'slsa/v2alpha3', 'builder.id': 'https://example.com/b' });
    const statement = payloadOf(go({ distDir: v3, outDir: path.join(tmp, 'o3') }).outcome.pipelineRunFile);
    expect(statement.predicate.runDetails.builder.id).toBe('https://example.com/b');
    expect(statement.predicate.runDetails.byproducts.map((b: any) => b.name)).toEqual([
      'pipelineRunResults/source_ARTIFACT_INPUTS',
      'pipelineRunResults/model_ARTIFACT_OUTPUTS',
    ]);
    const v02 = writeDist(path.join(tmp, 'v02'), { 'artifacts.pipelinerun.format': 'slsa/v1', 'artifacts.taskrun.format': 'in-toto' });
    const signed = go({ distDir: v02, outDir: path.join(tmp, 'o02') }).outcome;
    const v02Statement = payloadOf(signed.pipelineRunFile);
    expect([v02Statement._type, v02Statement.predicateType, v02Statement.predicate.buildType]).toEqual([
      'https://in-toto.io/Statement/v0.1',
      'https://slsa.dev/provenance/v0.2',
      'tekton.dev/v1/PipelineRun',
    ]);
    expect(v02Statement.predicate.buildConfig.tasks.map((t: any) => [t.name, t.ref])).toEqual([
      ['clone', { kind: 'Task', name: 'clone' }],
      ['train', { kind: 'Task', name: 'train' }],
      ['upload', { kind: 'Task', name: 'upload' }],
    ]);
    expect(signed.verifyCommand).toContain('--type slsaprovenance02');
  });
});

describe('readChainsSettings', () => {
  test('Chains v0.29.2 defaults: in-toto, tekton storage, x509 signer, no deep inspection', () => {
    expect(readChainsSettings({})).toEqual({
      format: 'in-toto',
      builderId: 'https://tekton.dev/chains/v2',
      buildType: 'https://tekton.dev/chains/v2/slsa',
      deepInspection: false,
      storage: ['tekton'],
      transparency: false,
      signer: 'x509',
      taskRunFormat: 'in-toto',
      taskRunStorage: ['tekton'],
      taskRunSigner: 'x509',
    });
  });
  test('reads the keys and refuses an unknown format', () => {
    expect(
      readChainsSettings({
        'artifacts.pipelinerun.format': 'slsa/v2alpha4',
        'artifacts.pipelinerun.storage': 'tekton, oci',
        'artifacts.pipelinerun.enable-deep-inspection': 'true',
        'transparency.enabled': 'true',
      }),
    ).toMatchObject({ format: 'slsa/v2alpha4', storage: ['tekton', 'oci'], deepInspection: true, transparency: true });
    expect(() => readChainsSettings({ 'artifacts.pipelinerun.format': 'slsa/v3' })).toThrow(/"slsa\/v3" is not a Chains v0.29.2 format/);
  });
});

describe('src/rehearse/index.ts', () => {
  test('exports the library surface without loading cdk8s', () => {
    const api = require('../src/rehearse');
    expect(Object.keys(api).sort()).toEqual([
      'CHAINS_DEFAULT_BUILDER_ID',
      'ChainsConfigError',
      'ChainsProvenanceError',
      'CosignKeyError',
      'FeatureFlagsError',
      'RehearsalError',
      'RehearsalInputError',
      'SLSA_BUILD_TYPE',
      'SLSA_TEKTON_BUILD_TYPE',
      'buildPipelineRunProvenance',
      'buildTaskRunProvenance',
      'chainsProvenance',
      'encryptCosignPrivateKey',
      'generateCosignKeyPair',
      'provenanceConfigFor',
      'publicKeyPemOf',
      'readChainsConfig',
      'readChainsSettings',
      'readCosignPrivateKey',
      'readDistObjects',
      'readTektonFeatureFlags',
      'rehearse',
      'rehearsePipelineRun',
      'rehearseTaskRun',
      'signDsseEnvelope',
      'sshFingerprintSha256',
    ]);
    if (!built) return;
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(path.resolve(__dirname, '..', 'lib', 'src', 'rehearse', 'index.js'))}); console.log(Object.keys(require.cache).filter((k) => /node_modules.(cdk8s|constructs)/.test(k)).length)`,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stdout.trim()).toBe('0');
  });
});

describeBuilt("slsa-for-models provenance on the rehearsal's own runs equals what the rehearsal signed", () => {
  const CLI = path.resolve(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
  const provenance = (...args: string[]): any => {
    const result = spawnSync(process.execPath, [CLI, 'provenance', ...args], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout);
  };
  const annotationPayload = (run: any, kind: string): any =>
    JSON.parse(Buffer.from(run.metadata.annotations[`chains.tekton.dev/payload-${kind}-${run.metadata.uid}`], 'base64').toString());
  const distChains = (): Record<string, string> => {
    const text = fs.readFileSync(path.resolve(__dirname, '..', 'dist', 'slsa-for-models.yaml'), 'utf8');
    return require('yaml')
      .parseAllDocuments(text)
      .map((d: any) => d.toJS())
      .find((o: any) => o?.kind === 'ConfigMap' && o.metadata.name === 'chains-config').data;
  };

  test.each<[string, () => Record<string, string>]>([
    ['the chains-config of dist/', distChains],
    [
      'slsa/v2alpha4, TaskRuns signed too',
      () => ({ 'artifacts.pipelinerun.format': 'slsa/v2alpha4', 'artifacts.taskrun.format': 'slsa/v2alpha4' }),
    ],
    [
      'slsa/v2alpha4 with deep inspection',
      () => ({
        'artifacts.pipelinerun.format': 'slsa/v2alpha4',
        'artifacts.pipelinerun.enable-deep-inspection': 'true',
        'artifacts.taskrun.storage': '',
      }),
    ],
    [
      'slsa/v2alpha4, build type slsa-tekton',
      () => ({
        'artifacts.pipelinerun.format': 'slsa/v2alpha4',
        'builddefinition.buildtype': 'https://tekton.dev/chains/v2/slsa-tekton',
        'artifacts.taskrun.format': 'slsa/v2alpha4',
      }),
    ],
    [
      'slsa/v2alpha3 with a builder id',
      () => ({
        'artifacts.pipelinerun.format': 'slsa/v2alpha3',
        'artifacts.taskrun.format': 'slsa/v2alpha3',
        'builder.id': 'https://example.com/b',
      }),
    ],
    [
      'slsa/v1 (SLSA v0.2) for PipelineRuns, in-toto for TaskRuns, deep inspection',
      () => ({
        'artifacts.pipelinerun.format': 'slsa/v1',
        'artifacts.taskrun.format': 'in-toto',
        'artifacts.pipelinerun.enable-deep-inspection': 'true',
      }),
    ],
  ])('%s', (_, chains) => {
    const dist = writeDist(path.join(tmp, 'dist'), chains());
    // a task timeout in the user's spelling and a volume claim template, as the shipped run has
    const pipelineFile = path.join(dist, 'mini.yaml');
    fs.writeFileSync(
      pipelineFile,
      fs.readFileSync(pipelineFile, 'utf8').replace(/- name: train\n(\s+)runAfter:/, '- name: train\n$1timeout: 90m\n$1runAfter:'),
    );
    fs.writeFileSync(
      path.join(dist, 'runs', 'run.yaml'),
      stringify({
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { generateName: 'mini-' },
        spec: {
          pipelineRef: { name: 'mini' },
          params: [{ name: 'model-name', value: 'pytorch_model.pth' }],
          timeouts: { pipeline: '2h' },
          workspaces: [
            {
              name: 'shared',
              volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
            },
          ],
        },
      }),
    );
    const out = path.join(tmp, 'out');
    go({ distDir: dist, outDir: out });
    const pipelineRun = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
    const signed = annotationPayload(pipelineRun, 'pipelinerun');
    const shown = provenance(
      path.join(out, 'pipelinerun.json'),
      '--taskruns',
      path.join(out, 'taskruns.json'),
      '--chains-config',
      path.join(dist, 'mini.yaml'),
    );
    expect(shown).toEqual(signed);
    // the PipelineRun as Tekton stores it: Go durations, the claim template with metadata, spec.resources and status
    if (signed.predicateType === 'https://slsa.dev/provenance/v1') {
      const runSpec = signed.predicate.buildDefinition.externalParameters.runSpec;
      expect(runSpec.timeouts).toEqual({ pipeline: '2h0m0s' });
      expect(runSpec.workspaces[0].volumeClaimTemplate).toEqual({
        metadata: {},
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        status: {},
      });
    }
    expect(pipelineRun.spec.timeouts).toEqual({ pipeline: '2h0m0s' });
    expect(pipelineRun.spec.workspaces[0].volumeClaimTemplate.status).toEqual({});
    const taskRuns = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8')).items;
    const train = taskRuns.find((tr: any) => tr.metadata.labels['tekton.dev/pipelineTask'] === 'train');
    expect(train.spec.timeout).toBe('1h30m0s');
    // timeouts.pipeline alone does not reach the TaskRuns: Tekton's default of 60 minutes applies
    expect(taskRuns.find((tr: any) => tr.metadata.labels['tekton.dev/pipelineTask'] === 'clone').spec.timeout).toBe('1h0m0s');
    for (const tr of taskRuns) {
      if (!tr.metadata.annotations?.['chains.tekton.dev/signed']) continue;
      const file = path.join(tmp, `${tr.metadata.name}.json`);
      fs.writeFileSync(file, JSON.stringify(tr));
      const trSigned = annotationPayload(tr, 'taskrun');
      expect(provenance(file, '--chains-config', path.join(dist, 'mini.yaml'))).toEqual(trSigned);
      // a TaskRun without subjects has no subject field (protojson), not "subject": []
      if (tr.metadata.labels['tekton.dev/pipelineTask'] !== 'upload') expect(trSigned).not.toHaveProperty('subject');
    }
  });
});
