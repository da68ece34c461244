import { Duration, Testing } from 'cdk8s';
import { EmbeddedTask, Pipeline, PipelineContext, Task, When } from '../src/tekton';
import { crdSchemaSkipReason, schemaProblemsWithEmbeddedSpecs } from './support/crd-schema';

const schemaReason = crdSchemaSkipReason();
if (schemaReason) console.log(schemaReason);

/** Every object, and every spec embedded in it, must pass the v1.15.0 CRD schema with nothing pruned. */
function expectSchemaClean(objects: unknown[]) {
  if (schemaReason) return;
  expect(schemaProblemsWithEmbeddedSpecs(objects)).toBe('');
}

function fixture() {
  const chart = Testing.chart();
  const clone = new Task(chart, 'clone', {
    metadata: { name: 'clone' },
    params: { url: {}, revision: { default: 'main' } },
    results: { commit: {}, platforms: { type: 'array' } },
    workspaces: { output: {} },
    steps: [{ name: 'clone', image: 'alpine/git', script: 'true' }],
  });
  const build = new Task(chart, 'build', {
    metadata: { name: 'build' },
    params: { commit: {}, platform: { default: 'linux' }, flavour: { default: 'cpu' } },
    results: { digest: {} },
    workspaces: { source: {} },
    steps: [{ name: 'build', image: 'busybox', script: 'true' }],
  });
  const notify = new Task(chart, 'notify', {
    metadata: { name: 'notify' },
    params: { status: {}, aggregate: { default: '' } },
    steps: [{ name: 'notify', image: 'busybox', script: 'true' }],
  });
  const pipeline = new Pipeline(chart, 'pipeline', {
    metadata: { name: 'ci' },
    description: 'clone and build',
    displayName: 'CI',
    params: { repo: {}, deploy: { default: 'false', enum: ['true', 'false'] } },
    workspaces: { shared: { description: 'the checkout' }, extra: { optional: true } },
  });
  return { chart, clone, build, notify, pipeline };
}

