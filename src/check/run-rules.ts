import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { formatGoDuration, parseGoDuration } from '../tekton-model/go-duration';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { asArray, asObject, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { ParamDeclaration } from '../tekton-model/param-declarations';
import { propagatedParams } from './propagated-params';
import { checkArrayIndexes } from './array-index-rules';
import { checkParamWiring, SuppliedParam } from './param-wiring-rules';
import { readPipelineSpecFacts } from './pipeline-index';
import { checkPipelineSpec } from './pipeline-spec-rules';
import { resolveReference, specOf } from './reference-resolution';
import { checkTaskSpec } from './task-spec-rules';
import { readTaskSpecFacts } from '../tekton-model/task-spec-facts';
import { checkTimeout } from './timeout-rules';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences, substituteVariableReferences } from '../tekton-model/variable-references';
import { DEFAULT_TIMEOUT_NANOS } from '../tekton-model/timeouts';

const VOLUME_SOURCES = ['emptyDir', 'persistentVolumeClaim', 'volumeClaimTemplate', 'configMap', 'secret', 'projected', 'csi'] as const;

function suppliedParams(spec: JsonObject): SuppliedParam[] {
  return objectsOf(spec.params).map(([p, i]) => ({ name: asString(p.name) ?? '', value: p.value, path: ['params', i] }));
}

/** Params a run supplies, typed by their values (for embedded specs, which may use them without declaring them). */
function propagated(supplied: readonly SuppliedParam[]): Map<string, ParamDeclaration> {
  return propagatedParams(supplied);
}

/** A run's params must have distinct names, compared ignoring case (taskrun_validation.go ValidateParameters). */
function checkDuplicateParams(r: ScopedReporter, supplied: readonly SuppliedParam[]): void {
  const seen = new Map<string, string>();
  for (const s of supplied) {
    const earlier = seen.get(s.name.toLowerCase());
    if (earlier !== undefined) {
      const also = earlier === s.name ? '' : ` (as ${quote(earlier)}: Tekton compares run param names ignoring case)`;
      r.report('param-name-duplicate', [...s.path, 'name'], `param ${quote(s.name)} is supplied more than once${also}; supply it once`);
    } else {
      seen.set(s.name.toLowerCase(), s.name);
    }
  }
}

/** A run's workspace bindings; a TaskRun's names are compared ignoring case (taskrun_validation.go ValidateWorkspaceBindings). */
function checkWorkspaceBindings(r: ScopedReporter, spec: JsonObject, ignoreCase = false): Set<string> {
  const names = new Set<string>();
  const folded = new Map<string, string>();
  for (const [w, i] of objectsOf(spec.workspaces)) {
    const name = asString(w.name) ?? '';
    const at: FieldPathSegment[] = ['workspaces', i];
    const key = ignoreCase ? name.toLowerCase() : name;
    const earlier = folded.get(key);
    if (earlier !== undefined) {
      const also = earlier === name ? '' : ` (as ${quote(earlier)}: Tekton compares TaskRun workspace names ignoring case)`;
      r.report('workspace-name-duplicate', [...at, 'name'], `workspace ${quote(name)} is bound more than once${also}; bind each once`);
    } else {
      folded.set(key, name);
    }
    names.add(name);
    const sources = VOLUME_SOURCES.filter((k) => w[k] !== undefined && w[k] !== null);
    if (sources.length !== 1) {
      r.report(
        'workspace-binding-invalid',
        at,
        sources.length === 0
          ? `workspace ${quote(name)} has no volume source; give it exactly one of ${VOLUME_SOURCES.join(', ')}`
          : `workspace ${quote(name)} has ${sources.join(' and ')}; give it exactly one volume source`,
      );
      continue;
    }
    const [source] = sources;
    const value = asObject(w[source]);
    const required: Partial<Record<typeof source, [string, (v: JsonObject | undefined) => boolean]>> = {
      persistentVolumeClaim: ['claimName', (v) => Boolean(nonEmptyString(v?.claimName))],
      configMap: ['name', (v) => Boolean(nonEmptyString(v?.name))],
      secret: ['secretName', (v) => Boolean(nonEmptyString(v?.secretName))],
      projected: ['sources', (v) => asArray(v?.sources).length > 0],
      csi: ['driver', (v) => Boolean(nonEmptyString(v?.driver))],
    };
    const need = required[source];
    if (need && !need[1](value)) {
      r.report(
        'workspace-binding-invalid',
        [...at, source],
        `workspace ${quote(name)} sets ${source} without ${need[0]}; set ${source}.${need[0]}`,
      );
    }
  }
  return names;
}

