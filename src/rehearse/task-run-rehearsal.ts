import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGoDuration } from '../tekton-model/go-duration';
import { RehearsalError } from './rehearsal-error';
import { runStepProcess } from './step-process';
import { assertResultBudget, readResultFiles, TaskResultError, typedTaskResults } from './task-results';
import { FeatureFlagSettings } from '../tekton-model/feature-flags';
import {
  EnvVar,
  Param,
  ParamDeclarationSpec,
  Step,
  TaskSpec,
  TektonValue,
  TektonValueType,
  typeOfValue,
} from '../tekton-model/tekton-objects';
import { effectiveParamValues, firstUnresolvedReference, paramReplacements, Replacements } from './variable-replacements';

/**
 * Runs one TaskRun's steps on this machine as Tekton v1.15.0 would run them in a pod: params (defaults,
 * given values, enum), then context, results and workspace variables substituted in that order
 * (`applyParamsContextsResultsAndWorkspaces`), stepTemplate merged, steps in order, results read after each
 * step and checked against the termination-message budget, then typed and checked against their
 * declarations. Container images are not pulled: each step runs with this machine's programs.
 */

/** Everything a TaskRun needs. */
export interface TaskRunRehearsalInput {
  /** The pipeline task (for messages and labels). */
  readonly pipelineTask: string;
  /** `metadata.name` of the TaskRun. */
  readonly taskRunName: string;
  /** `metadata.uid` of the TaskRun. */
  readonly taskRunUid: string;
  /** Namespace of the run. */
  readonly namespace: string;
  /** `context.task.name`: the Task's name, or the pipeline task's for an embedded spec. */
  readonly taskName: string;
  /** The Task's spec. */
  readonly taskSpec: TaskSpec;
  /** The TaskRun's params (values already resolved by the pipeline). */
  readonly params: readonly Param[];
  /** Task workspace name → directory on this machine (undefined for an unbound optional one). */
  readonly workspaces: ReadonlyMap<string, string | undefined>;
  /** The feature flags in force. */
  readonly flags: FeatureFlagSettings;
  /** A fresh directory for this TaskRun's scratch files. */
  readonly workDir: string;
  /** Base environment of every step. */
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines. */
  readonly report: (line: string) => void;
  /** The TaskRun's `timeout` (a Go duration, e.g. `1h30m`); `0` or absent means none. */
  readonly timeout?: string;
  /** Which attempt this is (`context.task.retry-count`). @default 0 */
  readonly retryCount?: number;
  /**
   * Preempt this attempt: the step that has this environment variable (e.g. `CHECKPOINT_DIR`) is killed
   * once a file appears in the directory the variable names.
   */
  readonly preemptOnCheckpointIn?: string;
}

/** A finished TaskRun: what goes into its `status`. */
export interface TaskRunOutcome {
  /** `status.results`. */
  readonly results: { name: string; type: TektonValueType; value: TektonValue }[];
  /** `status.steps`. */
  readonly steps: Record<string, unknown>[];
  /** Declared results no step wrote. */
  readonly missingResults: string[];
  /** Start and end. */
  readonly startTime: Date;
  readonly completionTime: Date;
}

/** The image id the kubelet would report for a digest-pinned image (`docker.io/library/x@sha256:…`), else undefined. */
export function imageIdOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at === -1 || !/^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1))) return undefined;
  let name = image.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  return `${name}${image.slice(at)}`;
}

/** Checks a value given to a declared param the way Tekton's validation does; returns a message or undefined. */
export function paramProblem(spec: ParamDeclarationSpec, value: TektonValue, enumEnabled: boolean, checkKeys = true): string | undefined {
  const declared = spec.type ?? 'string';
  const actual = typeOfValue(value);
  if (actual !== declared) return `param "${spec.name}" is declared ${declared} but given ${actual} ${JSON.stringify(value)}`;
  if (checkKeys && declared === 'object' && spec.properties) {
    const missing = Object.keys(spec.properties).filter((k) => !(k in (value as Record<string, string>)));
    if (missing.length > 0)
      return `param "${spec.name}" misses the object key${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')}`;
  }
  if (enumEnabled && spec.enum && spec.enum.length > 0 && declared === 'string' && !spec.enum.includes(value as string)) {
    return `param "${spec.name}" value "${value}" is not in its enum (${spec.enum.join(', ')})`;
  }
  return undefined;
}

