import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { FieldPathSegment } from './finding';
import { asArray, asObject, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote, textOf } from '../tekton-model/json-shape';
import { DNS1123_LABEL_RULE, isDns1123Label } from '../tekton-model/names';
import { checkArrayIndexes } from './array-index-rules';
import { checkParamDeclarations } from './param-declaration-rules';
import { checkParamWiring } from './param-wiring-rules';
import { propagatedParams } from './propagated-params';
import { checkEnumSubsets } from './enum-subset-rules';
import { checkMatrix } from './matrix-rules';
import { checkPipelineResult } from './pipeline-result-rules';
import { indexPipeline, PipelineIndex, PipelineSpecFacts, PipelineSpecScope } from './pipeline-index';
import { PipelineTaskEntry, ResolvedTask } from './pipeline-task-entry';
import { checkWhenExpressions } from './when-rules';
import { checkTimeout } from './timeout-rules';
import { resolveReference } from './reference-resolution';
import { ScopedReporter } from './scoped-reporter';
import { admissionChecks, judgeReferences } from './pipeline-reference-rules';
import { forEachString } from '../tekton-model/string-walk';
import { checkTaskSpec } from './task-spec-rules';
import { checkPipelineSpecStringFields } from './string-field-rules';
import { findVariableReferences } from '../tekton-model/variable-references';

/** A judge of one aspect of a Pipeline spec: reads the index, reports at `r`. */
type PipelineJudge = (r: ScopedReporter, pipeline: PipelineIndex) => void;

/**
 * The judges of a Pipeline spec, in the order Tekton's `PipelineSpec.Validate` reads it, then
 * `validatePipelineParameterUsage`, the DAG builder and the PipelineRun reconciler.
 */
const PIPELINE_JUDGES: readonly PipelineJudge[] = [
  judgeParamAndStringDeclarations,
  judgeWorkspaceDeclarations,
  judgeNotEmpty,
  judgeFinallyHasTasks,
  judgeTaskNames,
  judgeEachPipelineTask,
  judgeRunAfter,
  judgeReferences,
  judgeNoCycle,
  judgePipelineResults,
];

/**
 * Judges a Pipeline spec (of a Pipeline, or embedded in a PipelineRun) at `target`: builds its
 * read-only index (tasks, the Tasks they run, the dependency graph), then runs each judge on it.
 * Returns its facts.
 */
export function checkPipelineSpec(r: ScopedReporter, spec: JsonObject, scope: PipelineSpecScope): PipelineSpecFacts {
  const pipeline = indexPipeline(r, spec, scope);
  for (const judge of PIPELINE_JUDGES) judge(r, pipeline);
  return pipeline.facts;
}

function judgeParamAndStringDeclarations(r: ScopedReporter, pipeline: PipelineIndex): void {
  checkParamDeclarations(r, pipeline.facts.params, ['params']);
  checkPipelineSpecStringFields(r, pipeline.spec);
}

function judgeWorkspaceDeclarations(r: ScopedReporter, pipeline: PipelineIndex): void {
  const seen = new Set<string>();
  for (const [w, i] of objectsOf(pipeline.spec.workspaces)) {
    const name = asString(w.name) ?? '';
    if (name === '')
      r.report('workspace-name-invalid', ['workspaces', i, 'name'], `workspace ${i} has an empty name, which Tekton refuses; name it`);
    else if (seen.has(name))
      r.report(
        'workspace-name-duplicate',
        ['workspaces', i, 'name'],
        `workspace ${quote(name)} is declared more than once; give each workspace a distinct name`,
      );
    seen.add(name);
  }
}

function judgeNotEmpty(r: ScopedReporter, pipeline: PipelineIndex): void {
  if (isEmptyPipelineSpec(pipeline.spec)) {
    r.report(
      'pipeline-spec-empty',
      [],
      'the spec has no tasks, params, workspaces, results, description or displayName, which Tekton refuses ("expected at least one, got none"); add tasks',
    );
  }
}

function judgeFinallyHasTasks(r: ScopedReporter, pipeline: PipelineIndex): void {
  const finallyCount = pipeline.entries.filter((e) => e.section === 'finally').length;
  if (finallyCount > 0 && finallyCount === pipeline.entries.length) {
    r.report(
      'finally-without-tasks',
      ['finally'],
      `spec has ${finallyCount} finally task${finallyCount > 1 ? 's' : ''} but no tasks; add tasks`,
    );
  }
}

