import { asArray, asObject, asString, JsonObject, objectsOf } from '../tekton-model/json-shape';
import { indexByName, ParamDeclaration, readParamDeclarations } from '../tekton-model/param-declarations';
import { PipelineGraph } from '../tekton-model/pipeline-graph';
import { FieldPathSegment } from './finding';
import { SuppliedParam } from './param-wiring-rules';
import { PipelineTaskEntry, ResolvedTask } from './pipeline-task-entry';
import { resolveReference, specOf } from './reference-resolution';
import { ScopedReporter } from './scoped-reporter';
import { readTaskSpecFacts } from '../tekton-model/task-spec-facts';

/** What a Pipeline spec offers to its runs. */
export interface PipelineSpecFacts {
  /** The declared params, after defaulting. */
  readonly params: readonly ParamDeclaration[];
  /** The declared workspaces: name → optional. */
  readonly workspaces: ReadonlyMap<string, { readonly optional: boolean }>;
}

/** What a Pipeline spec can see besides its own declarations, and how strictly Tekton checks it. */
export interface PipelineSpecScope {
  /** Params propagated from a run. */
  readonly outerParams?: ReadonlyMap<string, ParamDeclaration>;
  /** Workspaces propagated from a run. */
  readonly outerWorkspaces?: ReadonlySet<string>;
  /**
   * How Tekton's admission checks the `$(params...)` of the tasks:
   * - `pipeline` (a Pipeline object, `validatePipelineParameterUsage`): tasks and finally, against
   *   the Pipeline's params (and an embedded taskSpec's own);
   * - `pipelinerun` (a PipelineRun's pipelineSpec, `validateInlineParameters`): tasks only, against
   *   the run's and the Pipeline's params plus every task's params; finally is not checked;
   * - `none` (a pipelineSpec inside a pipeline task): not checked.
   * What admission does not check but would stay unreplaced at run time is a warning.
   */
  readonly validation: 'pipeline' | 'pipelinerun' | 'none';
}

/** Reads the facts of a Pipeline spec without judging it. */
export function readPipelineSpecFacts(spec: JsonObject): PipelineSpecFacts {
  const workspaces = new Map<string, { optional: boolean }>();
  for (const [w] of objectsOf(spec.workspaces)) {
    const name = asString(w.name);
    if (name !== undefined && !workspaces.has(name)) workspaces.set(name, { optional: w.optional === true });
  }
  return { params: readParamDeclarations(spec.params), workspaces };
}

/**
 * One Pipeline spec as the judges read it: its declarations, its tasks with the Tasks they run
 * (resolved once, the resolution notes reported here), its dependency graph, and what admission
 * counts as declared. Built before any judge runs; the judges only read it.
 */
export interface PipelineIndex {
  /** The spec as written. */
  readonly spec: JsonObject;
  /** How it is checked. */
  readonly scope: PipelineSpecScope;
  /** Its params and workspaces (the run's propagated workspaces included). */
  readonly facts: PipelineSpecFacts;
  /** The params in scope: the run's, then the Pipeline's own. */
  readonly params: ReadonlyMap<string, ParamDeclaration>;
  /** Every pipeline task, `tasks` first, then `finally`. */
  readonly entries: readonly PipelineTaskEntry[];
  /** The first task of each name. */
  readonly byName: ReadonlyMap<string, PipelineTaskEntry>;
  /** The names of the tasks in `tasks`. */
  readonly taskNames: ReadonlySet<string>;
  /** For `pipelinerun`: the names admission counts as declared (every task's params too). */
  readonly admission?: ReadonlyMap<string, unknown>;
  /** The dependencies between the tasks. */
  readonly graph: PipelineGraph;
}

