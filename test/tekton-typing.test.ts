/**
 * Compile-time checks of the typed constructs. Each `@ts-expect-error` line must be a compile
 * error (`npx tsc -p tsconfig.dev.json`, run by `npm test`, fails when one compiles); the jest
 * tests below synthesize the valid cases, so the same code also runs.
 */
import { Chart, Testing } from 'cdk8s';
import { EmbeddedPipeline, EmbeddedTask, ImportedTask, Pipeline, PipelineRun, PipelineTaskOf, Task, WorkspaceBinding } from '../src/tekton';

function define(chart: Chart) {
  const build = new Task(chart, 'build', {
    metadata: { name: 'build-model' },
    params: {
      'model-name': { enum: ['model.keras', 'model.pth'] },
      source: { type: 'object', properties: { url: {}, revision: {} } },
      flags: { type: 'array', default: ['--quiet'] },
      'python-version': { default: '3.11' },
    },
    results: { digest: {}, files: { type: 'array' }, artifact: { type: 'object', properties: { uri: {}, digest: {} } } },
    workspaces: { source: {}, cache: { optional: true } },
    steps: [{ name: 'train', image: 'python:3.11', script: 'true' }],
  });
  const report = new Task(chart, 'report', {
    metadata: { name: 'report' },
    params: { digest: {}, status: {}, uris: { type: 'array', default: [] } },
    steps: [{ name: 'report', image: 'busybox', script: 'true' }],
  });
  const pipeline = new Pipeline(chart, 'pipeline', {
    metadata: { name: 'typed' },
    params: {
      model: { enum: ['model.keras', 'model.pth'], default: 'model.keras' },
      repo: { type: 'object', properties: { url: {}, revision: {}, extra: {} } },
      narrow: { type: 'object', properties: { url: {} } },
      list: { type: 'array' },
      text: {},
    },
    workspaces: { shared: {}, optional: { optional: true } },
  });
  return { build, report, pipeline };
}

/** Valid uses: all of these must compile and synthesize. */
function validUses(chart: Chart) {
  const { build, report, pipeline } = define(chart);
  const b: PipelineTaskOf<typeof build> = pipeline.addTask('build', build, {
    params: { 'model-name': pipeline.params.model, source: pipeline.params.repo },
    workspaces: { source: pipeline.workspaces.shared },
  });
  pipeline.addTask('build-literal', build, {
    params: { 'model-name': 'model.pth', source: { url: pipeline.params.text, revision: 'main' }, flags: pipeline.params.list },
    workspaces: { source: pipeline.workspaces.shared.withSubPath('b'), cache: pipeline.workspaces.optional },
    runAfter: [b],
  });
  pipeline.addTask('report', report, { params: { digest: b.results.digest, status: 'x', uris: b.results.files } });
  pipeline.addTask('report-object-key', report, { params: { digest: b.results.artifact.key('digest'), status: b.results.files.at(0) } });
  pipeline.addTask('fan-out', build, {
    params: { source: pipeline.params.repo },
    workspaces: { source: pipeline.workspaces.shared },
    matrix: { params: { 'model-name': ['model.keras', 'model.pth'] } },
  });
  pipeline.addFinally('notify', report, { params: { digest: b.results.digest, status: b.status } });
  pipeline.addFinally('fan-in', build, {
    params: { source: pipeline.params.repo },
    workspaces: { source: pipeline.workspaces.shared },
    matrix: { params: { 'model-name': ['model.keras'] } },
  });
  const bare = new EmbeddedTask(chart, 'bare', { steps: [{ name: 'noop', image: 'busybox', script: 'true' }] });
  pipeline.addTask('bare', bare);
  pipeline.addResult('digest', b.results.digest);
  new PipelineRun(chart, 'run', {
    pipeline,
    params: { repo: { url: 'https://example.com/r.git', revision: 'main', extra: '' }, narrow: { url: 'u' }, list: [], text: 't' },
    workspaces: { shared: WorkspaceBinding.emptyDir() },
  });
  const embedded = new EmbeddedPipeline(chart, 'embedded', { params: { x: { default: 'y' } } });
  embedded.addTask('bare', bare);
  new PipelineRun(chart, 'embedded-run', { pipeline: embedded });
  const imported = ImportedTask.fromYaml(
    chart,
    'imported',
    [
      'apiVersion: tekton.dev/v1',
      'kind: Task',
      'metadata: {name: imported}',
      'spec: {params: [{name: a}], results: [{name: out}], steps: [{name: s, image: busybox, script: "echo $(params.a) > $(results.out.path)"}]}',
    ].join('\n'),
  );
  const fromImported = pipeline.addTask('imported', imported, { params: { a: 'anything' } });
  // an imported task's results are strings to the compiler unless type arguments say more
  pipeline.addTask('report-imported', report, { params: { digest: fromImported.results.out, status: 's' } });
  const typed = ImportedTask.fromYaml<{ url: {}; depth: { default: '1' } }, { commit: {}; refs: { type: 'array' } }, { output: {} }>(
    chart,
    'typed',
    [
      'apiVersion: tekton.dev/v1',
      'kind: Task',
      'metadata: {name: typed}',
      'spec:',
      '  params: [{name: url}, {name: depth, default: "1"}]',
      '  results: [{name: commit}, {name: refs, type: array}]',
      '  workspaces: [{name: output}]',
      '  steps: [{name: s, image: busybox, script: "echo $(params.url) > $(results.commit.path)"}]',
    ].join('\n'),
  );
  const t = pipeline.addTask('typed', typed, { params: { url: 'u' }, workspaces: { output: pipeline.workspaces.shared } });
  pipeline.addTask('uses-typed', report, { params: { digest: t.results.commit, status: 's', uris: t.results.refs } });
}