function judgeTaskNames(r: ScopedReporter, pipeline: PipelineIndex): void {
  const seen = new Set<string>();
  for (const { name, path: at } of pipeline.entries) {
    if (!isDns1123Label(name)) {
      r.report(
        'pipeline-task-name-invalid',
        [...at, 'name'],
        name === ''
          ? `pipeline task has no name, or a name that is not a string; give it a quoted name that is ${DNS1123_LABEL_RULE}`
          : `pipeline task name ${quote(name)} must be ${DNS1123_LABEL_RULE}`,
      );
    }
    if (seen.has(name))
      r.report(
        'pipeline-task-name-duplicate',
        [...at, 'name'],
        `pipeline task name ${quote(name)} is already used by another task in tasks or finally; give each a distinct name`,
      );
    seen.add(name);
  }
}

/** Each pipeline task on its own: ref or spec, features, onError, workspaces, params, timeout, matrix, when, the Task it runs. */
function judgeEachPipelineTask(r: ScopedReporter, pipeline: PipelineIndex): void {
  for (const entry of pipeline.entries) {
    if (entry.custom) judgeCustomTaskKind(r, entry.task, entry.path);
    judgeEmbeddedOrType(r, entry.task, entry.path);
    judgeRefOrSpec(r, entry);
    judgePipelineTaskFeatures(r, entry);
    judgeOnError(r, entry);
    judgeWorkspaceBindings(r, pipeline, entry);
    judgeDuplicateParams(r, entry);
    checkTimeout(r, entry.task.timeout, [...entry.path, 'timeout'], `timeout of pipeline task ${quote(entry.name)}`);
    checkMatrix(r, entry, pipeline.params);
    checkWhenExpressions(r, entry);
    judgeTaskRun(r, pipeline, entry);
  }
}

function judgeRefOrSpec(r: ScopedReporter, entry: PipelineTaskEntry): void {
  const present = (['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const).filter(
    (f) => entry.task[f] !== undefined && entry.task[f] !== null,
  );
  if (present.length !== 1) {
    r.report(
      'pipeline-task-ref-or-spec',
      entry.path,
      present.length === 0
        ? `pipeline task ${quote(entry.name)} has no taskRef or taskSpec; give it exactly one`
        : `pipeline task ${quote(entry.name)} sets ${present.join(' and ')}; keep exactly one`,
    );
  }
}

function judgePipelineTaskFeatures(r: ScopedReporter, entry: PipelineTaskEntry): void {
  const flags = r.featureFlags;
  if (!flags) return;
  const { task, path: at } = entry;
  for (const f of ['pipelineRef', 'pipelineSpec'] as const) {
    if (task[f] !== undefined && !apiFieldsEnabled(flags, 'alpha')) {
      r.report(
        'feature-disabled',
        [...at, f],
        `${f} in a pipeline task (pipelines in pipelines) needs enable-api-fields: "alpha" (it is "${flags.enableApiFields}")`,
      );
    }
  }
  if (flags.disableInlineSpec.has('pipeline')) {
    for (const f of ['taskSpec', 'pipelineSpec'] as const) {
      if (task[f] !== undefined)
        r.report('feature-disabled', [...at, f], `embedded ${f} is refused: feature flag disable-inline-spec includes "pipeline"`);
    }
  }
  if (!flags.enableArtifacts) judgeTaskArtifactReferences(r, entry);
}

/** A pipeline task artifact reference as Tekton's `artifactref.TaskArtifactRegex` reads it: `$(tasks.t.inputs.a)`, `$(tasks.t.outputs.a)`. */
const TASK_ARTIFACT_REFERENCE = /\$\(tasks\.[^.]+\.(?:inputs|outputs)\.[^.)]+\)/;

/**
 * With enable-artifacts off, Tekton refuses a pipeline task whose params (string values, array
 * items, object values; not matrix) reference a task's artifacts (pipeline_validation.go
 * validateArtifactReference over `Params.extractValues`). One finding per pipeline task.
 */
