import { CheckContext } from './check-context';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { FieldPathSegment } from './finding';
import { FindingTarget, nestedTarget } from './finding-collector';
import { asArray, asObject, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote, textOf } from '../tekton-model/json-shape';
import { DNS1123_LABEL_RULE, isDns1123Label } from '../tekton-model/names';
import { checkArrayIndexes } from './array-index-rules';
import { checkParamDeclarations } from './param-declaration-rules';
import { judgeParamReference, LENIENT, ReferencePlacement, ReferenceStrictness, STRICT } from './param-reference-rules';
import { indexByName, ParamDeclaration, readParamDeclarations } from '../tekton-model/param-declarations';
import { checkParamWiring, SuppliedParam } from './param-wiring-rules';
import { propagatedParams } from './propagated-params';
import { checkEnumSubsets } from './enum-subset-rules';
import { checkMatrix } from './matrix-rules';
import { checkPipelineResult } from './pipeline-result-rules';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { checkWhenExpressions } from './when-rules';
import { checkTimeout } from './timeout-rules';
import { PipelineGraph } from '../tekton-model/pipeline-graph';
import { resolveReference, specOf } from './reference-resolution';
import { forEachString } from '../tekton-model/string-walk';
import { checkTaskSpec, readTaskSpecFacts, TaskSpecFacts } from './task-spec-rules';
import { checkPipelineSpecStringFields } from './string-field-rules';
import { findVariableReferences, VariableReference } from '../tekton-model/variable-references';

/** What a Pipeline spec offers to its runs. */
export interface PipelineSpecFacts {
  /** The declared params, after defaulting. */
  readonly params: readonly ParamDeclaration[];
  /** The declared workspaces: name → optional. */
  readonly workspaces: ReadonlyMap<string, { readonly optional: boolean }>;
}

const VALID_PREFIXES = new Set(['params', 'tasks', 'finally', 'context', 'workspaces', 'results']);
const SIMPLE_REFERENCE = /^[_a-zA-Z0-9.-]+(\[([0-9]+|\*)\])?$/;
const PIPELINE_CONTEXT: Readonly<Record<string, ReadonlySet<string>>> = {
  pipelineRun: new Set(['name', 'namespace', 'uid']),
  pipeline: new Set(['name']),
  pipelineTask: new Set(['retries']),
};

/** Reads the facts of a Pipeline spec without judging it. */
export function readPipelineSpecFacts(spec: JsonObject): PipelineSpecFacts {
  const workspaces = new Map<string, { optional: boolean }>();
  for (const [w] of objectsOf(spec.workspaces)) {
    const name = asString(w.name);
    if (name !== undefined && !workspaces.has(name)) workspaces.set(name, { optional: w.optional === true });
  }
  return { params: readParamDeclarations(spec.params), workspaces };
}

