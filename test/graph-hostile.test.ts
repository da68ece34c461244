// `slsa-for-models graph` on Pipelines a hand-written file can hold: names that need escaping,
// malformed task lists, finally/when/matrix, many tasks, empty pipelines, another working directory.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlowchartPipeline, pipelineFlowchart, PipelineShapeError } from '../src/graph/pipeline-flowchart';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

let tmp: string;
beforeAll(() => {
  spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build-if-stale.js')], { cwd: ROOT, stdio: 'ignore' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-hostile-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function graph(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'graph', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipelineFlowchart: names that need escaping', () => {
  test('a pipeline name with line breaks stays inside its comment line', () => {
    const chart = pipelineFlowchart({ metadata: { name: 'p\nflowchart RL\n  x["injected"]' }, spec: { tasks: [] } });
    expect(chart.split('\n')[1]).toBe('  %% Pipeline p flowchart RL   x["injected"]');
    expect(chart.split('\n').filter((line) => line.startsWith('flowchart'))).toEqual(['flowchart LR']);
  });

  test('quotes, brackets, #, & and line breaks in task names show as written, ids stay plain', () => {
    const chart = pipelineFlowchart({ spec: { tasks: [{ name: 'a "q" [b] #quot; & <i>\nx', taskRef: { name: 't' } }] } });
    expect(chart).toContain(
      '    task_a__q___b___quot_____i__x["a #quot;q#quot; [b] #35;quot; #amp; #lt;i#gt; x<br/><small>Task t</small>"]\n',
    );
  });

  test('unicode names keep their label, get distinct ids', () => {
    const chart = pipelineFlowchart({
      spec: {
        tasks: [
          { name: 'ü', taskRef: { name: 't' } },
          { name: 'ö', taskRef: { name: 't' }, runAfter: ['ü'] },
        ],
      },
    });
    expect(chart).toContain('    task__["ü<br/>');
    expect(chart).toContain('    task___2["ö<br/>');
    expect(chart).toContain('  task__ --> task___2\n');
  });

  test('a plain name is left alone (the close case)', () => {
    expect(pipelineFlowchart({ spec: { tasks: [{ name: 'build', taskRef: { name: 't' } }] } })).toContain(
      '    task_build["build<br/><small>Task t</small>"]\n',
    );
  });
});

describe('pipelineFlowchart: shapes', () => {
  test.each([
    [{ spec: { tasks: { a: 1 } } }, 'pipeline "p": spec.tasks is an object (expected a list)'],
    [{ spec: { finally: 'x' } }, 'pipeline "p": spec.finally is string "x" (expected a list)'],
    [{ spec: { tasks: [{ taskRef: { name: 't' } }] } }, 'pipeline "p": spec.tasks[0].name is missing (expected the task\'s name)'],
    [{ spec: { tasks: [{ name: 12 }] } }, 'pipeline "p": spec.tasks[0].name is number 12 (expected the task\'s name)'],
    [
      { spec: { tasks: [{ name: 'a', runAfter: 'b' }] } },
      'pipeline "p": spec.tasks[0].runAfter is string "b" (expected a list of task names)',
    ],
    [{ spec: { tasks: [null] } }, 'pipeline "p": spec.tasks[0] is null (expected an object)'],
    [{ spec: { results: [{ value: 'x' }] } }, 'pipeline "p": spec.results[0].name is missing (expected the result\'s name)'],
  ])('%j cannot be drawn: %s', (spec, message) => {
    const pipeline = { metadata: { name: 'p' }, ...spec } as unknown as FlowchartPipeline;
    expect(() => pipelineFlowchart(pipeline)).toThrow(PipelineShapeError);
    expect(() => pipelineFlowchart(pipeline)).toThrow(message);
  });

  test('an empty pipeline (no spec, or no tasks) draws an empty tasks box', () => {
    expect(pipelineFlowchart({ metadata: { name: 'e' } })).toBe('flowchart LR\n  %% Pipeline e\n  subgraph tasks["tasks"]\n  end\n');
    expect(pipelineFlowchart({ metadata: { name: 'e' }, spec: { tasks: [], finally: [] } })).toBe(
      'flowchart LR\n  %% Pipeline e\n  subgraph tasks["tasks"]\n  end\n',
    );
  });

  test('when and matrix references draw labelled arrows; finally tasks reading statuses draw none of their own', () => {
    const chart = pipelineFlowchart({
      spec: {
        tasks: [
          { name: 'a', taskRef: { name: 't' } },
          { name: 'b', taskRef: { name: 't' }, when: [{ input: '$(tasks.a.results.go)', operator: 'in', values: ['yes'] }] },
          { name: 'c', taskRef: { name: 't' }, matrix: { params: [{ name: 'v', value: '$(tasks.a.results.versions[*])' }] } },
        ],
        finally: [{ name: 'report', taskRef: { name: 't' }, params: [{ name: 's', value: '$(tasks.a.status)' }] }],
      },
    });
    expect(chart).toContain('  task_a -- "go" --> task_b\n');
    expect(chart).toContain('  task_a -- "versions" --> task_c\n');
    expect(chart).toContain('  tasks ==> finally\n');
    expect(chart).not.toContain('--> task_report');
  });

  test('many tasks: one node and one arrow each, quickly', () => {
    const tasks = Array.from({ length: 2000 }, (_, i) => ({
      name: `t${i}`,
      taskRef: { name: 'x' },
      ...(i > 0 ? { runAfter: [`t${i - 1}`] } : {}),
    }));
    const started = Date.now();
    const chart = pipelineFlowchart({ spec: { tasks } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(chart.match(/^ {4}task_t\d+\[/gm)).toHaveLength(2000);
    expect(chart.match(/-->/g)).toHaveLength(1999);
  });
});

describe('slsa-for-models graph: the command', () => {
  test('a malformed Pipeline file: exit 2, one line naming the file and field, no internal error', () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: bad}\nspec:\n  tasks:\n    - taskRef: {name: t}\n');
    expect(graph([file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `slsa-for-models graph: ${file}: pipeline "bad": spec.tasks[0].name is missing (expected the task's name)\n`,
    });
  });

  test('pipeline names with escape sequences are printed without them in messages', () => {
    const file = path.join(tmp, 'two.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: "a\\e[2J"}\n---\napiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: b}\n',
    );
    expect(graph([file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `slsa-for-models graph: ${file} holds 2 Pipelines (a?[2J, b); choose one with --pipeline NAME\n`,
    });
  });

  test('without an argument, outside a project with dist/, it draws the pipeline this package ships', () => {
    const result = graph([], tmp);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('  %% Pipeline slsa-for-models\n');
  });

  test('without an argument, a ./dist in the working directory wins (the close case)', () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(path.join(project, 'dist'), { recursive: true });
    fs.writeFileSync(
      path.join(project, 'dist', 'p.yaml'),
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: mine}\nspec: {tasks: []}\n',
    );
    expect(graph([], project).stdout).toContain('  %% Pipeline mine\n');
  });
});
