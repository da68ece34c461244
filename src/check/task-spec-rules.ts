import * as path from 'node:path';
import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asArray, asObject, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { DNS1123_LABEL_RULE, isDns1123Label } from '../tekton-model/names';
import { checkParamDeclarations } from './param-declaration-rules';
import { FoundReference, judgeParamReference, LENIENT, ReferencePlacement, ReferenceStrictness } from './param-reference-rules';
import { indexByName, ParamDeclaration } from '../tekton-model/param-declarations';
import { readTaskSpecFacts, TaskSpecFacts } from '../tekton-model/task-spec-facts';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences, VariableReference } from '../tekton-model/variable-references';
import { checkStepRef } from './step-ref-rules';
import { checkResultDeclarations } from './result-declaration-rules';
import { checkWhenList } from './when-rules';
import { checkTimeout } from './timeout-rules';
import { checkTaskSpecStringFields } from './string-field-rules';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { quantityValue } from '../tekton-model/quantities';

/** The sidecar name Tekton keeps for its own results sidecar (pkg/apis/pipeline/sidecarlogs.go). */
const RESERVED_SIDECAR_NAME = 'tekton-log-results';

/** What a Task spec can see besides its own declarations. */
export interface TaskSpecScope {
  /** Params visible from outside: a Pipeline's params for an embedded spec, a TaskRun's for its embedded spec. */
  readonly outerParams?: ReadonlyMap<string, ParamDeclaration>;
  /** Workspaces visible from outside (propagated from the Pipeline task or the run). */
  readonly outerWorkspaces?: ReadonlySet<string>;
  /** True when embedded in a Pipeline: `$(tasks...)` and pipeline context variables are then the Pipeline's business. */
  readonly inPipeline?: boolean;
  /**
   * True when admission checks that every `$(params...)` in the steps is declared: for a Task and
   * for a taskSpec inside a Pipeline (`ValidateUsageOfDeclaredParameters`), not for the embedded
   * spec of a run, where an unknown param is only left unreplaced (a warning).
   */
  readonly validatesParamUsage?: boolean;
  /** Params Tekton's admission counts as declared although they do not reach this spec at run time (a PipelineRun's embedded spec: every task's params). */
  readonly admissionParams?: ReadonlyMap<string, unknown>;
}

const TASK_CONTEXT: Readonly<Record<string, ReadonlySet<string>>> = {
  taskRun: new Set(['name', 'namespace', 'uid']),
  task: new Set(['name', 'retry-count']),
};
const PIPELINE_CONTEXT: Readonly<Record<string, ReadonlySet<string>>> = {
  pipelineRun: new Set(['name', 'namespace', 'uid']),
  pipeline: new Set(['name']),
  pipelineTask: new Set(['retries']),
};
const WORKSPACE_ATTRIBUTES = new Set(['path', 'bound', 'claim', 'volume']);
const STEP_STRING_FIELDS_VALIDATED = new Set([
  'name',
  'image',
  'workingDir',
  'script',
  'command',
  'args',
  'env',
  'volumeMounts',
  'onError',
]);

/**
 * Judges a Task spec (of a Task, or embedded in a Pipeline task or a TaskRun) that `r` is scoped
 * to, as Tekton's `TaskSpec.Validate` and the TaskRun reconciler would. Returns its facts.
 */
export function checkTaskSpec(r: ScopedReporter, spec: JsonObject, scope: TaskSpecScope = {}): TaskSpecFacts {
  const facts = readTaskSpecFacts(spec);
  const steps = objectsOf(spec.steps);
  const stepTemplate = asObject(spec.stepTemplate);
  if (steps.length === 0) r.report('task-steps-missing', ['steps'], 'a Task needs at least one step; add steps');
  checkParamDeclarations(r, facts.params, ['params']);
  checkTaskSpecStringFields(r, spec);
  checkResultDeclarations(r, spec.results, ['results']);
  checkWorkspaceDeclarations(r, spec, steps, stepTemplate);
  judgeVolumeNames(r, spec);
  judgeStepRequestsWithinLimits(r, steps, stepTemplate);
  const stepNames = judgeSteps(r, facts, steps, nonEmptyString(stepTemplate?.image));
  judgeSidecars(r, facts, spec);
  const params = new Map<string, ParamDeclaration>(scope.outerParams ?? []);
  for (const [name, p] of indexByName(facts.params)) params.set(name, p);
  new TaskSpecReferences(r, {
    params,
    facts,
    workspaceNames: new Set([...facts.workspaces.keys(), ...(scope.outerWorkspaces ?? [])]),
    stepNames,
    scope,
  }).judge(spec);
  checkTaskSpecFeatures(r, spec);
  for (const [step, i] of steps) {
    if (asObject(step.ref)) checkStepRef(r, step, ['steps', i], params);
  }
  return facts;
}