function taskFactsOf(context: CheckContext, spec: JsonObject): TaskSpecFacts {
  return context.remember(spec, () => readTaskSpecFacts(spec));
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

/**
 * Judges a Pipeline spec (of a Pipeline, or embedded in a PipelineRun) at `target`, as Tekton's
 * `PipelineSpec.Validate`, `validatePipelineParameterUsage`, the DAG builder and the PipelineRun
 * reconciler would. Returns its facts.
 */
export function checkPipelineSpec(context: CheckContext, target: FindingTarget, spec: JsonObject, scope: PipelineSpecScope): PipelineSpecFacts {
  const { outerParams, outerWorkspaces } = scope;
  const declared = readPipelineSpecFacts(spec);
  const workspaces = new Map(declared.workspaces);
  for (const w of outerWorkspaces ?? []) if (!workspaces.has(w)) workspaces.set(w, { optional: true });
  const facts: PipelineSpecFacts = { params: declared.params, workspaces };
  checkParamDeclarations(context, target, facts.params, ['params']);
  checkPipelineSpecStringFields(context, target, spec);
  const params = new Map<string, ParamDeclaration>(outerParams ?? []);
  for (const [n, p] of indexByName(facts.params)) params.set(n, p);

  const seenWorkspaces = new Set<string>();
  for (const [w, i] of objectsOf(spec.workspaces)) {
    const name = asString(w.name) ?? '';
    if (seenWorkspaces.has(name)) context.report(target, 'workspace-name-duplicate', ['workspaces', i, 'name'], `workspace ${quote(name)} is declared more than once; give each workspace a distinct name`);
    seenWorkspaces.add(name);
  }

  const tasks = objectsOf(spec.tasks);
  const finallyTasks = objectsOf(spec.finally);
  if (isEmptyPipelineSpec(spec)) {
    context.report(target, 'pipeline-spec-empty', [], 'the spec has no tasks, params, workspaces, results, description or displayName, which Tekton refuses ("expected at least one, got none"); add tasks');
  }
  if (finallyTasks.length > 0 && tasks.length === 0) {
    context.report(target, 'finally-without-tasks', ['finally'], `spec has ${finallyTasks.length} finally task${finallyTasks.length > 1 ? 's' : ''} but no tasks; add tasks`);
  }

  // names and entries
  const entries: PipelineTaskEntry[] = [];
  const byName = new Map<string, PipelineTaskEntry>();
  for (const [section, list] of [['tasks', tasks], ['finally', finallyTasks]] as const) {
    for (const [task, index] of list) {
      const name = asString(task.name) ?? '';
      const at: FieldPathSegment[] = [section, index];
      if (!isDns1123Label(name)) {
        context.report(target, 'pipeline-task-name-invalid', [...at, 'name'], name === ''
          ? `pipeline task has no name, or a name that is not a string; give it a quoted name that is ${DNS1123_LABEL_RULE}`
          : `pipeline task name ${quote(name)} must be ${DNS1123_LABEL_RULE}`);
      }
      if (byName.has(name)) context.report(target, 'pipeline-task-name-duplicate', [...at, 'name'], `pipeline task name ${quote(name)} is already used by another task in tasks or finally; give each a distinct name`);
      const custom = isCustomTask(task);
      if (custom) checkCustomTaskKind(context, target, task, at);
      const matrix = asObject(task.matrix);
      const entry: PipelineTaskEntry = {
        task, name, section, index, path: at, custom,
        matrixed: matrix !== undefined && (asArray(matrix.params).length > 0 || asArray(matrix.include).length > 0),
      };
      entries.push(entry);
      if (!byName.has(name)) byName.set(name, entry);
    }
  }

  // what admission counts as declared in a PipelineRun's pipelineSpec: every task's params too
  let admission: Map<string, unknown> | undefined;
  if (scope.validation === 'pipelinerun') {
    admission = new Map<string, unknown>(params);
    for (const entry of entries) {
      if (entry.section !== 'tasks') continue;
      for (const [p] of objectsOf(entry.task.params)) admission.set(asString(p.name) ?? '', true);
      for (const [p] of objectsOf(asObject(entry.task.taskSpec)?.params)) admission.set(asString(p.name) ?? '', true);
    }
  }
  const checking: PipelineTaskChecking = { validation: scope.validation, admission };

  // each task: ref/spec, embedded spec, wiring, workspaces, when, matrix
  for (const entry of entries) checkPipelineTask(context, target, entry, params, facts, checking);

  // runAfter, and references in params, matrix, when and embedded specs
  const taskNames = new Set(entries.filter(e => e.section === 'tasks').map(e => e.name));
  for (const entry of entries) {
    const runAfter = asArray(entry.task.runAfter);
    if (entry.section === 'finally' && runAfter.length > 0) {
      context.report(target, 'run-after-in-finally', [...entry.path, 'runAfter'], `finally task ${quote(entry.name)} sets runAfter; finally tasks run after all tasks, remove it`);
    }
    if (entry.section === 'tasks') {
      runAfter.forEach((value, i) => {
        const other = textOf(value);
        if (!taskNames.has(other)) {
          context.report(target, 'run-after-unknown-task', [...entry.path, 'runAfter', i],
            `runAfter names ${quote(other)}, which is not a task in tasks${byName.has(other) ? ' (it is a finally task)' : ''}`);
        }
      });
    }
    judgePipelineTaskReferences(context, target, entry, params, byName, taskNames, strictnessFor(entry, checking), checking.admission);
  }
  const cycle = PipelineGraph.of(spec).findCycle();
  if (cycle) {
    const first = cycle[0];
    const names = cycle.map(e => e.from);
    const described = cycle.map(e => `${e.from} ${e.via === 'runAfter' ? 'runs after' : e.via === 'when' ? 'has a when input from' : 'reads a result of'} ${e.to}`).join(', ');
    context.report(target, 'pipeline-cycle', first.path, `tasks form a cycle ${[...names, names[0]].join(' -> ')} (${described}); break one of these dependencies`);
  }

  // pipeline results
  objectsOf(spec.results).forEach(([result, i]) => checkPipelineResult(context, target, result, ['results', i], byName));
  return facts;
}

/** True for a spec equal to Go's zero PipelineSpec under Kubernetes' semantic equality (an empty list is no list). */
function isEmptyPipelineSpec(spec: JsonObject): boolean {
  return Object.values(spec).every(v => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
    || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
}

/**
 * A pipeline task Tekton takes for a custom task (a kind other than Task, or an apiVersion, on its
 * taskRef or taskSpec) needs both kind and an apiVersion of the form group/version; a
 * `kind: ClusterTask` ref (ClusterTasks are gone from v1.15.0) is refused this way.
 */
function checkCustomTaskKind(context: CheckContext, target: FindingTarget, task: JsonObject, at: readonly FieldPathSegment[]): void {
  for (const field of ['taskRef', 'taskSpec'] as const) {
    const value = asObject(task[field]);
    if (!value) continue;
    const kind = nonEmptyString(value.kind);
    const apiVersion = nonEmptyString(value.apiVersion);
    if (!kind) {
      context.report(target, 'custom-task-invalid', [...at, field, 'kind'], `${field} has apiVersion ${quote(apiVersion ?? '')}, which makes it a custom task, but no kind; set kind, or drop apiVersion for a Task`);
    } else if (!apiVersion) {
      const hint = kind === 'ClusterTask' ? 'ClusterTasks no longer exist in Tekton v1.15.0: use a namespaced Task or the cluster resolver' : `set apiVersion (group/version) for a custom task, or use kind "Task"`;
      context.report(target, 'custom-task-invalid', [...at, field, 'apiVersion'], `${field} kind ${quote(kind)} makes it a custom task, which needs an apiVersion; ${hint}`);
    } else if (!/^[^/]+\/[^/]+$/.test(apiVersion)) {
      context.report(target, 'custom-task-invalid', [...at, field, 'apiVersion'], `custom task apiVersion ${quote(apiVersion)} is not of the form group/version`);
    }
  }
}

function isCustomTask(task: JsonObject): boolean {
  const ref = asObject(task.taskRef);
  if (ref && ((nonEmptyString(ref.kind) && ref.kind !== 'Task') || nonEmptyString(ref.apiVersion))) return true;
  const spec = asObject(task.taskSpec);
  if (spec && ((nonEmptyString(spec.kind) && spec.kind !== 'Task') || nonEmptyString(spec.apiVersion))) return true;
  return false;
}

function suppliedParams(task: JsonObject, at: readonly FieldPathSegment[]): SuppliedParam[] {
  const out: SuppliedParam[] = [];
  for (const [p, i] of objectsOf(task.params)) out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'params', i] });
  const matrix = asObject(task.matrix);
  if (matrix) {
    for (const [p, i] of objectsOf(matrix.params)) out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'matrix', 'params', i], matrix: true });
    for (const [inc, j] of objectsOf(matrix.include)) {
      for (const [p, i] of objectsOf(inc.params)) out.push({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'matrix', 'include', j, 'params', i], include: true });
    }
  }
  return out;
}

