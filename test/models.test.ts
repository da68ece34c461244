import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { App, Chart, Testing } from 'cdk8s';
import { ChainsConfig } from '../src/chains/chains-config';
import { addAttestationSubjectValidation } from '../src/chains/attestation-subject-validation';
import { GCLOUD_IMAGE, GIT_IMAGE, PINNED_IMAGE_PATTERN, PYTHON_IMAGE } from '../src/models/images';
import { MODEL_NAMES } from '../src/models/model-names';
import { modelSubjectDigest } from '../src/verify/oms/model-subject';
import { DEFAULT_MODEL_SOURCE } from '../src/models/model-source';
import { SlsaForModels } from '../src/models/slsa-for-models';
import { SlsaForModelsRun } from '../src/models/slsa-for-models-run';
import { Pipeline } from '../src/tekton/pipeline';
import { Task } from '../src/tekton/task';

/** Synthesizes the bundle (and a run) in a test chart; returns the objects. */
function synthBundle(props: ConstructorParameters<typeof SlsaForModels>[2] = {}): any[] {
  const chart = Testing.chart();
  const models = new SlsaForModels(chart, 'models', props);
  new SlsaForModelsRun(chart, 'run', { pipeline: models.pipeline, serviceAccountName: models.serviceAccount.name });
  return Testing.synth(chart);
}

function errorsOf(chart: Chart | App): string[] {
  return chart.node.findAll().flatMap((c) => c.node.validate());
}

const objects = synthBundle();
const byKindName = (kind: string, name: string): any =>
  objects.find((o) => o.kind === kind && (o.metadata.name ?? o.metadata.generateName) === name);
const pipeline = byKindName('Pipeline', 'slsa-for-models');
const tasks = objects.filter((o) => o.kind === 'Task');

describe('SlsaForModelsPipeline', () => {
  test('keeps the upstream interface: model-name enum, model-source, model-storage, tool-versions, workspace shared', () => {
    const params = Object.fromEntries(pipeline.spec.params.map((p: any) => [p.name, p]));
    expect(Object.keys(params)).toEqual([
      'model-name',
      'model-source',
      'model-storage',
      'tool-versions',
      'training-args',
      'base-model',
      'dataset',
    ]);
    // what the model is trained from: optional, empty unless given
    expect(params['base-model'].default).toEqual({
      uri: '',
      signature: '',
      key: '',
      'certificate-chain': '',
      'certificate-identity': '',
      'certificate-oidc-issuer': '',
    });
    expect(params.dataset.default).toEqual({ uri: '', digest: '' });
    expect(params['training-args']).toMatchObject({ type: 'array', default: [] });
    expect(params['model-name']).toMatchObject({ type: 'string', enum: [...MODEL_NAMES] });
    expect(params['model-name']).not.toHaveProperty('default');
    expect(params['model-source'].default).toEqual({
      url: 'https://github.com/sigstore/model-transparency',
      revision: 'd56521f123fa0ad14127f40ed831334cd47a80e8',
      'requirements-path': 'slsa_for_models/install/requirements_Linux.txt',
      'main-path': 'slsa_for_models/main.py',
    });
    expect(Object.keys(params['model-storage'].properties).sort()).toEqual(['location', 'package', 'repository']);
    expect(params['tool-versions'].default).toEqual({ git: GIT_IMAGE, python: PYTHON_IMAGE, gcloud: GCLOUD_IMAGE });
    expect(pipeline.spec.workspaces.map((w: any) => w.name)).toEqual(['shared', 'checkpoints', 'train-inputs-verifier']);
    expect(pipeline.spec.workspaces[2]).toMatchObject({ name: 'train-inputs-verifier', optional: true });
    expect(pipeline.spec.workspaces[1]).toMatchObject({ name: 'checkpoints', optional: true });
  });

  test('uses every tool version it declares (the upstream python-version went nowhere)', () => {
    const text = JSON.stringify(pipeline.spec.tasks);
    for (const tool of ['git', 'python', 'gcloud']) expect(text).toContain(`$(params.tool-versions.${tool})`);
    for (const key of ['url', 'revision', 'requirements-path', 'main-path']) expect(text).toContain(`$(params.model-source.${key})`);
    for (const key of ['package', 'location', 'repository']) expect(text).toContain(`$(params.model-storage.${key})`);
  });

  test('hands Chains the source as an input (sha1) and the model as a build artifact', () => {
    expect(pipeline.spec.results).toEqual([
      expect.objectContaining({
        name: 'source_ARTIFACT_INPUTS',
        type: 'object',
        value: {
          uri: '$(tasks.git-clone.results.source_ARTIFACT_INPUTS.uri)',
          digest: '$(tasks.git-clone.results.source_ARTIFACT_INPUTS.digest)',
        },
      }),
      ...['base-model', 'dataset'].map((name) =>
        expect.objectContaining({
          name: `${name}_ARTIFACT_INPUTS`,
          type: 'object',
          value: {
            uri: `$(tasks.build-model.results.${name}_ARTIFACT_INPUTS.uri)`,
            digest: `$(tasks.build-model.results.${name}_ARTIFACT_INPUTS.digest)`,
          },
        }),
      ),
      expect.objectContaining({ name: 'training-resumed-from', type: 'string', value: '$(tasks.build-model.results.resumed-from)' }),
      expect.objectContaining({
        name: 'model_ARTIFACT_OUTPUTS',
        type: 'object',
        value: {
          uri: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.uri)',
          digest: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.digest)',
          isBuildArtifact: 'true',
        },
      }),
    ]);
  });

  test('orders the tasks clone → build → upload and versions the upload by the model digest', () => {
    const [clone, build, upload] = pipeline.spec.tasks;
    expect([clone.name, build.name, upload.name]).toEqual(['git-clone', 'build-model', 'upload-model']);
    expect(build.runAfter).toEqual(['git-clone']);
    expect(build.timeout).toBe('1h30m');
    const uploadParams = Object.fromEntries(upload.params.map((p: any) => [p.name, p.value]));
    expect(uploadParams).toMatchObject({
      digest: '$(tasks.build-model.results.digest)',
      version: '$(tasks.build-model.results.digest)',
      'model-path': '$(tasks.build-model.results.model-path)',
    });
  });
});