/**
 * A step may not request more of a resource than its limit, or, when it sets no limit for that
 * resource, than the stepTemplate's (the TaskRun reconciler's validateTaskSpecRequestResources fails
 * the run before its pod is made).
 */
function judgeStepRequestsWithinLimits(
  r: ScopedReporter,
  steps: ReadonlyArray<readonly [JsonObject, number]>,
  stepTemplate: JsonObject | undefined,
): void {
  const templateLimits = asObject(asObject(stepTemplate?.computeResources)?.limits);
  for (const [step, i] of steps) {
    const resources = asObject(step.computeResources);
    const requests = asObject(resources?.requests);
    if (!requests) continue;
    const limits = asObject(resources?.limits);
    for (const [resource, request] of Object.entries(requests)) {
      const ownLimit = limits?.[resource];
      const limit = ownLimit ?? templateLimits?.[resource];
      if (typeof request !== 'string' || typeof limit !== 'string') continue;
      const wanted = quantityValue(request);
      const allowed = quantityValue(limit);
      if (wanted !== undefined && allowed !== undefined && wanted > allowed) {
        r.report(
          'step-resources-invalid',
          ['steps', i, 'computeResources', 'requests', resource],
          `step requests ${resource} ${quote(request)}, more than the ${ownLimit !== undefined ? 'step' : 'stepTemplate'} limit ${quote(limit)}; Tekton fails the run, so request at most the limit`,
        );
      }
    }
  }
}

/** Volumes need distinct names. */
function judgeVolumeNames(r: ScopedReporter, spec: JsonObject): void {
  const volumeNames = new Set<string>();
  for (const [v, i] of objectsOf(spec.volumes)) {
    const name = asString(v.name) ?? '';
    if (volumeNames.has(name))
      r.report(
        'volume-name-duplicate',
        ['volumes', i, 'name'],
        `volume ${quote(name)} is declared more than once; give each volume a distinct name`,
      );
    volumeNames.add(name);
  }
}

/** Judges each step on its own (name, shape, when, timeout, workspaces); returns the named steps. */
function judgeSteps(
  r: ScopedReporter,
  facts: TaskSpecFacts,
  steps: ReadonlyArray<[JsonObject, number]>,
  templateImage: string | undefined,
): Map<string, JsonObject> {
  const stepNames = new Map<string, JsonObject>();
  for (const [step, i] of steps) {
    const at: FieldPathSegment[] = ['steps', i];
    const name = asString(step.name);
    if (name !== undefined && name !== '') {
      if (!isDns1123Label(name)) r.report('step-name-invalid', [...at, 'name'], `step name ${quote(name)} must be ${DNS1123_LABEL_RULE}`);
      if (stepNames.has(name))
        r.report(
          'step-name-duplicate',
          [...at, 'name'],
          `step name ${quote(name)} is used by another step; give each step a distinct name`,
        );
      else stepNames.set(name, step);
    }
    checkStepShape(r, step, at, templateImage);
    checkWhenList(r, step.when, [...at, 'when']);
    checkStepReferencePlaces(r, step, at);
    checkTimeout(r, step.timeout, [...at, 'timeout'], 'step timeout');
    judgeContainerWorkspaces(r, facts, step, at, 'step');
  }
  return stepNames;
}