function mergeStepTemplate(template: Partial<Step> | undefined, step: Step): Step {
  if (!template) return step;
  const env = new Map<string, EnvVar>();
  for (const e of template.env ?? []) env.set(e.name, e);
  for (const e of step.env ?? []) env.set(e.name, e);
  return { ...template, ...step, env: [...env.values()] } as Step;
}

function substituteStep(step: Step, r: Replacements): Step {
  const list = (values: readonly string[] | undefined): string[] | undefined => values?.flatMap((v) => r.applyToArrayElement(v));
  return {
    ...step,
    image: step.image === undefined ? undefined : r.apply(step.image),
    script: step.script === undefined ? undefined : r.apply(step.script),
    command: list(step.command),
    args: list(step.args),
    workingDir: step.workingDir === undefined ? undefined : r.apply(step.workingDir),
    env: step.env?.map((e) => (e.value === undefined ? e : { ...e, value: r.apply(e.value) })),
    stdoutConfig: step.stdoutConfig?.path === undefined ? step.stdoutConfig : { path: r.apply(step.stdoutConfig.path) },
    stderrConfig: step.stderrConfig?.path === undefined ? step.stderrConfig : { path: r.apply(step.stderrConfig.path) },
  };
}

/**
 * Applies replacements to every step (and the stepTemplate) of a Task spec, as Tekton's
 * `resources.ApplyReplacements` does; used to propagate pipeline params, context and task results into
 * an embedded `taskSpec`.
 */
export function substituteTaskSpec(spec: TaskSpec, r: Replacements): TaskSpec {
  return {
    ...spec,
    steps: spec.steps?.map((step) => substituteStep(step, r)),
    stepTemplate: spec.stepTemplate === undefined ? undefined : substituteStep(spec.stepTemplate as Step, r),
  };
}

function assertResolved(step: Step, task: string, stepName: string, params: readonly ParamDeclarationSpec[]): void {
  const fields: [string, string | undefined][] = [
    ['script', step.script],
    ['workingDir', step.workingDir],
    ['image', step.image],
    ['stdoutConfig.path', step.stdoutConfig?.path],
    ['stderrConfig.path', step.stderrConfig?.path],
    ...(step.command ?? []).map((c, i): [string, string] => [`command[${i}]`, c]),
    ...(step.args ?? []).map((a, i): [string, string] => [`args[${i}]`, a]),
    ...(step.env ?? []).map((e): [string, string | undefined] => [`env ${e.name}`, e.value]),
  ];
  for (const [field, text] of fields) {
    if (text === undefined) continue;
    const ref = firstUnresolvedReference(text);
    const declared = ref?.kind === 'params' ? params.find((p) => p.name === ref.name) : undefined;
    if (ref && declared && (declared.type === 'array' || declared.type === 'object')) {
      const use =
        declared.type === 'array'
          ? `as a whole command/args element $(params.${declared.name}[*]) or one element $(params.${declared.name}[0])`
          : `by key, e.g. $(params.${declared.name}.${Object.keys(declared.properties ?? { key: {} })[0]})`;
      throw new RehearsalError(
        `task "${task}" step "${stepName}": ${field} refers to ${ref.text}, but "${declared.name}" is an ${declared.type} param; use it ${use}`,
        { task, step: stepName },
      );
    }
    if (ref) {
      throw new RehearsalError(
        `task "${task}" step "${stepName}": ${field} refers to ${ref.text}, which is not defined here (tekton would not resolve it)`,
        { task, step: stepName },
      );
    }
  }
}

function stepName(step: Step, index: number): string {
  return step.name && step.name !== '' ? step.name : `unnamed-${index}`;
}

