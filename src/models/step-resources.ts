/**
 * Typed compute resources of the model pipeline's steps (CPU, memory, node disk), with defaults that
 * fit an `e2-standard-4` node (4 vCPUs, 16 GB; GKE leaves about 3.92 CPUs and 13 GiB allocatable).
 * Each task runs in its own pod, so each step's requests must fit one node on their own.
 */
import { ComputeResources } from '../tekton/step';
import { quantityValue } from '../tekton-model/quantities';

/** Kubernetes quantities of one container (`"500m"`, `"2Gi"`). */
export interface ResourceQuantities {
  /** CPU, e.g. `"2"` or `"500m"`. @default - none */
  readonly cpu?: string;
  /** Memory, e.g. `"6Gi"`. @default - none */
  readonly memory?: string;
  /** Node-local disk (the container's writable layer, logs, emptyDir), e.g. `"16Gi"`. @default - none */
  readonly ephemeralStorage?: string;
}

/** Requests and limits of a step. */
export interface StepResources {
  /** What the scheduler reserves. @default - none */
  readonly requests?: ResourceQuantities;
  /** The most the step may use (memory over its limit is killed; CPU over it is throttled). @default - none */
  readonly limits?: ResourceQuantities;
}

/** The clone step: git over the network into the workspace. */
export const DEFAULT_GIT_CLONE_RESOURCES: StepResources = {
  requests: { cpu: '250m', memory: '256Mi', ephemeralStorage: '1Gi' },
  limits: { memory: '1Gi', ephemeralStorage: '2Gi' },
};

/**
 * The training step: the upstream lock installs about 7 GB of wheels (TensorFlow, PyTorch and its CUDA
 * libraries) into a virtual environment on node disk.
 */
export const DEFAULT_TRAINING_RESOURCES: StepResources = {
  requests: { cpu: '2', memory: '6Gi', ephemeralStorage: '16Gi' },
  limits: { memory: '12Gi', ephemeralStorage: '24Gi' },
};

/** The upload step: gcloud reading the model from the workspace. */
export const DEFAULT_UPLOAD_RESOURCES: StepResources = {
  requests: { cpu: '250m', memory: '512Mi', ephemeralStorage: '1Gi' },
  limits: { memory: '1Gi', ephemeralStorage: '2Gi' },
};

/** The value of a Kubernetes quantity (one home: the ground floor's `quantities.ts`). */
export { quantityValue };

const WIRE_NAMES: Record<keyof ResourceQuantities, string> = { cpu: 'cpu', memory: 'memory', ephemeralStorage: 'ephemeral-storage' };

function wire(quantities: ResourceQuantities | undefined): Record<string, string> | undefined {
  if (!quantities) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(WIRE_NAMES) as (keyof ResourceQuantities)[]) {
    if (quantities[key] !== undefined) out[WIRE_NAMES[key]] = quantities[key]!;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The step's resources in Tekton's wire names, with extra limits (an accelerator) added. */
export function renderStepResources(resources: StepResources, extraLimits: Record<string, string> = {}): ComputeResources {
  const limits = { ...(wire(resources.limits) ?? {}), ...extraLimits };
  return { requests: wire(resources.requests), limits: Object.keys(limits).length ? limits : undefined };
}

/**
 * What Kubernetes would refuse in a step's resources, one lowercase line each, naming `what`: a
 * value that is not a quantity. (A request above its limit is check's `step-resources-invalid`,
 * which judges every Task at synth as it judges hand-written YAML.)
 */
export function stepResourcesProblems(resources: StepResources, what: string): string[] {
  const problems: string[] = [];
  for (const side of ['requests', 'limits'] as const) {
    for (const [key, value] of Object.entries(resources[side] ?? {})) {
      if (value !== undefined && quantityValue(value) === undefined) {
        problems.push(`${what} ${side}.${key} "${value}" is not a kubernetes quantity (e.g. "500m", "2", "6Gi")`);
      }
    }
  }
  return problems;
}
