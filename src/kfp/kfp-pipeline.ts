/**
 * `KfpPipeline`: a compiled Kubeflow Pipelines v2 pipeline as typed Tekton constructs — one Task per
 * KFP container task (launcher steps around the component's own container), one Pipeline, and the
 * Chains type hints that make models attestation subjects.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { GitCloneTask } from '../models/git-clone-task';
import { HARDENED_STEP_SECURITY_CONTEXT } from '../models/hardening';
import { PYTHON_IMAGE } from '../models/images';
import {
  ParamSpecs,
  Pipeline,
  PipelineTask,
  PipelineTaskRunSpec,
  ResultSpecs,
  StepProps,
  Task,
  TaskVolume,
  WhenExpression,
} from '../tekton';
import { TYPE_HINT_NAMES } from '../chains';
import { CollectedTree, CompileOptions, PipelinePlan, PlannedTask, planPipeline, subjectResultName, tektonName } from './compiler';
import { launcherScript } from './launcher-source';
import { KfpIr } from './pipeline-spec';

/** The Pipeline workspace every compiled task shares: artifacts, their metadata and the launcher's scratch files. */
export const KFP_WORKSPACE = 'kfp-artifacts';

/** The Pipeline param that picks how lightweight Python components run: `kfp` (as the IR says) or `stand-in`. */
export const KFP_RUNTIME_PARAM = 'kfp-runtime';

/** Props of a `KfpPipeline`. */
export interface KfpPipelineProps extends CompileOptions {
  /** The IR, as `readKfpIr` returns it. */
  readonly ir: KfpIr;
  /** Metadata of the Pipeline. @default - name from `pipelineInfo.name` */
  readonly metadata?: ApiObjectMetadata;
  /** The image of the launcher steps (Python 3, standard library). @default PYTHON_IMAGE */
  readonly launcherImage?: string;
}

/**
 * A KFP v2 pipeline compiled to Tekton. Construction throws `KfpUnsupportedError` (one line naming
 * the task and the feature) when the IR uses something without a faithful Tekton mapping.
 */
export class KfpPipeline extends Construct {
  /** The compiled Pipeline. */
  public readonly pipeline: Pipeline<ParamSpecs, { readonly 'kfp-artifacts': { readonly description: string } }>;
  /** The Tasks, by pipeline task name. */
  public readonly tasks: ReadonlyMap<string, Task<ParamSpecs, ResultSpecs, { readonly 'kfp-artifacts': {} }>>;
  /** What the compiler planned (for tools and tests). */
  public readonly plan: PipelinePlan;
  /** The pipeline tasks, by name. */
  public readonly pipelineTasks: ReadonlyMap<string, PipelineTask<any>>;