/** Judges each sidecar on its own: name (not Tekton's reserved one), image, script, workspaces. */
function judgeSidecars(r: ScopedReporter, facts: TaskSpecFacts, spec: JsonObject): void {
  const sidecarNames = new Set<string>();
  for (const [sidecar, i] of objectsOf(spec.sidecars)) {
    const at: FieldPathSegment[] = ['sidecars', i];
    const name = asString(sidecar.name);
    if (name !== undefined && name !== '' && !isDns1123Label(name)) {
      r.report('step-name-invalid', [...at, 'name'], `sidecar name ${quote(name)} must be ${DNS1123_LABEL_RULE}`);
    } else if (name === RESERVED_SIDECAR_NAME) {
      r.report(
        'step-name-invalid',
        [...at, 'name'],
        `sidecar name ${quote(name)} is reserved for Tekton's results sidecar; choose another name`,
      );
    }
    if (name !== undefined && name !== '') {
      if (sidecarNames.has(name))
        r.report(
          'step-name-duplicate',
          [...at, 'name'],
          `sidecar name ${quote(name)} is used by another sidecar, so the pod cannot be created; give each sidecar a distinct name`,
        );
      sidecarNames.add(name);
    }
    if (!nonEmptyString(sidecar.image)) r.report('step-image-missing', [...at, 'image'], 'sidecar has no image; set image');
    if (nonEmptyString(sidecar.script) && asArray(sidecar.command).length > 0) {
      r.report('step-script-and-command', [...at, 'script'], 'sidecar sets both script and command; keep one');
    }
    judgeContainerWorkspaces(r, facts, sidecar, at, 'sidecar');
  }
}

/** A step or sidecar may use only workspaces the Task declares. */
function judgeContainerWorkspaces(
  r: ScopedReporter,
  facts: TaskSpecFacts,
  container: JsonObject,
  at: readonly FieldPathSegment[],
  what: 'step' | 'sidecar',
): void {
  for (const [w, j] of objectsOf(container.workspaces)) {
    const wname = asString(w.name) ?? '';
    if (!facts.workspaces.has(wname)) {
      r.report(
        'workspace-undeclared',
        [...at, 'workspaces', j, 'name'],
        `${what} uses workspace ${quote(wname)}, which the Task does not declare (declared: ${listNames(facts.workspaces.keys())})`,
      );
    }
  }
}

/** What the `$(...)` of a Task spec are judged against. */
interface TaskReferenceScope {
  /** The params in scope: the outer ones, overridden by the Task's own. */
  readonly params: ReadonlyMap<string, ParamDeclaration>;
  readonly facts: TaskSpecFacts;
  /** The workspaces in scope: the Task's own and the outer ones. */
  readonly workspaceNames: ReadonlySet<string>;
  /** The named steps. */
  readonly stepNames: ReadonlyMap<string, JsonObject>;
  readonly scope: TaskSpecScope;
}

/** Where in a container a `$(...)` stands, which decides how it is judged. */
interface ReferenceField {
  readonly kind: 'step' | 'sidecar' | 'stepTemplate';
  /** The results the step itself declares (none for a sidecar or the stepTemplate). */
  readonly stepResults: ReadonlySet<string>;
  readonly placement: ReferencePlacement;
  /** Tekton validates this field at admission (error); elsewhere an unknown variable stays unreplaced (warning). */
  readonly validated: boolean;
  readonly inScript: boolean;
  readonly strictness: ReferenceStrictness;
}

/** Judges every `$(...)` of one Task spec: in its steps, sidecars, stepTemplate, volumes and workspace mount paths. */
class TaskSpecReferences {
  /** The Task's own params (a shape error there is always an error). */
  private readonly ownParams: ReadonlySet<string>;
  /** Whether admission checks that every `$(params...)` is declared. */
  private readonly validatesUsage: boolean;

  public constructor(
    private readonly r: ScopedReporter,
    private readonly s: TaskReferenceScope,
  ) {
    this.ownParams = new Set(s.facts.params.map((p) => p.name));
    this.validatesUsage = s.scope.validatesParamUsage !== false;
  }

  /** Judges the references of `spec`. */
  public judge(spec: JsonObject): void {
    for (const [step, i] of objectsOf(spec.steps)) this.judgeContainer(step, ['steps', i], 'step');
    for (const [sidecar, i] of objectsOf(spec.sidecars)) this.judgeContainer(sidecar, ['sidecars', i], 'sidecar');
    const stepTemplate = asObject(spec.stepTemplate);
    if (stepTemplate) this.judgeContainer(stepTemplate, ['stepTemplate'], 'stepTemplate');
    const lenient = { params: this.s.params, placement: 'string', strictness: LENIENT } as const;
    for (const [v, i] of objectsOf(spec.volumes)) {
      forEachString(v, ['volumes', i], (text, path) => {
        for (const reference of findVariableReferences(text)) {
          if (reference.kind === 'params') judgeParamReference(this.r, { path, text, reference }, lenient);
        }
      });
    }
    for (const [w, i] of objectsOf(spec.workspaces)) {
      const text = asString(w.mountPath);
      if (text === undefined) continue;
      for (const reference of findVariableReferences(text)) {
        if (reference.kind === 'params') judgeParamReference(this.r, { path: ['workspaces', i, 'mountPath'], text, reference }, lenient);
      }
    }
  }