/** How a run's workspace bindings are held against what its callee declares. */
interface WorkspaceCall {
  /** How messages name the callee. */
  readonly callee: string;
  /** Whether a binding the callee does not declare is reported. */
  readonly strictExtra: boolean;
  /** Severity of a required workspace left unbound. */
  readonly severity: 'error' | 'warning';
}

/** Every required workspace of the callee is bound (and, with `strictExtra`, nothing else is). */
function checkRequiredWorkspaces(
  r: ScopedReporter,
  declared: ReadonlyMap<string, { readonly optional: boolean }>,
  bound: ReadonlySet<string>,
  { callee, strictExtra, severity }: WorkspaceCall,
): void {
  const missing = [...declared].filter(([n, w]) => !w.optional && !bound.has(n)).map(([n]) => n);
  if (missing.length > 0) {
    r.report(
      'workspace-missing',
      ['workspaces'],
      `required workspace${missing.length > 1 ? 's' : ''} ${missing.map(quote).join(', ')} of ${callee} ${missing.length > 1 ? 'are' : 'is'} not bound by the run${severity === 'warning' ? " (it fails unless the cluster's config-defaults sets default-task-run-workspace-binding)" : '; bind it'}`,
      severity,
    );
  }
  if (strictExtra) {
    let i = 0;
    for (const name of bound) {
      if (!declared.has(name)) {
        r.report(
          'workspace-binding-undeclared',
          ['workspaces', i, 'name'],
          `the run binds workspace ${quote(name)}, which ${callee} does not declare (declared: ${listNames(declared.keys())})`,
        );
      }
      i++;
    }
  }
}

/** Judges a PipelineRun spec: its reference or embedded spec, its params and workspaces against the Pipeline. */
export function checkPipelineRunSpec(r: ScopedReporter, spec: JsonObject): void {
  const ref = asObject(spec.pipelineRef);
  const embedded = asObject(spec.pipelineSpec);
  if ((ref ? 1 : 0) + (embedded ? 1 : 0) !== 1) {
    r.report(
      'run-ref-or-spec',
      [],
      ref ? 'both pipelineRef and pipelineSpec are set; keep one' : 'neither pipelineRef nor pipelineSpec is set; set one',
    );
  }
  const supplied = suppliedParams(spec);
  checkDuplicateParams(r, supplied);
  // each taskRunSpecs entry is judged as a TaskRun's own fields are (pipelinerun_validation.go validateTaskRunSpec)
  for (const [trs, i] of objectsOf(spec.taskRunSpecs)) {
    checkStepAndSidecarSpecs(r, trs, ['taskRunSpecs', i], true);
    checkTaskRunSpecTimeout(r, trs.timeout, asObject(spec.timeouts), ['taskRunSpecs', i, 'timeout']);
  }
  judgeNoResultReferences(r, supplied);
  checkTimeouts(r, spec);
  checkTimeout(r, spec.timeout, ['timeout'], 'timeout');
  checkRunStatus(r, spec, PIPELINE_RUN_STATUSES);
  const bound = checkWorkspaceBindings(r, spec);
  let pipelineSpec: JsonObject | undefined;
  let callee = 'the embedded pipelineSpec';
  if (embedded) {
    if (r.featureFlags?.disableInlineSpec.has('pipelinerun'))
      r.report(
        'feature-disabled',
        ['pipelineSpec'],
        'embedded pipelineSpec is refused: feature flag disable-inline-spec includes "pipelinerun"',
      );
    checkPipelineSpec(r.nested(['pipelineSpec']), embedded, {
      outerParams: propagated(supplied),
      outerWorkspaces: bound,
      validation: 'pipelinerun',
    });
    pipelineSpec = embedded;
  } else if (ref) {
    const resolved = resolveReference(r, ref, ['pipelineRef'], 'Pipeline');
    pipelineSpec = specOf(resolved.document);
    if (resolved.document) callee = `Pipeline/${resolved.document.name}`;
  }
  if (!pipelineSpec) return;
  const facts = r.remember(pipelineSpec, () => readPipelineSpecFacts(pipelineSpec!));
  checkParamWiring(r, facts.params, supplied, {
    callee,
    paramsPath: ['params'],
    warnUndeclared: !embedded,
    strictTypes: true,
  });
  const indexed = r.remember(indexedFieldsKey(pipelineSpec), () => pipelineIndexedFields(pipelineSpec!));
  checkArrayIndexes(r, { callee, spec: indexed, params: facts.params }, supplied, ['params']);
  checkRequiredWorkspaces(r, facts.workspaces, bound, { callee, strictExtra: false, severity: 'error' });
  checkSubstitutedOnError(
    r,
    [...objectsOf(pipelineSpec.tasks), ...objectsOf(pipelineSpec.finally)],
    'pipeline task',
    facts.params,
    supplied,
    callee,
  );
  judgeTaskRunSpecsNames(r, spec, pipelineSpec, callee);
}

