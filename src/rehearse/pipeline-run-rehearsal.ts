import * as crypto from 'node:crypto';
import { evaluateCelExpression } from '../tekton-model/cel-expressions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goRoundTrip } from '../chains/go-json';
import { TASK_RUN_SPEC } from '../chains/tekton-go-types';
import { childTaskRunTimeout } from '../tekton-model/timeouts';
import { defaultedPipelineSpec, defaultedTaskSpec } from '../tekton-model/tekton-defaults';
import { RehearsalError } from './rehearsal-error';
import { FeatureFlagSettings } from '../tekton-model/feature-flags';
import { PipelineGraph } from '../tekton-model/pipeline-graph';
import { paramProblem, rehearseTaskRun, substituteTaskSpec, TaskRunOutcome } from './task-run-rehearsal';
import {
  KubernetesObject,
  Param,
  PipelineSpec,
  PipelineTaskSpec,
  TaskSpec,
  TektonValue,
  TektonValueType,
  typeOfValue,
} from '../tekton-model/tekton-objects';
import { writeWorkspaceVolume, WorkspaceVolumeBinding } from './workspace-volumes';
import { effectiveParamValues, firstUnresolvedReference, paramReplacements, Replacements } from './variable-replacements';

/**
 * Runs a PipelineRun on this machine as the Tekton v1.15.0 PipelineRun reconciler would schedule it:
 * params checked and substituted into the pipeline, tasks in dependency order (runAfter and result
 * references), when expressions (`in`/`notin`), each task as a TaskRun (`rehearseTaskRun`), task results
 * feeding later tasks' params, finally tasks last, pipeline results from task results. Produces the
 * PipelineRun and TaskRun objects with the `status` Tekton would write, which is what Chains reads.
 */

/** What a rehearsal of a PipelineRun needs. */
export interface PipelineRunRehearsalInput {
  /** The PipelineRun, with `metadata.name` and `metadata.uid` already chosen. */
  readonly pipelineRun: KubernetesObject;
  /** Pipelines and Tasks the run may refer to. */
  readonly objects: readonly KubernetesObject[];
  /** The feature flags in force. */
  readonly flags: FeatureFlagSettings;
  /** A fresh directory for workspaces and scratch files. */
  readonly workDir: string;
  /** Base environment of every step. */
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines. */
  readonly report: (line: string) => void;
  /**
   * Preempt the first attempt of this pipeline task once its step has written a checkpoint (a file in the
   * directory its `CHECKPOINT_DIR` names), as a Spot VM's reclaim would; the task's `retries` then resume it.
   */
  readonly interruptOnce?: string;
}

/** The environment variable that names a step's checkpoint directory (set by the training task). */
export const CHECKPOINT_DIR_ENV = 'CHECKPOINT_DIR';

/** The finished run. */
export interface PipelineRunRehearsal {
  /** The PipelineRun with its status. */
  readonly pipelineRun: KubernetesObject;
  /** The TaskRuns it created, with their status. */
  readonly taskRuns: KubernetesObject[];
  /** Pipeline workspace name → directory on this machine. */
  readonly workspaceDirs: ReadonlyMap<string, string>;
}

const MAX_NAME = 63;

/** knative's `kmeta.ChildName`: parent + suffix, shortened with an md5 of the parent when too long. */
export function childName(parent: string, suffix: string): string {
  if (parent.length + suffix.length <= MAX_NAME) return parent + suffix;
  const hash = crypto.createHash('md5').update(parent).digest('hex');
  const head = Math.max(0, MAX_NAME - suffix.length - hash.length);
  const name = parent.slice(0, head) + hash + suffix;
  return name.length > MAX_NAME
    ? crypto
        .createHash('md5')
        .update(parent + suffix)
        .digest('hex')
    : name;
}

function findObject(objects: readonly KubernetesObject[], kind: string, name: string): KubernetesObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

function nowSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The tasks in the order they run: Kahn's algorithm over the Pipeline's dependency graph, keeping
 * the pipeline's order among ready tasks; a cycle is an error as in Tekton.
 */