  /**
   * Judges every `$(...)` in one step, sidecar or the stepTemplate: as an error in the fields Tekton
   * validates at admission, as a warning elsewhere (where it would only stay unreplaced).
   */
  private judgeContainer(container: JsonObject, at: readonly FieldPathSegment[], kind: ReferenceField['kind']): void {
    const stepResults = new Set(kind === 'step' ? objectsOf(container.results).map(([result]) => asString(result.name) ?? '') : []);
    for (const [field, value] of Object.entries(container)) {
      if (field === 'results' || field === 'params' || field === 'ref' || field === 'when') continue;
      forEachString(value, [...at, field], (text, path) => {
        const below = path[at.length + 2];
        // of env, Tekton validates only env[].value; of volumeMounts, name, mountPath and subPath
        const validated =
          kind === 'step' &&
          STEP_STRING_FIELDS_VALIDATED.has(field) &&
          (field !== 'env' || below === 'value') &&
          (field !== 'volumeMounts' || ['name', 'mountPath', 'subPath'].includes(String(below)));
        const placement = (field === 'command' || field === 'args') && path.length === at.length + 2 ? 'array-item' : 'string';
        for (const reference of findVariableReferences(text)) {
          const strictness = !validated ? LENIENT : this.strictnessOf(reference);
          this.judgeReference(
            { path, text, reference },
            { kind, stepResults, placement, validated, inScript: field === 'script', strictness },
          );
        }
      });
    }
  }

  /** How hard admission is on a param reference in a validated field. */
  private strictnessOf(reference: VariableReference): ReferenceStrictness {
    const usage = this.validatesUsage ? 'error' : 'warning';
    return { usage, shape: reference.name !== undefined && this.ownParams.has(reference.name) ? 'error' : usage };
  }

  private judgeReference(found: FoundReference, field: ReferenceField): void {
    const ref = found.reference;
    switch (ref.kind) {
      case 'params':
        judgeParamReference(this.r, found, {
          params: this.s.params,
          placement: field.placement,
          strictness: field.strictness,
          admissionParams: this.s.scope.admissionParams,
        });
        return;
      case 'results':
        this.judgeTaskResultReference(found, field);
        return;
      case 'step.results':
        this.judgeOwnStepResultReference(found, field);
        return;
      case 'steps.results':
        this.judgeStepResultReference(found);
        return;
      case 'workspaces':
        this.judgeWorkspaceReference(found);
        return;
      case 'context':
        this.judgeContextReference(found, field);
        return;
      default:
        return;
    }
  }

  /** `$(results.r.path)`: a result the Task declares. */
  private judgeTaskResultReference({ path, reference: ref }: FoundReference, field: ReferenceField): void {
    if (ref.problem || ref.name === undefined) return;
    const results = this.s.facts.results;
    if (!results.has(ref.name)) {
      this.r.report(
        'result-reference-undeclared',
        path,
        `${ref.text} refers to result ${quote(ref.name)}, which the Task does not declare (declared: ${listNames(results.keys())})`,
        field.inScript ? 'error' : 'warning',
      );
    } else if (ref.attribute !== 'path') {
      this.r.report(
        'result-reference-undeclared',
        path,
        `${ref.text} is not a result variable; write $(results.${ref.name}.path)`,
        'warning',
      );
    }
  }

  /** `$(step.results.r.path)`: a result the step itself declares. */
  private judgeOwnStepResultReference({ path, reference: ref }: FoundReference, field: ReferenceField): void {
    if (field.kind !== 'step' || ref.name === undefined) return;
    if (!field.stepResults.has(ref.name)) {
      this.r.report(
        'result-reference-undeclared',
        path,
        `${ref.text} refers to step result ${quote(ref.name)}, which this step does not declare (declared: ${listNames(field.stepResults)})`,
        field.inScript ? 'error' : 'warning',
      );
    }
  }

