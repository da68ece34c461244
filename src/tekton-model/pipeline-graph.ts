import { FieldPathSegment } from './field-path';

/** One dependency between pipeline tasks: `from` waits for `to`. */
export interface DependencyEdge {
  /** The task that waits. */
  readonly from: string;
  /** The task it waits for. */
  readonly to: string;
  /** Why: `runAfter`, a result reference in params, or a when input. */
  readonly via: 'runAfter' | 'result' | 'when';
  /** Where the dependency is written. */
  readonly path: readonly FieldPathSegment[];
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