function judgeTaskArtifactReferences(r: ScopedReporter, entry: PipelineTaskEntry): void {
  for (const [p, i] of objectsOf(entry.task.params)) {
    let found: { text: string; path: readonly FieldPathSegment[] } | undefined;
    forEachString(p.value, [...entry.path, 'params', i, 'value'], (text, path) => {
      const match = found ? null : TASK_ARTIFACT_REFERENCE.exec(text);
      if (match) found = { text: match[0], path };
    });
    if (found) {
      r.report('feature-disabled', found.path, `${found.text} is an artifact reference, which needs feature flag enable-artifacts: "true"`);
      return;
    }
  }
}

function judgeOnError(r: ScopedReporter, entry: PipelineTaskEntry): void {
  const { task, path: at } = entry;
  const flags = r.featureFlags;
  const onError = asString(task.onError);
  if (onError === undefined || onError === '' || onError.startsWith('$(params') || r.filledInBeforeTekton(onError)) return;
  if (onError !== 'continue' && onError !== 'stopAndFail') {
    r.report('pipeline-task-on-error-invalid', [...at, 'onError'], `onError is ${quote(onError)}; use continue or stopAndFail`);
  } else if (onError === 'continue' && typeof task.retries === 'number' && task.retries > 0) {
    r.report('pipeline-task-on-error-invalid', [...at, 'onError'], 'onError "continue" cannot be combined with retries; drop one');
  }
  if (flags && !apiFieldsEnabled(flags, 'beta'))
    r.report(
      'feature-disabled',
      [...at, 'onError'],
      `onError on a pipeline task needs enable-api-fields "beta" or "alpha" (it is "${flags.enableApiFields}")`,
    );
}

/** The pipeline task's workspaces are bound to the Pipeline's, each once. */
function judgeWorkspaceBindings(r: ScopedReporter, pipeline: PipelineIndex, entry: PipelineTaskEntry): void {
  const bindings = new Set<string>();
  for (const [w, i] of objectsOf(entry.task.workspaces)) {
    const name = asString(w.name) ?? '';
    if (bindings.has(name))
      r.report(
        'workspace-name-duplicate',
        [...entry.path, 'workspaces', i, 'name'],
        `workspace ${quote(name)} is bound more than once; bind each once`,
      );
    bindings.add(name);
    const source = nonEmptyString(w.workspace) ?? name;
    if (!pipeline.facts.workspaces.has(source)) {
      r.report(
        'workspace-binding-undeclared',
        [...entry.path, 'workspaces', i, nonEmptyString(w.workspace) ? 'workspace' : 'name'],
        `pipeline task ${quote(entry.name)} binds pipeline workspace ${quote(source)}, which the Pipeline does not declare (declared: ${listNames(pipeline.facts.workspaces.keys())})`,
      );
    }
  }
}

function judgeDuplicateParams(r: ScopedReporter, entry: PipelineTaskEntry): void {
  const seen = new Set<string>();
  for (const s of entry.supplied) {
    if (s.matrix || s.include) continue;
    if (seen.has(s.name))
      r.report('param-name-duplicate', [...s.path, 'name'], `param ${quote(s.name)} is supplied more than once; supply it once`);
    seen.add(s.name);
  }
}

/** The Task (or child Pipeline) the pipeline task runs: its embedded spec judged, the params and workspaces handed to it. */
function judgeTaskRun(r: ScopedReporter, pipeline: PipelineIndex, entry: PipelineTaskEntry): void {
  if (entry.custom) return;
  const { task, path: at, resolved } = entry;
  const params = pipeline.params;
  const withoutMatrix = entry.supplied.filter((s) => !s.matrix && !s.include);
  if (resolved?.embedded) {
    const bindings = new Set(objectsOf(task.workspaces).map(([w]) => asString(w.name) ?? ''));
    checkTaskSpec(r.nested([...at, 'taskSpec']), resolved.spec, {
      // a Pipeline's admission checks its embedded steps against the taskSpec's and the Pipeline's params only;
      // at run time (and so for a run's embedded spec) the task's own params are propagated too
      outerParams: pipeline.scope.validation === 'pipeline' ? params : propagatedParams(entry.supplied, params),
      validatesParamUsage: admissionChecks(pipeline, entry),
      admissionParams: pipeline.scope.validation === 'pipelinerun' ? pipeline.admission : undefined,
      outerWorkspaces: new Set([...bindings, ...pipeline.facts.workspaces.keys()]),
      inPipeline: true,
    });
    judgeTaskWiring(r, pipeline, entry, resolved);
    checkArrayIndexes(
      r,
      { callee: `the embedded taskSpec of ${quote(entry.name)}`, spec: resolved.spec, params: resolved.facts.params },
      withoutMatrix,
      [...at, 'params'],
    );
  } else if (resolved) {
    judgeTaskWiring(r, pipeline, entry, resolved);
    checkArrayIndexes(r, { callee: resolved.callee, spec: resolved.spec, params: resolved.facts.params }, withoutMatrix, [...at, 'params']);
  } else if (!asObject(task.taskSpec) && !asObject(task.taskRef)) {
    const pipelineRef = asObject(task.pipelineRef);
    if (pipelineRef) resolveReference(r, pipelineRef, [...at, 'pipelineRef'], 'Pipeline');
    const pipelineSpec = asObject(task.pipelineSpec);
    if (pipelineSpec)
      checkPipelineSpec(r.nested([...at, 'pipelineSpec']), pipelineSpec, {
        outerParams: propagatedParams(entry.supplied, params),
        validation: 'none',
      });
  }
}