  /** `$(steps.s.results.r)`: a result of another step, or of the StepAction it runs (when that was read alongside). */
  private judgeStepResultReference({ path, reference: ref }: FoundReference): void {
    if (ref.owner === undefined || ref.name === undefined) return;
    const step = this.s.stepNames.get(ref.owner);
    if (!step) {
      this.r.report(
        'result-reference-undeclared',
        path,
        `${ref.text} refers to step ${quote(ref.owner)}, which does not exist (steps: ${listNames(this.s.stepNames.keys())})`,
      );
      return;
    }
    const stepRef = asObject(step.ref);
    let resultsOwner: JsonObject | undefined = step;
    let who = `step ${quote(ref.owner)}`;
    if (stepRef) {
      const name = nonEmptyString(stepRef.name);
      const action = name && !nonEmptyString(stepRef.resolver) ? this.r.lookup('StepAction', name).document : undefined;
      resultsOwner = action ? asObject(action.object.spec) : undefined;
      who = `StepAction/${name} (step ${quote(ref.owner)})`;
    }
    if (!resultsOwner) return;
    const declared = new Set(objectsOf(resultsOwner.results).map(([result]) => asString(result.name) ?? ''));
    if (!declared.has(ref.name)) {
      this.r.report(
        'result-reference-undeclared',
        path,
        `${ref.text} refers to result ${quote(ref.name)}, which ${who} does not declare (declared: ${listNames(declared)})`,
      );
    }
  }

  /** `$(workspaces.w.path)`: a workspace in scope, and one of its attributes. */
  private judgeWorkspaceReference({ path, reference: ref }: FoundReference): void {
    if (ref.name === undefined) return;
    const { workspaceNames, scope } = this.s;
    if (!workspaceNames.has(ref.name)) {
      // in a Pipeline, Tekton binds a workspace an embedded spec uses to the pipeline workspace of
      // that name (propagateWorkspaces), and the run fails when there is none
      this.r.report(
        'workspace-undeclared',
        path,
        scope.inPipeline
          ? `${ref.text} refers to workspace ${quote(ref.name)}, which neither the taskSpec nor the Pipeline declares (in scope: ${listNames(workspaceNames)}); the run would fail`
          : `${ref.text} refers to workspace ${quote(ref.name)}, which the Task does not declare (declared: ${listNames(workspaceNames)}); Tekton leaves it unreplaced`,
        scope.inPipeline ? 'error' : 'warning',
      );
    } else if (ref.attribute === undefined || !WORKSPACE_ATTRIBUTES.has(ref.attribute)) {
      this.r.report('workspace-undeclared', path, `${ref.text} is not a workspace variable; use path, bound, claim or volume`, 'warning');
    }
  }

  /** `$(context.x.y)`: a context variable Tekton knows (a Pipeline's too, in a Pipeline). */
  private judgeContextReference({ path, reference: ref }: FoundReference, field: ReferenceField): void {
    if (ref.name === undefined) return;
    const known = TASK_CONTEXT[ref.name] ?? (this.s.scope.inPipeline ? PIPELINE_CONTEXT[ref.name] : undefined);
    if (known && !known.has(ref.attribute ?? '')) {
      this.r.report(
        'context-variable-unknown',
        path,
        `${ref.text} is not a context variable (context.${ref.name} has: ${listNames(known)})`,
        field.validated ? 'error' : 'warning',
      );
    }
  }
}

