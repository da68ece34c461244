/**
 * `PipelineRun`: a run of a Pipeline, whose params and workspaces the compiler checks against
 * the Pipeline's declarations.
 */
import { ApiObject, ApiObjectMetadata, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PipelineRun as PipelineRunL1,
  PipelineRunSpec,
  PipelineRunSpecTaskRunSpecs,
  PipelineRunSpecTaskRunSpecsComputeResourcesLimits,
  PipelineRunSpecTaskRunSpecsComputeResourcesRequests,
  PipelineRunSpecTaskRunSpecsSidecarSpecsComputeResourcesLimits,
  PipelineRunSpecTaskRunSpecsSidecarSpecsComputeResourcesRequests,
  PipelineRunSpecTaskRunSpecsStepSpecsComputeResourcesLimits,
  PipelineRunSpecTaskRunSpecsStepSpecsComputeResourcesRequests,
  PipelineRunSpecTaskRunTemplatePodTemplate,
} from '../../imports/tekton.dev';
import { addFindingsValidation, ConstructFinding, ICheckedConstruct, judge } from './construct-findings';
import { renderTimeout, Timeout } from './go-duration';
import { ParamSpecs, ParamValues, renderParamValues } from './param-spec';
import { IPipeline } from './pipeline-interface';
import { PipelineTask } from './pipeline-task';
import { ComputeResources } from './step';
import { WorkspaceBinding } from './workspace-binding';
import { OptionalWorkspaceNames, PipelineWorkspaceSpecs, RequiredWorkspaceNames } from './workspace-spec';

/** The pod security context of a run's pods (Kubernetes wire names). */
export interface PodSecurityContext {
  /** Group that owns mounted volumes. @default - none */
  readonly fsGroup?: number;
  /** When to change volume ownership. @default 'Always' */
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  /** User of every container. @default - the image's */
  readonly runAsUser?: number;
  /** Group of every container. @default - the image's */
  readonly runAsGroup?: number;
  /** Refuse to start containers that would run as root. @default false */
  readonly runAsNonRoot?: boolean;
  /** Extra groups. @default - none */
  readonly supplementalGroups?: readonly number[];
  /** Seccomp profile. @default - none */
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' | 'Localhost'; readonly localhostProfile?: string };
}

/** The pod template of a run's TaskRuns. */
export interface PodTemplate extends Omit<PipelineRunSpecTaskRunTemplatePodTemplate, 'securityContext' | 'affinity' | 'volumes'> {
  /** The pod security context. @default - none */
  readonly securityContext?: PodSecurityContext;
}

/** Defaults for every TaskRun of the run. */
export interface TaskRunTemplate {
  /** The service account the TaskRun pods run as. @default 'default' */
  readonly serviceAccountName?: string;
  /** The pod template. @default - none */
  readonly podTemplate?: PodTemplate;
}

/** Settings for the TaskRun of one pipeline task (Tekton's `taskRunSpecs[]`). */
export interface PipelineTaskRunSpec {
  /** The pipeline task (or its name). */
  readonly pipelineTask: PipelineTask<any> | string;
  /** The service account of its pod. @default - the taskRunTemplate's */
  readonly serviceAccountName?: string;
  /** Its pod template. @default - the taskRunTemplate's */
  readonly podTemplate?: PodTemplate;
  /** Compute resources of the whole TaskRun (feature `enable-api-fields` beta). @default - none */
  readonly computeResources?: ComputeResources;
  /** Compute resources by step name. @default - none */
  readonly stepSpecs?: { readonly [step: string]: ComputeResources };
  /** Compute resources by sidecar name. @default - none */
  readonly sidecarSpecs?: { readonly [sidecar: string]: ComputeResources };
  /** Labels and annotations of the TaskRun. @default - none */
  readonly metadata?: { readonly labels?: { readonly [k: string]: string }; readonly annotations?: { readonly [k: string]: string } };
  /** How long the TaskRun may run. @default - the pipeline task's timeout */
  readonly timeout?: Timeout;
}

function quantities<T>(map: { readonly [k: string]: string } | undefined, make: (v: string) => T): { [k: string]: T } | undefined {
  return map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, make(v)])) : undefined;
}

function renderTaskRunSpec(spec: PipelineTaskRunSpec): PipelineRunSpecTaskRunSpecs {
  const name = typeof spec.pipelineTask === 'string' ? spec.pipelineTask : spec.pipelineTask.name;
  const step = (r: ComputeResources) => ({
    requests: quantities(r.requests, PipelineRunSpecTaskRunSpecsStepSpecsComputeResourcesRequests.fromString),
    limits: quantities(r.limits, PipelineRunSpecTaskRunSpecsStepSpecsComputeResourcesLimits.fromString),
  });
  const sidecar = (r: ComputeResources) => ({
    requests: quantities(r.requests, PipelineRunSpecTaskRunSpecsSidecarSpecsComputeResourcesRequests.fromString),
    limits: quantities(r.limits, PipelineRunSpecTaskRunSpecsSidecarSpecsComputeResourcesLimits.fromString),
  });
  return {
    pipelineTaskName: name,
    serviceAccountName: spec.serviceAccountName,
    podTemplate: spec.podTemplate as PipelineRunSpecTaskRunSpecs['podTemplate'],
    computeResources: spec.computeResources && {
      requests: quantities(spec.computeResources.requests, PipelineRunSpecTaskRunSpecsComputeResourcesRequests.fromString),
      limits: quantities(spec.computeResources.limits, PipelineRunSpecTaskRunSpecsComputeResourcesLimits.fromString),
    },
    stepSpecs: spec.stepSpecs && Object.entries(spec.stepSpecs).map(([n, r]) => ({ name: n, computeResources: step(r) })),
    sidecarSpecs: spec.sidecarSpecs && Object.entries(spec.sidecarSpecs).map(([n, r]) => ({ name: n, computeResources: sidecar(r) })),
    metadata: spec.metadata && {
      labels: spec.metadata.labels && { ...spec.metadata.labels },
      annotations: spec.metadata.annotations && { ...spec.metadata.annotations },
    },
    timeout: renderTimeout(spec.timeout, `taskRunSpecs "${name}" timeout`),
  };
}

