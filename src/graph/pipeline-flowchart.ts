/**
 * A Mermaid flowchart of a Tekton Pipeline, drawn from its plain JSON (a synthesized object or parsed
 * YAML): one node per pipeline task (in `tasks` and in `finally`), an arrow for each dependency
 * (`runAfter`, and result references labelled with the results they carry), and the Pipeline's results
 * with the tasks they come from. Deterministic: the same Pipeline always gives the same text.
 */

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

const RESULT_REFERENCE = /\$\(\s*tasks\.([a-z0-9][a-z0-9-]*)\.results\.([A-Za-z0-9_-]+)/g;

/** Every `$(tasks.<task>.results.<result>…)` in `value` (strings inside arrays and objects too), as task → results. */
function resultReferences(value: unknown, out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(RESULT_REFERENCE)) {
      const results = out.get(match[1]) ?? new Set<string>();
      results.add(match[2]);
      out.set(match[1], results);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) resultReferences(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) resultReferences(item, out);
  }
  return out;
}

/** Text that is safe inside a quoted Mermaid label. */
function label(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
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
 * into the Pipeline's results.
 */
export function pipelineFlowchart(pipeline: FlowchartPipeline): string {
  const ids = new Ids();
  const tasks = pipeline.spec?.tasks ?? [];
  const finallyTasks = pipeline.spec?.finally ?? [];
  const lines = ['flowchart LR', `  %% Pipeline ${pipeline.metadata?.name ?? '(unnamed)'}`];
  const node = (task: FlowchartTask): string => `${ids.id('task', task.name)}["${label(task.name)}<br/><small>${label(taskKind(task))}</small>"]`;

  lines.push('  subgraph tasks["tasks"]');
  for (const task of tasks) lines.push(`    ${node(task)}`);
  lines.push('  end');
  if (finallyTasks.length > 0) {
    lines.push('  subgraph finally["finally"]');
    for (const task of finallyTasks) lines.push(`    ${node(task)}`);
    lines.push('  end');
    lines.push('  tasks ==> finally');
  }

  const known = new Set([...tasks, ...finallyTasks].map(t => t.name));
  for (const task of [...tasks, ...finallyTasks]) {
    const { name: _name, runAfter, ...rest } = task;
    const references = resultReferences(rest);
    const from = new Set<string>([...(runAfter ?? []), ...references.keys()]);
    for (const dependency of [...from].filter(d => known.has(d)).sort()) {
      const carried = [...(references.get(dependency) ?? [])].sort();
      const arrow = carried.length > 0 ? `-- "${label(carried.join(', '))}" -->` : '-->';
      lines.push(`  ${ids.id('task', dependency)} ${arrow} ${ids.id('task', task.name)}`);
    }
  }

  for (const result of pipeline.spec?.results ?? []) {
    const resultId = ids.id('result', result.name);
    lines.push(`  ${resultId}[/"${label(result.name)}"/]`);
    for (const producer of [...resultReferences(result.value).keys()].filter(t => known.has(t)).sort()) {
      lines.push(`  ${ids.id('task', producer)} -.-> ${resultId}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
