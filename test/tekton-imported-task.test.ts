import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { ImportedTask, Pipeline, StringExpression } from '../src/tekton';

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const GIT_CLONE = path.join(SHARED, 'seed-gcp', 'tasks', 'git-clone.yml');
const haveGitClone = fs.existsSync(GIT_CLONE);
if (!haveGitClone) console.log(`skipping the catalog git-clone tests: ${GIT_CLONE} is absent`);
const withGitClone = haveGitClone ? test : test.skip;

const V1BETA1_TASK = `
apiVersion: tekton.dev/v1beta1
kind: Task
metadata:
  name: old-style
spec:
  params:
    - name: message
    - name: count
      default: "1"
  results:
    - name: said
  workspaces:
    - name: out
  stepTemplate:
    resources:
      limits: {memory: 1Gi}
  steps:
    - name: say
      image: busybox
      resources:
        requests: {cpu: 100m}
      script: echo "$(params.message)" | tee $(results.said.path)
  sidecars:
    - name: side
      image: busybox
      resources:
        requests: {cpu: 10m}
`;

describe('ImportedTask', () => {
  test('reads a v1beta1 Task and converts it to v1 (resources become computeResources)', () => {
    const chart = Testing.chart();
    const task = ImportedTask.fromYaml(chart, 'old', V1BETA1_TASK);
    expect(task.taskName).toBe('old-style');
    expect(Object.keys(task.declared.params)).toEqual(['message', 'count']);
    expect(Object.keys(task.declared.results)).toEqual(['said']);
    expect(Object.keys(task.declared.workspaces)).toEqual(['out']);
    const [object] = Testing.synth(chart);
    expect(object).toMatchObject({
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'old-style' },
      spec: {
        stepTemplate: { computeResources: { limits: { memory: '1Gi' } } },
        steps: [{ name: 'say', computeResources: { requests: { cpu: '100m' } } }],
        sidecars: [{ name: 'side', computeResources: { requests: { cpu: '10m' } } }],
      },
    });
    expect(object.spec.steps[0].resources).toBeUndefined();
  });

  test('a pipeline task runs it by taskRef and reads its results', () => {
    const chart = Testing.chart();
    const task = ImportedTask.fromYaml(chart, 'old', V1BETA1_TASK);
    const pipeline = new Pipeline(chart, 'p', { metadata: { name: 'p' }, workspaces: { ws: {} } });
    const say = pipeline.addTask('say', task, { params: { message: 'hello' }, workspaces: { out: pipeline.workspaces.ws } });
    pipeline.addTask('again', task, { params: { message: say.results.said }, workspaces: { out: pipeline.workspaces.ws } });
    const p = Testing.synth(chart).find((o) => o.kind === 'Pipeline');
    expect(p.spec.tasks[0].taskRef).toEqual({ name: 'old-style' });
    expect(p.spec.tasks[1].params).toEqual([{ name: 'message', value: '$(tasks.say.results.said)' }]);
  });

  test('a misspelled result of an imported task still renders, so synth reports it instead of writing "undefined"', () => {
    const chart = Testing.chart();
    const task = ImportedTask.fromYaml(chart, 'old', V1BETA1_TASK);
    const pipeline = new Pipeline(chart, 'p', { workspaces: { ws: {} } });
    const say = pipeline.addTask('say', task, { params: { message: 'hello' }, workspaces: { out: pipeline.workspaces.ws } });
    const misspelled = (say.results as Record<string, unknown>).sayd;
    expect(misspelled).toBeInstanceOf(StringExpression);
    expect(`${misspelled}`).toBe('$(tasks.say.results.sayd)');
    expect((say.results as Record<string, unknown>).then).toBeUndefined();
    pipeline.addTask('echo', task, { params: { message: misspelled as StringExpression }, workspaces: { out: pipeline.workspaces.ws } });
    expect(pipeline.findings().map((f) => f.rule)).toContain('task-result-undeclared');
    expect(() => Testing.synth(chart)).toThrow(/\[test\/p\] .*sayd/);
  });

  test('include: false keeps it out of the output, but pipelines are still checked against it', () => {
    const chart = Testing.chart();
    const task = ImportedTask.fromYaml(chart, 'old', V1BETA1_TASK, { include: false });
    const pipeline = new Pipeline(chart, 'p', { metadata: { name: 'p' }, workspaces: { ws: {} } });
    pipeline.addTask('say', task, { params: { count: '2' }, workspaces: { out: pipeline.workspaces.ws } });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/p\] .*requires param "message"/);
  });

  test('refuses what it cannot bring in, with one clear line', () => {
    const chart = Testing.chart();
    expect(() =>
      ImportedTask.fromYaml(chart, 'a', 'kind: Task\napiVersion: tekton.dev/v1\nmetadata: {}\nspec: {}\n', {}, 'a.yaml'),
    ).toThrow('a.yaml: task has no metadata.name, which pipelines need to refer to it');
    expect(() =>
      ImportedTask.fromYaml(chart, 'b', 'kind: Pipeline\napiVersion: tekton.dev/v1\nmetadata: {name: x}\n', {}, 'b.yaml'),
    ).toThrow('b.yaml: expected exactly one Task document, found 0');
    expect(() => ImportedTask.fromYaml(chart, 'c', 'kind: Task\n  bad: [\n', {}, 'c.yaml')).toThrow(/^c\.yaml: not valid yaml: /);
    expect(() =>
      ImportedTask.fromYaml(
        chart,
        'd',
        V1BETA1_TASK.replace('  params:', '  resources:\n    inputs: [{name: src, type: git}]\n  params:'),
        {},
        'd.yaml',
      ),
    ).toThrow('d.yaml: task uses spec.resources (PipelineResources), which tekton v1 removed: use params and workspaces instead');
    expect(() => ImportedTask.fromFile(chart, 'e', '/nonexistent/task.yaml')).toThrow(
      'cannot read task file /nonexistent/task.yaml: ENOENT',
    );
    expect(() => ImportedTask.fromYaml(chart, 'f', 'apiVersion: tekton.dev/v2\nkind: Task\nmetadata: {name: x}\n', {}, 'f.yaml')).toThrow(
      'f.yaml: not a tekton.dev/v1 or v1beta1 Task',
    );
  });

  withGitClone('the catalog git-clone (from ../shared) is read, typed by its data and checked at synth', () => {
    // GIVEN the catalog Task and a pipeline that forgets its required url and misspells a param
    const chart = Testing.chart();
    const gitClone = ImportedTask.fromFile(chart, 'git-clone', GIT_CLONE);
    expect(gitClone.taskName).toBe('git-clone');
    expect(gitClone.declared.params.url).toMatchObject({ name: 'url', type: 'string' });
    expect(Object.keys(gitClone.declared.workspaces)).toEqual(['output', 'ssh-directory', 'basic-auth', 'ssl-ca-directory']);
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'clone' }, workspaces: { source: {} } });
    pipeline.addTask('clone', gitClone, { params: { revison: 'main' }, workspaces: { output: pipeline.workspaces.source } });
    // THEN the missing param fails the synth with the pipeline's construct path, and the typo is a warning
    expect(() => Testing.synth(chart)).toThrow(/\[test\/pipeline\] .*Task\/git-clone requires param "url"/);
    const findings = pipeline.findings();
    expect(findings.find((f) => f.rule === 'param-undeclared')).toMatchObject({ severity: 'warning', constructPath: 'test/pipeline' });
    expect(findings.find((f) => f.rule === 'param-undeclared')!.message).toContain('"revison"');
  });

  withGitClone('the catalog git-clone wired correctly synthesizes as v1', () => {
    const chart = Testing.chart();
    const gitClone = ImportedTask.fromFile(chart, 'git-clone', GIT_CLONE);
    const pipeline = new Pipeline(chart, 'pipeline', { metadata: { name: 'clone' }, params: { url: {} }, workspaces: { source: {} } });
    const clone = pipeline.addTask('clone', gitClone, {
      params: { url: pipeline.params.url },
      workspaces: { output: pipeline.workspaces.source },
    });
    pipeline.addResult('commit', clone.results.commit);
    const objects = Testing.synth(chart);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'tekton.dev/v1 Task/git-clone',
      'tekton.dev/v1 Pipeline/clone',
    ]);
    expect(pipeline.findings().filter((f) => f.severity === 'error')).toEqual([]);
  });
});