function dependencyOrder(spec: PipelineSpec): PipelineTaskSpec[] {
  const graph = PipelineGraph.of(spec);
  const tasks = spec.tasks ?? [];
  const names = new Set(tasks.map((t) => t.name));
  const dependencies = new Map(tasks.map((t) => [t.name, graph.dependenciesOf(t.name)]));
  const pending = [...tasks];
  const done = new Set<string>();
  const order: PipelineTaskSpec[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((t) => dependencies.get(t.name)!.every((d) => done.has(d) || !names.has(d)));
    if (index === -1)
      throw new RehearsalError(`pipeline tasks ${pending.map((t) => `"${t.name}"`).join(', ')} depend on each other in a cycle`);
    const [task] = pending.splice(index, 1);
    for (const dep of dependencies.get(task.name)!) {
      if (!names.has(dep))
        throw new RehearsalError(`task "${task.name}" depends on "${dep}", which is not a task of the pipeline`, { task: task.name });
    }
    done.add(task.name);
    order.push(task);
  }
  return order;
}

function addTaskResults(into: Replacements, task: string, results: readonly { name: string; value: TektonValue }[]): void {
  for (const { name, value } of results) {
    const key = `tasks.${task}.results.${name}`;
    const type = typeOfValue(value);
    if (type === 'string') into.strings.set(key, value as string);
    if (type === 'array') {
      into.arrays.set(key, value as string[]);
      (value as string[]).forEach((v, i) => into.strings.set(`${key}[${i}]`, v));
    }
    if (type === 'object') {
      into.objects.set(key, value as Record<string, string>);
      for (const [k, v] of Object.entries(value as Record<string, string>)) into.strings.set(`${key}.${k}`, v);
    }
  }
}

function valueTexts(value: TektonValue): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value;
  return Object.values(value);
}

function resolvePipeline(run: KubernetesObject, objects: readonly KubernetesObject[]): { name: string; spec: PipelineSpec } {
  const spec = run.spec ?? {};
  if (spec.pipelineSpec) return { name: run.metadata?.name ?? '', spec: spec.pipelineSpec as PipelineSpec };
  const ref = spec.pipelineRef as { name?: string; resolver?: string } | undefined;
  if (!ref) throw new RehearsalError('the PipelineRun has neither spec.pipelineRef nor spec.pipelineSpec');
  if (ref.resolver)
    throw new RehearsalError(
      `the PipelineRun uses the "${ref.resolver}" resolver; rehearse runs only pipelines given as objects (pipelineRef.name)`,
    );
  const pipeline = findObject(objects, 'Pipeline', ref.name ?? '');
  if (!pipeline) {
    const known = objects.filter((o) => o.kind === 'Pipeline').map((o) => o.metadata?.name);
    throw new RehearsalError(
      `pipeline "${ref.name}" named by spec.pipelineRef is not among the objects (pipelines: ${known.join(', ') || 'none'})`,
    );
  }
  return { name: ref.name ?? '', spec: (pipeline.spec ?? {}) as PipelineSpec };
}

function resolveTaskSpec(
  task: PipelineTaskSpec,
  objects: readonly KubernetesObject[],
): { name: string; spec: TaskSpec; readonly ref: boolean } {
  if (task.matrix !== undefined)
    throw new RehearsalError(`task "${task.name}" uses a matrix, which rehearse does not fan out`, { task: task.name });
  if (task.taskSpec) return { name: task.name, spec: task.taskSpec, ref: false };
  const ref = task.taskRef;
  if (!ref) throw new RehearsalError(`task "${task.name}" has neither taskRef nor taskSpec`, { task: task.name });
  if (ref.resolver)
    throw new RehearsalError(`task "${task.name}" uses the "${ref.resolver}" resolver; rehearse runs only Tasks given as objects`, {
      task: task.name,
    });
  if (ref.kind && ref.kind !== 'Task')
    throw new RehearsalError(`task "${task.name}" refers to a ${ref.kind}; rehearse runs only kind Task`, { task: task.name });
  const found = findObject(objects, 'Task', ref.name ?? '');
  if (!found) {
    const known = objects.filter((o) => o.kind === 'Task').map((o) => o.metadata?.name);
    throw new RehearsalError(
      `task "${task.name}" refers to Task "${ref.name}", which is not among the objects (tasks: ${known.join(', ') || 'none'})`,
      { task: task.name },
    );
  }
  return { name: ref.name ?? task.name, spec: (found.spec ?? {}) as TaskSpec, ref: true };
}