/** The params and workspaces a pipeline task hands to the Task it runs. */
function judgeTaskWiring(r: ScopedReporter, pipeline: PipelineIndex, entry: PipelineTaskEntry, resolved: ResolvedTask): void {
  const { facts } = resolved;
  const referenced = !resolved.embedded;
  const callee = resolved.callee;
  checkParamWiring(r, facts.params, entry.supplied, {
    callee: referenced ? callee : `the ${callee} of ${quote(entry.name)}`,
    paramsPath: [...entry.path, 'params'],
    warnUndeclared: referenced,
    callerParams: pipeline.params,
  });
  const bound = new Set(objectsOf(entry.task.workspaces).map(([w]) => asString(w.name) ?? ''));
  if (!referenced) {
    // an embedded spec's steps that use $(workspaces.x...) get x bound to the pipeline workspace x (propagateWorkspaces)
    forEachString(asObject(entry.task.taskSpec), [], (text) => {
      for (const ref of findVariableReferences(text))
        if (ref.kind === 'workspaces' && ref.name !== undefined && pipeline.facts.workspaces.has(ref.name)) bound.add(ref.name);
    });
  }
  const missing = [...facts.workspaces].filter(([name, w]) => !w.optional && !bound.has(name)).map(([name]) => name);
  if (missing.length > 0) {
    r.report(
      'workspace-missing',
      [...entry.path, 'workspaces'],
      `required workspace${missing.length > 1 ? 's' : ''} ${missing.map(quote).join(', ')} of ${callee} ${missing.length > 1 ? 'are' : 'is'} not bound by pipeline task ${quote(entry.name)}; bind ${missing.length > 1 ? 'them' : 'it'} to a pipeline workspace`,
    );
  }
  // ValidateOptionalWorkspaces (PipelineRun reconciler): a workspace the Pipeline declares optional cannot feed one the Task requires
  const optionalInPipeline = new Set(
    objectsOf(pipeline.spec.workspaces)
      .filter(([w]) => w.optional === true)
      .map(([w]) => asString(w.name) ?? ''),
  );
  for (const [w, i] of objectsOf(entry.task.workspaces)) {
    const name = asString(w.name) ?? '';
    const pipelineWorkspace = nonEmptyString(w.workspace) ?? name;
    if (optionalInPipeline.has(pipelineWorkspace) && facts.workspaces.get(name)?.optional === false) {
      r.report(
        'workspace-missing',
        [...entry.path, 'workspaces', i, 'workspace'],
        `pipeline workspace ${quote(pipelineWorkspace)} is optional, but ${callee} requires its workspace ${quote(name)}; Tekton fails every run of the Pipeline (RequiredWorkspaceMarkedOptional): make the pipeline workspace required or the Task's optional`,
      );
    }
  }
  if (referenced) {
    for (const [w, i] of objectsOf(entry.task.workspaces)) {
      const name = asString(w.name) ?? '';
      if (!facts.workspaces.has(name)) {
        r.report(
          'workspace-binding-undeclared',
          [...entry.path, 'workspaces', i, 'name'],
          `pipeline task ${quote(entry.name)} binds workspace ${quote(name)}, which ${callee} does not declare (declared: ${listNames(facts.workspaces.keys())})`,
        );
      }
    }
  }
  checkEnumSubsets(r, entry, facts, callee, pipeline.params);
}

