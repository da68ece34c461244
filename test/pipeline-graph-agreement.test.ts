/**
 * One dependency graph: `graph`, `check` and the rehearsal read a Pipeline's task dependencies
 * from the same PipelineGraph, so they agree on bracket notation, matrix params, when inputs and
 * the steps and sidecars of embedded specs (before, graph's regex missed bracket notation and the
 * rehearsal ignored matrix params and embedded specs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDocuments } from '../src/check';
import { pipelineFlowchart } from '../src/graph/pipeline-flowchart';
import { rehearsePipelineRun } from '../src/rehearse/pipeline-run-rehearsal';
import { RehearsalError } from '../src/rehearse/rehearsal-error';
import { readTektonFeatureFlags } from '../src/tekton-model/feature-flags';
import { PipelineGraph } from '../src/tekton-model/pipeline-graph';

const step = (script: string) => ({ name: 's', image: 'busybox', script });
const producing = (script = 'echo -n x > $(results.r.path)') => ({ results: [{ name: 'r' }], steps: [step(script)] });

/** Every kind of dependency Tekton counts, each once; `a` is fetched by a resolver, so the rehearsal stops there. */
function spec(): any {
  return {
    tasks: [
      { name: 'a', taskRef: { resolver: 'git', params: [{ name: 'url', value: 'https://example.com/a.git' }] } },
      { name: 'b', params: [{ name: 'x', value: '$(tasks.a.results["r"])' }], taskSpec: { params: [{ name: 'x' }], ...producing() } },
      {
        name: 'c',
        matrix: { params: [{ name: 'm', value: ['$(tasks.b.results.r)', 'two'] }] },
        taskSpec: { params: [{ name: 'm' }], steps: [step('echo $(params.m)')] },
      },
      { name: 'd', taskSpec: producing('echo $(tasks.a.results.r) > $(results.r.path)') },
      { name: 'e', when: [{ input: "$(tasks.d.results['r'])", operator: 'in', values: ['x'] }], taskSpec: producing() },
      {
        name: 'f',
        runAfter: ['e'],
        taskSpec: { steps: [step('true')], sidecars: [{ name: 'side', image: 'busybox', script: 'echo $(tasks.c.results.r[*])' }] },
      },
    ],
    finally: [
      {
        name: 'g',
        params: [{ name: 'y', value: '$(tasks.f.status)' }],
        taskSpec: { params: [{ name: 'y' }], steps: [step('echo $(tasks.a.results.r)')] },
      },
    ],
  };
}

/** The edges among `tasks`, as `to -> from` (the producer first, as the picture draws them). */
const EXPECTED = ['a -> b', 'a -> d', 'b -> c', 'c -> f', 'd -> e', 'e -> f'];

function drawnEdges(pipelineSpec: unknown): string[] {
  const chart = pipelineFlowchart({ metadata: { name: 'p' }, spec: pipelineSpec as any });
  return [...chart.matchAll(/^ {2}task_(\w+) (?:-- "[^"]*" )?--> task_(\w+)$/gm)].map((m) => `${m[1]} -> ${m[2]}`).sort();
}

function checkRules(pipelineSpec: unknown): string[] {
  return checkDocuments([{ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec: pipelineSpec }]).map(
    (f) => f.rule,
  );
}

function rehearsalError(pipelineSpec: unknown): string {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-agreement-'));
  try {
    rehearsePipelineRun({
      pipelineRun: { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr', uid: 'uid-1' }, spec: { pipelineSpec } },
      objects: [],
      flags: readTektonFeatureFlags({}),
      workDir,
      env: process.env,
      report: () => undefined,
    });
  } catch (err) {
    if (err instanceof RehearsalError) return err.message;
    throw err;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  throw new Error('expected the rehearsal to stop');
}

/** The spec with `producer` made to run after `consumer`: a cycle through the edge consumer -> producer. */
function withBackEdge(producer: string, consumer: string): unknown {
  const s = spec();
  const task = s.tasks.find((t: any) => t.name === producer);
  task.runAfter = [...(task.runAfter ?? []), consumer];
  return s;
}

describe('graph, check and rehearse agree on the dependency graph', () => {
  test('the model finds every kind of edge, with why and where', () => {
    const graph = PipelineGraph.of(spec());
    expect(
      graph
        .dagEdges()
        .map((e) => `${e.to} -> ${e.from}`)
        .sort(),
    ).toEqual(EXPECTED);
    expect(graph.dagEdges().map((e) => `${e.from} ${e.via} ${e.path.join('.')}`)).toEqual([
      'b result tasks.1.params.0.value',
      'c result tasks.2.matrix.params.0.value.0',
      'd result tasks.3.taskSpec.steps.0.script',
      'e when tasks.4.when.0.input',
      'f runAfter tasks.5.runAfter.0',
      'f result tasks.5.taskSpec.sidecars.0.script',
    ]);
    // a finally task's reference is drawn, but is no edge of Tekton's DAG
    expect(graph.edges.filter((e) => e.from === 'g').map((e) => e.to)).toEqual(['a']);
  });

  test('graph draws each edge (and the finally task reading a result of a)', () => {
    expect(drawnEdges(spec())).toEqual([...EXPECTED, 'a -> g'].sort());
  });

  test('without a cycle, neither check nor the rehearsal sees one (the rehearsal gets as far as the first task)', () => {
    expect(checkRules(spec())).not.toContain('pipeline-cycle');
    expect(rehearsalError(spec())).toBe('task "a" uses the "git" resolver; rehearse runs only Tasks given as objects');
  });

  test.each(EXPECTED)('check and the rehearsal both see the edge %s: a runAfter the other way closes a cycle', (edge) => {
    const [producer, consumer] = edge.split(' -> ');
    const cyclic = withBackEdge(producer, consumer);
    expect(checkRules(cyclic)).toContain('pipeline-cycle');
    expect(rehearsalError(cyclic)).toMatch(/depend on each other in a cycle/);
    expect(drawnEdges(cyclic)).toContain(`${consumer} -> ${producer}`);
  });
});