/** A PipelineRun's param values are literals: no task result references. */
function judgeNoResultReferences(r: ScopedReporter, supplied: readonly SuppliedParam[]): void {
  for (const s of supplied) {
    forEachString(s.value, [...s.path, 'value'], (text, path) => {
      const refs = findVariableReferences(text).filter((ref) => ref.kind === 'tasks.results');
      if (refs.length > 0)
        r.report(
          'run-param-invalid',
          path,
          `${refs[0].text} is a task result reference, which a PipelineRun param value cannot hold; pass a literal value`,
        );
    });
  }
}

/** Each taskRunSpecs entry names a task of the Pipeline. */
function judgeTaskRunSpecsNames(r: ScopedReporter, spec: JsonObject, pipelineSpec: JsonObject, callee: string): void {
  const taskNames = new Set([...objectsOf(pipelineSpec.tasks), ...objectsOf(pipelineSpec.finally)].map(([t]) => asString(t.name) ?? ''));
  for (const [s, i] of objectsOf(spec.taskRunSpecs)) {
    const name = asString(s.pipelineTaskName) ?? '';
    if (!taskNames.has(name)) {
      r.report(
        'run-ref-or-spec',
        ['taskRunSpecs', i, 'pipelineTaskName'],
        `taskRunSpecs names pipeline task ${quote(name)}, which ${callee} does not have (tasks: ${listNames(taskNames)})`,
      );
    }
  }
}