function judgeRunAfter(r: ScopedReporter, pipeline: PipelineIndex): void {
  for (const entry of pipeline.entries) {
    const runAfter = asArray(entry.task.runAfter);
    if (entry.section === 'finally') {
      if (runAfter.length > 0)
        r.report(
          'run-after-in-finally',
          [...entry.path, 'runAfter'],
          `finally task ${quote(entry.name)} sets runAfter; finally tasks run after all tasks, remove it`,
        );
      continue;
    }
    runAfter.forEach((value, i) => {
      const other = textOf(value);
      if (!pipeline.taskNames.has(other)) {
        r.report(
          'run-after-unknown-task',
          [...entry.path, 'runAfter', i],
          `runAfter names ${quote(other)}, which is not a task in tasks${pipeline.byName.has(other) ? ' (it is a finally task)' : ''}`,
        );
      }
    });
  }
}

function judgeNoCycle(r: ScopedReporter, pipeline: PipelineIndex): void {
  const cycle = pipeline.graph.findCycle();
  if (!cycle) return;
  const names = cycle.map((e) => e.from);
  const described = cycle
    .map(
      (e) => `${e.from} ${e.via === 'runAfter' ? 'runs after' : e.via === 'when' ? 'has a when input from' : 'reads a result of'} ${e.to}`,
    )
    .join(', ');
  r.report(
    'pipeline-cycle',
    cycle[0].path,
    `tasks form a cycle ${[...names, names[0]].join(' -> ')} (${described}); break one of these dependencies`,
  );
}

function judgePipelineResults(r: ScopedReporter, pipeline: PipelineIndex): void {
  objectsOf(pipeline.spec.results).forEach(([result, i]) => checkPipelineResult(r, result, ['results', i], pipeline.byName));
}

/** True for a spec equal to Go's zero PipelineSpec under Kubernetes' semantic equality (an empty list is no list). */
function isEmptyPipelineSpec(spec: JsonObject): boolean {
  return Object.values(spec).every(
    (v) =>
      v === undefined ||
      v === null ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
  );
}

/** An embedded taskSpec with steps is a Task: Tekton refuses a kind or apiVersion beside them (`validateEmbeddedOrType`). */
function judgeEmbeddedOrType(r: ScopedReporter, task: JsonObject, at: readonly FieldPathSegment[]): void {
  const taskSpec = asObject(task.taskSpec);
  if (!taskSpec || asArray(taskSpec.steps).length === 0) return;
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = nonEmptyString(taskSpec[field]);
    if (value)
      r.report(
        'task-spec-typed-with-steps',
        [...at, 'taskSpec', field],
        `taskSpec.${field} ${quote(value)} cannot be set beside taskSpec.steps (an embedded spec with steps is a Task); drop ${field}`,
      );
  }
}

/**
 * A pipeline task Tekton takes for a custom task (a kind other than Task, or an apiVersion, on its
 * taskRef or taskSpec) needs both kind and an apiVersion of the form group/version; a
 * `kind: ClusterTask` ref (ClusterTasks are gone from v1.15.0) is refused this way.
 */
function judgeCustomTaskKind(r: ScopedReporter, task: JsonObject, at: readonly FieldPathSegment[]): void {
  for (const field of ['taskRef', 'taskSpec'] as const) {
    const value = asObject(task[field]);
    if (!value) continue;
    const kind = nonEmptyString(value.kind);
    const apiVersion = nonEmptyString(value.apiVersion);
    if (!kind) {
      r.report(
        'custom-task-invalid',
        [...at, field, 'kind'],
        `${field} has apiVersion ${quote(apiVersion ?? '')}, which makes it a custom task, but no kind; set kind, or drop apiVersion for a Task`,
      );
    } else if (!apiVersion) {
      const hint =
        kind === 'ClusterTask'
          ? 'ClusterTasks no longer exist in Tekton v1.15.0: use a namespaced Task or the cluster resolver'
          : `set apiVersion (group/version) for a custom task, or use kind "Task"`;
      r.report(
        'custom-task-invalid',
        [...at, field, 'apiVersion'],
        `${field} kind ${quote(kind)} makes it a custom task, which needs an apiVersion; ${hint}`,
      );
    } else if (!/^[^/]+\/[^/]+$/.test(apiVersion)) {
      r.report(
        'custom-task-invalid',
        [...at, field, 'apiVersion'],
        `custom task apiVersion ${quote(apiVersion)} is not of the form group/version`,
      );
    }
  }
}