describe('model source props', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    [
      'a plain http url',
      { url: 'http://example.com/repo' },
      /model source url "http:\/\/example\.com\/repo" is not an https:\/\/, ssh:\/\/ or git@ repository address/,
    ],
    ['an empty revision', { revision: ' ' }, /model source revision is empty/],
    [
      'a main path outside the repository',
      { mainPath: '../train.py' },
      /model source mainPath "\.\.\/train\.py" must be a path inside the repository/,
    ],
    [
      'an absolute requirements path',
      { requirementsPath: '/etc/req.txt' },
      /model source requirementsPath "\/etc\/req\.txt" must be a path inside the repository/,
    ],
  ])('refuses %s', (_name, change, message) => {
    const chart = Testing.chart();
    new SlsaForModels(chart, 'models', { pipeline: { modelSource: { ...DEFAULT_MODEL_SOURCE, ...change } } });
    expect(errorsOf(chart)).toEqual([expect.stringMatching(message)]);
  });

  test('accepts an ssh url, a branch and nested paths', () => {
    const chart = Testing.chart();
    new SlsaForModels(chart, 'models', {
      pipeline: {
        modelSource: { url: 'git@github.com:org/repo.git', revision: 'main', requirementsPath: 'a/b/req.txt', mainPath: 'a/main.py' },
      },
    });
    expect(errorsOf(chart)).toEqual([]);
  });
});