describe('Pipeline', () => {
  test('renders params, workspaces, tasks with taskRef, params, workspace bindings and runAfter', () => {
    const { chart, clone, build, pipeline } = fixture();
    const c = pipeline.addTask('fetch', clone, {
      params: { url: pipeline.params.repo },
      workspaces: { output: pipeline.workspaces.shared },
    });
    pipeline.addTask('build', build, {
      params: { commit: c.results.commit },
      workspaces: { source: pipeline.workspaces.shared.withSubPath('src') },
      runAfter: [c],
      timeout: Duration.hours(2),
      retries: 2,
      displayName: 'Build it',
      description: 'builds',
    });
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p).toMatchObject({
      metadata: { name: 'ci' },
      spec: {
        description: 'clone and build',
        displayName: 'CI',
        params: [
          { name: 'repo', type: 'string' },
          { name: 'deploy', type: 'string', default: 'false', enum: ['true', 'false'] },
        ],
        workspaces: [
          { name: 'shared', description: 'the checkout' },
          { name: 'extra', optional: true },
        ],
      },
    });
    expect(p.spec.tasks).toEqual([
      {
        name: 'fetch',
        taskRef: { name: 'clone' },
        params: [{ name: 'url', value: '$(params.repo)' }],
        workspaces: [{ name: 'output', workspace: 'shared' }],
      },
      {
        name: 'build',
        taskRef: { name: 'build' },
        displayName: 'Build it',
        description: 'builds',
        params: [{ name: 'commit', value: '$(tasks.fetch.results.commit)' }],
        workspaces: [{ name: 'source', workspace: 'shared', subPath: 'src' }],
        runAfter: ['fetch'],
        timeout: '2h0m0s',
        retries: 2,
      },
    ]);
    expectSchemaClean(objects);
  });

  test('renders finally tasks reading $(tasks.t.status) and $(tasks.status)', () => {
    const { chart, clone, notify, pipeline } = fixture();
    const c = pipeline.addTask('fetch', clone, { params: { url: 'u' }, workspaces: { output: pipeline.workspaces.shared } });
    const n = pipeline.addFinally('notify', notify, { params: { status: c.status, aggregate: pipeline.tasksStatus } });
    expect(n.isFinally).toBe(true);
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p.spec.finally).toEqual([
      {
        name: 'notify',
        taskRef: { name: 'notify' },
        params: [
          { name: 'status', value: '$(tasks.fetch.status)' },
          { name: 'aggregate', value: '$(tasks.status)' },
        ],
      },
    ]);
    expect(p.spec.tasks.map((t: { name: string }) => t.name)).toEqual(['fetch']);
    expectSchemaClean(objects);
  });

  test('renders when expressions with input/operator/values and CEL', () => {
    const { chart, build, pipeline } = fixture();
    pipeline.addTask('build', build, {
      params: { commit: 'abc' },
      workspaces: { source: pipeline.workspaces.shared },
      when: [
        When.in(pipeline.params.deploy, ['true']),
        When.notIn(pipeline.workspaces.extra.bound, ['false']),
        { input: PipelineContext.pipelineRunName, operator: 'notin', values: ['skip'] },
        When.cel(`'${pipeline.params.repo}' != ''`),
      ],
    });
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p.spec.tasks[0].when).toEqual([
      { input: '$(params.deploy)', operator: 'in', values: ['true'] },
      { input: '$(workspaces.extra.bound)', operator: 'notin', values: ['false'] },
      { input: '$(context.pipelineRun.name)', operator: 'notin', values: ['skip'] },
      { cel: "'$(params.repo)' != ''" },
    ]);
    expectSchemaClean(objects);
  });

  test('renders a matrix with params (literal and whole-array result) and include rows', () => {
    const { chart, clone, build, pipeline } = fixture();
    const c = pipeline.addTask('fetch', clone, { params: { url: 'u' }, workspaces: { output: pipeline.workspaces.shared } });
    pipeline.addTask('build', build, {
      params: { commit: c.results.commit },
      workspaces: { source: pipeline.workspaces.shared },
      matrix: {
        params: { platform: c.results.platforms, flavour: ['cpu', 'gpu'] },
        include: [{ name: 'arm-gpu', params: { platform: 'linux/arm64', flavour: 'gpu' } }],
      },
    });
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p.spec.tasks[1].matrix).toEqual({
      params: [
        { name: 'platform', value: '$(tasks.fetch.results.platforms[*])' },
        { name: 'flavour', value: ['cpu', 'gpu'] },
      ],
      include: [
        {
          name: 'arm-gpu',
          params: [
            { name: 'platform', value: 'linux/arm64' },
            { name: 'flavour', value: 'gpu' },
          ],
        },
      ],
    });
    expectSchemaClean(objects);
  });

  test('embeds an EmbeddedTask as taskSpec, and a Task once per use by taskRef', () => {
    const { chart, pipeline } = fixture();
    const inline = new EmbeddedTask(chart, 'inline', {
      params: { msg: {} },
      results: { out: {} },
      steps: [{ name: 'echo', image: 'busybox', script: 'echo $(params.msg) > $(results.out.path)' }],
    });
    const first = pipeline.addTask('first', inline, { params: { msg: 'hello' } });
    pipeline.addTask('second', inline, { params: { msg: first.results.out } });
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p.spec.tasks[1]).toEqual({
      name: 'second',
      params: [{ name: 'msg', value: '$(tasks.first.results.out)' }],
      taskSpec: {
        params: [{ name: 'msg', type: 'string' }],
        results: [{ name: 'out', type: 'string' }],
        steps: [{ name: 'echo', image: 'busybox', script: 'echo $(params.msg) > $(results.out.path)' }],
      },
    });
    expect(objects.filter((o) => o.kind === 'Task').map((o) => o.metadata.name)).toEqual(['clone', 'build', 'notify']);
    expectSchemaClean(objects);
  });

  test('renders pipeline results of every type with their inferred type', () => {
    const { chart, clone, pipeline } = fixture();
    const c = pipeline.addTask('fetch', clone, { params: { url: 'u' }, workspaces: { output: pipeline.workspaces.shared } });
    const r = pipeline.addResult('commit', c.results.commit, { description: 'the commit' });
    pipeline.addResult('platforms', c.results.platforms);
    pipeline.addResult('source_ARTIFACT_INPUTS', { uri: c.results.commit, digest: `sha1:${c.results.commit}` });
    pipeline.addResult('listed', [c.results.commit]);
    expect(r).toMatchObject({ name: 'commit', type: 'string' });
    const objects = Testing.synth(chart);
    const p = objects.find((o) => o.kind === 'Pipeline');
    expect(p.spec.results).toEqual([
      { name: 'commit', type: 'string', description: 'the commit', value: '$(tasks.fetch.results.commit)' },
      { name: 'platforms', type: 'array', value: '$(tasks.fetch.results.platforms[*])' },
      {
        name: 'source_ARTIFACT_INPUTS',
        type: 'object',
        value: { uri: '$(tasks.fetch.results.commit)', digest: 'sha1:$(tasks.fetch.results.commit)' },
      },
      { name: 'listed', type: 'array', value: ['$(tasks.fetch.results.commit)'] },
    ]);
    expectSchemaClean(objects);
  });

  test('onError renders on a pipeline task', () => {
    const { chart, notify, pipeline } = fixture();
    pipeline.addTask('n', notify, { params: { status: 'x' }, onError: 'continue' });
    const p = Testing.synth(chart).find((o) => o.kind === 'Pipeline');
    expect(p.spec.tasks[0].onError).toBe('continue');
  });

  test('a pipeline task name used twice (tasks or finally) throws at once; a new name does not', () => {
    const { notify, pipeline } = fixture();
    pipeline.addTask('notify', notify, { params: { status: 'x' } });
    expect(() => pipeline.addFinally('notify', notify, { params: { status: 'x' } })).toThrow(
      '[test/pipeline] pipeline task "notify" is declared twice: names must be unique among tasks and finally',
    );
    expect(() => pipeline.addFinally('notify-end', notify, { params: { status: 'x' } })).not.toThrow();
  });

  test('a pipeline result name used twice throws at once', () => {
    const { pipeline } = fixture();
    pipeline.addResult('r', 'x');
    expect(() => pipeline.addResult('r', 'y')).toThrow('pipeline result "r" is declared twice');
  });

  test('a pipeline task timeout that is not a go duration throws at once', () => {
    const { notify, pipeline } = fixture();
    expect(() => pipeline.addTask('n', notify, { params: { status: 'x' }, timeout: '10 minutes' })).toThrow(
      'pipeline task "n" timeout "10 minutes" is not a go duration',
    );
  });
});
