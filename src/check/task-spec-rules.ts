import * as path from 'node:path';
import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asArray, asObject, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { DNS1123_LABEL_RULE, isDns1123Label } from '../tekton-model/names';
import { checkParamDeclarations } from './param-declaration-rules';
import { judgeParamReference, LENIENT, ReferencePlacement, ReferenceStrictness } from './param-reference-rules';
import { indexByName, ParamDeclaration, readParamDeclarations } from '../tekton-model/param-declarations';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences, VariableReference } from '../tekton-model/variable-references';
import { checkStepRef } from './step-ref-rules';
import { checkResultDeclarations } from './result-declaration-rules';
import { checkWhenList } from './when-rules';
import { checkTimeout } from './timeout-rules';
import { checkTaskSpecStringFields } from './string-field-rules';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';

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

/** Facts about a Task spec that the Pipeline and run rules use. */
export interface TaskSpecFacts {
  /** The declared params, after defaulting. */
  readonly params: readonly ParamDeclaration[];
  /** The declared results: name → type and object keys. */
  readonly results: ReadonlyMap<string, ResultDeclaration>;
  /** The declared workspaces: name → optional. */
  readonly workspaces: ReadonlyMap<string, { readonly optional: boolean }>;
}

/** A declared result. */
export interface ResultDeclaration {
  /** `string`, `array` or `object`. */
  readonly type: string;
  /** Declared keys of an object result. */
  readonly properties: ReadonlySet<string> | undefined;
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

/** Reads the facts of a Task spec without judging it. */
export function readTaskSpecFacts(spec: JsonObject): TaskSpecFacts {
  const results = new Map<string, ResultDeclaration>();
  for (const [r] of objectsOf(spec.results)) {
    const name = asString(r.name);
    if (name === undefined || results.has(name)) continue;
    const props = asObject(r.properties);
    const type = asString(r.type) || (props ? 'object' : 'string');
    results.set(name, { type, properties: props ? new Set(Object.keys(props)) : undefined });
  }
  const workspaces = new Map<string, { optional: boolean }>();
  for (const [w] of objectsOf(spec.workspaces)) {
    const name = asString(w.name);
    if (name !== undefined && !workspaces.has(name)) workspaces.set(name, { optional: w.optional === true });
  }
  return { params: readParamDeclarations(spec.params), results, workspaces };
}

/**
 * Judges a Task spec (of a Task, or embedded in a Pipeline task or a TaskRun) at `target`
 * (whose base path points at the spec), as Tekton's `TaskSpec.Validate` and the TaskRun
 * reconciler would. Returns its facts.
 */
export function checkTaskSpec(r: ScopedReporter, spec: JsonObject, scope: TaskSpecScope = {}): TaskSpecFacts {
  const facts = readTaskSpecFacts(spec);
  const steps = objectsOf(spec.steps);
  if (steps.length === 0) {
    r.report('task-steps-missing', ['steps'], 'a Task needs at least one step; add steps');
  }
  const stepTemplate = asObject(spec.stepTemplate);
  const templateImage = nonEmptyString(stepTemplate?.image);

  // params, results, workspaces, volumes
  checkParamDeclarations(r, facts.params, ['params']);
  checkTaskSpecStringFields(r, spec);
  checkResultDeclarations(r, spec.results, ['results']);
  checkWorkspaceDeclarations(r, spec, steps, stepTemplate);
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

  // steps
  const stepNames = new Map<string, JsonObject>();
  const workspaceNames = new Set([...facts.workspaces.keys(), ...(scope.outerWorkspaces ?? [])]);
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
    for (const [w, j] of objectsOf(step.workspaces)) {
      const wname = asString(w.name) ?? '';
      if (!facts.workspaces.has(wname)) {
        r.report(
          'workspace-undeclared',
          [...at, 'workspaces', j, 'name'],
          `step uses workspace ${quote(wname)}, which the Task does not declare (declared: ${listNames(facts.workspaces.keys())})`,
        );
      }
    }
  }
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
    for (const [w, j] of objectsOf(sidecar.workspaces)) {
      const wname = asString(w.name) ?? '';
      if (!facts.workspaces.has(wname)) {
        r.report(
          'workspace-undeclared',
          [...at, 'workspaces', j, 'name'],
          `sidecar uses workspace ${quote(wname)}, which the Task does not declare (declared: ${listNames(facts.workspaces.keys())})`,
        );
      }
    }
  }

  // variable references
  const params = new Map<string, ParamDeclaration>(scope.outerParams ?? []);
  for (const [name, p] of indexByName(facts.params)) params.set(name, p);
  const ownParams = new Set(facts.params.map((p) => p.name));
  const references: ContainerReferenceScope = {
    params,
    facts,
    workspaceNames,
    stepNames,
    scope,
    ownParams,
    validatesUsage: scope.validatesParamUsage !== false,
  };
  for (const [step, i] of steps) judgeContainerReferences(r, step, ['steps', i], 'step', references, step);
  for (const [sidecar, i] of objectsOf(spec.sidecars)) judgeContainerReferences(r, sidecar, ['sidecars', i], 'sidecar', references);
  if (stepTemplate) judgeContainerReferences(r, stepTemplate, ['stepTemplate'], 'stepTemplate', references);
  for (const [v, i] of objectsOf(spec.volumes)) {
    forEachString(v, ['volumes', i], (text, p) => {
      for (const ref of findVariableReferences(text)) {
        if (ref.kind === 'params') judgeParamReference(r, p, text, ref, params, 'string', LENIENT);
      }
    });
  }
  for (const [w, i] of objectsOf(spec.workspaces)) {
    const mountPath = asString(w.mountPath);
    if (mountPath === undefined) continue;
    for (const ref of findVariableReferences(mountPath)) {
      if (ref.kind === 'params') judgeParamReference(r, ['workspaces', i, 'mountPath'], mountPath, ref, params, 'string', LENIENT);
    }
  }
  checkTaskSpecFeatures(r, spec);

  // step refs (StepActions)
  for (const [step, i] of steps) {
    if (asObject(step.ref)) checkStepRef(r, step, ['steps', i], params);
  }
  return facts;
}

