import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `slsa-for-models provenance` as a process: exit codes, one-line errors, the chains-config and its overrides. */

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
const SHA = '827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'provenance-command-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'provenance', ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const taskRun = (name: string, task: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name, uid: `uid-${name}`, labels: { 'tekton.dev/pipelineTask': task } },
  spec: { taskRef: { name: task }, timeout: '90m' },
  status: {
    startTime: '2026-11-26T01:00:00Z',
    completionTime: '2026-11-26T01:04:00Z',
    steps: [{ name: 'step', container: 'step-step', imageID: `docker.io/library/bash@sha256:${SHA}` }],
    results: [
      { name: 'model_ARTIFACT_OUTPUTS', value: { uri: 'https://example.com/m', digest: `sha256:${SHA}`, isBuildArtifact: 'true' } },
    ],
    taskSpec: { steps: [{ name: 'step', image: 'bash', script: 'echo' }] },
  },
});

const pipelineRun = {
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { name: 'pr', uid: 'uid-pr' },
  spec: {
    pipelineRef: { name: 'p' },
    workspaces: [{ name: 'shared', volumeClaimTemplate: { spec: { resources: { requests: { storage: '4Gi' } } } } }],
  },
  status: {
    startTime: '2026-11-26T01:00:00Z',
    completionTime: '2026-11-26T01:05:00Z',
    pipelineSpec: { tasks: [{ name: 'build', taskRef: { name: 'build' } }] },
    childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'pr-build', pipelineTaskName: 'build' }],
  },
};

