import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { runSynthesis, synthesizeAtomically, SynthesisError } from '../src/synth';
import { ImportedTask, Pipeline, PipelineRun, Task, WorkspaceBinding } from '../src/tekton';

/** Every file under `dir` with its bytes, for exact before/after comparison. */
function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A small valid app: Tasks and a Pipeline in one app, the run in a second app written to runs/. */
function buildApps(options: { broken?: boolean } = {}) {
  const app = new App();
  const chart = new Chart(app, 'slsa-for-models');
  const build = new Task(chart, 'build', {
    metadata: { name: 'build-model' },
    params: { 'model-name': {}, 'python-version': { default: '3.11' } },
    results: { digest: {} },
    workspaces: { source: {} },
    steps: [{ name: 'train', image: 'python:3.11', script: 'echo -n x > $(results.digest.path)' }],
  });
  if (options.broken) build.addStep({ name: 'bad', image: 'busybox', script: 'cat $(results.nope.path)' });
  const pipeline = new Pipeline(chart, 'pipeline', {
    metadata: { name: 'slsa-for-models' },
    params: { model: {} },
    workspaces: { shared: {} },
  });
  const b = pipeline.addTask('build', build, {
    params: { 'model-name': pipeline.params.model },
    workspaces: { source: pipeline.workspaces.shared },
  });
  pipeline.addResult('digest', b.results.digest);
  if (options.broken) {
    const imported = ImportedTask.fromYaml(
      chart,
      'echo',
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: echo}\nspec:\n  params: [{name: msg}]\n  steps: [{name: e, image: busybox, script: "echo $(params.msg)"}]\n',
    );
    pipeline.addTask('echo', imported, { params: { message: 'typo' } });
  }
  const runs = new App();
  const runChart = new Chart(runs, 'run');
  new PipelineRun(runChart, 'run', {
    metadata: { generateName: 'slsa-for-models-' },
    pipeline,
    params: { model: 'm' },
    workspaces: { shared: WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' }) },
  });
  return [app, { app: runs, directory: 'runs' }];
}