/** The run being rehearsed: what it runs, and what its tasks have done so far. */
interface RunState {
  readonly input: PipelineRunRehearsalInput;
  readonly run: KubernetesObject;
  readonly runName: string;
  readonly uid: string;
  readonly namespace: string;
  readonly pipelineName: string;
  readonly pipelineSpec: PipelineSpec;
  /** Pipeline workspace name → directory on this machine. */
  readonly workspaceDirs: ReadonlyMap<string, string>;
  /** The run's params, context and pipeline-task variables. */
  readonly pipelineLevel: Replacements;
  /** `tasks.<name>.results...` of the tasks that succeeded. */
  readonly taskResults: Replacements;
  readonly outcomes: Map<string, TaskRunOutcome & { taskRun: KubernetesObject; spec: TaskSpec }>;
  readonly statuses: Map<string, 'Succeeded' | 'Failed' | 'None'>;
  readonly skipped: { name: string; reason: string }[];
  readonly taskRuns: KubernetesObject[];
  readonly startTime: Date;
}

/**
 * Rehearses the PipelineRun; throws RehearsalError with task and step when Tekton would fail it.
 * The steps, in the reconciler's order: resolve the Pipeline, check the run's params, bind the
 * workspaces, run the tasks in dependency order and then the finally tasks, resolve the pipeline
 * results, and write the run's status.
 */
export function rehearsePipelineRun(input: PipelineRunRehearsalInput): PipelineRunRehearsal {
  const state = startRun(input);
  let failure: RehearsalError | undefined;
  for (const task of dependencyOrder(state.pipelineSpec)) {
    if (failure) break;
    failure = rehearsalFailure(() => runPipelineTask(state, task, false));
  }
  for (const task of state.pipelineSpec.finally ?? []) {
    const finallyFailure = rehearsalFailure(() => runPipelineTask(state, task, true));
    failure = failure ?? finallyFailure;
  }
  if (failure) throw failure;
  const results = pipelineResults(state);
  return { pipelineRun: finishedPipelineRun(state, results), taskRuns: state.taskRuns, workspaceDirs: state.workspaceDirs };
}

/** Runs `fn`; returns the RehearsalError it throws (any other error passes through). */
function rehearsalFailure(fn: () => void): RehearsalError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof RehearsalError)) throw err;
    return err;
  }
}

/** Resolves the Pipeline, checks the run's params and binds its workspaces: the run, ready for its tasks. */
function startRun(input: PipelineRunRehearsalInput): RunState {
  const run = input.pipelineRun;
  const runName = run.metadata?.name ?? 'pipelinerun';
  const uid = run.metadata?.uid ?? crypto.randomUUID();
  const namespace = run.metadata?.namespace ?? 'default';
  const { name: pipelineName, spec: pipelineSpec } = resolvePipeline(run, input.objects);
  const runParams = (run.spec?.params ?? []) as Param[];
  assertRunParams(runName, pipelineSpec, runParams, input.flags);
  const workspaceDirs = bindPipelineWorkspaces(run, runName, pipelineSpec, input.workDir, input.objects);
  const pipelineLevel = paramReplacements(pipelineSpec.params ?? [], runParams);
  pipelineLevel.strings.set('context.pipelineRun.name', runName);
  pipelineLevel.strings.set('context.pipelineRun.namespace', namespace);
  pipelineLevel.strings.set('context.pipelineRun.uid', uid);
  pipelineLevel.strings.set('context.pipeline.name', pipelineName);
  pipelineLevel.strings.set('context.pipelineTask.retries', '0');
  return {
    input,
    run,
    runName,
    uid,
    namespace,
    pipelineName,
    pipelineSpec,
    workspaceDirs,
    pipelineLevel,
    taskResults: new Replacements(),
    outcomes: new Map(),
    statuses: new Map(),
    skipped: [],
    taskRuns: [],
    startTime: new Date(),
  };
}