/** How the tasks of one Pipeline spec are checked. */
interface PipelineTaskChecking {
  readonly validation: PipelineSpecScope['validation'];
  /** For `pipelinerun`: names admission counts as declared. */
  readonly admission?: ReadonlyMap<string, unknown>;
}

/** Whether admission checks this task's param references. */
function admissionChecks(entry: PipelineTaskEntry, checking: PipelineTaskChecking): boolean {
  return checking.validation === 'pipeline' || (checking.validation === 'pipelinerun' && entry.section === 'tasks');
}

function strictnessFor(entry: PipelineTaskEntry, checking: PipelineTaskChecking): ReferenceStrictness {
  return admissionChecks(entry, checking) ? STRICT : { usage: 'warning', shape: 'error' };
}

function checkPipelineTask(context: CheckContext, target: FindingTarget, entry: PipelineTaskEntry, params: ReadonlyMap<string, ParamDeclaration>, pipeline: PipelineSpecFacts, checking: PipelineTaskChecking): void {
  const { task, path: at } = entry;
  const flags = context.featureFlags;
  const present = (['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const).filter(f => task[f] !== undefined && task[f] !== null);
  if (present.length !== 1) {
    context.report(target, 'pipeline-task-ref-or-spec', at, present.length === 0
      ? `pipeline task ${quote(entry.name)} has no taskRef or taskSpec; give it exactly one`
      : `pipeline task ${quote(entry.name)} sets ${present.join(' and ')}; keep exactly one`);
  }
  for (const f of ['pipelineRef', 'pipelineSpec'] as const) {
    if (task[f] !== undefined && flags && !apiFieldsEnabled(flags, 'alpha')) {
      context.report(target, 'feature-disabled', [...at, f], `${f} in a pipeline task (pipelines in pipelines) needs enable-api-fields: "alpha" (it is "${flags.enableApiFields}")`);
    }
  }
  if (flags && flags.disableInlineSpec.has('pipeline')) {
    for (const f of ['taskSpec', 'pipelineSpec'] as const) {
      if (task[f] !== undefined) context.report(target, 'feature-disabled', [...at, f], `embedded ${f} is refused: feature flag disable-inline-spec includes "pipeline"`);
    }
  }
  const onError = asString(task.onError);
  if (onError !== undefined && onError !== '' && !onError.startsWith('$(params')) {
    if (onError !== 'continue' && onError !== 'stopAndFail') {
      context.report(target, 'pipeline-task-on-error-invalid', [...at, 'onError'], `onError is ${quote(onError)}; use continue or stopAndFail`);
    } else if (onError === 'continue' && typeof task.retries === 'number' && task.retries > 0) {
      context.report(target, 'pipeline-task-on-error-invalid', [...at, 'onError'], 'onError "continue" cannot be combined with retries; drop one');
    }
    if (flags && !apiFieldsEnabled(flags, 'beta')) context.report(target, 'feature-disabled', [...at, 'onError'], `onError on a pipeline task needs enable-api-fields "beta" or "alpha" (it is "${flags.enableApiFields}")`);
  }

  // workspaces bound to the pipeline's
  const bindings = new Set<string>();
  for (const [w, i] of objectsOf(task.workspaces)) {
    const name = asString(w.name) ?? '';
    if (bindings.has(name)) context.report(target, 'workspace-name-duplicate', [...at, 'workspaces', i, 'name'], `workspace ${quote(name)} is bound more than once; bind each once`);
    bindings.add(name);
    const source = nonEmptyString(w.workspace) ?? name;
    if (!pipeline.workspaces.has(source)) {
      context.report(target, 'workspace-binding-undeclared', [...at, 'workspaces', i, nonEmptyString(w.workspace) ? 'workspace' : 'name'],
        `pipeline task ${quote(entry.name)} binds pipeline workspace ${quote(source)}, which the Pipeline does not declare (declared: ${listNames(pipeline.workspaces.keys())})`);
    }
  }

  // duplicate supplied params
  const supplied = suppliedParams(task, at);
  const seen = new Set<string>();
  for (const s of supplied) {
    if (s.matrix || s.include) continue;
    if (seen.has(s.name)) context.report(target, 'param-name-duplicate', [...s.path, 'name'], `param ${quote(s.name)} is supplied more than once; supply it once`);
    seen.add(s.name);
  }

  checkTimeout(context, target, task.timeout, [...at, 'timeout'], `timeout of pipeline task ${quote(entry.name)}`);
  checkMatrix(context, target, entry, params);
  checkWhenExpressions(context, target, entry);

  // the Task it runs
  if (entry.custom) return;
  const taskSpec = asObject(task.taskSpec);
  const taskRef = asObject(task.taskRef);
  if (taskSpec) {
    entry.facts = checkTaskSpec(context, nestedTarget(target, [...at, 'taskSpec']), taskSpec, {
      // a Pipeline's admission checks its embedded steps against the taskSpec's and the Pipeline's params only;
      // at run time (and so for a run's embedded spec) the task's own params are propagated too
      outerParams: checking.validation === 'pipeline' ? params : propagatedParams(supplied, params),
      validatesParamUsage: admissionChecks(entry, checking),
      admissionParams: checking.validation === 'pipelinerun' ? checking.admission : undefined,
      outerWorkspaces: new Set([...bindings, ...pipeline.workspaces.keys()]), inPipeline: true,
    });
    checkTaskWiring(context, target, entry, entry.facts, 'embedded taskSpec', supplied, params, false, pipeline.workspaces);
    checkArrayIndexes(context, target, `the embedded taskSpec of ${quote(entry.name)}`, taskSpec, entry.facts.params, supplied.filter(s => !s.matrix && !s.include), [...at, 'params']);
  } else if (taskRef) {
    const resolved = resolveReference(context, target, taskRef, [...at, 'taskRef'], 'Task');
    const spec = specOf(resolved.document);
    if (spec) {
      entry.facts = taskFactsOf(context, spec);
      checkTaskWiring(context, target, entry, entry.facts, `Task/${resolved.document!.name}`, supplied, params, true, pipeline.workspaces);
      checkArrayIndexes(context, target, `Task/${resolved.document!.name}`, spec, entry.facts.params, supplied.filter(s => !s.matrix && !s.include), [...at, 'params']);
    }
  } else {
    const pipelineRef = asObject(task.pipelineRef);
    if (pipelineRef) resolveReference(context, target, pipelineRef, [...at, 'pipelineRef'], 'Pipeline');
    const pipelineSpec = asObject(task.pipelineSpec);
    if (pipelineSpec) checkPipelineSpec(context, nestedTarget(target, [...at, 'pipelineSpec']), pipelineSpec, { outerParams: propagatedParams(supplied, params), validation: 'none' });
  }
}

function checkTaskWiring(context: CheckContext, target: FindingTarget, entry: PipelineTaskEntry, facts: TaskSpecFacts, callee: string,
  supplied: readonly SuppliedParam[], callerParams: ReadonlyMap<string, ParamDeclaration>, referenced: boolean, pipelineWorkspaces: ReadonlyMap<string, unknown>): void {
  checkParamWiring(context, target, facts.params, supplied, {
    callee: referenced ? callee : `the ${callee} of ${quote(entry.name)}`,
    paramsPath: [...entry.path, 'params'],
    warnUndeclared: referenced,
    callerParams,
  });
  const bound = new Set(objectsOf(entry.task.workspaces).map(([w]) => asString(w.name) ?? ''));
  if (!referenced) {
    // an embedded spec's steps that use $(workspaces.x...) get x bound to the pipeline workspace x (propagateWorkspaces)
    forEachString(asObject(entry.task.taskSpec), [], text => {
      for (const ref of findVariableReferences(text)) if (ref.kind === 'workspaces' && ref.name !== undefined && pipelineWorkspaces.has(ref.name)) bound.add(ref.name);
    });
  }
  const missing = [...facts.workspaces].filter(([name, w]) => !w.optional && !bound.has(name)).map(([name]) => name);
  if (missing.length > 0) {
    context.report(target, 'workspace-missing', [...entry.path, 'workspaces'],
      `required workspace${missing.length > 1 ? 's' : ''} ${missing.map(quote).join(', ')} of ${callee} ${missing.length > 1 ? 'are' : 'is'} not bound by pipeline task ${quote(entry.name)}; bind ${missing.length > 1 ? 'them' : 'it'} to a pipeline workspace`);
  }
  if (referenced) {
    for (const [w, i] of objectsOf(entry.task.workspaces)) {
      const name = asString(w.name) ?? '';
      if (!facts.workspaces.has(name)) {
        context.report(target, 'workspace-binding-undeclared', [...entry.path, 'workspaces', i, 'name'],
          `pipeline task ${quote(entry.name)} binds workspace ${quote(name)}, which ${callee} does not declare (declared: ${listNames(facts.workspaces.keys())})`);
      }
    }
  }
  checkEnumSubsets(context, target, entry, facts, callee, callerParams);
}


/** Judges every `$(...)` in a pipeline task's params, matrix, when and embedded spec. */
function judgePipelineTaskReferences(context: CheckContext, target: FindingTarget, entry: PipelineTaskEntry, params: ReadonlyMap<string, ParamDeclaration>,
  byName: ReadonlyMap<string, PipelineTaskEntry>, taskNames: ReadonlySet<string>, strictness: ReferenceStrictness,
  admission: ReadonlyMap<string, unknown> | undefined): void {
  const visit = (text: string, at: readonly FieldPathSegment[], placement: ReferencePlacement, where: 'param' | 'when' | 'spec' | 'subPath' | 'cel'): void => {
    for (const ref of findVariableReferences(text)) {
      if (where !== 'spec') {
        if (ref.kind === 'params') judgeParamReference(context, target, at, text, ref, params, placement, where === 'subPath' ? LENIENT : strictness, admission);
        const first = ref.segments[0];
        const root = first && first.type === 'name' ? first.value : '';
        if ((where === 'param' || where === 'when') && !VALID_PREFIXES.has(root) && SIMPLE_REFERENCE.test(ref.expression)) {
          context.report(target, 'variable-prefix-unknown', at,
            `${ref.text} is not a Tekton variable (prefixes: params, tasks, finally, context, workspaces, results); for a shell variable write \${VAR}`);
        }
        if (ref.kind === 'context' && ref.name !== undefined && PIPELINE_CONTEXT[ref.name] && !PIPELINE_CONTEXT[ref.name].has(ref.attribute ?? '')) {
          context.report(target, 'context-variable-unknown', at, `${ref.text} is not a context variable (context.${ref.name} has: ${listNames(PIPELINE_CONTEXT[ref.name])})`);
        }
      }
      judgeTaskStateReference(context, target, entry, at, ref, byName, taskNames, where);
    }
  };
  const task = entry.task;
  for (const [p, i] of objectsOf(task.params)) {
    const at: FieldPathSegment[] = [...entry.path, 'params', i, 'value'];
    if (Array.isArray(p.value)) p.value.forEach((v, j) => typeof v === 'string' && visit(v, [...at, j], 'array-item', 'param'));
    else if (typeof p.value === 'string') {
      visit(p.value, at, 'param-value', 'param');
      checkWholeResultType(context, target, entry, asString(p.name) ?? '', p.value, at, byName);
    } else forEachString(p.value, at, (text, path) => visit(text, path, 'string', 'param'));
  }
  const matrix = asObject(task.matrix);
  if (matrix) {
    for (const [p, i] of objectsOf(matrix.params)) {
      const at: FieldPathSegment[] = [...entry.path, 'matrix', 'params', i, 'value'];
      if (Array.isArray(p.value)) p.value.forEach((v, j) => typeof v === 'string' && visit(v, [...at, j], 'array-item', 'param'));
      else if (typeof p.value === 'string') visit(p.value, at, 'param-value', 'param');
    }
    for (const [inc, j] of objectsOf(matrix.include)) {
      for (const [p, i] of objectsOf(inc.params)) {
        forEachString(p.value, [...entry.path, 'matrix', 'include', j, 'params', i, 'value'], (text, path) => visit(text, path, 'string', 'param'));
      }
    }
  }
  for (const [w, i] of objectsOf(task.when)) {
    const at: FieldPathSegment[] = [...entry.path, 'when', i];
    if (typeof w.input === 'string') visit(w.input, [...at, 'input'], 'string', 'when');
    asArray(w.values).forEach((v, j) => typeof v === 'string' && visit(v, [...at, 'values', j], 'array-item', 'when'));
    if (typeof w.cel === 'string') visit(w.cel, [...at, 'cel'], 'string', 'cel');
  }
  const taskSpec = asObject(task.taskSpec);
  if (taskSpec) {
    for (const field of ['steps', 'sidecars'] as const) {
      forEachString(taskSpec[field], [...entry.path, 'taskSpec', field], (text, path) => visit(text, path, 'string', 'spec'));
    }
  }
  for (const [w, i] of objectsOf(task.workspaces)) {
    if (typeof w.subPath === 'string') visit(w.subPath, [...entry.path, 'workspaces', i, 'subPath'], 'string', 'subPath');
  }
  // resolver params are substituted with the pipeline's params before the Task is fetched
  for (const refField of ['taskRef', 'pipelineRef'] as const) {
    for (const [p, i] of objectsOf(asObject(task[refField])?.params)) {
      forEachString(p.value, [...entry.path, refField, 'params', i, 'value'], (text, path) => {
        for (const ref of findVariableReferences(text)) {
          if (ref.kind === 'params') judgeParamReference(context, target, path, text, ref, params, typeof p.value === 'string' ? 'param-value' : 'string', LENIENT);
        }
      });
    }
  }
}

/**
 * A param value that is one whole `$(tasks.t.results.r[*])` (or `$(tasks.t.results.r)`) becomes an array (or object) when
 * Tekton resolves it; handed to a param of another type, the TaskRun fails ("param types don't
 * match"), as a whole array or object pipeline param would.
 */
function checkWholeResultType(context: CheckContext, target: FindingTarget, entry: PipelineTaskEntry, paramName: string, value: string, at: readonly FieldPathSegment[],
  byName: ReadonlyMap<string, PipelineTaskEntry>): void {
  const consumer = entry.facts?.params.find(d => d.name === paramName);
  if (!consumer) return;
  const refs = findVariableReferences(value);
  if (refs.length !== 1) return;
  const [ref] = refs;
  // with or without [*]: Tekton strips the star before looking the whole reference up (ParamValue.applyOrCorrect)
  if (ref.kind !== 'tasks.results' || ref.start !== 0 || ref.end !== value.length || ref.owner === undefined || ref.name === undefined
    || ref.key !== undefined || ref.index !== undefined) return;
  const producer = byName.get(ref.owner);
  const result = producer?.facts?.results.get(ref.name);
  if (!producer || producer.custom || !result || (producer.matrixed && !ref.star)) return; // the latter is task-result-matrix-misused
  const type = producer.matrixed ? 'array' : result.type;
  if (type === 'string' || type === consumer.type) return;
  context.report(target, 'param-value-type-mismatch', at,
    `param ${quote(paramName)} is ${consumer.type === 'array' ? 'an array' : consumer.type === 'object' ? 'an object' : 'a string'}, but ${ref.text} is ${type === 'array' ? 'an array' : 'an object'}${producer.matrixed ? ' (the results of a matrixed task)' : ''}, so the TaskRun fails`);
}

function judgeTaskStateReference(context: CheckContext, target: FindingTarget, entry: PipelineTaskEntry, at: readonly FieldPathSegment[], ref: VariableReference,
  byName: ReadonlyMap<string, PipelineTaskEntry>, taskNames: ReadonlySet<string>, where: 'param' | 'when' | 'spec' | 'subPath' | 'cel'): void {
  switch (ref.kind) {
    case 'tasks.status':
    case 'tasks.reason':
    case 'tasks.aggregate-status': {
      if (where === 'spec') return;
      if (entry.section === 'tasks') {
        context.report(target, 'execution-status-outside-finally', at, `${ref.text} reads an execution status, which only finally tasks may do; move ${quote(entry.name)} to finally or drop the reference`);
      } else if (ref.owner !== undefined && !taskNames.has(ref.owner)) {
        context.report(target, 'execution-status-outside-finally', at, `${ref.text} names ${quote(ref.owner)}, which is not a task in tasks (tasks: ${listNames(taskNames)})`);
      }
      return;
    }
    case 'tasks.results': {
      if (ref.owner === undefined || ref.name === undefined) return;
      if (ref.expression.startsWith('finally.')) return;
      const producer = byName.get(ref.owner);
      if (!producer) {
        context.report(target, 'task-result-task-unknown', at, `${ref.text} reads a result of ${quote(ref.owner)}, which is not a task of this Pipeline`);
        return;
      }
      if (producer.section === 'finally') {
        context.report(target, 'task-result-from-finally', at, entry.section === 'finally'
          ? `${ref.text} reads a result of finally task ${quote(ref.owner)}; finally tasks may only read results of tasks in tasks`
          : `${ref.text} reads a result of finally task ${quote(ref.owner)}, which runs after every task in tasks; read it in a pipeline result instead`);
        return;
      }
      if (producer.matrixed && !ref.star && where !== 'spec') {
        context.report(target, 'task-result-matrix-misused', at, `${ref.text} reads a result of matrixed task ${quote(ref.owner)}, which can only be read whole: write $(tasks.${ref.owner}.results.${ref.name}[*])`);
      }
      const facts = producer.facts;
      if (!facts || producer.custom) return;
      const result = facts.results.get(ref.name);
      if (!result) {
        context.report(target, 'task-result-undeclared', at, `${ref.text} reads result ${quote(ref.name)}, which the Task of ${quote(ref.owner)} does not declare (declared: ${listNames(facts.results.keys())})`);
        return;
      }
      if (producer.matrixed && result.type !== 'string') {
        context.report(target, 'task-result-matrix-misused', at, `${ref.text}: matrixed task ${quote(ref.owner)} can only emit string results, but ${quote(ref.name)} is ${result.type === 'array' ? 'an array' : 'an object'}`);
      }
      if (ref.key !== undefined && result.type === 'object' && result.properties && !result.properties.has(ref.key)) {
        // Tekton checks no key against properties (a Task may write more keys than it declares): the run fails only if the key is absent
        context.report(target, 'task-result-undeclared', at, `${ref.text} reads key ${quote(ref.key)}, which object result ${quote(ref.name)} of ${quote(ref.owner)} does not declare (keys: ${listNames(result.properties)}); Tekton accepts it, but the run fails unless the Task writes that key anyway`, 'warning');
      }
      return;
    }
    default:
      return;
  }
}