/** Timeouts of the run: the whole run, the `tasks`, the `finally` tasks. */
export interface PipelineRunTimeouts {
  /** The whole run. @default - the cluster's default (one hour) */
  readonly pipeline?: Timeout;
  /** All `tasks` together. @default - no separate limit */
  readonly tasks?: Timeout;
  /** All `finally` tasks together. @default - no separate limit */
  readonly finally?: Timeout;
}

/** Workspace bindings of a run: every required workspace, no unknown name. */
export type PipelineRunWorkspaceBindings<W> = { readonly [K in RequiredWorkspaceNames<W>]: WorkspaceBinding } & {
  readonly [K in OptionalWorkspaceNames<W>]?: WorkspaceBinding;
};

/** Props of a `PipelineRun` that do not depend on the Pipeline's declarations. */
export interface PipelineRunCommonProps {
  /** Metadata; set `generateName` (and no `name`) for a run made with `kubectl create`. @default - a name generated by cdk8s */
  readonly metadata?: ApiObjectMetadata;
  /** Defaults for every TaskRun. @default - none */
  readonly taskRunTemplate?: TaskRunTemplate;
  /** Timeouts. @default - the cluster's defaults */
  readonly timeouts?: PipelineRunTimeouts;
  /** Settings for the TaskRuns of single pipeline tasks. @default - none */
  readonly taskRunSpecs?: readonly PipelineTaskRunSpec[];
}

/** Props of a `PipelineRun` of a Pipeline with params `P` and workspaces `W`. */
export type PipelineRunProps<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> = PipelineRunCommonProps & {
  /** The Pipeline to run (`pipelineRef`), or an `EmbeddedPipeline` (`pipelineSpec`). */
  readonly pipeline: IPipeline<P, W>;
} & ({} extends ParamValues<P>
    ? { /** Param values. @default - none */ readonly params?: ParamValues<P> }
    : { /** Param values: every param without a default, of the declared type. */ readonly params: ParamValues<P> }) &
  ({} extends PipelineRunWorkspaceBindings<W>
    ? { /** Workspace bindings. @default - none */ readonly workspaces?: PipelineRunWorkspaceBindings<W> }
    : { /** Workspace bindings: every required workspace. */ readonly workspaces: PipelineRunWorkspaceBindings<W> });

/**
 * A Tekton PipelineRun (tekton.dev/v1). At synth it is judged by the rule engine together with
 * its Pipeline and Tasks.
 */
export class PipelineRun<const P extends ParamSpecs = ParamSpecs, const W extends PipelineWorkspaceSpecs = PipelineWorkspaceSpecs>
  extends Construct
  implements ICheckedConstruct
{
  /** The generated L1 object. */
  public readonly apiObject: ApiObject;
  /** The Pipeline this run runs. */
  public readonly pipeline: IPipeline<P, W>;
  private readonly props: PipelineRunProps<P, W>;

  /** Defines a PipelineRun. */
  public constructor(scope: Construct, id: string, props: PipelineRunProps<P, W>) {
    super(scope, id);
    this.props = props;
    this.pipeline = props.pipeline;
    // fail early on bad timeout text
    this.renderTimeouts();
    props.taskRunSpecs?.forEach(renderTaskRunSpec);
    this.apiObject = new PipelineRunL1(this, 'Resource', {
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    if (props.metadata?.generateName !== undefined && props.metadata?.name === undefined) {
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/name'));
    }
    addFindingsValidation(this);
  }

  private renderTimeouts() {
    const t = this.props.timeouts;
    if (!t) return undefined;
    return {
      pipeline: renderTimeout(t.pipeline, 'timeouts.pipeline'),
      tasks: renderTimeout(t.tasks, 'timeouts.tasks'),
      finally: renderTimeout(t.finally, 'timeouts.finally'),
    };
  }

  private renderSpec(): PipelineRunSpec {
    const bindings = Object.entries((this.props.workspaces ?? {}) as Record<string, WorkspaceBinding | undefined>)
      .filter((e): e is [string, WorkspaceBinding] => e[1] !== undefined)
      .map(([name, binding]) => binding.render(name));
    return {
      ...this.pipeline.reference(),
      params: renderParamValues(this.props.params as object | undefined),
      workspaces: bindings.length ? bindings : undefined,
      taskRunTemplate: this.props.taskRunTemplate as PipelineRunSpec['taskRunTemplate'],
      timeouts: this.renderTimeouts(),
      taskRunSpecs: this.props.taskRunSpecs?.length ? this.props.taskRunSpecs.map(renderTaskRunSpec) : undefined,
    };
  }

  /** The rule engine's findings about this run. */
  public findings(): readonly ConstructFinding[] {
    return judge(this, () => {
      const run = this.apiObject.toJson();
      const judged = this.pipeline.referenceForCheck
        ? { ...run, spec: { ...withoutReference(run.spec), ...this.pipeline.referenceForCheck() } }
        : run;
      return [judged, ...this.pipeline.documentsForCheck()];
    });
  }
}

/** A run's spec without its `pipelineRef` and `pipelineSpec`. */
function withoutReference(spec: Record<string, unknown>): Record<string, unknown> {
  const { pipelineRef: _ref, pipelineSpec: _spec, ...rest } = spec;
  return rest;
}