describe('synthesizeAtomically', () => {
  test('writes one <chart>.yaml per chart, runs into runs/, and reports the files', () => {
    const outdir = path.join(tmp, 'dist');
    const report = synthesizeAtomically(buildApps(), { outdir });
    expect(report.outdir).toBe(outdir);
    expect(report.files).toEqual(['runs/run.yaml', 'slsa-for-models.yaml']);
    expect(Object.keys(snapshotDir(outdir)).sort()).toEqual(['runs/run.yaml', 'slsa-for-models.yaml']);
    const text = fs.readFileSync(path.join(outdir, 'slsa-for-models.yaml'), 'utf8');
    expect(text).toMatch(/^apiVersion: tekton.dev\/v1\nkind: Task\nmetadata:\n  name: build-model\n/);
    expect(text).toContain('\n---\napiVersion: tekton.dev/v1\nkind: Pipeline\n');
    expect(fs.readFileSync(path.join(outdir, 'runs', 'run.yaml'), 'utf8')).toContain('generateName: slsa-for-models-');
    expect(fs.readdirSync(tmp)).toEqual(['dist']);
  });

  test('is deterministic: two syntheses of fresh apps are byte-identical', () => {
    synthesizeAtomically(buildApps(), { outdir: path.join(tmp, 'a') });
    synthesizeAtomically(buildApps(), { outdir: path.join(tmp, 'b') });
    expect(snapshotDir(path.join(tmp, 'b'))).toEqual(snapshotDir(path.join(tmp, 'a')));
  });

  test('replaces the previous output as a whole: stale files disappear', () => {
    const outdir = path.join(tmp, 'dist');
    fs.mkdirSync(path.join(outdir, 'runs'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stale.yaml'), 'old');
    fs.writeFileSync(path.join(outdir, 'runs', 'old-run.yaml'), 'old');
    synthesizeAtomically(buildApps(), { outdir });
    expect(Object.keys(snapshotDir(outdir)).sort()).toEqual(['runs/run.yaml', 'slsa-for-models.yaml']);
    expect(fs.readdirSync(tmp)).toEqual(['dist']);
  });

  test('on errors it throws every finding of every construct, and leaves the output directory exactly as it was', () => {
    // GIVEN a previous output
    const outdir = path.join(tmp, 'dist');
    synthesizeAtomically(buildApps(), { outdir });
    fs.writeFileSync(path.join(outdir, 'hand-written.txt'), 'keep me');
    const before = snapshotDir(outdir);
    const mtime = fs.statSync(path.join(outdir, 'slsa-for-models.yaml')).mtimeMs;
    // WHEN a synthesis with errors in two constructs runs
    let error: unknown;
    try {
      synthesizeAtomically(buildApps({ broken: true }), { outdir });
    } catch (e) {
      error = e;
    }
    // THEN both constructs' errors are reported, with their paths, and nothing changed on disk
    expect(error).toBeInstanceOf(SynthesisError);
    const problems = (error as SynthesisError).problems;
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.constructPath} ${p.rule}`).sort()).toEqual([
      'slsa-for-models/build result-reference-undeclared',
      'slsa-for-models/pipeline param-missing',
    ]);
    expect(problems.find((p) => p.rule === 'param-undeclared')).toMatchObject({
      severity: 'warning',
      constructPath: 'slsa-for-models/pipeline',
    });
    expect((error as Error).message.split('\n')).toEqual([
      'synthesis failed with 2 errors:',
      expect.stringMatching(/^\[slsa-for-models\/build\] error result-reference-undeclared: .*nope/),
      expect.stringMatching(/^\[slsa-for-models\/pipeline\] error param-missing: .*"msg"/),
    ]);
    expect(snapshotDir(outdir)).toEqual(before);
    expect(fs.statSync(path.join(outdir, 'slsa-for-models.yaml')).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(tmp)).toEqual(['dist']);
  });

  test('on errors with no previous output, it creates nothing', () => {
    const outdir = path.join(tmp, 'dist');
    expect(() => synthesizeAtomically(buildApps({ broken: true }), { outdir })).toThrow(SynthesisError);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('two charts that would write the same file are refused, and the output is untouched', () => {
    const outdir = path.join(tmp, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'x.yaml'), 'old');
    const a = new App();
    const b = new App();
    for (const app of [a, b]) new Task(new Chart(app, 'same'), 't', { steps: [{ name: 's', image: 'busybox', script: 'true' }] });
    expect(() => synthesizeAtomically([a, b], { outdir })).toThrow(
      'two charts would both be written to same.yaml: give them different ids or directories',
    );
    expect(snapshotDir(outdir)).toEqual({ 'x.yaml': 'old' });
    expect(fs.readdirSync(tmp)).toEqual(['dist']);
  });

  test('an output directory that holds the working directory or a git checkout is refused, untouched', () => {
    expect(() => synthesizeAtomically(buildApps(), { outdir: process.cwd() })).toThrow(
      /^refusing to replace .* as a whole: the output directory must be a directory of its own, such as dist$/,
    );
    expect(() => synthesizeAtomically(buildApps(), { outdir: path.dirname(process.cwd()) })).toThrow(/^refusing to replace /);
    expect(() => synthesizeAtomically(buildApps(), { outdir: '/' })).toThrow(/^refusing to replace /);
    fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
    expect(() => synthesizeAtomically(buildApps(), { outdir: path.join(tmp, 'repo') })).toThrow(/^refusing to replace /);
    expect(fs.readdirSync(tmp)).toEqual(['repo']);
    expect(fs.readdirSync(path.join(tmp, 'repo'))).toEqual(['.git']);
  });

  test('a directory outside the output directory is refused', () => {
    expect(() => synthesizeAtomically([{ app: new App(), directory: '../elsewhere' }], { outdir: path.join(tmp, 'dist') })).toThrow(
      'synthesis directory "../elsewhere" must be relative and inside the output directory',
    );
  });

  test('feature-flags defined in one app apply to the constructs of every app', () => {
    const flagsApp = new App();
    new ApiObject(new Chart(flagsApp, 'config'), 'flags', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'feature-flags', namespace: 'tekton-pipelines' },
      data: { 'enable-api-fields': 'stable' },
    });
    const units = [flagsApp, ...buildApps()];
    const matrixApp = units[1] as App;
    const chart = matrixApp.node.findChild('slsa-for-models') as Chart;
    const pipeline = chart.node.findChild('pipeline') as Pipeline<any, any>;
    const build = chart.node.findChild('build') as Task<any, any, any>;
    pipeline.addTask('fan', build, {
      params: {},
      matrix: { params: { 'model-name': ['a', 'b'] } },
      workspaces: { source: pipeline.workspaces.shared },
    });
    let error: SynthesisError | undefined;
    try {
      synthesizeAtomically(units, { outdir: path.join(tmp, 'dist') });
    } catch (e) {
      error = e as SynthesisError;
    }
    expect(error?.problems.map((p) => `${p.constructPath} ${p.rule}`)).toEqual(['slsa-for-models/pipeline feature-disabled']);
    // the same apps judged under explicit flags that allow it pass
    expect(
      synthesizeAtomically(units, { outdir: path.join(tmp, 'dist'), featureFlags: { 'enable-api-fields': 'beta' } }).files,
    ).toHaveLength(3);
  });

  test('honours CDK8S_OUTDIR when no outdir is given', () => {
    const saved = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = path.join(tmp, 'from-env');
    try {
      const report = synthesizeAtomically(buildApps());
      expect(report.outdir).toBe(path.join(tmp, 'from-env'));
      expect(fs.existsSync(path.join(tmp, 'from-env', 'slsa-for-models.yaml'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = saved;
    }
  });
});

describe('runSynthesis', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      output: {
        stdout: (t: string) => {
          out.push(t);
        },
        stderr: (t: string) => {
          err.push(t);
        },
      },
    };
  }

  test('returns 0, prints warnings to stderr and one summary line', () => {
    const { out, err, output } = capture();
    const code = runSynthesis(
      () => {
        const [app, runs] = buildApps();
        const chart = (app as App).node.findChild('slsa-for-models') as Chart;
        const pipeline = chart.node.findChild('pipeline') as Pipeline<any, any>;
        const echo = ImportedTask.fromYaml(
          chart,
          'echo',
          'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: echo}\nspec:\n  params: [{name: msg}]\n  steps: [{name: e, image: busybox, script: "echo $(params.msg)"}]\n',
        );
        pipeline.addTask('echo', echo, { params: { msg: 'hi', mesage: 'typo' } });
        return [app, runs];
      },
      { outdir: path.join(tmp, 'dist') },
      output,
    );
    expect(code).toBe(0);
    expect(out).toEqual([`synthesized 2 files into ${path.join(tmp, 'dist')}\n`]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^\[slsa-for-models\/pipeline\] warning param-undeclared: .*"mesage".*\n$/);
  });

  test('returns 1 and prints every finding on one line each, no stack trace, output untouched', () => {
    const { out, err, output } = capture();
    const code = runSynthesis(() => buildApps({ broken: true }), { outdir: path.join(tmp, 'dist') }, output);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    const lines = err.join('').trimEnd().split('\n');
    expect(lines.filter((l) => / error /.test(l))).toHaveLength(2);
    expect(lines[lines.length - 1]).toBe('synthesis failed: 2 errors; the output directory was left as it was');
    expect(err.join('')).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(tmp, 'dist'))).toBe(false);
  });

  test('a construct that throws while being built is one line and exit 1', () => {
    const { err, output } = capture();
    const code = runSynthesis(
      () => {
        const app = new App();
        const task = new Task(new Chart(app, 'c'), 't', { steps: [{ name: 's', image: 'busybox', script: 'true' }] });
        task.addStep({ name: 's', image: 'busybox', script: 'true' });
        return [app];
      },
      { outdir: path.join(tmp, 'dist') },
      output,
    );
    expect(code).toBe(1);
    expect(err).toEqual(['error: [c/t] step "s" is declared twice: step names must be unique in a task\n']);
  });

  test('as a process: exit 1, findings on stderr one per line, no stack trace (compiled lib)', () => {
    const lib = path.resolve(__dirname, '..', 'lib', 'src');
    const script = `
      const { App, Chart } = require('cdk8s');
      const { Task } = require(${JSON.stringify(path.join(lib, 'tekton'))});
      const { runSynthesis } = require(${JSON.stringify(path.join(lib, 'synth'))});
      process.exitCode = runSynthesis(() => {
        const app = new App();
        new Task(new Chart(app, 'c'), 't', { steps: [{ name: 's', image: 'busybox', script: 'cat $(results.missing.path)' }] });
        return [app];
      }, { outdir: ${JSON.stringify(path.join(tmp, 'dist'))} });
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.resolve(__dirname, '..') });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[c\/t\] error result-reference-undeclared: .*missing/);
    expect(lines[1]).toBe('synthesis failed: 1 error; the output directory was left as it was');
    expect(lines).toHaveLength(2);
    expect(fs.existsSync(path.join(tmp, 'dist'))).toBe(false);
  });
});
