import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findVariableReferences } from '../check/variable-references';
import { RehearsalError } from './rehearsal-error';
import { TektonFeatureFlags } from '../check/feature-flags';
import { paramProblem, rehearseTaskRun, substituteTaskSpec, TaskRunOutcome } from './task-run-rehearsal';
import {
  KubernetesObject, Param, PipelineSpec, PipelineTask, TaskSpec, TektonValue, TektonValueType, typeOfValue,
} from './tekton-values';
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
  readonly flags: TektonFeatureFlags;
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
  return name.length > MAX_NAME ? crypto.createHash('md5').update(parent + suffix).digest('hex') : name;
}

function findObject(objects: readonly KubernetesObject[], kind: string, name: string): KubernetesObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

function nowSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The pipeline tasks a task depends on: runAfter and `$(tasks.X.results...)` in params and when. */
function dependenciesOf(task: PipelineTask): Set<string> {
  const deps = new Set(task.runAfter ?? []);
  const texts: string[] = [];
  for (const p of task.params ?? []) {
    const v = p.value;
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) texts.push(...v);
    else if (v && typeof v === 'object') texts.push(...Object.values(v));
  }
  for (const w of task.when ?? []) texts.push(w.input ?? '', ...(w.values ?? []));
  for (const text of texts) {
    for (const ref of findVariableReferences(text)) if (ref.kind === 'tasks.results' && ref.owner) deps.add(ref.owner);
  }
  return deps;
}