function checkStepShape(r: ScopedReporter, step: JsonObject, at: FieldPathSegment[], templateImage: string | undefined): void {
  const ref = asObject(step.ref);
  if (ref) {
    for (const field of ['image', 'command', 'args', 'script', 'workingDir', 'env', 'volumeMounts', 'results'] as const) {
      const value = step[field];
      const set = Array.isArray(value)
        ? field === 'env'
          ? true
          : value.length > 0
        : value !== undefined && value !== null && value !== '';
      if (set) r.report('step-ref-conflict', [...at, field], `step with ref cannot also set ${field}; the StepAction provides it`);
    }
  } else {
    if (asArray(step.params).length > 0)
      r.report('step-ref-conflict', [...at, 'params'], 'step sets params but has no ref; params are for StepActions');
    if (!nonEmptyString(step.image) && !templateImage)
      r.report('step-image-missing', [...at, 'image'], 'step has no image (and stepTemplate sets none); set image or ref');
    if (nonEmptyString(step.script) && asArray(step.command).length > 0) {
      r.report(
        'step-script-and-command',
        [...at, 'script'],
        "step sets both script and command; keep one (put the interpreter in the script's #! line)",
      );
    }
  }
  const onError = asString(step.onError);
  if (
    onError !== undefined &&
    onError !== '' &&
    !onError.startsWith('$(params') &&
    !r.filledInBeforeTekton(onError) &&
    onError !== 'continue' &&
    onError !== 'stopAndFail'
  ) {
    r.report('step-on-error-invalid', [...at, 'onError'], `step onError is ${quote(onError)}; use continue or stopAndFail`);
  }
  for (const [vm, j] of objectsOf(step.volumeMounts)) {
    const mountPath = asString(vm.mountPath) ?? '';
    const clean = goCleanPath(mountPath);
    if (clean.startsWith('/tekton/') && !clean.startsWith('/tekton/home')) {
      r.report(
        'volume-mount-reserved',
        [...at, 'volumeMounts', j, 'mountPath'],
        `volumeMount ${quote(vm.name)} is mounted under /tekton/ (${quote(mountPath)}), which Tekton reserves; mount it elsewhere`,
      );
    }
    const name = asString(vm.name);
    if (name?.startsWith('tekton-internal-')) {
      r.report(
        'volume-mount-reserved',
        [...at, 'volumeMounts', j, 'name'],
        `volumeMount name ${quote(name)} starts with "tekton-internal-", which Tekton reserves for its own volumes; rename the volume`,
      );
    }
  }
  // a step's own results are judged as a Task's are (ValidateStepResults, StepResult.Validate)
  if (step.results !== undefined && step.results !== null && !ref) checkResultDeclarations(r, step.results, [...at, 'results']);
}

/** A path as Go's `filepath.Clean` reads it (Tekton compares mount paths so): normalized, no trailing "/" but the root's. */
function goCleanPath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

function checkWorkspaceDeclarations(
  r: ScopedReporter,
  spec: JsonObject,
  steps: Array<[JsonObject, number]>,
  stepTemplate: JsonObject | undefined,
): void {
  const mountPaths = new Set<string>();
  for (const [step] of steps) for (const [vm] of objectsOf(step.volumeMounts)) mountPaths.add(goCleanPath(asString(vm.mountPath) ?? ''));
  if (stepTemplate) for (const [vm] of objectsOf(stepTemplate.volumeMounts)) mountPaths.add(goCleanPath(asString(vm.mountPath) ?? ''));
  const names = new Set<string>();
  for (const [w, i] of objectsOf(spec.workspaces)) {
    const name = asString(w.name) ?? '';
    if (names.has(name))
      r.report(
        'workspace-name-duplicate',
        ['workspaces', i, 'name'],
        `workspace ${quote(name)} is declared more than once; give each workspace a distinct name`,
      );
    names.add(name);
    const mountPath = goCleanPath(nonEmptyString(w.mountPath) ?? `/workspace/${name}`);
    if (mountPaths.has(mountPath))
      r.report(
        'workspace-name-duplicate',
        ['workspaces', i, 'mountPath'],
        `workspace ${quote(name)} mounts at ${quote(mountPath)}, a path already used by another workspace or volumeMount`,
      );
    mountPaths.add(mountPath);
  }
}

/** Alpha and beta fields of a Task spec, judged only when the feature flags are known. */
function checkTaskSpecFeatures(r: ScopedReporter, spec: JsonObject): void {
  const flags = r.featureFlags;
  if (!flags) return;
  const need = (at: readonly FieldPathSegment[], what: string, level: 'alpha' | 'beta'): void => {
    if (!apiFieldsEnabled(flags, level)) {
      r.report(
        'feature-disabled',
        at,
        `${what} needs enable-api-fields ${level === 'alpha' ? '"alpha"' : '"beta" or "alpha"'} (it is "${flags.enableApiFields}")`,
      );
    }
  };
  for (const [field, what] of [
    ['steps', 'step'],
    ['sidecars', 'sidecar'],
  ] as const) {
    for (const [c, i] of objectsOf(spec[field])) {
      if (asArray(c.workspaces).length > 0) need([field, i, 'workspaces'], `${what} workspaces`, 'beta');
      const script = asString(c.script);
      if (script && script.trim().startsWith('#!win')) need([field, i, 'script'], 'a windows script (#!win)', 'alpha');
      if (field === 'steps') {
        if (c.stdoutConfig !== undefined) need([field, i, 'stdoutConfig'], 'step stdoutConfig', 'alpha');
        if (c.stderrConfig !== undefined) need([field, i, 'stderrConfig'], 'step stderrConfig', 'alpha');
        if (!flags.enableArtifacts) checkArtifactReferences(r, c, [field, i]);
      }
    }
  }
}