/** Never called: each marked line must fail to compile (kept unformatted: each `@ts-expect-error` covers the one line below it). */
// prettier-ignore
export function compileTimeErrors(chart: Chart) {
  const { build, report, pipeline } = define(chart);
  const ws = { source: pipeline.workspaces.shared };

  // @ts-expect-error a required param ('source') is missing
  pipeline.addTask('missing', build, { params: { 'model-name': 'model.pth' }, workspaces: ws });
  // @ts-expect-error an unknown param name
  pipeline.addTask('unknown', build, { params: { 'model-name': 'model.pth', source: pipeline.params.repo, 'python-versoin': '3.12' }, workspaces: ws });
  // @ts-expect-error a value outside the enum
  pipeline.addTask('enum', build, { params: { 'model-name': 'model.onnx', source: pipeline.params.repo }, workspaces: ws });
  // @ts-expect-error an array param given to a string param
  pipeline.addTask('array-for-string', report, { params: { digest: pipeline.params.list, status: 'x' } });
  // @ts-expect-error an object param given to a string param
  pipeline.addTask('object-for-string', report, { params: { digest: pipeline.params.repo, status: 'x' } });
  // @ts-expect-error a string given to an array param
  pipeline.addTask('string-for-array', report, { params: { digest: 'd', status: 's', uris: 'one' } });
  // @ts-expect-error an object param without a required key given to an object param
  pipeline.addTask('narrow-object', build, { params: { 'model-name': 'model.pth', source: pipeline.params.narrow }, workspaces: ws });
  // @ts-expect-error an object literal without a required key
  pipeline.addTask('object-literal', build, { params: { 'model-name': 'model.pth', source: { url: 'u' } }, workspaces: ws });
  // @ts-expect-error an array result given to a string param
  pipeline.addTask('array-result', report, { params: { digest: pipeline.addTask('b', build, { params: { 'model-name': 'model.pth', source: pipeline.params.repo }, workspaces: ws }).results.files, status: 's' } });
  // @ts-expect-error a required workspace is not bound
  pipeline.addTask('no-workspace', build, { params: { 'model-name': 'model.pth', source: pipeline.params.repo } });
  // @ts-expect-error an unknown workspace name
  pipeline.addTask('bad-workspace', build, { params: { 'model-name': 'model.pth', source: pipeline.params.repo }, workspaces: { ...ws, sources: pipeline.workspaces.shared } });
  // @ts-expect-error options are required when the Task has required params
  pipeline.addTask('no-options', report);
  // @ts-expect-error a matrix over an array param
  pipeline.addTask('matrix-array', report, { params: { digest: 'd', status: 's' }, matrix: { params: { uris: ['a'] } } });
  // @ts-expect-error an undeclared key of an object param
  build.params.source.key('branch');
  // @ts-expect-error an undeclared result
  pipeline.addTask('r', report, { params: { digest: 'd', status: 's' } }).results.digest;
  const typed = ImportedTask.fromYaml<{ url: {} }, { commit: {} }, { output: {} }>(chart, 'typed', '');
  // @ts-expect-error an imported task stated by type arguments: its required param is missing
  pipeline.addTask('typed-missing', typed, { workspaces: { output: pipeline.workspaces.shared } });
  // @ts-expect-error an imported task stated by type arguments: an unknown result
  pipeline.addTask('typed-ok', typed, { params: { url: 'u' }, workspaces: { output: pipeline.workspaces.shared } }).results.comit;
  // @ts-expect-error a finally task cannot have runAfter
  pipeline.addFinally('late', report, { params: { digest: 'd', status: 's' }, runAfter: [] });
  // @ts-expect-error a finally task still needs the Task's required params
  pipeline.addFinally('late2', report, { params: { digest: 'd' } });
  // @ts-expect-error a run without a required pipeline param ('text')
  new PipelineRun(chart, 'run1', { pipeline, params: { repo: { url: 'u', revision: 'r', extra: '' }, narrow: { url: 'u' }, list: [] }, workspaces: { shared: WorkspaceBinding.emptyDir() } });
  // @ts-expect-error a run that binds no workspaces
  new PipelineRun(chart, 'run2', { pipeline, params: { repo: { url: 'u', revision: 'r', extra: '' }, narrow: { url: 'u' }, list: [], text: 't' } });
  // @ts-expect-error a run param outside the enum
  new PipelineRun(chart, 'run3', { pipeline, params: { model: 'model.h5', repo: { url: 'u', revision: 'r', extra: '' }, narrow: { url: 'u' }, list: [], text: 't' }, workspaces: { shared: WorkspaceBinding.emptyDir() } });
};