/** Judges a TaskRun spec: its reference or embedded spec, its params and workspaces against the Task. */
export function checkTaskRunSpec(r: ScopedReporter, spec: JsonObject): void {
  const ref = asObject(spec.taskRef);
  const embedded = asObject(spec.taskSpec);
  if ((ref ? 1 : 0) + (embedded ? 1 : 0) !== 1) {
    r.report('run-ref-or-spec', [], ref ? 'both taskRef and taskSpec are set; keep one' : 'neither taskRef nor taskSpec is set; set one');
  }
  const supplied = suppliedParams(spec);
  checkDuplicateParams(r, supplied);
  checkRunStatus(r, spec, TASK_RUN_STATUSES);
  if (typeof spec.retries === 'number' && spec.retries < 0) {
    r.report('run-field-invalid', ['retries'], `retries ${spec.retries} is negative; use 0 or more`);
  }
  judgeTaskRunFeatures(r, spec);
  checkTimeout(r, spec.timeout, ['timeout'], 'timeout');
  checkStepAndSidecarSpecs(r, spec, [], false);
  if (spec.computeResources !== undefined && spec.computeResources !== null) {
    asArray(spec.stepSpecs).forEach((o, i) => {
      const resources = asObject(asObject(o)?.computeResources);
      if (resources && Object.keys(resources).length > 0) {
        r.report(
          'run-field-invalid',
          ['stepSpecs', i, 'computeResources'],
          'computeResources is set both for the whole TaskRun and in stepSpecs; keep one of them',
        );
      }
    });
  }
  // taskrun_validation.go validateDebug: with breakpoints, onFailure must be "enabled" (absent is empty) and beforeSteps unique
  const breakpoints = asObject(asObject(spec.debug)?.breakpoints);
  if (breakpoints) {
    const onFailure = breakpoints.onFailure;
    if (onFailure !== 'enabled') {
      r.report(
        'run-field-invalid',
        ['debug', 'breakpoints', 'onFailure'],
        onFailure === undefined || onFailure === ''
          ? 'onFailure breakpoint is empty; set it to "enabled", the only value'
          : `onFailure breakpoint ${quote(String(onFailure))} is not allowed; the only value is "enabled"`,
      );
    }
    const beforeSteps = new Set<string>();
    asArray(breakpoints.beforeSteps).forEach((step, i) => {
      const name = String(step);
      if (beforeSteps.has(name)) {
        r.report(
          'run-field-invalid',
          ['debug', 'breakpoints', 'beforeSteps', i],
          `before-step breakpoint ${quote(name)} is listed more than once; list each step once`,
        );
      }
      beforeSteps.add(name);
    });
  }
  const bound = checkWorkspaceBindings(r, spec, true);
  let taskSpec: JsonObject | undefined;
  let callee = 'the embedded taskSpec';
  if (embedded) {
    if (r.featureFlags?.disableInlineSpec.has('taskrun'))
      r.report('feature-disabled', ['taskSpec'], 'embedded taskSpec is refused: feature flag disable-inline-spec includes "taskrun"');
    checkTaskSpec(r.nested(['taskSpec']), embedded, { outerParams: propagated(supplied), outerWorkspaces: bound });
    taskSpec = embedded;
  } else if (ref) {
    if (asString(ref.kind) !== undefined && ref.kind !== 'Task') return; // custom task
    const resolved = resolveReference(r, ref, ['taskRef'], 'Task');
    taskSpec = specOf(resolved.document);
    if (resolved.document) callee = `Task/${resolved.document.name}`;
  }
  if (!taskSpec) return;
  const facts = r.remember(taskSpec, () => readTaskSpecFacts(taskSpec!));
  checkParamWiring(r, facts.params, supplied, { callee, paramsPath: ['params'], warnUndeclared: !embedded });
  checkArrayIndexes(r, { callee, spec: taskSpec, params: facts.params }, supplied, ['params']);
  checkRequiredWorkspaces(r, facts.workspaces, bound, { callee, strictExtra: !embedded, severity: 'warning' });
  checkSubstitutedOnError(r, objectsOf(taskSpec.steps), 'step', facts.params, supplied, callee);
  judgeStepSpecNames(r, spec, taskSpec, callee);
}

/** The alpha and beta fields of a TaskRun, judged only when the feature flags are known. */
function judgeTaskRunFeatures(r: ScopedReporter, spec: JsonObject): void {
  const flags = r.featureFlags;
  if (!flags) return;
  for (const [field, level] of [
    ['debug', 'alpha'],
    ['stepSpecs', 'beta'],
    ['sidecarSpecs', 'beta'],
    ['computeResources', 'beta'],
  ] as const) {
    if (spec[field] !== undefined && !apiFieldsEnabled(flags, level)) {
      r.report(
        'feature-disabled',
        [field],
        `TaskRun ${field} needs enable-api-fields ${level === 'alpha' ? '"alpha"' : '"beta" or "alpha"'} (it is "${flags.enableApiFields}")`,
      );
    }
  }
}