/** The run's params against the Pipeline's declarations: types, enums, and a value for each. */
function assertRunParams(runName: string, pipelineSpec: PipelineSpec, runParams: readonly Param[], flags: FeatureFlagSettings): void {
  const declared = pipelineSpec.params ?? [];
  for (const p of runParams) {
    const spec = declared.find((d) => d.name === p.name);
    const problem = spec && paramProblem(spec, p.value, flags.enableParamEnum, false);
    if (problem) throw new RehearsalError(`pipelinerun ${runName}: ${problem}`);
  }
  const values = effectiveParamValues(declared, runParams);
  for (const spec of declared) {
    if (!values.has(spec.name))
      throw new RehearsalError(`pipelinerun ${runName}: pipeline param "${spec.name}" has no value and no default`);
    const problem = paramProblem(spec, values.get(spec.name)!, flags.enableParamEnum);
    if (problem) throw new RehearsalError(`pipelinerun ${runName}: ${problem}`);
  }
}

/**
 * A directory for each pipeline workspace the run binds; an unbound required one is an error. A
 * workspace bound to a ConfigMap, a Secret or a projected volume holds their files as the kubelet
 * writes them (`writeWorkspaceVolume`); any other binding is an empty directory.
 */
function bindPipelineWorkspaces(
  run: KubernetesObject,
  runName: string,
  pipelineSpec: PipelineSpec,
  workDir: string,
  objects: readonly KubernetesObject[],
): Map<string, string> {
  const workspaceDirs = new Map<string, string>();
  const bindings = (run.spec?.workspaces ?? []) as (WorkspaceVolumeBinding & { name: string })[];
  for (const ws of pipelineSpec.workspaces ?? []) {
    const binding = bindings.find((b) => b.name === ws.name);
    if (!binding && !ws.optional)
      throw new RehearsalError(`pipelinerun ${runName}: pipeline workspace "${ws.name}" is not bound in spec.workspaces`);
    if (!binding) continue;
    const dir = path.join(workDir, 'workspaces', ws.name);
    fs.mkdirSync(dir, { recursive: true });
    writeWorkspaceVolume(runName, ws.name, binding, dir, objects);
    workspaceDirs.set(ws.name, dir);
  }
  return workspaceDirs;
}

/** The variables a task sees: the run's, the results so far, and in finally the tasks' statuses. */
function taskScope(state: RunState, isFinally: boolean): Replacements {
  const scope = new Replacements().merge(state.pipelineLevel).merge(state.taskResults);
  if (isFinally) {
    for (const t of state.pipelineSpec.tasks ?? []) {
      scope.strings.set(`tasks.${t.name}.status`, state.statuses.get(t.name) ?? 'None');
      scope.strings.set(
        `tasks.${t.name}.reason`,
        state.statuses.get(t.name) ?? (state.skipped.some((x) => x.name === t.name) ? 'Skipped' : 'None'),
      );
    }
    const all = [...state.statuses.values()];
    scope.strings.set('tasks.status', all.includes('Failed') ? 'Failed' : state.skipped.length > 0 ? 'Completed' : 'Succeeded');
  }
  return scope;
}

/** Whether the task's when expressions (`in`/`notin`, or `cel`) let it run; reports the skip when not. */
function whenAllows(state: RunState, task: PipelineTaskSpec, scope: Replacements): boolean {
  for (const when of task.when ?? []) {
    if (when.cel !== undefined) {
      // as Tekton's reconciler (pipelinerunresolution.go EvaluateCEL): variables substituted, then compiled and evaluated in an empty CEL environment
      const cel = scope.apply(when.cel);
      const result = evaluateCelExpression(cel, 'tekton-when', {});
      if (!result.ok)
        throw new RehearsalError(
          `task "${task.name}": when cel ${JSON.stringify(cel)} cannot be evaluated (CELEvaluationFailed): ${result.message}`,
          {
            task: task.name,
          },
        );
      if (typeof result.value !== 'boolean')
        throw new RehearsalError(`task "${task.name}": The CEL expression ${cel} is not evaluated to a boolean (CELEvaluationFailed)`, {
          task: task.name,
        });
      if (!result.value) {
        state.skipped.push({ name: task.name, reason: 'When Expressions evaluated to false' });
        state.input.report(`task ${task.name} skipped (when cel ${cel} is false)`);
        return false;
      }
      continue;
    }
    const inputValue = scope.apply(when.input ?? '');
    const candidates = (when.values ?? []).flatMap((v) => scope.applyToArrayElement(v));
    const matches = candidates.includes(inputValue);
    if ((when.operator === 'notin') === matches) {
      state.skipped.push({ name: task.name, reason: 'When Expressions evaluated to false' });
      state.input.report(`task ${task.name} skipped (when ${when.input} ${when.operator} ${JSON.stringify(when.values)} is false)`);
      return false;
    }
  }
  return true;
}