/** Kahn's algorithm, keeping the pipeline's order among ready tasks; a cycle is an error as in Tekton. */
function dependencyOrder(tasks: readonly PipelineTask[]): PipelineTask[] {
  const names = new Set(tasks.map((t) => t.name));
  const pending = [...tasks];
  const done = new Set<string>();
  const order: PipelineTask[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((t) => [...dependenciesOf(t)].every((d) => done.has(d) || !names.has(d)));
    if (index === -1) throw new RehearsalError(`pipeline tasks ${pending.map((t) => `"${t.name}"`).join(', ')} depend on each other in a cycle`);
    const [task] = pending.splice(index, 1);
    for (const dep of dependenciesOf(task)) {
      if (!names.has(dep)) throw new RehearsalError(`task "${task.name}" depends on "${dep}", which is not a task of the pipeline`, { task: task.name });
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
  if (ref.resolver) throw new RehearsalError(`the PipelineRun uses the "${ref.resolver}" resolver; rehearse runs only pipelines given as objects (pipelineRef.name)`);
  const pipeline = findObject(objects, 'Pipeline', ref.name ?? '');
  if (!pipeline) {
    const known = objects.filter((o) => o.kind === 'Pipeline').map((o) => o.metadata?.name);
    throw new RehearsalError(`pipeline "${ref.name}" named by spec.pipelineRef is not among the objects (pipelines: ${known.join(', ') || 'none'})`);
  }
  return { name: ref.name ?? '', spec: (pipeline.spec ?? {}) as PipelineSpec };
}

function resolveTaskSpec(task: PipelineTask, objects: readonly KubernetesObject[]): { name: string; spec: TaskSpec; readonly ref: boolean } {
  if (task.matrix !== undefined) throw new RehearsalError(`task "${task.name}" uses a matrix, which rehearse does not fan out`, { task: task.name });
  if (task.taskSpec) return { name: task.name, spec: task.taskSpec, ref: false };
  const ref = task.taskRef;
  if (!ref) throw new RehearsalError(`task "${task.name}" has neither taskRef nor taskSpec`, { task: task.name });
  if (ref.resolver) throw new RehearsalError(`task "${task.name}" uses the "${ref.resolver}" resolver; rehearse runs only Tasks given as objects`, { task: task.name });
  if (ref.kind && ref.kind !== 'Task') throw new RehearsalError(`task "${task.name}" refers to a ${ref.kind}; rehearse runs only kind Task`, { task: task.name });
  const found = findObject(objects, 'Task', ref.name ?? '');
  if (!found) {
    const known = objects.filter((o) => o.kind === 'Task').map((o) => o.metadata?.name);
    throw new RehearsalError(`task "${task.name}" refers to Task "${ref.name}", which is not among the objects (tasks: ${known.join(', ') || 'none'})`, { task: task.name });
  }
  return { name: ref.name ?? task.name, spec: (found.spec ?? {}) as TaskSpec, ref: true };
}

/** Rehearses the PipelineRun; throws RehearsalError with task and step when Tekton would fail it. */
export function rehearsePipelineRun(input: PipelineRunRehearsalInput): PipelineRunRehearsal {
  const run = input.pipelineRun;
  const runName = run.metadata?.name ?? 'pipelinerun';
  const uid = run.metadata?.uid ?? crypto.randomUUID();
  const namespace = run.metadata?.namespace ?? 'default';
  const { name: pipelineName, spec: pipelineSpec } = resolvePipeline(run, input.objects);
  const runParams = (run.spec?.params ?? []) as Param[];
  const declared = pipelineSpec.params ?? [];
  for (const p of runParams) {
    const spec = declared.find((d) => d.name === p.name);
    const problem = spec && paramProblem(spec, p.value, input.flags.enableParamEnum, false);
    if (problem) throw new RehearsalError(`pipelinerun ${runName}: ${problem}`);
  }
  const values = effectiveParamValues(declared, runParams);
  for (const spec of declared) {
    if (!values.has(spec.name)) throw new RehearsalError(`pipelinerun ${runName}: pipeline param "${spec.name}" has no value and no default`);
    const problem = paramProblem(spec, values.get(spec.name)!, input.flags.enableParamEnum);
    if (problem) throw new RehearsalError(`pipelinerun ${runName}: ${problem}`);
  }

  const workspaceDirs = new Map<string, string>();
  const bindings = (run.spec?.workspaces ?? []) as { name: string }[];
  for (const ws of pipelineSpec.workspaces ?? []) {
    const bound = bindings.some((b) => b.name === ws.name);
    if (!bound && !ws.optional) throw new RehearsalError(`pipelinerun ${runName}: pipeline workspace "${ws.name}" is not bound in spec.workspaces`);
    if (!bound) continue;
    const dir = path.join(input.workDir, 'workspaces', ws.name);
    fs.mkdirSync(dir, { recursive: true });
    workspaceDirs.set(ws.name, dir);
  }

  const pipelineLevel = paramReplacements(declared, runParams);
  pipelineLevel.strings.set('context.pipelineRun.name', runName);
  pipelineLevel.strings.set('context.pipelineRun.namespace', namespace);
  pipelineLevel.strings.set('context.pipelineRun.uid', uid);
  pipelineLevel.strings.set('context.pipeline.name', pipelineName);
  pipelineLevel.strings.set('context.pipelineTask.retries', '0');

  const taskResults = new Replacements();
  const outcomes = new Map<string, TaskRunOutcome & { taskRun: KubernetesObject; spec: TaskSpec }>();
  const statuses = new Map<string, 'Succeeded' | 'Failed' | 'None'>();
  const skipped: { name: string; reason: string }[] = [];
  const taskRuns: KubernetesObject[] = [];
  const startTime = new Date();
  let failure: RehearsalError | undefined;

  const runOne = (task: PipelineTask, isFinally: boolean): void => {
    const scope = new Replacements().merge(pipelineLevel).merge(taskResults);
    if (isFinally) {
      for (const t of pipelineSpec.tasks ?? []) {
        scope.strings.set(`tasks.${t.name}.status`, statuses.get(t.name) ?? 'None');
        scope.strings.set(`tasks.${t.name}.reason`, statuses.get(t.name) ?? (skipped.some((x) => x.name === t.name) ? 'Skipped' : 'None'));
      }
      const all = [...statuses.values()];
      scope.strings.set('tasks.status', all.includes('Failed') ? 'Failed' : skipped.length > 0 ? 'Completed' : 'Succeeded');
    }
    for (const when of task.when ?? []) {
      if (when.cel !== undefined) throw new RehearsalError(`task "${task.name}" has a CEL when expression, which rehearse does not evaluate`, { task: task.name });
      const inputValue = scope.apply(when.input ?? '');
      const candidates = (when.values ?? []).flatMap((v) => scope.applyToArrayElement(v));
      const matches = candidates.includes(inputValue);
      if ((when.operator === 'notin') === matches) {
        skipped.push({ name: task.name, reason: 'When Expressions evaluated to false' });
        input.report(`task ${task.name} skipped (when ${when.input} ${when.operator} ${JSON.stringify(when.values)} is false)`);
        return;
      }
    }
    const params: Param[] = (task.params ?? []).map((p) => ({ name: p.name, value: scope.applyToValue(p.value) }));
    for (const p of params) {
      for (const text of valueTexts(p.value)) {
        const ref = firstUnresolvedReference(text);
        if (!ref) continue;
        if (ref.kind === 'tasks.results' && ref.owner) {
          const producer = outcomes.get(ref.owner);
          if (producer && (statuses.get(ref.owner) === 'Succeeded')) {
            throw new RehearsalError(`task "${task.name}": param "${p.name}" refers to ${ref.text}, but task "${ref.owner}" did not write result "${ref.name}"${ref.key ? ` with key "${ref.key}"` : ''} (check the result path in its steps: ${(producer.spec.steps ?? []).map((s) => s.name).join(', ')})`, { task: ref.owner, step: (producer.spec.steps ?? []).slice(-1)[0]?.name });
          }
          skipped.push({ name: task.name, reason: 'Results were missing' });
          input.report(`task ${task.name} skipped (results of ${ref.owner} are missing)`);
          return;
        }
        throw new RehearsalError(`task "${task.name}": param "${p.name}" refers to ${ref.text}, which is not defined in the pipeline`, { task: task.name });
      }
    }
    const resolved = resolveTaskSpec(task, input.objects);
    if (!resolved.ref) {
      // Tekton propagates pipeline params (scoped by the task's own params), context and task results
      // into an embedded taskSpec (propagateParams, PropagateResults).
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
      resolved.spec = substituteTaskSpec(resolved.spec, propagated);
    }
    const taskWorkspaces = new Map<string, string | undefined>();
    for (const declaration of resolved.spec.workspaces ?? []) {
      const binding = (task.workspaces ?? []).find((w) => w.name === declaration.name);
      const base = binding ? workspaceDirs.get(binding.workspace ?? binding.name) : undefined;
      if (binding && base === undefined && !declaration.optional) {
        throw new RehearsalError(`task "${task.name}": workspace "${declaration.name}" is bound to pipeline workspace "${binding.workspace}", which is not bound by the run`, { task: task.name });
      }
      if (!binding && !declaration.optional) throw new RehearsalError(`task "${task.name}": workspace "${declaration.name}" of task "${resolved.name}" is not bound`, { task: task.name });
      let dir = base;
      if (dir !== undefined && binding?.subPath) {
        dir = path.join(dir, scope.apply(binding.subPath));
        fs.mkdirSync(dir, { recursive: true });
      }
      taskWorkspaces.set(declaration.name, dir);
    }
    scope.strings.set('context.pipelineTask.retries', String(task.retries ?? 0));
    const taskRunName = childName(runName, `-${task.name}`);
    const taskRunUid = crypto.randomUUID();
    input.report(`task ${task.name} (TaskRun ${taskRunName})`);
    const labels: Record<string, string> = {
      'app.kubernetes.io/managed-by': 'tekton-pipelines',
      'tekton.dev/pipeline': pipelineName,
      'tekton.dev/pipelineRun': runName,
      'tekton.dev/pipelineRunUID': uid,
      'tekton.dev/pipelineTask': task.name,
    };
    if (resolved.ref) labels['tekton.dev/task'] = resolved.name;
    const taskRunSpec: Record<string, unknown> = {
      params,
      serviceAccountName: (run.spec?.taskRunTemplate as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default',
      ...(resolved.ref ? { taskRef: { kind: 'Task', name: resolved.name } } : { taskSpec: resolved.spec }),
      ...(task.timeout ? { timeout: task.timeout } : {}),
    };
    const taskRun: KubernetesObject & { status: Record<string, unknown> } = {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: taskRunName, namespace, uid: taskRunUid, labels },
      spec: taskRunSpec,
      status: {},
    };
    taskRuns.push(taskRun);
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
          namespace,
          taskName: resolved.name,
          taskSpec: resolved.spec,
          params,
          workspaces: taskWorkspaces,
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
          input.report(`  attempt ${attempt + 1} of task ${task.name} failed: ${message}; retrying (${retries - attempt} of its ${retries} retries left)`);
          retriesStatus.push({
            podName: `${taskRunName}-pod${attempt === 0 ? '' : `-retry${attempt}`}`,
            startTime: nowSeconds(attemptStart),
            completionTime: nowSeconds(new Date()),
            conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message }],
          });
          continue;
        }
        statuses.set(task.name, 'Failed');
        taskRun.status = {
          podName: `${taskRunName}-pod`,
          conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message }],
          taskSpec: resolved.spec,
          ...(retriesStatus.length > 0 ? { retriesStatus } : {}),
        };
        throw err;
      }
    }
    statuses.set(task.name, 'Succeeded');
    outcomes.set(task.name, { ...outcome, taskRun, spec: resolved.spec });
    addTaskResults(taskResults, task.name, outcome.results);
    for (const missing of outcome.missingResults) input.report(`  note: task ${task.name} declares result "${missing}" but no step wrote it`);
    taskRun.status = {
      podName: `${taskRunName}-pod`,
      startTime: nowSeconds(outcome.startTime),
      completionTime: nowSeconds(outcome.completionTime),
      conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'All Steps have completed executing', lastTransitionTime: nowSeconds(outcome.completionTime) }],
      steps: outcome.steps,
      ...(outcome.results.length > 0 ? { results: outcome.results } : {}),
      taskSpec: resolved.spec,
      ...(retriesStatus.length > 0 ? { retriesStatus } : {}),
      provenance: { featureFlags: input.flags.statusJson },
    };
  };

  for (const task of dependencyOrder(pipelineSpec.tasks ?? [])) {
    if (failure) break;
    try {
      runOne(task, false);
    } catch (err) {
      if (!(err instanceof RehearsalError)) throw err;
      failure = err;
    }
  }
  for (const task of pipelineSpec.finally ?? []) {
    try {
      runOne(task, true);
    } catch (err) {
      if (!(err instanceof RehearsalError)) throw err;
      failure = failure ?? err;
    }
  }
  if (failure) throw failure;

  const results: { name: string; value: TektonValue }[] = [];
  for (const result of pipelineSpec.results ?? []) {
    const value = taskResults.applyToValue(result.value);
    const leftover = valueTexts(value).map(firstUnresolvedReference).find((r) => r !== undefined);
    if (leftover) {
      const producer = leftover.owner ? outcomes.get(leftover.owner) : undefined;
      const steps = producer ? ` (its steps: ${(producer.spec.steps ?? []).map((s) => s.name).join(', ')})` : '';
      throw new RehearsalError(`pipeline result "${result.name}" refers to ${leftover.text}, which does not exist: invalid pipelineresults [${result.name}], the referenced results don't exist${steps}`, { task: leftover.owner, step: producer ? (producer.spec.steps ?? []).slice(-1)[0]?.name : undefined });
    }
    const declaredType: TektonValueType = result.type ?? typeOfValue(result.value);
    if (result.type !== undefined && typeOfValue(value) !== declaredType) {
      throw new RehearsalError(`pipeline result "${result.name}" is declared ${declaredType} but resolved to ${typeOfValue(value)} ${JSON.stringify(value)}`);
    }
    results.push({ name: result.name, value });
  }
  const completionTime = new Date();
  const pipelineRun: KubernetesObject = {
    ...run,
    metadata: { ...run.metadata, name: runName, namespace, uid, labels: { ...(run.metadata?.labels ?? {}), 'tekton.dev/pipeline': pipelineName } },
    status: {
      startTime: nowSeconds(startTime),
      completionTime: nowSeconds(completionTime),
      conditions: [{
        type: 'Succeeded', status: 'True', reason: skipped.length > 0 ? 'Completed' : 'Succeeded',
        message: `Tasks Completed: ${outcomes.size} (Failed: 0, Cancelled 0), Skipped: ${skipped.length}`,
        lastTransitionTime: nowSeconds(completionTime),
      }],
      ...(results.length > 0 ? { results } : {}),
      pipelineSpec,
      childReferences: taskRuns.map((tr) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: tr.metadata?.name, pipelineTaskName: tr.metadata?.labels?.['tekton.dev/pipelineTask'] })),
      ...(skipped.length > 0 ? { skippedTasks: skipped } : {}),
      provenance: { featureFlags: input.flags.statusJson },
    },
  };
  return { pipelineRun, taskRuns, workspaceDirs };
}
