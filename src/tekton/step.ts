/**
 * Steps, sidecars and the step template of a Task, in Tekton's wire names.
 */
import {
  TaskSpecSidecars,
  TaskSpecSidecarsComputeResourcesLimits,
  TaskSpecSidecarsComputeResourcesRequests,
  TaskSpecStepTemplate,
  TaskSpecStepTemplateComputeResourcesLimits,
  TaskSpecStepTemplateComputeResourcesRequests,
  TaskSpecSteps,
  TaskSpecStepsComputeResourcesLimits,
  TaskSpecStepsComputeResourcesRequests,
  TaskSpecStepsEnvValueFrom,
  TaskSpecStepsSecurityContext,
  TaskSpecStepsVolumeMounts,
} from '../../imports/tekton.dev';
import { ArrayExpression, StringValue } from './expression';
import { renderTimeout, Timeout } from './go-duration';

/** Compute resources of a container, quantities as Kubernetes writes them (`"500m"`, `"2Gi"`). */
export interface ComputeResources {
  /** Guaranteed resources. @default - none */
  readonly requests?: { readonly [resource: string]: string };
  /** Maximum resources. @default - none */
  readonly limits?: { readonly [resource: string]: string };
}

/** An environment variable taken from a Secret, ConfigMap or field. */
export interface EnvVarSource {
  /** Where the value comes from (Kubernetes `valueFrom`). */
  readonly valueFrom: TaskSpecStepsEnvValueFrom;
}

/** Environment variables by name: a value (string or expression) or a `valueFrom` source. */
export type Env = { readonly [name: string]: StringValue | EnvVarSource };

/** An element of `command` or `args`: a string, or a whole array param/result that Tekton expands in place. */
export type ArgValue = StringValue | ArrayExpression;

/** What steps, sidecars and the step template share. */
export interface ContainerProps {
  /** The container image, pinned by digest, or a param that holds one. @default - the step template's image */
  readonly image?: StringValue;
  /** The entry point (instead of a script). @default - the image's entry point */
  readonly command?: readonly ArgValue[];
  /** Arguments to the command. @default - none */
  readonly args?: readonly ArgValue[];
  /** Environment variables. @default - none */
  readonly env?: Env;
  /** Working directory. @default - the image's */
  readonly workingDir?: StringValue;
  /** Security context (Kubernetes wire names). @default - none */
  readonly securityContext?: TaskSpecStepsSecurityContext;
  /** Compute resources. @default - none */
  readonly computeResources?: ComputeResources;
  /** Volume mounts (of `volumes` of the Task). @default - none */
  readonly volumeMounts?: readonly TaskSpecStepsVolumeMounts[];
  /** When to pull the image. @default - Kubernetes' default */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** A step of a Task. */
export interface StepProps extends ContainerProps {
  /** The step name (a DNS-1123 label, unique in the Task). */
  readonly name: string;
  /** The script to run (instead of `command`); expressions embed with template literals. @default - none */
  readonly script?: string;
  /** What to do when the step fails. @default 'stopAndFail' */
  readonly onError?: 'continue' | 'stopAndFail';
  /** How long the step may run. @default - no step timeout */
  readonly timeout?: Timeout;
  /** A name for UIs. @default - none */
  readonly displayName?: string;
}

/** A sidecar container that runs beside the steps. */
export interface SidecarProps extends ContainerProps {
  /** The sidecar name (a DNS-1123 label, unique in the Task). */
  readonly name: string;
  /** The script to run (instead of `command`). @default - none */
  readonly script?: string;
}

/** Defaults applied to every step of the Task. */
export type StepTemplateProps = ContainerProps;

function renderEnv(env: Env | undefined): { name: string; value?: string; valueFrom?: TaskSpecStepsEnvValueFrom }[] | undefined {
  if (!env) return undefined;
  return Object.entries(env).map(([name, value]) =>
    typeof value === 'object' && 'valueFrom' in value ? { name, valueFrom: value.valueFrom } : { name, value: String(value) },
  );
}

function renderArgs(args: readonly ArgValue[] | undefined): string[] | undefined {
  return args?.map((a) => String(a));
}

function quantities<T>(map: { readonly [k: string]: string } | undefined, make: (v: string) => T): { [k: string]: T } | undefined {
  return map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, make(v)])) : undefined;
}

function renderContainer(props: ContainerProps) {
  return {
    image: props.image === undefined ? undefined : String(props.image),
    command: renderArgs(props.command),
    args: renderArgs(props.args),
    env: renderEnv(props.env),
    workingDir: props.workingDir === undefined ? undefined : String(props.workingDir),
    securityContext: props.securityContext,
    volumeMounts: props.volumeMounts ? [...props.volumeMounts] : undefined,
    imagePullPolicy: props.imagePullPolicy,
  };
}

/** Renders a step in the generated L1 shape. */
export function renderStep(props: StepProps): TaskSpecSteps {
  return {
    name: props.name,
    displayName: props.displayName,
    ...renderContainer(props),
    script: props.script,
    onError: props.onError,
    timeout: renderTimeout(props.timeout, `step "${props.name}" timeout`),
    computeResources: props.computeResources && {
      requests: quantities(props.computeResources.requests, TaskSpecStepsComputeResourcesRequests.fromString),
      limits: quantities(props.computeResources.limits, TaskSpecStepsComputeResourcesLimits.fromString),
    },
  };
}

/** Renders a sidecar in the generated L1 shape. */
export function renderSidecar(props: SidecarProps): TaskSpecSidecars {
  return {
    name: props.name,
    ...renderContainer(props),
    script: props.script,
    computeResources: props.computeResources && {
      requests: quantities(props.computeResources.requests, TaskSpecSidecarsComputeResourcesRequests.fromString),
      limits: quantities(props.computeResources.limits, TaskSpecSidecarsComputeResourcesLimits.fromString),
    },
  };
}

/** Renders the step template in the generated L1 shape. */
export function renderStepTemplate(props: StepTemplateProps): TaskSpecStepTemplate {
  return {
    ...renderContainer(props),
    computeResources: props.computeResources && {
      requests: quantities(props.computeResources.requests, TaskSpecStepTemplateComputeResourcesRequests.fromString),
      limits: quantities(props.computeResources.limits, TaskSpecStepTemplateComputeResourcesLimits.fromString),
    },
  };
}
