import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pipelineFlowchart } from '../src/graph/pipeline-flowchart';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

function cli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pipelineFlowchart', () => {
  test('draws tasks, runAfter, result references with their results, and pipeline results', () => {
    const chart = pipelineFlowchart({
      metadata: { name: 'p' },
      spec: {
        tasks: [
          { name: 'fetch', taskRef: { name: 'git' } },
          {
            name: 'build',
            taskRef: { name: 'make' },
            runAfter: ['fetch'],
            params: [{ name: 'a', value: '$(tasks.fetch.results.commit)' }],
          },
          { name: 'test', taskSpec: { steps: [] }, when: [{ input: '$(tasks.build.results.ok)', operator: 'in', values: ['yes'] }] },
        ],
        results: [{ name: 'image', value: { url: '$(tasks.build.results.out.url)', digest: '$(tasks.build.results.out.digest)' } }],
      },
    });
    const lines = chart.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('    task_fetch["fetch<br/><small>Task git</small>"]');
    expect(lines).toContain('    task_test["test<br/><small>embedded Task</small>"]');
    // runAfter and a result reference between the same tasks: one arrow, labelled with the result
    expect(lines.filter((l) => l.includes('task_fetch -'))).toEqual(['  task_fetch -- "commit" --> task_build']);
    // a result read by a when expression is a dependency too
    expect(lines).toContain('  task_build -- "ok" --> task_test');
    expect(lines).toContain('  result_image[/"image"/]');
    expect(lines).toContain('  task_build -.-> result_image');
    expect(chart).not.toContain('finally');
  });

  test('draws finally tasks in their own box after the tasks box', () => {
    const chart = pipelineFlowchart({
      spec: {
        tasks: [{ name: 'work', taskRef: { name: 'w' } }],
        finally: [
          {
            name: 'report',
            taskRef: { name: 'r' },
            params: [
              { name: 's', value: '$(tasks.work.status)' },
              { name: 'x', value: '$(tasks.work.results.log)' },
            ],
          },
        ],
      },
    });
    expect(chart).toContain(
      '  subgraph finally["finally"]\n    task_report["report<br/><small>Task r</small>"]\n  end\n  tasks ==> finally\n',
    );
    expect(chart).toContain('  task_work -- "log" --> task_report');
  });

  test('tasks without runAfter or references get no arrow; unknown runAfter names are not drawn', () => {
    const chart = pipelineFlowchart({
      spec: {
        tasks: [
          { name: 'a', taskRef: { name: 't' }, runAfter: ['ghost'] },
          { name: 'b', taskRef: { name: 't' } },
        ],
      },
    });
    expect(chart).not.toMatch(/-->|ghost/);
  });

  test('escapes labels and keeps ids unique', () => {
    const chart = pipelineFlowchart({
      spec: {
        tasks: [
          { name: 'a-b', taskRef: { resolver: 'git' } },
          { name: 'a_b', taskRef: { name: 'x"<y>' }, runAfter: ['a-b'] },
        ],
      },
    });
    expect(chart).toContain('task_a_b["a-b<br/><small>git resolver</small>"]');
    expect(chart).toContain('task_a_b_2["a_b<br/><small>Task x#quot;#lt;y#gt;</small>"]');
    expect(chart).toContain('  task_a_b --> task_a_b_2');
  });

  test('is deterministic', () => {
    const p = {
      spec: {
        tasks: [
          { name: 'z', taskRef: { name: 't' }, runAfter: ['y', 'x'] },
          { name: 'x', taskRef: { name: 't' } },
          { name: 'y', taskRef: { name: 't' } },
        ],
      },
    };
    expect(pipelineFlowchart(p)).toBe(pipelineFlowchart(JSON.parse(JSON.stringify(p))));
    expect(pipelineFlowchart(p).indexOf('task_x --> task_z')).toBeLessThan(pipelineFlowchart(p).indexOf('task_y --> task_z'));
  });
});