/** Runs the TaskRun; throws RehearsalError naming the task and step when Tekton would fail it. */
export function rehearseTaskRun(input: TaskRunRehearsalInput): TaskRunOutcome {
  const task = input.pipelineTask;
  const spec = input.taskSpec;
  const declaredParams = spec.params ?? [];
  for (const param of input.params) {
    const declared = declaredParams.find((p) => p.name === param.name);
    if (!declared) continue;
    const problem = paramProblem(declared, param.value, input.flags.enableParamEnum, false);
    if (problem) throw new RehearsalError(`task "${task}": ${problem}`, { task });
  }
  const values = effectiveParamValues(declaredParams, input.params);
  for (const declared of declaredParams) {
    if (!values.has(declared.name))
      throw new RehearsalError(`task "${task}": param "${declared.name}" has no value and no default`, { task });
    const problem = paramProblem(declared, values.get(declared.name)!, input.flags.enableParamEnum);
    if (problem) throw new RehearsalError(`task "${task}": ${problem}`, { task });
  }
  for (const step of spec.steps ?? []) {
    if (step.ref !== undefined)
      throw new RehearsalError(
        `task "${task}" step "${step.name ?? '?'}" uses a StepAction ref, which rehearse does not resolve; inline the step`,
        { task, step: step.name },
      );
  }
  if ((spec.sidecars ?? []).length > 0) input.report(`  note: task ${task} declares sidecars; rehearse does not start them`);

  const resultsDir = path.join(input.workDir, 'results');
  const stepsDir = path.join(input.workDir, 'steps');
  const scratch = path.join(input.workDir, 'workspace');
  for (const dir of [resultsDir, stepsDir, scratch, path.join(input.workDir, 'creds')]) fs.mkdirSync(dir, { recursive: true });

  const params = paramReplacements(declaredParams, input.params);
  const context = new Replacements();
  context.strings.set('context.taskRun.name', input.taskRunName);
  context.strings.set('context.taskRun.namespace', input.namespace);
  context.strings.set('context.taskRun.uid', input.taskRunUid);
  context.strings.set('context.task.name', input.taskName);
  context.strings.set('context.task.retry-count', String(input.retryCount ?? 0));
  const results = new Replacements();
  for (const result of spec.results ?? []) {
    for (const key of [`results.${result.name}.path`, `results["${result.name}"].path`, `results['${result.name}'].path`]) {
      results.strings.set(key, path.join(resultsDir, result.name));
    }
  }
  const workspaces = new Replacements();
  for (const declaration of spec.workspaces ?? []) {
    const dir = input.workspaces.get(declaration.name);
    const prefix = `workspaces.${declaration.name}`;
    workspaces.strings.set(`${prefix}.bound`, dir === undefined ? 'false' : 'true');
    workspaces.strings.set(`${prefix}.path`, dir ?? '');
    workspaces.strings.set(`${prefix}.claim`, '');
    workspaces.strings.set(`${prefix}.volume`, `ws-${declaration.name}`);
  }
  const stepNames = (spec.steps ?? []).map(stepName);
  const perStep = new Replacements();
  perStep.strings.set('credentials.path', path.join(input.workDir, 'creds'));
  stepNames.forEach((name) => {
    perStep.strings.set(`steps.${name}.exitCode.path`, path.join(stepsDir, name, 'exitCode'));
    perStep.strings.set(`steps.step-${name}.exitCode.path`, path.join(stepsDir, name, 'exitCode'));
  });

  const startTime = new Date();
  const taskTimeout = input.timeout ? parseGoDuration(input.timeout) : undefined;
  if (input.timeout && taskTimeout === undefined)
    throw new RehearsalError(`task "${task}": timeout "${input.timeout}" is not a duration`, { task });
  const taskDeadline = taskTimeout ? startTime.getTime() + Math.ceil(taskTimeout / 1e6) : undefined;
  const stepStatuses: Record<string, unknown>[] = [];
  const stopped = false;
  (spec.steps ?? []).forEach((raw, index) => {
    const name = stepNames[index];
    let step = mergeStepTemplate(spec.stepTemplate, raw);
    for (const pass of [params, context, results, workspaces, perStep]) step = substituteStep(step, pass);
    const imageID = imageIdOf(step.image);
    const status: Record<string, unknown> = { name, container: `step-${name}` };
    if (imageID) status.imageID = imageID;
    if (stopped) {
      status.terminated = { exitCode: 1, reason: 'Skipped' };
      stepStatuses.push(status);
      return;
    }
    assertResolved(step, task, name, declaredParams);
    const env: NodeJS.ProcessEnv = { ...input.env };
    for (const e of step.env ?? []) {
      if (e.valueFrom !== undefined) {
        throw new RehearsalError(
          `task "${task}" step "${name}": env ${e.name} comes from ${Object.keys(e.valueFrom).join(', ')}, which rehearse cannot read outside a cluster; give it a value`,
          { task, step: name },
        );
      }
      env[e.name] = e.value ?? '';
    }
    const workingDir = resolveWorkingDir(step.workingDir, scratch, input, task, name);
    const timeoutNanos = step.timeout ? parseGoDuration(step.timeout) : undefined;
    const stepLimit = timeoutNanos === undefined || timeoutNanos <= 0 ? undefined : Math.ceil(timeoutNanos / 1e6);
    const taskLeft = taskDeadline === undefined ? undefined : Math.max(1, taskDeadline - Date.now());
    const timeoutMs = stepLimit === undefined ? taskLeft : taskLeft === undefined ? stepLimit : Math.min(stepLimit, taskLeft);
    const limitedByTask = taskLeft !== undefined && timeoutMs === taskLeft;
    input.report(`  step ${name}${step.image ? ` (image ${step.image}, not pulled)` : ''}`);
    if (step.image && !imageID)
      input.report(
        `  note: image ${step.image} is not pinned by digest, so its digest is left out of the provenance (a cluster records the digest it pulled)`,
      );
    const began = new Date();
    const watched = input.preemptOnCheckpointIn !== undefined ? env[input.preemptOnCheckpointIn] : undefined;
    const outcome = runStepProcess({
      preemptWhenFileIn: watched ? path.resolve(workingDir, watched) : undefined,
      script: step.script,
      command: step.command,
      args: step.args,
      workingDir,
      env,
      stepDir: path.join(stepsDir, name),
      timeoutMs,
      stdoutPath: step.stdoutConfig?.path,
      stderrPath: step.stderrConfig?.path,
    });
    fs.writeFileSync(path.join(stepsDir, name, 'exitCode'), String(outcome.exitCode));
    const ended = new Date();
    status.terminated = {
      exitCode: outcome.exitCode,
      reason: outcome.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: began.toISOString().replace(/\.\d+Z$/, 'Z'),
      finishedAt: ended.toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    stepStatuses.push(status);
    if (outcome.exitCode !== 0 && step.onError !== 'continue') {
      if (outcome.timedOut) {
        const limit = limitedByTask ? `the TaskRun timeout ${input.timeout}` : `its timeout ${step.timeout}`;
        throw new RehearsalError(`task "${task}" step "${name}" was stopped after ${limit}`, {
          task,
          step: name,
          detail: outcome.errorTail,
        });
      }
      if (outcome.missingTool) {
        const missing = new RehearsalError(
          `task "${task}" step "${name}" needs "${outcome.missingTool}", which this machine lacks (exit ${outcome.exitCode}); images are not pulled, so install it here to rehearse this step`,
          { task, step: name, detail: outcome.errorTail },
        );
        missing.machineProblem = true;
        throw missing;
      }
      if (outcome.preempted) {
        throw new RehearsalError(`task "${task}" step "${name}" was preempted (killed once a checkpoint appeared in ${watched})`, {
          task,
          step: name,
          detail: outcome.errorTail,
        });
      }
      throw new RehearsalError(`task "${task}" step "${name}" exited with code ${outcome.exitCode} (log: ${outcome.stderrLog})`, {
        task,
        step: name,
        detail: outcome.errorTail,
      });
    }
    try {
      assertResultBudget(readResultFiles(resultsDir, spec.results ?? []), input.flags, began);
    } catch (err) {
      if (err instanceof TaskResultError) throw new RehearsalError(`task "${task}" step "${name}": ${err.message}`, { task, step: name });
      throw err;
    }
    input.report(`  step ${name} ok (${((ended.getTime() - began.getTime()) / 1000).toFixed(1)}s)`);
  });
  const raw = readResultFiles(resultsDir, spec.results ?? []);
  let typed;
  try {
    typed = typedTaskResults(raw, spec.results ?? []);
  } catch (err) {
    if (err instanceof TaskResultError) {
      const last = stepNames[stepNames.length - 1];
      throw new RehearsalError(`task "${task}": ${err.message} (results are written by its steps: ${stepNames.join(', ')})`, {
        task,
        step: last,
      });
    }
    throw err;
  }
  const missingResults = (spec.results ?? []).map((r) => r.name).filter((n) => !raw.has(n));
  return { results: typed, steps: stepStatuses, missingResults, startTime, completionTime: new Date() };
}

function resolveWorkingDir(dir: string | undefined, scratch: string, input: TaskRunRehearsalInput, task: string, step: string): string {
  if (dir === undefined || dir === '') return scratch;
  const resolved = path.isAbsolute(dir) ? dir : path.join(scratch, dir);
  const roots = [input.workDir, ...[...input.workspaces.values()].filter((d): d is string => d !== undefined)];
  if (!roots.some((root) => resolved === root || resolved.startsWith(root + path.sep))) {
    throw new RehearsalError(
      `task "${task}" step "${step}": workingDir "${dir}" is outside the workspaces, which rehearse cannot create on this machine; use $(workspaces.<name>.path)`,
      { task, step },
    );
  }
  fs.mkdirSync(resolved, { recursive: true });
  return resolved;
}