/** Each stepSpecs and sidecarSpecs entry names a step or sidecar of the Task. */
function judgeStepSpecNames(r: ScopedReporter, spec: JsonObject, taskSpec: JsonObject, callee: string): void {
  const stepNames = new Set(objectsOf(taskSpec.steps).map(([s]) => asString(s.name) ?? ''));
  const sidecarNames = new Set(objectsOf(taskSpec.sidecars).map(([s]) => asString(s.name) ?? ''));
  for (const [field, names, what] of [
    ['stepSpecs', stepNames, 'step'],
    ['sidecarSpecs', sidecarNames, 'sidecar'],
  ] as const) {
    asArray(spec[field]).forEach((o, i) => {
      const name = asString(asObject(o)?.name) ?? '';
      if (!names.has(name))
        r.report(
          'run-ref-or-spec',
          [field, i, 'name'],
          `${field} names ${what} ${quote(name)}, which ${callee} does not have (${what}s: ${listNames(names)})`,
        );
    });
  }
}

/**
 * An `onError` written with `$(params...)` passes admission and is judged once the run's values are
 * in: the PipelineRun reconciler validates each pipeline task's `onError` again after substitution
 * (pipelinerun.go validatePipelineSpecAfterApplyParameters: continue or stopAndFail, and continue
 * without retries), and a step's `onError` becomes an entrypoint argument only when it is continue or
 * stopAndFail (pod/entrypoint.go); either way the run fails. The value is the run's, else the default.
 */
function checkSubstitutedOnError(
  r: ScopedReporter,
  items: ReadonlyArray<readonly [JsonObject, number]>,
  what: 'pipeline task' | 'step',
  declarations: readonly ParamDeclaration[],
  supplied: readonly SuppliedParam[],
  callee: string,
): void {
  for (const [item] of items) {
    const onError = asString(item.onError);
    if (onError === undefined || !onError.includes('$(params.')) continue;
    const used: SuppliedParam[] = [];
    let unknown = false;
    const value = substituteVariableReferences(onError, (reference) => {
      if (reference.kind !== 'params' || reference.name === undefined) return undefined;
      const given = supplied.find((p) => p.name === reference.name && !p.matrix && !p.include);
      const declared = declarations.find((p) => p.name === reference.name);
      const resolved = given ? given.value : declared?.hasDefault ? declared.default : undefined;
      // a value filled in before Tekton sees it (a Pipelines-as-Code placeholder) is unknown here
      if (typeof resolved !== 'string' || (given !== undefined && r.filledInBeforeTekton(resolved))) {
        unknown = true;
        return undefined;
      }
      if (given) used.push(given);
      return resolved;
    });
    if (unknown) continue;
    const at = used[0]?.path ?? ['params'];
    const name = asString(item.name) ?? '';
    const from = used.length > 0 ? 'the value this run gives' : `the default of ${callee}`;
    if (value !== 'continue' && value !== 'stopAndFail') {
      r.report(
        what === 'step' ? 'step-on-error-invalid' : 'pipeline-task-on-error-invalid',
        at,
        `onError of ${what} ${quote(name)} (${onError}) becomes ${quote(value)} with ${from}, so the run fails; give continue or stopAndFail`,
      );
    } else if (what === 'pipeline task' && value === 'continue' && typeof item.retries === 'number' && item.retries > 0) {
      r.report(
        'pipeline-task-on-error-invalid',
        at,
        `onError of pipeline task ${quote(name)} (${onError}) becomes "continue" with ${from}, which Tekton refuses beside retries ${item.retries}, so the run fails`,
      );
    }
  }
}

const INDEXED_FIELDS_KEYS = new WeakMap<object, object>();
/** The `spec.status` values Tekton accepts (pipelinerun_validation.go validateSpecStatus, taskrun_validation.go). */
const PIPELINE_RUN_STATUSES = ['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending'] as const;
const TASK_RUN_STATUSES = ['TaskRunCancelled', 'TaskRunPending'] as const;

