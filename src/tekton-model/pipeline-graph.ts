/**
 * The dependency graph of a Tekton Pipeline spec, computed in one place for `check` (cycles),
 * the rehearsal (the order tasks run in) and `graph` (the arrows it draws).
 *
 * A pipeline task depends on another through `runAfter` and through every `$(tasks.t.results.r)`
 * reference (dot or bracket notation) that Tekton v1.15.0 counts (`PipelineTask.Deps`,
 * `PipelineTaskResultRefs`, `extractAllParams` in pkg/apis/pipeline/v1): its params, its matrix
 * params and matrix include params, its when expressions (input, values, cel), and the steps and
 * sidecars of its embedded taskSpec. A result reference in a workspace `subPath` is counted too,
 * as `check` always has.
 */
import { FieldPathSegment } from './field-path';
import { asArray, asObject, asString, JsonObject, objectsOf, textOf } from './json-shape';
import { forEachString } from './string-walk';
import { findVariableReferences } from './variable-references';

/** Why a task depends on another. */
export type DependencyReason = 'runAfter' | 'result' | 'when';

/** One dependency between pipeline tasks: `from` waits for `to`. */
export interface DependencyEdge {
  /** The task that waits. */
  readonly from: string;
  /** The task it waits for (it may name no task of the Pipeline: `to` is as written). */
  readonly to: string;
  /** Why: `runAfter`, a result reference (params, matrix, embedded steps, cel), or a when input or value. */
  readonly via: DependencyReason;
  /** Where the dependency is written, below the Pipeline spec. */
  readonly path: readonly FieldPathSegment[];
  /** The result read, for a result reference. */
  readonly result?: string;
}

/** A pipeline task as the graph sees it. */
export interface PipelineGraphTask {
  /** Its name (empty when it has none). */
  readonly name: string;
  /** Where it is listed. */
  readonly section: 'tasks' | 'finally';
  /** Its index in that list. */
  readonly index: number;
  /** Its path below the Pipeline spec, e.g. `['tasks', 2]`. */
  readonly path: readonly FieldPathSegment[];
  /** The pipeline task as written. */
  readonly task: JsonObject;
}

/**
 * The tasks of a Pipeline spec and the dependencies written between them, in the order they are
 * written (task by task: runAfter, params, matrix params, matrix include, when, embedded steps and
 * sidecars, workspace subPaths).
 */
export class PipelineGraph {
  /** The graph of a Pipeline spec (plain JSON; anything that is not one gives an empty graph). */
  public static of(spec: unknown): PipelineGraph {
    return new PipelineGraph(asObject(spec) ?? {});
  }

  /** Every pipeline task, `tasks` first, then `finally`. */
  public readonly tasks: readonly PipelineGraphTask[];
  /** Every dependency written, whatever its `to` names. */
  public readonly edges: readonly DependencyEdge[];
  private readonly byName = new Map<string, PipelineGraphTask>();

  private constructor(spec: JsonObject) {
    const tasks: PipelineGraphTask[] = [];
    for (const section of ['tasks', 'finally'] as const) {
      for (const [task, index] of objectsOf(spec[section])) {
        const entry: PipelineGraphTask = { name: asString(task.name) ?? '', section, index, path: [section, index], task };
        tasks.push(entry);
        if (!this.byName.has(entry.name)) this.byName.set(entry.name, entry);
      }
    }
    this.tasks = tasks;
    this.edges = tasks.flatMap(dependenciesWritten);
  }

  /** The task of that name (the first, when two share it). */
  public task(name: string): PipelineGraphTask | undefined {
    return this.byName.get(name);
  }

  /**
   * Tekton's DAG: the edges between two tasks of `tasks` (finally tasks run after all of them and
   * are not part of it; a reference to a finally task or to no task is not an edge of it).
   */
  public dagEdges(): DependencyEdge[] {
    return this.edges.filter((e) => e.path[0] === 'tasks' && this.byName.get(e.to)?.section === 'tasks');
  }

  /** The distinct names the task `name` of `section` depends on, in the order first written. */
  public dependenciesOf(name: string, section: 'tasks' | 'finally' = 'tasks'): string[] {
    return [...new Set(this.edges.filter((e) => e.from === name && e.path[0] === section).map((e) => e.to))];
  }

  /** The first cycle among the tasks of `tasks`, as its edges in order, or undefined. */
  public findCycle(): DependencyEdge[] | undefined {
    return findPipelineCycle(
      this.tasks.filter((t) => t.section === 'tasks').map((t) => t.name),
      this.dagEdges(),
    );
  }
}

