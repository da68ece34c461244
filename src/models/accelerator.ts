/**
 * Accelerators for the training task on GKE: NVIDIA GPUs and Cloud TPUs, as typed values, and how a
 * run asks for one. The limit goes on the training step only (a pod's request is the sum of its steps,
 * so a limit on every step would ask for several devices); the node selector and the toleration go on
 * the training task's pod only, through the run's `taskRunSpecs[].podTemplate`.
 *
 * GKE's names (cloud.google.com/kubernetes-engine/docs/how-to/gpus, .../tpus):
 * - GPU nodes carry the label `cloud.google.com/gke-accelerator: <type>` and the taint
 *   `nvidia.com/gpu=present:NoSchedule`; a container asks for `nvidia.com/gpu` in its limits.
 * - TPU nodes carry `cloud.google.com/gke-tpu-accelerator: <type>` and
 *   `cloud.google.com/gke-tpu-topology: <topology>`, and the taint `google.com/tpu=present:NoSchedule`;
 *   a container asks for `google.com/tpu` chips.
 * - Spot nodes carry `cloud.google.com/gke-spot: "true"`; `scripts/create-accelerator-pool.sh --spot`
 *   also taints them `cloud.google.com/gke-spot=true:NoSchedule` so that only runs that expect to be
 *   preempted land there.
 */

/** GPU types GKE attaches (`gcloud compute accelerator-types list`). */
export const NVIDIA_GPU_TYPES = [
  'nvidia-tesla-t4',
  'nvidia-l4',
  'nvidia-tesla-v100',
  'nvidia-tesla-p100',
  'nvidia-tesla-p4',
  'nvidia-tesla-a100',
  'nvidia-a100-80gb',
  'nvidia-h100-80gb',
  'nvidia-h100-mega-80gb',
  'nvidia-h200-141gb',
  'nvidia-b200',
  'nvidia-rtx-pro-6000',
] as const;

/** A GPU type GKE attaches. */
export type NvidiaGpuType = (typeof NVIDIA_GPU_TYPES)[number];

/** TPU types of GKE's `cloud.google.com/gke-tpu-accelerator` label. */
export const TPU_TYPES = ['tpu-v4-podslice', 'tpu-v5-lite-podslice', 'tpu-v5p-slice', 'tpu-v6e-slice'] as const;

/** A TPU type of GKE's node label. */
export type TpuType = (typeof TPU_TYPES)[number];

/** NVIDIA GPUs on one node. */
export interface NvidiaGpu {
  /** The accelerator family. */
  readonly kind: 'nvidia-gpu';
  /** The GPU type (the node pool's `--accelerator type=`). */
  readonly type: NvidiaGpuType;
  /** GPUs for the training step (1, 2, 4, 8 or 16, as GKE machine shapes offer). @default 1 */
  readonly count?: number;
}

/** Cloud TPU chips of a single-host slice. */
export interface Tpu {
  /** The accelerator family. */
  readonly kind: 'tpu';
  /** The TPU type (node label `cloud.google.com/gke-tpu-accelerator`). */
  readonly type: TpuType;
  /** The slice topology, e.g. `2x2` or `2x2x1` (node label `cloud.google.com/gke-tpu-topology`). */
  readonly topology: string;
  /** TPU chips for the training step: at most the chips of the topology. @default - all chips of the topology */
  readonly count?: number;
}

/** An accelerator for the training step. */
export type Accelerator = NvidiaGpu | Tpu;

/** A Kubernetes toleration (wire names). */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What a run needs to put the training step on an accelerator node. */
export interface AcceleratorScheduling {
  /** Extended-resource limits of the training step, e.g. `{ 'nvidia.com/gpu': '1' }`. */
  readonly limits: Record<string, string>;
  /** The training pod's node selector. */
  readonly nodeSelector: Record<string, string>;
  /** The training pod's tolerations. */
  readonly tolerations: Toleration[];
}

const GPU_COUNTS = [1, 2, 4, 8, 16];
const TOPOLOGY = /^[1-9][0-9]*x[1-9][0-9]*(x[1-9][0-9]*)?$/;

/** The chips of a topology (`2x2x1` has 4). */
export function topologyChips(topology: string): number {
  return topology
    .split('x')
    .map(Number)
    .reduce((a, b) => a * b, 1);
}

/** What is wrong with an accelerator, one lowercase line each. */
export function acceleratorProblems(accelerator: Accelerator): string[] {
  const problems: string[] = [];
  if (accelerator.kind === 'nvidia-gpu') {
    if (!(NVIDIA_GPU_TYPES as readonly string[]).includes(accelerator.type)) {
      problems.push(`accelerator type "${accelerator.type}" is not a gke gpu type (${NVIDIA_GPU_TYPES.join(', ')})`);
    }
    const count = accelerator.count ?? 1;
    if (!GPU_COUNTS.includes(count))
      problems.push(`accelerator count ${count} is not one gke attaches to a node (${GPU_COUNTS.join(', ')})`);
  } else if (accelerator.kind === 'tpu') {
    if (!(TPU_TYPES as readonly string[]).includes(accelerator.type)) {
      problems.push(`accelerator type "${accelerator.type}" is not a gke tpu type (${TPU_TYPES.join(', ')})`);
    }
    if (!TOPOLOGY.test(accelerator.topology)) {
      problems.push(`accelerator topology "${accelerator.topology}" is not a tpu topology such as 2x2 or 2x2x1`);
    } else if (
      accelerator.count !== undefined &&
      (!Number.isInteger(accelerator.count) || accelerator.count < 1 || accelerator.count > topologyChips(accelerator.topology))
    ) {
      problems.push(
        `accelerator count ${accelerator.count} is not between 1 and the ${topologyChips(accelerator.topology)} chips of topology ${accelerator.topology}`,
      );
    }
  } else {
    problems.push(`accelerator kind "${(accelerator as { kind: unknown }).kind}" is not nvidia-gpu or tpu`);
  }
  return problems;
}

/** The limit, node selector and tolerations of an accelerator (and of Spot nodes when `spot`). */
export function acceleratorScheduling(accelerator: Accelerator | undefined, spot = false): AcceleratorScheduling {
  const limits: Record<string, string> = {};
  const nodeSelector: Record<string, string> = {};
  const tolerations: Toleration[] = [];
  if (accelerator?.kind === 'nvidia-gpu') {
    limits['nvidia.com/gpu'] = String(accelerator.count ?? 1);
    nodeSelector['cloud.google.com/gke-accelerator'] = accelerator.type;
    tolerations.push({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  } else if (accelerator?.kind === 'tpu') {
    limits['google.com/tpu'] = String(accelerator.count ?? topologyChips(accelerator.topology));
    nodeSelector['cloud.google.com/gke-tpu-accelerator'] = accelerator.type;
    nodeSelector['cloud.google.com/gke-tpu-topology'] = accelerator.topology;
    tolerations.push({ key: 'google.com/tpu', operator: 'Exists', effect: 'NoSchedule' });
  }
  if (spot) {
    nodeSelector['cloud.google.com/gke-spot'] = 'true';
    tolerations.push({ key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' });
  }
  return { limits, nodeSelector, tolerations };
}