describe('images', () => {
  test('every step image is pinned by digest, also where a param default chooses it', () => {
    const pipelineDefaults = Object.fromEntries(pipeline.spec.params.filter((p: any) => p.default).map((p: any) => [p.name, p.default]));
    let seen = 0;
    for (const task of tasks) {
      const taskDefaults = Object.fromEntries((task.spec.params ?? []).map((p: any) => [p.name, p.default]));
      for (const step of task.spec.steps) {
        const match = /^\$\(params\.([a-z-]+)\)$/.exec(step.image);
        const image = match ? taskDefaults[match[1]] : step.image;
        expect([task.metadata.name, step.name, image]).toEqual([
          task.metadata.name,
          step.name,
          expect.stringMatching(PINNED_IMAGE_PATTERN),
        ]);
        seen++;
        if (!match) continue;
        // what the pipeline passes for that param must resolve to a pinned image too
        const pipelineTask = pipeline.spec.tasks.find((t: any) => t.taskRef.name === task.metadata.name);
        const passed = pipelineTask.params.find((p: any) => p.name === match[1]).value as string;
        const ref = /^\$\(params\.tool-versions\.([a-z]+)\)$/.exec(passed);
        expect(ref).not.toBeNull();
        expect(pipelineDefaults['tool-versions'][ref![1]]).toMatch(PINNED_IMAGE_PATTERN);
      }
    }
    expect(seen).toBe(4);
  });

  test('PINNED_IMAGE_PATTERN refuses a tag without a digest and a short digest', () => {
    expect('docker.io/library/python:3.11').not.toMatch(PINNED_IMAGE_PATTERN);
    expect('docker.io/library/python:3.11@sha256:abc').not.toMatch(PINNED_IMAGE_PATTERN);
    expect(PYTHON_IMAGE).toMatch(PINNED_IMAGE_PATTERN);
  });

  test('images.ts cites a public source (repository, commit, path) above every digest, one literal per line', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'src', 'models', 'images.ts'), 'utf8');
    const lines = text.split('\n');
    const literals = lines.map((l, i) => [l, i] as const).filter(([l]) => /@sha256:[a-f0-9]{64}/.test(l));
    expect(literals).toHaveLength(4);
    for (const [line, index] of literals) {
      expect(line).toMatch(/^ {2}'[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[a-f0-9]{64}';$/);
      const comment = lines.slice(Math.max(0, index - 4), index).join('\n');
      expect(comment).toMatch(/\/\/ Source: github\.com\/[\w.-]+\/[\w.-]+, commit [0-9a-f]{40},/);
    }
  });
});

describe('hardening', () => {
  test('every step: no privilege escalation, no capabilities, RuntimeDefault seccomp, non-root', () => {
    for (const task of tasks) {
      for (const step of task.spec.steps) {
        expect(step.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          runAsNonRoot: true,
          runAsUser: 65532,
          runAsGroup: 65532,
          seccompProfile: { type: 'RuntimeDefault' },
        });
      }
    }
  });

  test('the run: generateName, its own service account, fsGroup, a volume claim and a training-sized timeout', () => {
    const run = objects.find((o) => o.kind === 'PipelineRun' && o.metadata.generateName === 'slsa-for-models-');
    expect(run.metadata).toEqual({ generateName: 'slsa-for-models-' });
    expect(run.spec.taskRunSpecs).toBeUndefined();
    expect(run.spec.taskRunTemplate).toEqual({
      serviceAccountName: 'slsa-for-models',
      podTemplate: {
        securityContext: expect.objectContaining({ fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      },
    });
    expect(run.spec.timeouts).toEqual({ pipeline: '2h', tasks: '1h50m0s', finally: '10m' });
    expect(run.spec.workspaces[0]).toMatchObject({
      name: 'shared',
      volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } } },
    });
  });
});

describe('SlsaForModels', () => {
  test('synthesizes without a validation error', () => {
    const chart = Testing.chart();
    new SlsaForModels(chart, 'models');
    expect(errorsOf(chart)).toEqual([]);
  });

  test('the service account carries the workload identity annotation only when asked', () => {
    expect(byKindName('ServiceAccount', 'slsa-for-models').metadata).toEqual({ name: 'slsa-for-models' });
    const annotated = synthBundle({ googleServiceAccount: 'model-trainer@my-project.iam.gserviceaccount.com' });
    expect(annotated.find((o) => o.kind === 'ServiceAccount').metadata.annotations).toEqual({
      'iam.gke.io/gcp-service-account': 'model-trainer@my-project.iam.gserviceaccount.com',
    });
  });

  test('refuses a google service account that is not one', () => {
    const chart = Testing.chart();
    new SlsaForModels(chart, 'models', { googleServiceAccount: 'trainer@example.com' });
    expect(errorsOf(chart)).toEqual([
      expect.stringMatching(
        /^ServiceAccount\/slsa-for-models: google service account "trainer@example\.com" is not of the form NAME@PROJECT\.iam\.gserviceaccount\.com/,
      ),
    ]);
  });

  test('refuses feature flags without param enum, which the pipeline needs', () => {
    const chart = Testing.chart();
    new SlsaForModels(chart, 'models', { featureFlags: { enableParamEnum: false } });
    // the Tekton rules judge the Pipeline and Tasks under the flags the bundle renders
    expect(errorsOf(chart)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Pipeline\/slsa-for-models spec\.params\[0\]\.enum: param "model-name" uses enum, which needs feature flag enable-param-enum: "true"/,
        ),
      ]),
    );
  });

  test('any chains format finds the model as a subject', () => {
    for (const format of ['in-toto', 'slsa/v1', 'slsa/v2alpha3', 'slsa/v2alpha4'] as const) {
      const chart = Testing.chart();
      new SlsaForModels(chart, 'models', { chains: { pipelineRunFormat: format } });
      expect([format, errorsOf(chart)]).toEqual([format, []]);
    }
  });
});

