/**
 * A Mermaid flowchart of a Tekton Pipeline, drawn from its plain JSON (a synthesized object or parsed
 * YAML): one node per pipeline task (in `tasks` and in `finally`), an arrow for each dependency
 * (`runAfter`, and result references labelled with the results they carry), and the Pipeline's results
 * with the tasks they come from. Deterministic: the same Pipeline always gives the same text.
 * The dependencies are the Pipeline's {@link PipelineGraph}, the one `check` and the rehearsal use.
 */
import { PipelineGraph, resultsRead } from '../tekton-model/pipeline-graph';

/** The parts of a Tekton Pipeline the flowchart reads. */
export interface FlowchartPipeline {
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly tasks?: readonly FlowchartTask[];
    readonly finally?: readonly FlowchartTask[];
    readonly results?: readonly { readonly name: string; readonly value?: unknown }[];
  };
}

/** The parts of a pipeline task the flowchart reads. */
export interface FlowchartTask {
  readonly name: string;
  readonly taskRef?: { readonly name?: string; readonly resolver?: string; readonly kind?: string };
  readonly taskSpec?: unknown;
  readonly runAfter?: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * Text that is safe inside a quoted Mermaid label and shows as written: `#` first (Mermaid's entity
 * escape, `#35;`), then the characters that would end the label or be read as HTML; line breaks and
 * other control characters become spaces (a label is one line).
 */
function label(text: string): string {
  return oneLine(text).replace(/#/g, '#35;').replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/** A Pipeline whose tasks or results do not have the shape Tekton requires, so it cannot be drawn. */
export class PipelineShapeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PipelineShapeError';
  }
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Checks the fields the flowchart reads; throws {@link PipelineShapeError} naming the first wrong one. */
function assertFlowchartShape(pipeline: FlowchartPipeline, name: string): void {
  const spec = pipeline.spec as Record<string, unknown> | undefined;
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new PipelineShapeError(`pipeline "${name}": ${field} is ${describeJson(value)} (expected ${expected})`);
  };
  if (spec === undefined) return;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) fail('spec', spec, 'an object');
  for (const field of ['tasks', 'finally', 'results'] as const) {
    const list = spec[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`spec.${field}`, list, 'a list');
    (list as unknown[]).forEach((entry, index) => {
      const at = `spec.${field}[${index}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(at, entry, 'an object');
      const item = entry as Record<string, unknown>;
      if (typeof item.name !== 'string' || item.name === '')
        fail(`${at}.name`, item.name, field === 'results' ? "the result's name" : "the task's name");
      if (
        field !== 'results' &&
        item.runAfter !== undefined &&
        (!Array.isArray(item.runAfter) || item.runAfter.some((after) => typeof after !== 'string'))
      ) {
        fail(`${at}.runAfter`, item.runAfter, 'a list of task names');
      }
    });
  }
}

function taskKind(task: FlowchartTask): string {
  if (task.taskRef?.resolver) return `${task.taskRef.resolver} resolver`;
  if (task.taskRef?.name) return `${task.taskRef.kind ?? 'Task'} ${task.taskRef.name}`;
  if (task.taskSpec !== undefined) return 'embedded Task';
  return 'no task';
}

/** Mermaid ids: the name with every other character as `_`, made unique. */
class Ids {
  private readonly used = new Set<string>();
  private readonly byKey = new Map<string, string>();

  public id(prefix: string, name: string): string {
    const key = `${prefix}:${name}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

/**
 * The Mermaid `flowchart` of `pipeline`. Solid arrows: `runAfter`; labelled arrows: result references
 * (labelled with the results); the `finally` tasks in their own box after the `tasks` box; dotted arrows
 * into the Pipeline's results. Throws {@link PipelineShapeError} when the tasks or results are not
 * lists of named objects (or `runAfter` is not a list of names).
 */
export function pipelineFlowchart(pipeline: FlowchartPipeline): string {
  const name = typeof pipeline.metadata?.name === 'string' ? pipeline.metadata.name : '(unnamed)';
  assertFlowchartShape(pipeline, oneLine(name));
  const ids = new Ids();
  const tasks = pipeline.spec?.tasks ?? [];
  const finallyTasks = pipeline.spec?.finally ?? [];
  const lines = ['flowchart LR', `  %% Pipeline ${oneLine(name)}`];
  const node = (task: FlowchartTask): string =>
    `${ids.id('task', task.name)}["${label(task.name)}<br/><small>${label(taskKind(task))}</small>"]`;

  lines.push('  subgraph tasks["tasks"]');
  for (const task of tasks) lines.push(`    ${node(task)}`);
  lines.push('  end');
  if (finallyTasks.length > 0) {
    lines.push('  subgraph finally["finally"]');
    for (const task of finallyTasks) lines.push(`    ${node(task)}`);
    lines.push('  end');
    lines.push('  tasks ==> finally');
  }

  const known = new Set([...tasks, ...finallyTasks].map((t) => t.name));
  const graph = PipelineGraph.of(pipeline.spec);
  for (const task of [...tasks, ...finallyTasks]) {
    const carried = new Map<string, Set<string>>();
    for (const edge of graph.edges) {
      if (edge.from !== task.name || !known.has(edge.to)) continue;
      let results = carried.get(edge.to);
      if (!results) carried.set(edge.to, (results = new Set()));
      if (edge.result !== undefined) results.add(edge.result);
    }
    for (const dependency of [...carried.keys()].sort()) {
      const results = [...carried.get(dependency)!].sort();
      const arrow = results.length > 0 ? `-- "${label(results.join(', '))}" -->` : '-->';
      lines.push(`  ${ids.id('task', dependency)} ${arrow} ${ids.id('task', task.name)}`);
    }
  }

  for (const result of pipeline.spec?.results ?? []) {
    const resultId = ids.id('result', result.name);
    lines.push(`  ${resultId}[/"${label(result.name)}"/]`);
    for (const producer of [...resultsRead(result.value).keys()].filter((t) => known.has(t)).sort()) {
      lines.push(`  ${ids.id('task', producer)} -.-> ${resultId}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