  public constructor(scope: Construct, id: string, props: KfpPipelineProps) {
    super(scope, id);
    const plan = planPipeline(props.ir, props);
    this.plan = plan;
    const params: Record<string, Record<string, unknown>> = {};
    for (const p of plan.params) {
      params[p.name] = p.objectKeys
        ? {
            type: 'object',
            description: p.description ?? `KFP input ${p.name} (STRUCT): the git source`,
            properties: Object.fromEntries(p.objectKeys.map((k) => [k, {}])),
            default: stringValues(props.ir.spec.root.inputDefinitions!.parameters![p.name].defaultValue),
          }
        : { description: p.description ?? `KFP input ${p.name} (${p.type}${p.type === 'STRING' ? '' : ', as JSON'})`, default: p.default };
    }
    params[KFP_RUNTIME_PARAM] = {
      description:
        "kfp: lightweight Python components install kfp from PyPI and run kfp.dsl.executor_main, as the IR asks; stand-in: slsa-for-models' own executor runs them (no network; said in the logs and recorded in the provenance).",
      default: 'kfp',
    };
    const pipeline = new Pipeline(this, 'Pipeline', {
      metadata: { name: plan.name, ...props.metadata },
      description:
        plan.description ??
        `Compiled from the Kubeflow Pipelines v2 pipeline ${props.ir.spec.pipelineInfo.name} by slsa-for-models kfp compile.`,
      params: params as ParamSpecs,
      workspaces: {
        [KFP_WORKSPACE]: {
          description: "Holds every artifact (with a .kfp.json metadata file beside it) and the launcher's scratch files.",
        },
      } as const,
    });
    this.pipeline = pipeline as never;
    const workspace = pipeline.workspaces[KFP_WORKSPACE];
    const tasks = new Map<string, Task<any, any, any>>();
    const pipelineTasks = new Map<string, PipelineTask<any>>();

    let clone: PipelineTask<any> | undefined;
    if (plan.gitSource) {
      const cloneTask = new GitCloneTask(this, 'GitCloneTask', { metadata: { name: tektonName(`${pipeline.name}-git-clone`) } });
      const source = (pipeline.params as Record<string, any>)[plan.gitSource] as { key(k: string): any };
      clone = pipeline.addTask('git-clone', cloneTask, {
        params: { url: source.key('url'), revision: source.key('revision') },
        workspaces: { output: workspace.withSubPath('git-source') },
      });
      pipelineTasks.set('git-clone', clone);
      const sourceResult = `source_${TYPE_HINT_NAMES.artifactInputs}`;
      const input = (clone.results as Record<string, unknown>)[sourceResult] as { key(k: string): any };
      pipeline.addResult(
        sourceResult,
        { uri: input.key('uri'), digest: input.key('digest') },
        {
          description: 'The git source the pipeline was compiled from (Chains: resolved dependency, sha1 digest).',
        },
      );
    }

    for (const t of plan.tasks) {
      const task = this.taskFor(pipeline.name, t, props.launcherImage ?? PYTHON_IMAGE);
      tasks.set(t.name, task);
      const taskParams: Record<string, string> = {
        [KFP_RUNTIME_PARAM]: `$(params.${KFP_RUNTIME_PARAM})`,
        'kfp-run-name': '$(context.pipelineRun.name)',
      };
      for (const i of t.inputs) {
        if (i.tree) for (const leaf of leaves(i.tree)) taskParams[leaf.param] = leaf.value;
        else if (i.value !== i.default || i.default === undefined) taskParams[i.name] = i.value;
      }
      for (const [name, value] of t.platform.params) taskParams[name] = value;
      const runAfter = t.runAfter.map((n) => pipelineTasks.get(n)).filter((x): x is PipelineTask<any> => x !== undefined);
      if (clone && !t.isFinally && runAfter.length === 0) runAfter.push(clone);
      const options = {
        displayName: t.displayName,
        description: `KFP task ${t.kfpPath} (component ${t.component}).`,
        params: taskParams,
        workspaces: { [KFP_WORKSPACE]: workspace },
        when: t.when as readonly WhenExpression[],
        retries: t.retries,
      };
      const added = t.isFinally
        ? (pipeline as any).addFinally(t.name, task, options)
        : (pipeline as any).addTask(t.name, task, { ...options, runAfter: runAfter.length ? runAfter : undefined });
      pipelineTasks.set(t.name, added);
    }
    for (const r of plan.results) pipeline.addResult(r.name, r.value as never, { description: r.description });
    this.tasks = tasks;
    this.pipelineTasks = pipelineTasks;
  }

  /** The `taskRunSpecs` a run needs for the platform spec's node selectors, tolerations and pod metadata. */
  public taskRunSpecs(): PipelineTaskRunSpec[] {
    return this.plan.tasks
      .filter((t) => t.platform.nodeSelector || t.platform.tolerations || t.platform.podMetadata)
      .map((t) => ({
        pipelineTask: t.name,
        podTemplate:
          t.platform.nodeSelector || t.platform.tolerations
            ? { nodeSelector: t.platform.nodeSelector, tolerations: t.platform.tolerations as never }
            : undefined,
        metadata: t.platform.podMetadata,
      }));
  }