describe('compile-time checked wiring', () => {
  test('the valid uses synthesize, with the values where they belong', () => {
    const chart = Testing.chart();
    validUses(chart);
    const objects = Testing.synth(chart);
    const pipeline = objects.find((o) => o.kind === 'Pipeline');
    const byName = Object.fromEntries(pipeline.spec.tasks.map((t: { name: string }) => [t.name, t]));
    expect(byName.build.params).toEqual([
      { name: 'model-name', value: '$(params.model)' },
      { name: 'source', value: '$(params.repo[*])' },
    ]);
    expect(byName['build-literal']).toMatchObject({
      params: [
        { name: 'model-name', value: 'model.pth' },
        { name: 'source', value: { url: '$(params.text)', revision: 'main' } },
        { name: 'flags', value: '$(params.list[*])' },
      ],
      workspaces: [
        { name: 'source', workspace: 'shared', subPath: 'b' },
        { name: 'cache', workspace: 'optional' },
      ],
      runAfter: ['build'],
    });
    expect(byName['report-object-key'].params).toEqual([
      { name: 'digest', value: '$(tasks.build.results.artifact.digest)' },
      { name: 'status', value: '$(tasks.build.results.files[0])' },
    ]);
    expect(byName['fan-out'].matrix).toEqual({ params: [{ name: 'model-name', value: ['model.keras', 'model.pth'] }] });
    expect(byName.bare.taskSpec.steps).toEqual([{ name: 'noop', image: 'busybox', script: 'true' }]);
    expect(byName.imported.taskRef).toEqual({ name: 'imported' });
    expect(pipeline.spec.finally[0].params[1]).toEqual({ name: 'status', value: '$(tasks.build.status)' });
    const runs = objects.filter((o) => o.kind === 'PipelineRun');
    expect(runs[1].spec.pipelineSpec.tasks[0].name).toBe('bare');
  });

  test('compileTimeErrors is only for the compiler', () => {
    // it is exported so that noUnusedLocals keeps it; tsc proves each marked line fails
    expect(typeof compileTimeErrors).toBe('function');
  });
});