/** What the `$(...)` of a Task spec's steps, sidecars and stepTemplate are judged against. */
interface ContainerReferenceScope {
  readonly params: ReadonlyMap<string, ParamDeclaration>;
  readonly facts: TaskSpecFacts;
  readonly workspaceNames: ReadonlySet<string>;
  readonly stepNames: ReadonlyMap<string, JsonObject>;
  readonly scope: TaskSpecScope;
  /** The Task's own params (a shape error there is always an error). */
  readonly ownParams: ReadonlySet<string>;
  /** Whether admission checks that every `$(params...)` is declared. */
  readonly validatesUsage: boolean;
}

/**
 * Judges every `$(...)` in one step, sidecar or the stepTemplate: as an error in the fields Tekton
 * validates at admission, as a warning elsewhere (where it would only stay unreplaced).
 */
function judgeContainerReferences(
  r: ScopedReporter,
  container: JsonObject,
  at: FieldPathSegment[],
  kind: 'step' | 'sidecar' | 'stepTemplate',
  s: ContainerReferenceScope,
  step?: JsonObject,
): void {
  const stepResults = new Set(objectsOf(step?.results).map(([r]) => asString(r.name) ?? ''));
  for (const [field, value] of Object.entries(container)) {
    if (field === 'results' || field === 'params' || field === 'ref' || field === 'when') continue;
    const fieldValidated = kind === 'step' && STEP_STRING_FIELDS_VALIDATED.has(field);
    // of env, Tekton validates only env[].value; of volumeMounts, name, mountPath and subPath
    const validatedAt = (p: readonly FieldPathSegment[]): boolean =>
      fieldValidated &&
      (field !== 'env' || p[at.length + 2] === 'value') &&
      (field !== 'volumeMounts' || ['name', 'mountPath', 'subPath'].includes(String(p[at.length + 2])));
    const placementOf = (p: readonly FieldPathSegment[]): ReferencePlacement =>
      (field === 'command' || field === 'args') && p.length === at.length + 2 ? 'array-item' : 'string';
    forEachString(value, [...at, field], (text, p) => {
      const validated = validatedAt(p);
      for (const ref of findVariableReferences(text)) {
        judgeTaskReference(r, p, text, ref, {
          params: s.params,
          facts: s.facts,
          workspaceNames: s.workspaceNames,
          stepNames: s.stepNames,
          stepResults,
          scope: s.scope,
          placement: placementOf(p),
          validated,
          inScript: field === 'script',
          kind,
          strictness: !validated
            ? LENIENT
            : {
                usage: s.validatesUsage ? 'error' : 'warning',
                shape: ref.name !== undefined && s.ownParams.has(ref.name) ? 'error' : s.validatesUsage ? 'error' : 'warning',
              },
        });
      }
    });
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
  if (onError !== undefined && onError !== '' && !onError.startsWith('$(params') && onError !== 'continue' && onError !== 'stopAndFail') {
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

interface TaskReferenceScope {
  readonly params: ReadonlyMap<string, ParamDeclaration>;
  readonly facts: TaskSpecFacts;
  readonly workspaceNames: ReadonlySet<string>;
  readonly stepNames: ReadonlyMap<string, JsonObject>;
  readonly stepResults: ReadonlySet<string>;
  readonly scope: TaskSpecScope;
  readonly placement: ReferencePlacement;
  /** Tekton validates this field at admission (error); elsewhere an unknown variable stays unreplaced (warning). */
  readonly validated: boolean;
  readonly inScript: boolean;
  readonly kind: 'step' | 'sidecar' | 'stepTemplate';
  readonly strictness: ReferenceStrictness;
}

function judgeTaskReference(
  r: ScopedReporter,
  at: readonly FieldPathSegment[],
  text: string,
  ref: VariableReference,
  s: TaskReferenceScope,
): void {
  switch (ref.kind) {
    case 'params':
      judgeParamReference(r, at, text, ref, s.params, s.placement, s.strictness, s.scope.admissionParams);
      return;
    case 'results': {
      if (ref.problem || ref.name === undefined) return;
      if (!s.facts.results.has(ref.name)) {
        r.report(
          'result-reference-undeclared',
          at,
          `${ref.text} refers to result ${quote(ref.name)}, which the Task does not declare (declared: ${listNames(s.facts.results.keys())})`,
          s.inScript ? 'error' : 'warning',
        );
      } else if (ref.attribute !== 'path') {
        r.report('result-reference-undeclared', at, `${ref.text} is not a result variable; write $(results.${ref.name}.path)`, 'warning');
      }
      return;
    }
    case 'step.results': {
      if (s.kind !== 'step' || ref.name === undefined) return;
      if (!s.stepResults.has(ref.name)) {
        r.report(
          'result-reference-undeclared',
          at,
          `${ref.text} refers to step result ${quote(ref.name)}, which this step does not declare (declared: ${listNames(s.stepResults)})`,
          s.inScript ? 'error' : 'warning',
        );
      }
      return;
    }
    case 'steps.results': {
      if (ref.owner === undefined || ref.name === undefined) return;
      const step = s.stepNames.get(ref.owner);
      if (!step) {
        r.report(
          'result-reference-undeclared',
          at,
          `${ref.text} refers to step ${quote(ref.owner)}, which does not exist (steps: ${listNames(s.stepNames.keys())})`,
        );
        return;
      }
      const stepRef = asObject(step.ref);
      let resultsOwner: JsonObject | undefined = step;
      let who = `step ${quote(ref.owner)}`;
      if (stepRef) {
        // the results come from the StepAction, when it was read alongside
        const name = nonEmptyString(stepRef.name);
        const action = name && !nonEmptyString(stepRef.resolver) ? r.lookup('StepAction', name).document : undefined;
        resultsOwner = action ? asObject(action.object.spec) : undefined;
        who = `StepAction/${name} (step ${quote(ref.owner)})`;
      }
      if (!resultsOwner) return;
      const declared = new Set(objectsOf(resultsOwner.results).map(([r]) => asString(r.name) ?? ''));
      if (!declared.has(ref.name)) {
        r.report(
          'result-reference-undeclared',
          at,
          `${ref.text} refers to result ${quote(ref.name)}, which ${who} does not declare (declared: ${listNames(declared)})`,
        );
      }
      return;
    }
    case 'workspaces': {
      if (ref.name === undefined) return;
      if (!s.workspaceNames.has(ref.name)) {
        // in a Pipeline, Tekton binds a workspace an embedded spec uses to the pipeline workspace of
        // that name (propagateWorkspaces), and the run fails when there is none
        r.report(
          'workspace-undeclared',
          at,
          s.scope.inPipeline
            ? `${ref.text} refers to workspace ${quote(ref.name)}, which neither the taskSpec nor the Pipeline declares (in scope: ${listNames(s.workspaceNames)}); the run would fail`
            : `${ref.text} refers to workspace ${quote(ref.name)}, which the Task does not declare (declared: ${listNames(s.workspaceNames)}); Tekton leaves it unreplaced`,
          s.scope.inPipeline ? 'error' : 'warning',
        );
      } else if (ref.attribute === undefined || !WORKSPACE_ATTRIBUTES.has(ref.attribute)) {
        r.report('workspace-undeclared', at, `${ref.text} is not a workspace variable; use path, bound, claim or volume`, 'warning');
      }
      return;
    }
    case 'context': {
      if (ref.name === undefined) return;
      const known = TASK_CONTEXT[ref.name] ?? (s.scope.inPipeline ? PIPELINE_CONTEXT[ref.name] : undefined);
      if (known && !known.has(ref.attribute ?? '')) {
        r.report(
          'context-variable-unknown',
          at,
          `${ref.text} is not a context variable (context.${ref.name} has: ${listNames(known)})`,
          s.validated ? 'error' : 'warning',
        );
      }
      return;
    }
    default:
      return;
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