/** A run's `status` must be one Tekton knows; a TaskRun's `statusMessage` needs a `status`. */
function checkRunStatus(r: ScopedReporter, spec: JsonObject, allowed: readonly string[]): void {
  const status = spec.status;
  const unknown = typeof status === 'string' && r.filledInBeforeTekton(status);
  if (status !== undefined && status !== '' && !unknown && !(typeof status === 'string' && allowed.includes(status))) {
    r.report(
      'run-field-invalid',
      ['status'],
      `status ${quote(String(status))} is not one Tekton accepts; use ${allowed.map(quote).join(', ')} (or leave it unset)`,
    );
  }
  if (allowed === TASK_RUN_STATUSES && (status === undefined || status === '') && nonEmptyString(spec.statusMessage)) {
    r.report('run-field-invalid', ['statusMessage'], 'statusMessage is set without status; set status too, or drop statusMessage');
  }
}

function indexedFieldsKey(spec: object): object {
  let key = INDEXED_FIELDS_KEYS.get(spec);
  if (!key) INDEXED_FIELDS_KEYS.set(spec, (key = {}));
  return key;
}

/** The fields of a Pipeline where Tekton looks for `$(params.x[N])` (`GetIndexingReferencesToArrayParams`). */
function pipelineIndexedFields(spec: JsonObject): JsonObject {
  const pick = (list: unknown): unknown[] =>
    objectsOf(list).map(([t]) => ({ params: t.params, matrix: t.matrix, when: t.when, workspaces: t.workspaces }));
  return { tasks: pick(spec.tasks), finally: pick(spec.finally) };
}

/**
 * A PipelineRun's `timeouts` (Tekton's `validateTimeoutDuration` / `validatePipelineTimeout`, after
 * `SetDefaults` gives an unset `timeouts.pipeline` the default 60 minutes): Go durations, not
 * negative; `tasks` and `finally` each within the pipeline timeout and not 0 (no timeout) unless
 * the pipeline timeout is 0 too; and their sum within the pipeline timeout, which v1.15.0 compares
 * even when the pipeline timeout is 0.
 */
function checkTimeouts(r: ScopedReporter, spec: JsonObject): void {
  const timeouts = asObject(spec.timeouts);
  if (!timeouts) return;
  const read = (field: 'pipeline' | 'tasks' | 'finally'): number | undefined =>
    checkTimeout(r, timeouts[field], ['timeouts', field], `timeouts.${field}`);
  const given = (field: 'pipeline' | 'tasks' | 'finally'): boolean => timeouts[field] !== undefined && timeouts[field] !== null;
  const pipeline = read('pipeline');
  const tasks = read('tasks');
  const fin = read('finally');
  if (given('pipeline') && pipeline === undefined) return; // not a duration: reported above
  const limit = pipeline ?? DEFAULT_TIMEOUT_NANOS;
  const limitText = given('pipeline')
    ? `timeouts.pipeline ${quote(timeouts.pipeline)}`
    : `the default pipeline timeout (${formatGoDuration(DEFAULT_TIMEOUT_NANOS)}, which admission sets when timeouts.pipeline is unset)`;
  for (const [field, value] of [
    ['tasks', tasks],
    ['finally', fin],
  ] as const) {
    if (value === undefined || limit === 0) continue;
    if (value === 0 || value > limit) {
      r.report(
        'timeout-invalid',
        ['timeouts', field],
        `timeouts.${field} ${quote(timeouts[field])}${value === 0 ? ' (no timeout)' : ''} exceeds ${limitText}; keep it within the pipeline timeout`,
      );
    }
  }
  if (tasks !== undefined && fin !== undefined && tasks + fin > limit) {
    r.report(
      'timeout-invalid',
      ['timeouts', 'tasks'],
      `timeouts.tasks ${quote(timeouts.tasks)} + timeouts.finally ${quote(timeouts.finally)} exceed ${limitText}${limit === 0 ? ' (Tekton v1.15.0 compares the sum even with no pipeline timeout; leave tasks or finally unset)' : ''}; keep their sum within it`,
    );
  }
}

