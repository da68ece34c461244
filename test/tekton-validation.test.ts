/**
 * What the compiler cannot see is judged at synth by the shared rule engine (src/check): each
 * construct reports the findings about its own object, prefixed with its construct path.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { EmbeddedTask, FEATURE_FLAGS_CONTEXT, ImportedTask, judgeUnderFeatureFlags, Pipeline, PipelineRun, Task } from '../src/tekton';

function echoTask(scope: ReturnType<typeof Testing.chart>, id = 'echo', script = 'echo $(params.msg)') {
  return new Task(scope, id, {
    metadata: { name: id },
    params: { msg: {} },
    results: { out: {} },
    steps: [{ name: 'echo', image: 'busybox', script }],
  });
}

describe('synth-time validation', () => {
  test('a Task script naming an undeclared param fails synth with the Task path; a declared one passes', () => {
    const chart = Testing.chart();
    echoTask(chart, 'bad', 'echo $(params.mgs)');
    expect(() => Testing.synth(chart)).toThrow(/\[test\/bad\] .*"mgs"/);

    const near = Testing.chart();
    echoTask(near, 'good', 'echo $(params.msg)');
    expect(() => Testing.synth(near)).not.toThrow();
  });

  test('a Task without steps is an error; with one step it is not', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'empty', { metadata: { name: 'empty' } });
    expect(task.findings().map((f) => `${f.severity} ${f.rule}`)).toEqual(['error task-steps-missing']);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/empty\] /);
    const fresh = Testing.chart();
    const ok = new Task(fresh, 'one', { metadata: { name: 'one' }, steps: [{ name: 's', image: 'busybox', script: 'true' }] });
    expect(ok.findings()).toEqual([]);
  });

  test('$(tasks.t.status) is allowed in finally and an error in tasks, reported at the Pipeline path', () => {
    const chart = Testing.chart();
    const echo = echoTask(chart);
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' } });
    const first = pipeline.addTask('first', echo, { params: { msg: 'hi' } });
    pipeline.addFinally('final', echo, { params: { msg: first.status } });
    expect(pipeline.findings()).toEqual([]);

    pipeline.addTask('too-early', echo, { params: { msg: first.status } });
    const findings = pipeline.findings();
    expect(findings.map((f) => f.rule)).toEqual(['execution-status-outside-finally']);
    expect(findings[0]).toMatchObject({ severity: 'error', constructPath: 'test/pipeline', object: 'Pipeline/p' });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/pipeline\] Pipeline\/p spec\.tasks\[1\]/);
  });

  test('a task reading a finally task result is an error; a finally task reading a task result is not', () => {
    const chart = Testing.chart();
    const echo = echoTask(chart);
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' } });
    const first = pipeline.addTask('first', echo, { params: { msg: 'hi' } });
    const final = pipeline.addFinally('final', echo, { params: { msg: first.results.out } });
    expect(pipeline.findings()).toEqual([]);
    pipeline.addTask('late', echo, { params: { msg: final.results.out } });
    expect(pipeline.findings().map((f) => f.rule)).toContain('task-result-from-finally');
  });

  test('an error inside an embedded Task is reported at the path of the Pipeline that embeds it', () => {
    const chart = Testing.chart();
    const inline = new EmbeddedTask(chart, 'inline', {
      params: { msg: {} },
      steps: [{ name: 'e', image: 'busybox', script: 'echo $(params.nope)' }],
    });
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' } });
    pipeline.addTask('inline', inline, { params: { msg: 'x' } });
    expect(pipeline.findings().map((f) => f.rule)).toEqual(['param-reference-undeclared']);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/pipeline\] .*"nope"/);
  });

  test('a run value outside the pipeline enum (hidden from the compiler by a cast) fails at the run path', () => {
    const chart = Testing.chart();
    const echo = echoTask(chart);
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' }, params: { msg: { enum: ['a', 'b'] } } });
    pipeline.addTask('e', echo, { params: { msg: pipeline.params.msg } });
    const dynamic: string = ['c'][0];
    const run = new PipelineRun(chart, 'run', { metadata: { name: 'r' }, pipeline, params: { msg: dynamic as 'a' } });
    expect(run.findings().map((f) => `${f.severity} ${f.rule} ${f.constructPath}`)).toEqual(['error param-value-not-in-enum test/run']);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/run\] PipelineRun\/r /);

    const near = Testing.chart();
    const echo2 = echoTask(near);
    const pipeline2 = new Pipeline(near, 'pipeline', { metadata: { name: 'p' }, params: { msg: { enum: ['a', 'b'] } } });
    pipeline2.addTask('e', echo2, { params: { msg: pipeline2.params.msg } });
    const run2 = new PipelineRun(near, 'run', { metadata: { name: 'r' }, pipeline: pipeline2, params: { msg: 'b' } });
    expect(run2.findings()).toEqual([]);
  });

  test('warnings do not fail synth; they stay available as findings', () => {
    const chart = Testing.chart();
    const task = ImportedTask.fromYaml(
      chart,
      'imported',
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: imported}\nspec:\n  params: [{name: msg}]\n  steps: [{name: e, image: busybox, script: "echo $(params.msg)"}]\n',
    );
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' } });
    pipeline.addTask('e', task, { params: { msg: 'x', 'python-version': '3.11' } });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => Testing.synth(chart)).not.toThrow();
      // printed once, although cdk8s validates more than once
      Testing.synth(chart);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^\[test\/pipeline\] warning param-undeclared: Pipeline\/p .*"python-version".*\n$/),
      ]);
    } finally {
      stderr.mockRestore();
    }
    expect(pipeline.findings()).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'param-undeclared', constructPath: 'test/pipeline' }),
    ]);
  });

  test('every construct with errors is reported together, and a Task error is not repeated by the Pipeline', () => {
    const chart = Testing.chart();
    const bad = echoTask(chart, 'bad', 'echo $(params.mgs)');
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'p' } });
    pipeline.addTask('t', bad, { params: { msg: 'x' } });
    pipeline.addTask('u', bad, { params: { msg: pipeline.tasksStatus } });
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/bad\] .*"mgs"/);
    expect(message).toMatch(/\[test\/pipeline\] .*\$\(tasks\.status\)/);
    expect(pipeline.findings().every((f) => f.object === 'Pipeline/p')).toBe(true);
  });

  test('an app that defines Tekton feature-flags is judged under them: enum needs enable-param-enum', () => {
    const build = (enableParamEnum: string | undefined) => {
      const chart = Testing.chart();
      if (enableParamEnum !== undefined) {
        new ApiObject(chart, 'flags', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'feature-flags', namespace: 'tekton-pipelines' },
          data: { 'enable-api-fields': 'beta', 'enable-param-enum': enableParamEnum },
        });
      }
      const task = new Task(chart, 'pick', {
        metadata: { name: 'pick' },
        params: { size: { enum: ['s', 'm'] } },
        steps: [{ name: 'e', image: 'busybox', script: 'echo $(params.size)' }],
      });
      return task;
    };
    expect(
      build('false')
        .findings()
        .map((f) => f.rule),
    ).toEqual(['feature-disabled']);
    expect(build('true').findings()).toEqual([]);
    expect(build(undefined).findings()).toEqual([]);
  });
});

describe('what a construct is judged under is an explicit input', () => {
  const enumTask = (app: App) =>
    new Task(new Chart(app, 'c'), 'pick', {
      metadata: { name: 'pick' },
      params: { size: { enum: ['s', 'm'] } },
      steps: [{ name: 'e', image: 'busybox', script: 'echo $(params.size)' }],
    });
  const flagsMap = (app: App, enableParamEnum: string) =>
    new ApiObject(new Chart(app, 'config'), 'flags', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'feature-flags', namespace: 'tekton-pipelines' },
      data: { 'enable-api-fields': 'beta', 'enable-param-enum': enableParamEnum },
    });

  test('the construct context names the flags, and wins over a ConfigMap of the app; null means none', () => {
    const off = new App();
    off.node.setContext(FEATURE_FLAGS_CONTEXT, { 'enable-api-fields': 'beta', 'enable-param-enum': 'false' });
    expect(
      enumTask(off)
        .findings()
        .map((f) => f.rule),
    ).toEqual(['feature-disabled']);
    const none = new App();
    none.node.setContext(FEATURE_FLAGS_CONTEXT, null);
    flagsMap(none, 'false');
    expect(enumTask(none).findings()).toEqual([]);
  });

  test('an explicit setting wins over the context and the app; dropping it lets them decide again', () => {
    const app = new App();
    flagsMap(app, 'true');
    const task = enumTask(app);
    expect(task.findings()).toEqual([]);
    judgeUnderFeatureFlags(task, { 'enable-param-enum': 'false' });
    expect(task.findings().map((f) => f.rule)).toEqual(['feature-disabled']);
    judgeUnderFeatureFlags(task, undefined);
    expect(task.findings()).toEqual([]);
  });

  test('flags Tekton would refuse are not used, and the construct says so in a note (no silent retry)', () => {
    const app = new App();
    flagsMap(app, 'yes');
    expect(
      enumTask(app)
        .findings()
        .map((f) => `${f.severity} ${f.rule}`),
    ).toEqual(['note feature-flags-refused']);
    const fine = new App();
    flagsMap(fine, 'false');
    expect(
      enumTask(fine)
        .findings()
        .map((f) => `${f.severity} ${f.rule}`),
    ).toEqual(['error feature-disabled']);
  });
});