/** The dependencies one pipeline task writes, in order. */
function dependenciesWritten(entry: PipelineGraphTask): DependencyEdge[] {
  const { task, name: from, path: at } = entry;
  const edges: DependencyEdge[] = [];
  asArray(task.runAfter).forEach((value, i) => {
    edges.push({ from, to: textOf(value), via: 'runAfter', path: [...at, 'runAfter', i] });
  });
  const visit = (text: string, path: readonly FieldPathSegment[], via: DependencyReason): void => {
    for (const ref of findVariableReferences(text)) {
      if (ref.kind !== 'tasks.results' || ref.owner === undefined || ref.name === undefined || ref.expression.startsWith('finally.'))
        continue;
      edges.push({ from, to: ref.owner, via, path, result: ref.name });
    }
  };
  const visitAll = (value: unknown, path: readonly FieldPathSegment[], via: DependencyReason): void => {
    forEachString(value, path, (text, p) => visit(text, p, via));
  };
  for (const [p, i] of objectsOf(task.params)) visitAll(p.value, [...at, 'params', i, 'value'], 'result');
  const matrix = asObject(task.matrix);
  if (matrix) {
    for (const [p, i] of objectsOf(matrix.params)) visitAll(p.value, [...at, 'matrix', 'params', i, 'value'], 'result');
    for (const [inc, j] of objectsOf(matrix.include)) {
      for (const [p, i] of objectsOf(inc.params)) visitAll(p.value, [...at, 'matrix', 'include', j, 'params', i, 'value'], 'result');
    }
  }
  for (const [w, i] of objectsOf(task.when)) {
    if (typeof w.input === 'string') visit(w.input, [...at, 'when', i, 'input'], 'when');
    asArray(w.values).forEach((v, j) => typeof v === 'string' && visit(v, [...at, 'when', i, 'values', j], 'when'));
    if (typeof w.cel === 'string') visit(w.cel, [...at, 'when', i, 'cel'], 'result');
  }
  const taskSpec = asObject(task.taskSpec);
  if (taskSpec) {
    for (const field of ['steps', 'sidecars'] as const) visitAll(taskSpec[field], [...at, 'taskSpec', field], 'result');
  }
  for (const [w, i] of objectsOf(task.workspaces)) {
    if (typeof w.subPath === 'string') visit(w.subPath, [...at, 'workspaces', i, 'subPath'], 'result');
  }
  return edges;
}

/**
 * The tasks whose results `value` reads (`$(tasks.t.results.r...)` anywhere inside it), as
 * task → results, in the order first written: what a Pipeline result comes from.
 */
export function resultsRead(value: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  forEachString(value, [], (text) => {
    for (const ref of findVariableReferences(text)) {
      if (ref.kind !== 'tasks.results' || ref.owner === undefined || ref.name === undefined || ref.expression.startsWith('finally.'))
        continue;
      let results = out.get(ref.owner);
      if (!results) out.set(ref.owner, (results = new Set()));
      results.add(ref.name);
    }
  });
  return out;
}

/**
 * Finds a cycle among the tasks (as Tekton's DAG builder refuses one), in time linear in tasks
 * plus edges (iterative depth-first search). Returns the edges of the first cycle found, in
 * order (each edge's `to` is the next edge's `from`), or undefined when there is none.
 */
export function findPipelineCycle(tasks: readonly string[], edges: readonly DependencyEdge[]): DependencyEdge[] | undefined {
  const out = new Map<string, DependencyEdge[]>();
  for (const e of edges) {
    let list = out.get(e.from);
    if (!list) out.set(e.from, (list = []));
    list.push(e);
  }
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  for (const start of tasks) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; next: number; via?: DependencyEdge }> = [{ node: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = out.get(top.node) ?? [];
      if (top.next >= list.length) {
        state.set(top.node, 2);
        stack.pop();
        continue;
      }
      const edge = list[top.next++];
      const s = state.get(edge.to);
      if (s === 1) {
        const cycle: DependencyEdge[] = [];
        let i = stack.length - 1;
        cycle.unshift(edge);
        while (i > 0 && stack[i].node !== edge.to) {
          cycle.unshift(stack[i].via!);
          i--;
        }
        return cycle;
      }
      if (s === undefined) {
        state.set(edge.to, 1);
        stack.push({ node: edge.to, next: 0, via: edge });
      }
    }
  }
  return undefined;
}