/**
 * The task's params with the variables in scope substituted, or undefined when a result they read
 * is missing (the task is then skipped, as Tekton skips it).
 */
function taskParams(state: RunState, task: PipelineTaskSpec, scope: Replacements): Param[] | undefined {
  const params: Param[] = (task.params ?? []).map((p) => ({ name: p.name, value: scope.applyToValue(p.value) }));
  for (const p of params) {
    for (const text of valueTexts(p.value)) {
      const ref = firstUnresolvedReference(text);
      if (!ref) continue;
      if (ref.kind === 'tasks.results' && ref.owner) {
        const producer = state.outcomes.get(ref.owner);
        if (producer && state.statuses.get(ref.owner) === 'Succeeded') {
          throw new RehearsalError(
            `task "${task.name}": param "${p.name}" refers to ${ref.text}, but task "${ref.owner}" did not write result "${ref.name}"${ref.key ? ` with key "${ref.key}"` : ''} (check the result path in its steps: ${(producer.spec.steps ?? []).map((s) => s.name).join(', ')})`,
            { task: ref.owner, step: (producer.spec.steps ?? []).slice(-1)[0]?.name },
          );
        }
        state.skipped.push({ name: task.name, reason: 'Results were missing' });
        state.input.report(`task ${task.name} skipped (results of ${ref.owner} are missing)`);
        return undefined;
      }
      throw new RehearsalError(`task "${task.name}": param "${p.name}" refers to ${ref.text}, which is not defined in the pipeline`, {
        task: task.name,
      });
    }
  }
  return params;
}

/**
 * An embedded taskSpec with what Tekton propagates into it substituted: pipeline params (scoped by
 * the task's own params), context and task results (propagateParams, PropagateResults).
 */
function propagatedTaskSpec(spec: TaskSpec, scope: Replacements, params: readonly Param[]): TaskSpec {
  const propagated = new Replacements().merge(scope);
  for (const p of params) {
    for (const key of [`params.${p.name}`, `params["${p.name}"]`, `params['${p.name}']`]) {
      if (propagated.strings.has(key) && typeof p.value === 'string') propagated.strings.set(key, p.value);
      if (propagated.arrays.has(key) && Array.isArray(p.value)) propagated.arrays.set(key, p.value);
      if (propagated.objects.has(key) && typeof p.value === 'object' && !Array.isArray(p.value)) {
        propagated.objects.set(key, p.value);
        for (const [k, v] of Object.entries(p.value)) propagated.strings.set(`params.${p.name}.${k}`, v);
      }
    }
  }
  return substituteTaskSpec(spec, propagated);
}

/** Task workspace name → directory (undefined: an optional workspace left unbound). */
function taskWorkspaces(
  state: RunState,
  task: PipelineTaskSpec,
  resolved: { name: string; spec: TaskSpec },
  scope: Replacements,
): Map<string, string | undefined> {
  const dirs = new Map<string, string | undefined>();
  for (const declaration of resolved.spec.workspaces ?? []) {
    const binding = (task.workspaces ?? []).find((w) => w.name === declaration.name);
    const base = binding ? state.workspaceDirs.get(binding.workspace ?? binding.name) : undefined;
    if (binding && base === undefined && !declaration.optional) {
      throw new RehearsalError(
        `task "${task.name}": workspace "${declaration.name}" is bound to pipeline workspace "${binding.workspace}", which is not bound by the run`,
        { task: task.name },
      );
    }
    if (!binding && !declaration.optional)
      throw new RehearsalError(`task "${task.name}": workspace "${declaration.name}" of task "${resolved.name}" is not bound`, {
        task: task.name,
      });
    let dir = base;
    if (dir !== undefined && binding?.subPath) {
      dir = path.join(dir, scope.apply(binding.subPath));
      fs.mkdirSync(dir, { recursive: true });
    }
    dirs.set(declaration.name, dir);
  }
  return dirs;
}