/** Artifact references as Tekton's `artifactref` patterns read them: `$(steps.s.outputs.a)`, `$(tasks.t.inputs.a)`, `$(step.artifacts.path)`, `$(artifacts.path)`. */
const ARTIFACT_EXPRESSION = /^(?:(?:steps|tasks)\.[^.]+\.(?:inputs|outputs)\.[^.)]+|step\.artifacts\.path|artifacts\.path)$/;

/**
 * With enable-artifacts off, Tekton refuses a step whose script, command, args or env values
 * reference artifacts (container_validation.go validateArtifactsReferencesInStep).
 */
function checkArtifactReferences(r: ScopedReporter, step: JsonObject, at: readonly FieldPathSegment[]): void {
  const texts: Array<[unknown, FieldPathSegment[]]> = [[step.script, ['script']]];
  asArray(step.command).forEach((v, j) => texts.push([v, ['command', j]]));
  asArray(step.args).forEach((v, j) => texts.push([v, ['args', j]]));
  objectsOf(step.env).forEach(([e, j]) => texts.push([e.value, ['env', j, 'value']]));
  for (const [text, p] of texts) {
    if (typeof text !== 'string' || !text.includes('$(')) continue;
    const ref = findVariableReferences(text).find((r) => ARTIFACT_EXPRESSION.test(r.expression));
    if (ref) {
      r.report(
        'feature-disabled',
        [...at, ...p],
        `${ref.text} is an artifact reference, which needs feature flag enable-artifacts: "true"`,
      );
      return;
    }
  }
}

/** A step artifact reference as `stepArtifactReferenceExists` reads it. */
const STEP_ARTIFACT_EXPRESSION = /^(?:steps\.[^.]+\.(?:inputs|outputs)\.[^.)]+|step\.artifacts\.path)$/;

/**
 * Step result references (`$(steps.s.results.r)`) may stand only in env, command and args, step
 * artifact references also in script (container_validation.go validateStepResultReference,
 * validateStepArtifactsReference): each other string field of the step is judged.
 */
function checkStepReferencePlaces(r: ScopedReporter, step: JsonObject, at: readonly FieldPathSegment[]): void {
  const fields: Array<[unknown, FieldPathSegment[]]> = [
    [step.name, ['name']],
    [step.image, ['image']],
    [step.script, ['script']],
    [step.imagePullPolicy, ['imagePullPolicy']],
    [step.workingDir, ['workingDir']],
  ];
  for (const [e, j] of objectsOf(step.envFrom)) {
    fields.push(
      [e.prefix, ['envFrom', j, 'prefix']],
      [asObject(e.configMapRef)?.name, ['envFrom', j, 'configMapRef', 'name']],
      [asObject(e.secretRef)?.name, ['envFrom', j, 'secretRef', 'name']],
    );
  }
  for (const [v, j] of objectsOf(step.volumeMounts))
    for (const k of ['name', 'mountPath', 'subPath']) fields.push([v[k], ['volumeMounts', j, k]]);
  for (const [v, j] of objectsOf(step.volumeDevices)) for (const k of ['name', 'devicePath']) fields.push([v[k], ['volumeDevices', j, k]]);
  for (const [text, p] of fields) {
    if (typeof text !== 'string' || !text.includes('$(')) continue;
    const script = p[0] === 'script';
    for (const ref of findVariableReferences(text)) {
      if (ref.kind === 'steps.results') {
        r.report(
          'step-reference-misplaced',
          [...at, ...p],
          `${ref.text} is a step result reference, which Tekton allows only in env, command and args`,
        );
      } else if (!script && STEP_ARTIFACT_EXPRESSION.test(ref.expression)) {
        r.report(
          'step-reference-misplaced',
          [...at, ...p],
          `${ref.text} is a step artifact reference, which Tekton allows only in env, command, args and script`,
        );
      }
    }
  }
}
