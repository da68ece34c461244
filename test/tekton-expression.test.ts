import { Testing } from 'cdk8s';
import {
  ArrayExpression,
  EmbeddedTask,
  ObjectExpression,
  Pipeline,
  PipelineContext,
  StringExpression,
  Task,
  TaskContext,
} from '../src/tekton';

describe('typed expressions', () => {
  // GIVEN a Task declaring one param, result and workspace of every kind
  const chart = Testing.chart();
  const task = new Task(chart, 'task', {
    params: {
      url: {},
      'model.name': {},
      flags: { type: 'array' },
      source: { type: 'object', properties: { url: {}, revision: {} } },
    },
    results: { commit: {}, list: { type: 'array' }, artifact: { type: 'object', properties: { uri: {}, digest: {} } } },
    workspaces: { output: {}, cache: { optional: true } },
  });

  test('string param renders $(params.x)', () => {
    expect(task.params.url).toBeInstanceOf(StringExpression);
    expect(`${task.params.url}`).toBe('$(params.url)');
  });

  test('a param name with a dot renders the bracket form', () => {
    expect(String(task.params['model.name'])).toBe('$(params["model.name"])');
  });

  test('array param renders [*] as a whole and [i] per element', () => {
    expect(task.params.flags).toBeInstanceOf(ArrayExpression);
    expect(`${task.params.flags}`).toBe('$(params.flags[*])');
    expect(`${task.params.flags.at(0)}`).toBe('$(params.flags[0])');
    expect(`${task.params.flags.at(12)}`).toBe('$(params.flags[12])');
    expect(() => task.params.flags.at(-1)).toThrow('array index of $(params.flags) must be a non-negative integer, got -1');
  });

  test('object param renders keys and the whole object', () => {
    expect(task.params.source).toBeInstanceOf(ObjectExpression);
    expect(`${task.params.source.key('url')}`).toBe('$(params.source.url)');
    expect(`${task.params.source}`).toBe('$(params.source[*])');
  });

  test('an undeclared key of an object throws at once, naming the declared keys', () => {
    expect(() => (task.params.source as ObjectExpression<string>).key('branch')).toThrow(
      'object $(params.source) has no key "branch" (declared: url, revision)',
    );
  });

  test('results render their path inside the task', () => {
    expect(`${task.results.commit}`).toBe('$(results.commit.path)');
    expect(`${task.results.commit.path}`).toBe('$(results.commit.path)');
    expect(`${task.results.artifact.path}`).toBe('$(results.artifact.path)');
  });

  test('workspaces render path, bound, claim and volume', () => {
    expect(`${task.workspaces.output}`).toBe('$(workspaces.output.path)');
    expect(`${task.workspaces.cache.bound}`).toBe('$(workspaces.cache.bound)');
    expect(`${task.workspaces.output.claim}`).toBe('$(workspaces.output.claim)');
    expect(`${task.workspaces.output.volume}`).toBe('$(workspaces.output.volume)');
  });

  test('pipeline task results render $(tasks.t.results.r) and their array/object forms', () => {
    const pipeline = new Pipeline(Testing.chart(), 'p', { workspaces: { ws: {} } });
    const t = pipeline.addTask('clone', task, {
      params: { url: 'u', 'model.name': 'm', flags: [], source: { url: 'u', revision: 'r' } },
      workspaces: { output: pipeline.workspaces.ws },
    });
    expect(`${t.results.commit}`).toBe('$(tasks.clone.results.commit)');
    expect(`${t.results.list}`).toBe('$(tasks.clone.results.list[*])');
    expect(`${t.results.list.at(1)}`).toBe('$(tasks.clone.results.list[1])');
    expect(`${t.results.artifact}`).toBe('$(tasks.clone.results.artifact[*])');
    expect(`${t.results.artifact.key('digest')}`).toBe('$(tasks.clone.results.artifact.digest)');
    expect(`${t.status}`).toBe('$(tasks.clone.status)');
    expect(`${t.reason}`).toBe('$(tasks.clone.reason)');
    expect(`${pipeline.tasksStatus}`).toBe('$(tasks.status)');
    expect(`${pipeline.workspaces.ws.bound}`).toBe('$(workspaces.ws.bound)');
  });

  test('context variables', () => {
    expect(`${PipelineContext.pipelineRunName}`).toBe('$(context.pipelineRun.name)');
    expect(`${PipelineContext.pipelineRunNamespace}`).toBe('$(context.pipelineRun.namespace)');
    expect(`${PipelineContext.pipelineRunUid}`).toBe('$(context.pipelineRun.uid)');
    expect(`${PipelineContext.pipelineName}`).toBe('$(context.pipeline.name)');
    expect(`${PipelineContext.pipelineTaskRetries}`).toBe('$(context.pipelineTask.retries)');
    expect(`${TaskContext.taskRunName}`).toBe('$(context.taskRun.name)');
    expect(`${TaskContext.taskRunNamespace}`).toBe('$(context.taskRun.namespace)');
    expect(`${TaskContext.taskRunUid}`).toBe('$(context.taskRun.uid)');
    expect(`${TaskContext.taskName}`).toBe('$(context.task.name)');
    expect(`${TaskContext.taskRetryCount}`).toBe('$(context.task.retry-count)');
  });

  test('expressions survive template literals in scripts, verbatim in the synthesized step', () => {
    const c = Testing.chart();
    const t = new Task(c, 't', {
      params: { url: {}, flags: { type: 'array' }, src: { type: 'object', properties: { path: {} } } },
      results: { digest: {} },
      workspaces: { out: {} },
    });
    t.addStep({
      name: 'run',
      image: 'busybox',
      script: `#!/bin/sh\nset -eu\ncd "${t.workspaces.out}/${t.params.src.key('path')}"\necho "$(date)" ${t.params.url} | tee ${t.results.digest}\necho ${TaskContext.taskRunName}\n`,
      args: ['--flags', t.params.flags],
    });
    const [object] = Testing.synth(c);
    expect(object.spec.steps[0].script).toBe(
      '#!/bin/sh\nset -eu\ncd "$(workspaces.out.path)/$(params.src.path)"\necho "$(date)" $(params.url) | tee $(results.digest.path)\necho $(context.taskRun.name)\n',
    );
    expect(object.spec.steps[0].args).toEqual(['--flags', '$(params.flags[*])']);
  });

  test('an expression serialises to its text in JSON', () => {
    expect(JSON.stringify({ v: task.params.url, a: task.params.flags })).toBe('{"v":"$(params.url)","a":"$(params.flags[*])"}');
  });

  test('embedded tasks hand out the same references', () => {
    const e = new EmbeddedTask(Testing.chart(), 'e', { params: { x: {} }, results: { y: {} } });
    expect(`${e.params.x}`).toBe('$(params.x)');
    expect(`${e.results.y}`).toBe('$(results.y.path)');
  });
});