/** The TaskRun object Tekton creates for a pipeline task, before it runs. */
function newTaskRun(
  state: RunState,
  task: PipelineTaskSpec,
  resolved: { name: string; spec: TaskSpec; ref: boolean },
  params: Param[],
  taskRunName: string,
  taskRunUid: string,
  isFinally: boolean,
): KubernetesObject & { status: Record<string, unknown> } {
  const labels: Record<string, string> = {
    'app.kubernetes.io/managed-by': 'tekton-pipelines',
    'tekton.dev/pipeline': state.pipelineName,
    'tekton.dev/pipelineRun': state.runName,
    'tekton.dev/pipelineRunUID': state.uid,
    'tekton.dev/pipelineTask': task.name,
  };
  if (resolved.ref) labels['tekton.dev/task'] = resolved.name;
  // As the API server stores it: Go's encoding of TaskRunSpec, the timeout Tekton gives a child TaskRun.
  const taskRunSpec = goRoundTrip(
    TASK_RUN_SPEC,
    {
      params,
      serviceAccountName: (state.run.spec?.taskRunTemplate as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default',
      ...(resolved.ref ? { taskRef: { kind: 'Task', name: resolved.name } } : { taskSpec: defaultedTaskSpec(resolved.spec) }),
      timeout: childTaskRunTimeout(state.run.spec?.timeouts, task.timeout, isFinally),
    },
    `taskrun ${taskRunName} spec`,
  ) as Record<string, unknown>;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: taskRunName, namespace: state.namespace, uid: taskRunUid, labels },
    spec: taskRunSpec,
    status: {},
  };
}

/** Runs one pipeline task as a TaskRun, unless its when expressions or missing results skip it. */
function runPipelineTask(state: RunState, task: PipelineTaskSpec, isFinally: boolean): void {
  const { input } = state;
  const scope = taskScope(state, isFinally);
  if (!whenAllows(state, task, scope)) return;
  const params = taskParams(state, task, scope);
  if (!params) return;
  const resolved = resolveTaskSpec(task, input.objects);
  if (!resolved.ref) resolved.spec = propagatedTaskSpec(resolved.spec, scope, params);
  const workspaces = taskWorkspaces(state, task, resolved, scope);
  scope.strings.set('context.pipelineTask.retries', String(task.retries ?? 0));
  const taskRunName = childName(state.runName, `-${task.name}`);
  const taskRunUid = crypto.randomUUID();
  input.report(`task ${task.name} (TaskRun ${taskRunName})`);
  const taskRun = newTaskRun(state, task, resolved, params, taskRunName, taskRunUid, isFinally);
  state.taskRuns.push(taskRun);
  let outcome: TaskRunOutcome | undefined;
  // Tekton retries a failed TaskRun up to `retries` times, each in a new pod (the workspace stays);
  // earlier attempts go into status.retriesStatus.
  const retriesStatus: Record<string, unknown>[] = [];
  const retries = task.retries ?? 0;
  for (let attempt = 0; outcome === undefined; attempt++) {
    const attemptStart = new Date();
    try {
      outcome = rehearseTaskRun({
        pipelineTask: task.name,
        taskRunName,
        taskRunUid,
        namespace: state.namespace,
        taskName: resolved.name,
        taskSpec: defaultedTaskSpec(resolved.spec),
        params,
        workspaces,
        flags: input.flags,
        workDir: path.join(input.workDir, 'taskruns', attempt === 0 ? task.name : `${task.name}-retry-${attempt}`),
        env: input.env,
        report: input.report,
        timeout: task.timeout,
        retryCount: attempt,
        preemptOnCheckpointIn: attempt === 0 && input.interruptOnce === task.name ? CHECKPOINT_DIR_ENV : undefined,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof RehearsalError && !err.machineProblem && attempt < retries) {
        input.report(
          `  attempt ${attempt + 1} of task ${task.name} failed: ${message}; retrying (${retries - attempt} of its ${retries} retries left)`,
        );
        retriesStatus.push({
          podName: `${taskRunName}-pod${attempt === 0 ? '' : `-retry${attempt}`}`,
          startTime: nowSeconds(attemptStart),
          completionTime: nowSeconds(new Date()),
          conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message }],
        });
        continue;
      }
      state.statuses.set(task.name, 'Failed');
      taskRun.status = {
        podName: `${taskRunName}-pod`,
        conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message }],
        taskSpec: defaultedTaskSpec(resolved.spec),
        ...(retriesStatus.length > 0 ? { retriesStatus } : {}),
      };
      throw err;
    }
  }
  state.statuses.set(task.name, 'Succeeded');
  state.outcomes.set(task.name, { ...outcome, taskRun, spec: resolved.spec });
  addTaskResults(state.taskResults, task.name, outcome.results);
  for (const missing of outcome.missingResults) input.report(`  note: task ${task.name} declares result "${missing}" but no step wrote it`);
  taskRun.status = {
    podName: `${taskRunName}-pod`,
    startTime: nowSeconds(outcome.startTime),
    completionTime: nowSeconds(outcome.completionTime),
    conditions: [
      {
        type: 'Succeeded',
        status: 'True',
        reason: 'Succeeded',
        message: 'All Steps have completed executing',
        lastTransitionTime: nowSeconds(outcome.completionTime),
      },
    ],
    steps: outcome.steps,
    ...(outcome.results.length > 0 ? { results: outcome.results } : {}),
    taskSpec: defaultedTaskSpec(resolved.spec),
    ...(retriesStatus.length > 0 ? { retriesStatus } : {}),
    provenance: { featureFlags: input.flags.statusJson },
  };
}