describe('slsa-for-models graph', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-graph-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('draws the model pipeline from dist/ by default', () => {
    const r = cli(['graph']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  task_git_clone --> task_build_model\n');
    expect(r.stdout).toContain('  task_build_model -- "digest, model-path" --> task_upload_model\n');
    expect(r.stdout).toContain('  task_upload_model -.-> result_model_ARTIFACT_OUTPUTS\n');
    expect(r.stdout).toContain('  task_git_clone -.-> result_source_ARTIFACT_INPUTS\n');
  });

  test.each([['docs/pipeline.md'], ['README.md']])(
    '%s embeds the current picture (regenerate with: npx slsa-for-models graph --format markdown)',
    (file) => {
      const doc = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const embedded = /<!-- graph:begin -->\n([\s\S]*?)<!-- graph:end -->/.exec(doc);
      expect(embedded).not.toBeNull();
      expect(embedded![1]).toBe(cli(['graph', '--format', 'markdown', 'dist']).stdout);
    },
  );

  test('--pipeline chooses among several; without it several are a usage error', () => {
    const file = path.join(tmp, 'two.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: one}\nspec: {tasks: [{name: a, taskRef: {name: t}}]}',
        'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: two}\nspec: {tasks: [{name: b, taskRef: {name: t}}]}',
      ].join('\n---\n'),
    );
    const both = cli(['graph', file]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(`slsa-for-models graph: ${file} holds 2 Pipelines (one, two); choose one with --pipeline NAME\n`);
    const two = cli(['graph', '--pipeline', 'two', file]);
    expect(two.status).toBe(0);
    expect(two.stdout).toContain('task_b["b');
    expect(two.stdout).not.toContain('task_a');
    const none = cli(['graph', '--pipeline', 'three', file]);
    expect(none.stderr).toBe(`slsa-for-models graph: ${file} holds no Pipeline named "three" (pipelines: one, two)\n`);
  });

  test('the same Pipeline in two files (dist/ and its pac/.tekton/) is one; two different ones of one name are a usage error', () => {
    const dir = path.join(tmp, 'same');
    fs.mkdirSync(path.join(dir, 'pac', '.tekton'), { recursive: true });
    const pipeline = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: one}\nspec: {tasks: [{name: a, taskRef: {name: t}}]}\n';
    fs.writeFileSync(path.join(dir, 'one.yaml'), pipeline);
    fs.writeFileSync(path.join(dir, 'pac', '.tekton', 'one.yaml'), pipeline);
    const same = cli(['graph', dir]);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('task_a["a');
    fs.writeFileSync(path.join(dir, 'pac', '.tekton', 'one.yaml'), pipeline.replace('name: a,', 'name: b,'));
    const different = cli(['graph', '--pipeline', 'one', dir]);
    expect(different.status).toBe(2);
    expect(different.stderr).toContain(
      `holds 2 Pipelines named "one" (in ${path.join(dir, 'one.yaml')}, ${path.join(dir, 'pac', '.tekton', 'one.yaml')}); name one file`,
    );
  });

  test('unreadable input, input without a Pipeline, bad YAML and a bad format exit 2 with one line', () => {
    const cases: [string[], RegExp][] = [
      [['graph', path.join(tmp, 'missing')], /^slsa-for-models graph: cannot read .*missing: no such file or directory\n$/],
      [['graph', path.join(ROOT, 'dist', 'runs')], /^slsa-for-models graph: .*runs holds no tekton\.dev Pipeline\n$/],
      [['graph', '--format', 'svg'], /^slsa-for-models graph: --format takes mermaid or markdown, not "svg"\n$/],
      [['graph', 'a', 'b'], /^slsa-for-models graph: give one DIR or FILE, not 2\n$/],
    ];
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'kind: Pipeline\n  spec: [\n');
    cases.push([['graph', bad], /^slsa-for-models graph: .*bad\.yaml:\d+: not valid YAML/]);
    for (const [args, message] of cases) {
      const r = cli(args);
      expect([args, r.status]).toEqual([args, 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  test('--help prints the usage', () => {
    const r = cli(['graph', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: slsa-for-models graph/);
  });
});