/**
 * A TaskRun's (or a PipelineRun taskRunSpecs entry's) stepSpecs and sidecarSpecs: each named, no
 * name twice ignoring case (taskrun_validation.go validateStepSpecs / validateSidecarSpecs,
 * validateNoDuplicateNames). With `asTaskRunSpec` (a taskRunSpecs entry), also what a TaskRun
 * judges in its own place: the beta gate of stepSpecs, sidecarSpecs and computeResources, and
 * computeResources beside stepSpecs resources (validateTaskRunComputeResources).
 */
function checkStepAndSidecarSpecs(r: ScopedReporter, spec: JsonObject, at: readonly FieldPathSegment[], asTaskRunSpec: boolean): void {
  for (const field of ['stepSpecs', 'sidecarSpecs'] as const) {
    const seen = new Set<string>();
    for (const [o, i] of objectsOf(spec[field])) {
      const name = asString(o.name) ?? '';
      if (name === '') {
        r.report(
          'run-field-invalid',
          [...at, field, i, 'name'],
          `${field} entry has no name; name the ${field === 'stepSpecs' ? 'step' : 'sidecar'} it overrides`,
        );
        continue;
      }
      if (seen.has(name.toLowerCase()))
        r.report(
          'run-field-invalid',
          [...at, field, i, 'name'],
          `${field} names ${quote(name)} more than once (names compare ignoring case); keep one entry`,
        );
      seen.add(name.toLowerCase());
    }
  }
  if (!asTaskRunSpec) return;
  const flags = r.featureFlags;
  if (flags && !apiFieldsEnabled(flags, 'beta')) {
    for (const field of ['stepSpecs', 'sidecarSpecs', 'computeResources'] as const) {
      if (spec[field] !== undefined && spec[field] !== null)
        r.report(
          'feature-disabled',
          [...at, field],
          `taskRunSpecs ${field} needs enable-api-fields "beta" or "alpha" (it is "${flags.enableApiFields}")`,
        );
    }
  }
  if (spec.computeResources !== undefined && spec.computeResources !== null) {
    for (const [o, i] of objectsOf(spec.stepSpecs)) {
      const resources = asObject(o.computeResources);
      if (resources && Object.keys(resources).length > 0) {
        r.report(
          'run-field-invalid',
          [...at, 'stepSpecs', i, 'computeResources'],
          'computeResources is set both for the whole task run and in stepSpecs; keep one of them',
        );
      }
    }
  }
}

/**
 * A taskRunSpecs timeout may not exceed the PipelineRun's `timeouts.tasks`, else its
 * `timeouts.pipeline`, else the default 60 minutes; a limit of 0 (no timeout) bounds nothing
 * (pipelinerun_validation.go validateTaskRunSpecTimeout).
 */
function checkTaskRunSpecTimeout(
  r: ScopedReporter,
  value: unknown,
  timeouts: JsonObject | undefined,
  at: readonly FieldPathSegment[],
): void {
  const nanos = checkTimeout(r, value, at, 'taskRunSpecs timeout');
  if (nanos === undefined) return;
  const [limitText, source] =
    timeouts?.tasks !== undefined && timeouts.tasks !== null
      ? [timeouts.tasks, 'timeouts.tasks']
      : timeouts?.pipeline !== undefined && timeouts.pipeline !== null
        ? [timeouts.pipeline, 'timeouts.pipeline']
        : [undefined, 'the default pipeline timeout'];
  const limit = limitText === undefined ? DEFAULT_TIMEOUT_NANOS : typeof limitText === 'string' ? parseGoDuration(limitText) : undefined;
  if (limit === undefined || limit <= 0) return;
  if (nanos > limit) {
    r.report(
      'timeout-invalid',
      at,
      `taskRunSpecs timeout ${quote(value)} is longer than ${source} (${formatGoDuration(limit)}); Tekton wants it <= that`,
    );
  }
}