/** Builds the index of `spec`, resolving each pipeline task's `taskRef` once (the resolution notes are reported at `r`). */
export function indexPipeline(r: ScopedReporter, spec: JsonObject, scope: PipelineSpecScope): PipelineIndex {
  const declared = readPipelineSpecFacts(spec);
  const workspaces = new Map(declared.workspaces);
  for (const w of scope.outerWorkspaces ?? []) if (!workspaces.has(w)) workspaces.set(w, { optional: true });
  const facts: PipelineSpecFacts = { params: declared.params, workspaces };
  const params = new Map<string, ParamDeclaration>(scope.outerParams ?? []);
  for (const [n, p] of indexByName(facts.params)) params.set(n, p);

  const entries: PipelineTaskEntry[] = [];
  const byName = new Map<string, PipelineTaskEntry>();
  for (const section of ['tasks', 'finally'] as const) {
    for (const [task, index] of objectsOf(spec[section])) {
      const at: FieldPathSegment[] = [section, index];
      const custom = isCustomTask(task);
      const matrix = asObject(task.matrix);
      const resolved = custom ? undefined : resolveTask(r, task, at);
      const entry: PipelineTaskEntry = {
        task,
        name: asString(task.name) ?? '',
        section,
        index,
        path: at,
        custom,
        resolved,
        facts: resolved?.facts,
        supplied: suppliedParams(task, at),
        matrixed: matrix !== undefined && (asArray(matrix.params).length > 0 || asArray(matrix.include).length > 0),
      };
      entries.push(entry);
      if (!byName.has(entry.name)) byName.set(entry.name, entry);
    }
  }
  return {
    spec,
    scope,
    facts,
    params,
    entries,
    byName,
    taskNames: new Set(entries.filter((e) => e.section === 'tasks').map((e) => e.name)),
    admission: scope.validation === 'pipelinerun' ? admissionParams(params, entries) : undefined,
    graph: PipelineGraph.of(spec),
  };
}

/** The Task a (non-custom) pipeline task runs: its embedded taskSpec, or its taskRef among the documents. */
function resolveTask(r: ScopedReporter, task: JsonObject, at: readonly FieldPathSegment[]): ResolvedTask | undefined {
  const taskSpec = asObject(task.taskSpec);
  if (taskSpec) return { spec: taskSpec, embedded: true, callee: 'embedded taskSpec', facts: readTaskSpecFacts(taskSpec) };
  const taskRef = asObject(task.taskRef);
  if (!taskRef) return undefined;
  const resolved = resolveReference(r, taskRef, [...at, 'taskRef'], 'Task');
  const document = resolved.document;
  const spec = specOf(document);
  if (!spec) return undefined;
  // a Task Pipelines-as-Code inlines reaches Tekton as an embedded taskSpec, and is judged as one
  const embedded = resolved.inlined === true;
  return { spec, embedded, callee: `Task/${document!.name}`, facts: r.remember(spec, () => readTaskSpecFacts(spec)) };
}

/** What admission counts as declared in a PipelineRun's pipelineSpec: the params in scope and every task's params. */
function admissionParams(params: ReadonlyMap<string, ParamDeclaration>, entries: readonly PipelineTaskEntry[]): Map<string, unknown> {
  const admission = new Map<string, unknown>(params);
  for (const entry of entries) {
    if (entry.section !== 'tasks') continue;
    for (const [p] of objectsOf(entry.task.params)) admission.set(asString(p.name) ?? '', true);
    for (const [p] of objectsOf(asObject(entry.task.taskSpec)?.params)) admission.set(asString(p.name) ?? '', true);
  }
  return admission;
}

/**
 * A pipeline task Tekton takes for a custom task: a kind other than Task, or an apiVersion, on its
 * taskRef or taskSpec.
 */
export function isCustomTask(task: JsonObject): boolean {
  const ref = asObject(task.taskRef);
  if (ref && ((nonEmpty(ref.kind) && ref.kind !== 'Task') || nonEmpty(ref.apiVersion))) return true;
  const spec = asObject(task.taskSpec);
  if (spec && ((nonEmpty(spec.kind) && spec.kind !== 'Task') || nonEmpty(spec.apiVersion))) return true;
  return false;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function suppliedParams(task: JsonObject, at: readonly FieldPathSegment[]): SuppliedParam[] {
  const out: SuppliedParam[] = [];
  for (const [p, i] of objectsOf(task.params)) out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'params', i] });
  const matrix = asObject(task.matrix);
  if (matrix) {
    for (const [p, i] of objectsOf(matrix.params))
      out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'matrix', 'params', i], matrix: true });
    for (const [inc, j] of objectsOf(matrix.include)) {
      for (const [p, i] of objectsOf(inc.params))
        out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'matrix', 'include', j, 'params', i], include: true });
    }
  }
  return out;
}