/** The Pipeline's results from its tasks' results; one that refers to a missing result fails the run. */
function pipelineResults(state: RunState): { name: string; value: TektonValue }[] {
  const results: { name: string; value: TektonValue }[] = [];
  for (const result of state.pipelineSpec.results ?? []) {
    const value = state.taskResults.applyToValue(result.value);
    const leftover = valueTexts(value)
      .map(firstUnresolvedReference)
      .find((r) => r !== undefined);
    if (leftover) {
      const producer = leftover.owner ? state.outcomes.get(leftover.owner) : undefined;
      const steps = producer ? ` (its steps: ${(producer.spec.steps ?? []).map((s) => s.name).join(', ')})` : '';
      throw new RehearsalError(
        `pipeline result "${result.name}" refers to ${leftover.text}, which does not exist: invalid pipelineresults [${result.name}], the referenced results don't exist${steps}`,
        { task: leftover.owner, step: producer ? (producer.spec.steps ?? []).slice(-1)[0]?.name : undefined },
      );
    }
    const declaredType: TektonValueType = result.type ?? typeOfValue(result.value);
    if (result.type !== undefined && typeOfValue(value) !== declaredType) {
      throw new RehearsalError(
        `pipeline result "${result.name}" is declared ${declaredType} but resolved to ${typeOfValue(value)} ${JSON.stringify(value)}`,
      );
    }
    results.push({ name: result.name, value });
  }
  return results;
}

/** The PipelineRun with the status Tekton writes when it has succeeded. */
function finishedPipelineRun(state: RunState, results: { name: string; value: TektonValue }[]): KubernetesObject {
  const { run, runName, namespace, uid, pipelineName, skipped } = state;
  const completionTime = new Date();
  return {
    ...run,
    metadata: {
      ...run.metadata,
      name: runName,
      namespace,
      uid,
      labels: { ...(run.metadata?.labels ?? {}), 'tekton.dev/pipeline': pipelineName },
    },
    status: {
      startTime: nowSeconds(state.startTime),
      completionTime: nowSeconds(completionTime),
      conditions: [
        {
          type: 'Succeeded',
          status: 'True',
          reason: skipped.length > 0 ? 'Completed' : 'Succeeded',
          message: `Tasks Completed: ${state.outcomes.size} (Failed: 0, Cancelled 0), Skipped: ${skipped.length}`,
          lastTransitionTime: nowSeconds(completionTime),
        },
      ],
      ...(results.length > 0 ? { results } : {}),
      pipelineSpec: defaultedPipelineSpec(state.pipelineSpec),
      childReferences: state.taskRuns.map((tr) => ({
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        name: tr.metadata?.name,
        pipelineTaskName: tr.metadata?.labels?.['tekton.dev/pipelineTask'],
      })),
      ...(skipped.length > 0 ? { skippedTasks: skipped } : {}),
      provenance: { featureFlags: state.input.flags.statusJson },
    },
  };
}