  private taskFor(pipelineName: string, t: PlannedTask, launcherImage: string): Task<any, any, any> {
    const params: Record<string, Record<string, unknown>> = {
      [KFP_RUNTIME_PARAM]: { description: 'kfp or stand-in (see the Pipeline param).', default: 'kfp' },
      'kfp-run-name': { description: 'The PipelineRun name (for PipelineTaskFinalStatus).', default: '' },
    };
    for (const i of t.inputs) {
      if (i.tree) {
        for (const leaf of leaves(i.tree))
          params[leaf.param] = {
            description: `An element of the collected input ${i.name} (${leaf.type === 'ARTIFACT' ? 'an artifact path' : leaf.type}).`,
          };
        continue;
      }
      params[i.name] = {
        description:
          i.type === 'ARTIFACT'
            ? `Input artifact ${i.name} (${i.schemaTitle}): its path on the workspace.`
            : `Input ${i.name} (${i.type}).`,
        default: i.default,
      };
    }
    for (const name of t.platform.params.keys()) params[name] = { description: 'A name from the KFP platform spec.' };
    const results: Record<string, Record<string, unknown>> = {};
    for (const o of t.outputs) {
      results[o.name] = {
        description:
          o.type === 'ARTIFACT'
            ? `Output artifact ${o.name} (${o.schemaTitle}): its path on the workspace.`
            : `Output ${o.name} (${o.type}${o.type === 'STRING' ? '' : ', as JSON'}).`,
      };
      if (o.subject) {
        results[subjectResultName(o.name)] = {
          type: 'object',
          description: `${o.name} for Tekton Chains: uri, sha256 digest, ${TYPE_HINT_NAMES.isBuildArtifact}.`,
          properties: { uri: {}, digest: {}, [TYPE_HINT_NAMES.isBuildArtifact]: {} },
        };
      }
    }
    const task = new Task(this, `Task-${t.name}`, {
      metadata: { name: tektonName(`${pipelineName}-${t.name}`) },
      description: `KFP component ${t.component} (executor ${t.executor}).`,
      params: params as ParamSpecs,
      results: results as ResultSpecs,
      workspaces: { [KFP_WORKSPACE]: {} },
      volumes: t.platform.volumes as unknown as TaskVolume[],
    });
    const ws = `$(workspaces.${KFP_WORKSPACE}.path)`;
    const scratch = `${ws}/.kfp/$(context.taskRun.name)`;
    const inputs: Record<string, unknown> = {};
    const artifacts: Record<string, unknown> = {};
    const env: Record<string, string> = {
      KFP_SCRATCH: scratch,
      KFP_ARTIFACT_ROOT: ws,
      KFP_TASK_RUN: '$(context.taskRun.name)',
      KFP_RUNTIME: `$(params.${KFP_RUNTIME_PARAM})`,
      KFP_RUN_NAME: '$(params.kfp-run-name)',
    };
    let n = 0;
    const treeSpec = (tree: CollectedTree): unknown => {
      if ('list' in tree) return { list: tree.list.map(treeSpec) };
      const envName = `KFP_IN_${n++}`;
      env[envName] = `$(params.${tree.param})`;
      return { env: envName, type: tree.type };
    };
    t.inputs.forEach((i) => {
      if (i.tree) {
        if (i.type === 'ARTIFACT') artifacts[i.name] = { schemaTitle: i.schemaTitle, tree: treeSpec(i.tree) };
        else inputs[i.name] = { type: i.type, tree: treeSpec(i.tree) };
        return;
      }
      const envName = `KFP_IN_${n++}`;
      env[envName] = `$(params.${i.name})`;
      if (i.type === 'ARTIFACT') artifacts[i.name] = { env: envName, schemaTitle: i.schemaTitle };
      else inputs[i.name] = { env: envName, type: i.type, producer: i.statusOf };
    });
    const outParams: Record<string, unknown> = {};
    const outArtifacts: Record<string, unknown> = {};
    for (const o of t.outputs) {
      if (o.type === 'ARTIFACT') {
        outArtifacts[o.name] = {
          schemaTitle: o.schemaTitle,
          result: `$(results.${o.name}.path)`,
          subject: o.subject ? `$(results.${subjectResultName(o.name)}.path)` : undefined,
          buildArtifactKey: TYPE_HINT_NAMES.isBuildArtifact,
        };
      } else {
        outParams[o.name] = { type: o.type, result: `$(results.${o.name}.path)` };
      }
    }
    const spec = {
      task: t.kfpPath,
      container: { command: t.container.command ?? [], args: t.container.args ?? [] },
      inputs: { parameters: inputs, artifacts },
      outputs: { parameters: outParams, artifacts: outArtifacts },
    };
    env.KFP_TASK = JSON.stringify(spec);
    task.addStep({
      name: 'kfp-prepare',
      image: launcherImage,
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      env,
      script: launcherScript('prepare'),
    });
    const componentEnv: Record<string, any> = {};
    for (const e of t.container.env ?? []) componentEnv[e.name] = e.value;
    for (const e of t.platform.env) componentEnv[e.name] = e.valueFrom ? { valueFrom: e.valueFrom } : e.value;
    const main: StepProps = {
      name: 'main',
      image: t.container.image,
      command: ['sh', `${scratch}/command.sh`],
      env: Object.keys(componentEnv).length ? componentEnv : undefined,
      computeResources: t.computeResources,
      volumeMounts: t.platform.volumeMounts.length ? t.platform.volumeMounts : undefined,
      imagePullPolicy: t.platform.imagePullPolicy,
    };
    task.addStep(main);
    task.addStep({
      name: 'kfp-publish',
      image: launcherImage,
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      env,
      script: launcherScript('publish'),
    });
    return task;
  }
}

function stringValues(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

function leaves(tree: CollectedTree): { param: string; value: string; type: string }[] {
  return 'list' in tree ? tree.list.flatMap(leaves) : [tree];
}