describe('slsa-for-models provenance', () => {
  test('a TaskRun: the SLSA v1.0 statement, runSpec as Go writes it, no empty subject', () => {
    const file = write('tr.json', { ...taskRun('tr', 'build'), status: { ...taskRun('tr', 'build').status, results: [] } });
    const result = run(file, '--format', 'slsa/v2alpha4');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const statement = JSON.parse(result.stdout);
    expect(statement).not.toHaveProperty('subject');
    expect(statement.predicate.buildDefinition.externalParameters.runSpec).toEqual({
      serviceAccountName: '',
      taskRef: { name: 'build' },
      timeout: '1h30m0s',
    });
    expect(statement.predicate.runDetails.metadata.invocationId).toBe('uid-tr');
  });

  test('a PipelineRun with its TaskRuns as a List; the volume claim template as Go writes it', () => {
    const withResult = { ...pipelineRun, status: { ...pipelineRun.status, results: taskRun('pr-build', 'build').status.results } };
    const run1 = write('pr.yaml', `# kubectl get pipelinerun pr -o yaml\n${JSON.stringify(withResult)}\n`);
    const list = write('trs.json', { apiVersion: 'v1', kind: 'List', items: [taskRun('pr-build', 'build')] });
    const result = run(run1, '--taskruns', list, '--format', 'slsa/v2alpha4', '--builder-id', 'https://example.com/builder');
    expect(result.stderr).toBe('');
    const statement = JSON.parse(result.stdout);
    expect(statement.subject).toEqual([{ name: 'https://example.com/m', digest: { sha256: SHA } }]);
    expect(statement.predicate.runDetails.builder).toEqual({ id: 'https://example.com/builder' });
    expect(statement.predicate.buildDefinition.externalParameters.runSpec.workspaces[0].volumeClaimTemplate).toEqual({
      metadata: {},
      spec: { resources: { requests: { storage: '4Gi' } } },
      status: {},
    });
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'oci://docker.io/library/bash', digest: { sha256: SHA } },
    ]);
  });

  test("deep inspection reads the child TaskRuns' results (off: only the PipelineRun's)", () => {
    const run1 = write('pr2.json', pipelineRun);
    const trs = write('trs2.json', taskRun('pr-build', 'build'));
    expect(JSON.parse(run(run1, '--taskruns', trs, '--format', 'slsa/v2alpha4').stdout)).not.toHaveProperty('subject');
    expect(JSON.parse(run(run1, '--taskruns', trs, '--format', 'slsa/v2alpha4', '--deep-inspection').stdout).subject).toHaveLength(1);
  });

  test('--chains-config reads the ConfigMap among other objects (dist/), and flags override it', () => {
    const file = write('tr3.json', taskRun('tr3', 'build'));
    const fromConfig = JSON.parse(run(file, '--chains-config', path.join(ROOT, 'dist', 'slsa-for-models.yaml')).stdout);
    expect(fromConfig.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(fromConfig.predicate.runDetails.builder).toEqual({ id: 'https://tekton.dev/chains/v2' });
    const overridden = JSON.parse(
      run(file, '--chains-config', path.join(ROOT, 'dist', 'slsa-for-models.yaml'), '--format', 'slsa/v1').stdout,
    );
    expect(overridden.predicateType).toBe('https://slsa.dev/provenance/v0.2');
    // without a chains-config: Chains' default format, in-toto (SLSA v0.2)
    expect(JSON.parse(run(file).stdout)._type).toBe('https://in-toto.io/Statement/v0.1');
  });

  test('--kind for an object without kind; a kind that contradicts it is refused', () => {
    const { kind, apiVersion, ...bare } = taskRun('tr4', 'build');
    void kind;
    void apiVersion;
    const file = write('bare.json', bare);
    expect(run(file, '--kind', 'TaskRun').status).toBe(0);
    const without = run(file);
    expect([without.status, without.stderr]).toEqual([
      2,
      `slsa-for-models provenance: ${file}: the object has no kind; give --kind PipelineRun or --kind TaskRun\n`,
    ]);
  });

  test.each([
    [
      'a run without status',
      () => [write('nostatus.json', { kind: 'PipelineRun', metadata: { name: 'x' }, spec: {} })],
      /pipelinerun x has no status: chains signs a run once it has finished/,
    ],
    [
      'an unknown format',
      () => [write('f.json', taskRun('f', 'build')), '--format', 'slsa/v3'],
      /--format "slsa\/v3" is not a Chains v0.29.2 format/,
    ],
    [
      'a child TaskRun missing',
      () => [write('pr5.json', pipelineRun)],
      /child TaskRun pr-build \(status.childReferences\) is not among the TaskRuns given/,
    ],
    [
      'an unknown build type',
      () => [write('bt.json', taskRun('bt', 'build')), '--format', 'slsa/v2alpha4', '--build-type', 'https://x'],
      /unsupported buildType "https:\/\/x"/,
    ],
    [
      'a malformed imageID',
      () => [
        write('img.json', {
          ...taskRun('img', 'build'),
          status: { ...taskRun('img', 'build').status, steps: [{ name: 's', imageID: 'bash' }] },
        }),
        '--format',
        'slsa/v2alpha4',
      ],
      /taskrun img step s: imageID "bash" is not "<image>@<alg>:<hex>"/,
    ],
    [
      'a chains-config value Chains refuses',
      () => [
        write('c1.json', taskRun('c1', 'build')),
        '--chains-config',
        write('cm.yaml', 'kind: ConfigMap\nmetadata: {name: chains-config}\ndata: {artifacts.taskrun.format: slsa/v9}\n'),
      ],
      /artifacts.taskrun.format "slsa\/v9" is not a Chains v0.29.2 format/,
    ],
    [
      'a v1beta1 run',
      () => [write('b1.json', { ...taskRun('b1', 'build'), apiVersion: 'tekton.dev/v1beta1' })],
      /is tekton.dev\/v1beta1; chains v0.29.2 reads tekton.dev\/v1 runs/,
    ],
    ['no RUN', () => [], /give the RUN file/],
    ['an unreadable file', () => [path.join(tmp, 'missing.json')], /missing.json: cannot read it/],
  ])('%s: one line, exit 2', (_, args, message) => {
    const result = run(...(args as () => string[])());
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('the missing child TaskRun is accepted with --ignore-missing-taskruns (near case)', () => {
    expect(run(write('pr6.json', pipelineRun), '--ignore-missing-taskruns').status).toBe(0);
  });

  test('--help explains what is not shown', () => {
    const result = spawnSync(process.execPath, [CLI, 'provenance', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/protojson adds random spaces/);
  });
});

describe('slsa-for-models provenance --build-type slsa-tekton', () => {
  test('the child TaskRun is stored whole as Go writes it; labels and annotations become internal parameters', () => {
    const run1 = write('tek-pr.json', { ...pipelineRun, metadata: { ...pipelineRun.metadata, labels: { team: 'ml' } } });
    const trs = write('tek-trs.json', taskRun('pr-build', 'build'));
    const statement = JSON.parse(
      run(run1, '--taskruns', trs, '--format', 'slsa/v2alpha4', '--build-type', 'https://tekton.dev/chains/v2/slsa-tekton').stdout,
    );
    expect(statement.predicate.buildDefinition.internalParameters).toEqual({ labels: { team: 'ml' }, annotations: null });
    const task = statement.predicate.buildDefinition.resolvedDependencies[0];
    expect(task.name).toBe('pipelineTask');
    const content = Buffer.from(task.content, 'base64').toString();
    // struct field order, Go durations, podName without omitempty, a step's computeResources struct
    expect(content.startsWith('{"kind":"TaskRun","apiVersion":"tekton.dev/v1","metadata":{"name":"pr-build","uid":"uid-pr-build"')).toBe(
      true,
    );
    const whole = JSON.parse(content);
    expect(whole.spec).toEqual({ serviceAccountName: '', taskRef: { name: 'build' }, timeout: '1h30m0s' });
    expect(whole.status.podName).toBe('');
    expect(whole.status.taskSpec.steps[0]).toEqual({ name: 'step', image: 'bash', computeResources: {}, script: 'echo' });
  });
});