describe('attestation subject validation', () => {
  function pipelineWithOutput(marker: Record<string, string>, deepInspection = false): string[] {
    const chart = Testing.chart();
    const task = new Task(chart, 'publish', {
      metadata: { name: 'publish' },
      results: { out_ARTIFACT_OUTPUTS: { type: 'object', properties: { uri: {}, digest: {}, isBuildArtifact: {} } } },
      steps: [{ name: 'publish', image: PYTHON_IMAGE, script: 'true' }],
    });
    const p = new Pipeline(chart, 'pipeline', { metadata: { name: 'publisher' } });
    const t = p.addTask('publish', task);
    p.addResult('out_ARTIFACT_OUTPUTS', {
      uri: t.results.out_ARTIFACT_OUTPUTS.key('uri'),
      digest: t.results.out_ARTIFACT_OUTPUTS.key('digest'),
      ...marker,
    });
    addAttestationSubjectValidation(p, new ChainsConfig(chart, 'chains', { pipelineRunDeepInspection: deepInspection }));
    return errorsOf(chart);
  }

  test('fails the synth when the output lacks isBuildArtifact under slsa/v2alpha4, naming result and fix', () => {
    expect(pipelineWithOutput({})).toEqual([
      expect.stringMatching(
        /^pipeline "publisher": no result would become an attestation subject under chains format slsa\/v2alpha4.*result "out_ARTIFACT_OUTPUTS" has no isBuildArtifact key.*set isBuildArtifact: "true"/,
      ),
    ]);
    expect(pipelineWithOutput({ isBuildArtifact: 'false' })).toEqual([expect.stringMatching(/sets isBuildArtifact to "false"/)]);
  });

  test('passes with isBuildArtifact "true", or with deep inspection reading the task result', () => {
    expect(pipelineWithOutput({ isBuildArtifact: 'true' })).toEqual([]);
    expect(pipelineWithOutput({}, true)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The step scripts, run for real with bash, git and python3 (a stub gcloud stands in for the cloud).

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  results: Record<string, string>;
}

/**
 * Runs the last step of `task` (the training task's `train`, after its `verify-inputs`) with its env,
 * Tekton variables replaced by real paths and the given params.
 */
function runStep(task: any, params: Record<string, string>, workspace: string, extraEnv: Record<string, string> = {}): StepRun {
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-results-'));
  const step = task.spec.steps[task.spec.steps.length - 1];
  const wsName = task.spec.workspaces[0].name;
  const substitute = (value: string): string =>
    value
      .replace(/\$\(params\.([a-z-]+)\)/g, (_m, name) => {
        if (!(name in params)) throw new Error(`test gave no param ${name}`);
        return params[name];
      })
      .replace(new RegExp(`\\$\\(workspaces\\.${wsName}\\.path\\)`, 'g'), workspace)
      .replace(/\$\(results\.([A-Za-z0-9_-]+)\.path\)/g, (_m, name) => path.join(resultsDir, name));
  const env: Record<string, string> = { PATH: process.env.PATH!, ...extraEnv };
  for (const e of step.env) env[e.name] = substitute(e.value);
  const run = spawnSync('bash', ['-c', step.script], { env, encoding: 'utf8', timeout: 60000 });
  const results = Object.fromEntries(fs.readdirSync(resultsDir).map((f) => [f, fs.readFileSync(path.join(resultsDir, f), 'utf8')]));
  fs.rmSync(resultsDir, { recursive: true, force: true });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, results };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('step scripts', () => {
  let tmp: string;
  let repo: string;
  let first: string;
  const gitTask = tasks.find((t) => t.metadata.name === 'slsa-for-models-git-clone');
  const trainTask = tasks.find((t) => t.metadata.name === 'slsa-for-models-train-model');
  const uploadTask = tasks.find((t) => t.metadata.name === 'slsa-for-models-upload-model');

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-steps-'));
    repo = path.join(tmp, 'model-project');
    fs.mkdirSync(path.join(repo, 'train'), { recursive: true });
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, 'requirements.txt'), '');
    fs.writeFileSync(
      path.join(repo, 'train', 'main.py'),
      [
        'import os, sys',
        'name = sys.argv[1]',
        'if name == "pytorch_model_directory":',
        '    os.makedirs(os.path.join(name, "tokenizer"))',
        '    open(os.path.join(name, "model.pth"), "wb").write(b"weights")',
        '    open(os.path.join(name, "tokenizer", "vocab.json"), "wb").write(b"{}")',
        'elif name != "broken.pth":',
        '    open(name, "wb").write(("weights of " + name).encode())',
        '',
      ].join('\n'),
    );
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'model project');
    first = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'later');
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const shellcheck = ['/usr/bin/shellcheck', '/usr/local/bin/shellcheck', '/opt/homebrew/bin/shellcheck'].find((f) => fs.existsSync(f));
  if (shellcheck === undefined)
    console.log('skipping the step-script shellcheck test: shellcheck is not installed (apt-get install shellcheck)');
  (shellcheck ? test : test.skip)('every step script is shellcheck-clean, as bash', () => {
    const findings = tasks
      .flatMap((task) =>
        task.spec.steps.map((step: any) => {
          const file = path.join(tmp, `${task.metadata.name}-${step.name}.sh`);
          fs.writeFileSync(file, step.script);
          const run = spawnSync(shellcheck as string, ['--severity=style', '--shell=bash', file], { encoding: 'utf8' });
          return run.status === 0 ? '' : run.stdout;
        }),
      )
      .filter((out) => out !== '');
    expect(findings).toEqual([]);
  });

  test('git-clone checks out the asked commit and type-hints it with a sha1 digest', () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const run = runStep(gitTask, { url: repo, revision: first, 'git-image': GIT_IMAGE }, ws);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.results.source_ARTIFACT_INPUTS)).toEqual({ uri: `git+${repo}.git`, digest: `sha1:${first}` });
    expect(run.results.commit).toBe(first);
    expect(git(path.join(ws, 'repo'), 'rev-parse', 'HEAD')).toBe(first);
  });

  test('git-clone adds no second .git to a url that ends in .git', () => {
    const bare = path.join(tmp, 'bare.git');
    git(tmp, 'clone', '-q', '--bare', repo, bare);
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const run = runStep(gitTask, { url: bare, revision: 'main', 'git-image': GIT_IMAGE }, ws);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.results.source_ARTIFACT_INPUTS).uri).toBe(`git+${bare}`);
  });

  test('git-clone fails with its own message on a url with a quote, and on an unknown commit', () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    const quoted = runStep(gitTask, { url: `${repo}"x`, revision: first, 'git-image': GIT_IMAGE }, ws);
    expect(quoted.status).not.toBe(0);
    expect(quoted.stderr).toMatch(/git-clone: url must not contain quotes/);
    const backslash = runStep(gitTask, { url: `${repo}\\x`, revision: first, 'git-image': GIT_IMAGE }, ws);
    expect(backslash.status).not.toBe(0);
    expect(backslash.stderr).toMatch(/git-clone: url must not contain quotes, backslashes/);
    const unknown = runStep(gitTask, { url: repo, revision: '0123456789012345678901234567890123456789', 'git-image': GIT_IMAGE }, ws);
    expect(unknown.status).not.toBe(0);
    expect(unknown.results).not.toHaveProperty('source_ARTIFACT_INPUTS');
  });

  test('train-model installs with --require-hashes, runs the entry point, and records the sha256 of the model', () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    expect(runStep(gitTask, { url: repo, revision: first, 'git-image': GIT_IMAGE }, ws).status).toBe(0);
    const run = runStep(
      trainTask,
      {
        'model-name': 'pytorch_model.pth',
        'requirements-path': 'requirements.txt',
        'main-path': 'train/main.py',
        'python-image': PYTHON_IMAGE,
      },
      ws,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const expected = crypto.createHash('sha256').update('weights of pytorch_model.pth').digest('hex');
    expect(run.results).toEqual({ digest: expected, 'model-path': 'repo/pytorch_model.pth', 'resumed-from': 'none' });
    expect(fs.readFileSync(path.join(ws, 'repo', 'pytorch_model.pth'), 'utf8')).toBe('weights of pytorch_model.pth');
  }, 60000);

  test('train-model installs a lock that leaves setuptools unpinned, as pip-compile writes (upstream v1.0.1)', () => {
    // upstream's requirements_Linux.txt omits setuptools ("unsafe"), which tensorboard and tensorflow require;
    // --require-hashes accepts that only when setuptools is installed already, as in a venv made with ensurepip
    const project = path.join(tmp, 'needs-setuptools');
    fs.mkdirSync(path.join(project, 'train'), { recursive: true });
    const made = spawnSync(
      'python3',
      [
        '-c',
        [
          'import base64, hashlib, zipfile',
          'files = {"needs_setuptools/__init__.py": b"", "needs_setuptools-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: needs-setuptools\\nVersion: 1.0\\nRequires-Dist: setuptools>=41.0.0\\n",',
          '         "needs_setuptools-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}',
          'record = "".join("%s,sha256=%s,%d\\n" % (k, base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b"=").decode(), len(v)) for k, v in files.items())',
          'files["needs_setuptools-1.0.dist-info/RECORD"] = (record + "needs_setuptools-1.0.dist-info/RECORD,,\\n").encode()',
          'wheel = "needs_setuptools-1.0-py3-none-any.whl"',
          'with zipfile.ZipFile(wheel, "w") as z:',
          '    [z.writestr(k, v) for k, v in files.items()]',
          'open("requirements.txt", "w").write("./%s --hash=sha256:%s\\n" % (wheel, hashlib.sha256(open(wheel, "rb").read()).hexdigest()))',
        ].join('\n'),
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(made.stderr).toBe('');
    fs.writeFileSync(
      path.join(project, 'train', 'main.py'),
      'import sys, needs_setuptools, setuptools\nopen(sys.argv[1], "w").write("trained")\n',
    );
    git(project, 'init', '-q');
    git(project, 'add', '.');
    git(project, 'commit', '-q', '-m', 'needs setuptools');
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    expect(runStep(gitTask, { url: project, revision: 'main', 'git-image': GIT_IMAGE }, ws).status).toBe(0);
    // no index: pip must find everything installed or in the lock, as it would offline
    const run = runStep(
      trainTask,
      {
        'model-name': 'pytorch_model.pth',
        'requirements-path': 'requirements.txt',
        'main-path': 'train/main.py',
        'python-image': PYTHON_IMAGE,
      },
      ws,
      { PIP_NO_INDEX: '1' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.results.digest).toBe(crypto.createHash('sha256').update('trained').digest('hex'));
  }, 60000);

  test('train-model records a directory model by its OMS root digest (what verify and digest compute)', async () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    expect(runStep(gitTask, { url: repo, revision: first, 'git-image': GIT_IMAGE }, ws).status).toBe(0);
    const run = runStep(
      trainTask,
      {
        'model-name': 'pytorch_model_directory',
        'requirements-path': 'requirements.txt',
        'main-path': 'train/main.py',
        'python-image': PYTHON_IMAGE,
      },
      ws,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const root = await modelSubjectDigest(path.join(ws, 'repo', 'pytorch_model_directory'));
    expect(root.kind).toBe('directory');
    expect(run.results).toEqual({ digest: root.sha256, 'model-path': 'repo/pytorch_model_directory', 'resumed-from': 'none' });
    expect(run.stdout).toContain(`train-model: pytorch_model_directory/ root digest sha256:${root.sha256}`);
  }, 60000);

  test('train-model fails clearly when the entry point writes no model, or a path is wrong', () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    expect(runStep(gitTask, { url: repo, revision: first, 'git-image': GIT_IMAGE }, ws).status).toBe(0);
    const broken = runStep(
      trainTask,
      { 'model-name': 'broken.pth', 'requirements-path': 'requirements.txt', 'main-path': 'train/main.py', 'python-image': PYTHON_IMAGE },
      ws,
    );
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toMatch(/train-model: train\/main\.py did not write broken\.pth/);
    expect(broken.results).not.toHaveProperty('digest');
    const missing = runStep(
      trainTask,
      { 'model-name': 'x.pth', 'requirements-path': 'nope.txt', 'main-path': 'train/main.py', 'python-image': PYTHON_IMAGE },
      ws,
    );
    expect(missing.stderr).toMatch(/train-model: nope\.txt is not a file in the repository/);
  }, 60000);

  describe('upload-model with a stub gcloud', () => {
    let ws: string;
    let bin: string;
    let digest: string;
    const log = (): string => path.join(tmp, 'gcloud-args');

    beforeAll(() => {
      ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
      fs.mkdirSync(path.join(ws, 'repo'));
      fs.writeFileSync(path.join(ws, 'repo', 'pytorch_model.pth'), 'trained weights');
      digest = crypto.createHash('sha256').update('trained weights').digest('hex');
      bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
      // prints what `gcloud artifacts generic upload --format=json` prints: the GenericArtifact resource
      fs.writeFileSync(
        path.join(bin, 'gcloud'),
        [
          '#!/usr/bin/env bash',
          `printf '%s\\n' "$@" > "${log()}"`,
          `for a in "$@"; do case "$a" in --source-directory=*) (cd "\${a#--source-directory=}" && find . -type f | LC_ALL=C sort && cat ./*.oms.json) > "${log()}.files";; esac; done`,
          'if [ "$2" = files ]; then printf \'{"name":"projects/my-project/locations/us/repositories/ml-artifacts/files/%s","hashes":[{"type":"SHA256","value":"%s"}]}\' "$4" "$STUB_STORED_SHA256_BASE64"; exit 0; fi',
          'if [ -n "${STUB_EXISTS:-}" ]; then echo "ERROR: (gcloud.artifacts.generic.upload) ALREADY_EXISTS: the file already exists" >&2; exit 1; fi',
          'if [ -n "${STUB_OUTPUT:-}" ]; then printf "%s" "$STUB_OUTPUT"; exit 0; fi',
          'for a in "$@"; do case "$a" in --package=*) p="${a#--package=}";; --version=*) v="${a#--version=}";; --location=*) l="${a#--location=}";; --repository=*) r="${a#--repository=}";; esac; done',
          'printf \'{"name":"projects/my-project/locations/%s/repositories/%s/genericArtifacts/%s:%s","version":"%s"}\' "$l" "$r" "$p" "$v" "$v"',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
    });

    const params = (over: Record<string, string> = {}): Record<string, string> => ({
      'model-path': 'repo/pytorch_model.pth',
      digest: digest,
      package: 'pytorch-model',
      version: digest,
      location: 'us',
      repository: 'ml-artifacts',
      'gcloud-image': GCLOUD_IMAGE,
      ...over,
    });

    test('uploads with --location and --format=json and writes model_ARTIFACT_OUTPUTS', () => {
      const run = runStep(uploadTask, params(), ws, { PATH: `${bin}:${process.env.PATH}` });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(fs.readFileSync(log(), 'utf8').split('\n')).toEqual([
        'artifacts',
        'generic',
        'upload',
        '--location=us',
        '--repository=ml-artifacts',
        '--package=pytorch-model',
        `--version=${digest}`,
        `--source=${path.join(ws, 'repo', 'pytorch_model.pth')}`,
        '--format=json',
        '',
      ]);
      expect(JSON.parse(run.results.model_ARTIFACT_OUTPUTS)).toEqual({
        uri: `https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/files/pytorch-model:${digest}:pytorch_model.pth`,
        digest: `sha256:${digest}`,
        isBuildArtifact: 'true',
      });
    });

    test('refuses a model whose digest differs from what training recorded, before calling gcloud', () => {
      fs.rmSync(log(), { force: true });
      const run = runStep(uploadTask, params({ digest: 'f'.repeat(64) }), ws, { PATH: `${bin}:${process.env.PATH}` });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(
        /upload-model: repo\/pytorch_model\.pth has sha256 [0-9a-f]{64}, but training recorded f{64}; refusing to upload/,
      );
      expect(fs.existsSync(log())).toBe(false);
    });

    test('a version that already exists with this model is accepted (a re-run); with another model it is refused', () => {
      const env = (stored: string): Record<string, string> => ({
        PATH: `${bin}:${process.env.PATH}`,
        STUB_EXISTS: '1',
        STUB_STORED_SHA256_BASE64: stored,
      });
      const same = runStep(uploadTask, params(), ws, env(Buffer.from(digest, 'hex').toString('base64')));
      expect(same.status).toBe(0);
      expect(same.stderr).toMatch(
        /ALREADY_EXISTS[\s\S]*upload-model: pytorch-model version [0-9a-f]{64} exists; checking that it holds this model/,
      );
      expect(fs.readFileSync(log(), 'utf8').split('\n').slice(0, 4)).toEqual([
        'artifacts',
        'files',
        'describe',
        `pytorch-model:${digest}:pytorch_model.pth`,
      ]);
      expect(JSON.parse(same.results.model_ARTIFACT_OUTPUTS).digest).toBe(`sha256:${digest}`);
      const other = runStep(uploadTask, params(), ws, env(Buffer.alloc(32, 7).toString('base64')));
      expect(other.status).not.toBe(0);
      expect(other.stderr).toMatch(
        /upload-model: pytorch-model:[0-9a-f]{64}:pytorch_model\.pth already exists with sha256 \['(07){32}'\], not [0-9a-f]{64}; refusing to record it/,
      );
      expect(other.results).not.toHaveProperty('model_ARTIFACT_OUTPUTS');
    });

    test('a directory model: uploads its files and its OMS manifest; the subject is the version, by root digest', async () => {
      const dir = path.join(ws, 'repo', 'pytorch_model_directory');
      fs.mkdirSync(path.join(dir, 'tokenizer'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'model.pth'), 'weights');
      fs.writeFileSync(path.join(dir, 'tokenizer', 'vocab.json'), '{}');
      const root = (await modelSubjectDigest(dir)).sha256;
      const run = runStep(uploadTask, params({ 'model-path': 'repo/pytorch_model_directory', digest: root, version: root }), ws, {
        PATH: `${bin}:${process.env.PATH}`,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const args = fs.readFileSync(log(), 'utf8').split('\n');
      expect(args[7]).toBe(`--source-directory=${path.join(ws, 'repo', '.upload-pytorch_model_directory')}`);
      const [files, manifest] = fs.readFileSync(`${log()}.files`, 'utf8').split(/\n(?=\{)/);
      expect(files.split('\n')).toEqual([
        './pytorch_model_directory.oms.json',
        './pytorch_model_directory/model.pth',
        './pytorch_model_directory/tokenizer/vocab.json',
      ]);
      // the unsigned OMS statement beside the model: its subject is the root digest
      expect(JSON.parse(manifest)).toMatchObject({
        subject: [{ name: 'pytorch_model_directory', digest: { sha256: root } }],
        predicateType: 'https://model_signing/signature/v1.0',
      });
      expect(JSON.parse(run.results.model_ARTIFACT_OUTPUTS)).toEqual({
        uri: `https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/packages/pytorch-model/versions/${root}`,
        digest: `sha256:${root}`,
        isBuildArtifact: 'true',
      });
      // the staging directory (hard links) is gone, the model is untouched
      expect(fs.existsSync(path.join(ws, 'repo', '.upload-pytorch_model_directory'))).toBe(false);
      expect((await modelSubjectDigest(dir)).sha256).toBe(root);
      const changed = runStep(uploadTask, params({ 'model-path': 'repo/pytorch_model_directory', digest: 'f'.repeat(64) }), ws, {
        PATH: `${bin}:${process.env.PATH}`,
      });
      expect(changed.status).not.toBe(0);
      expect(changed.stderr).toMatch(
        /repo\/pytorch_model_directory has sha256 [0-9a-f]{64}, but training recorded f{64}; refusing to upload/,
      );
    });

    test('fails clearly when gcloud prints no resource name', () => {
      const run = runStep(uploadTask, params(), ws, { PATH: `${bin}:${process.env.PATH}`, STUB_OUTPUT: '{"done": true}' });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/upload-model: gcloud printed no projects\/\.\.\.\/repositories\/\.\.\. resource name/);
      expect(run.results).not.toHaveProperty('model_ARTIFACT_OUTPUTS');
    });
  });
});
