/**
 * A run of the `slsa-for-models` Pipeline, for `kubectl create -f` (it has a `generateName`): a fresh
 * volume claim for the shared workspace, the run's own service account, a non-root pod security context
 * whose `fsGroup` makes the claim writable, and explicit timeouts (pipeline, tasks, finally: since Tekton
 * v1.11 `timeouts.tasks` reaches the child TaskRuns only when it exceeds `default-timeout-minutes`, so a
 * run that sets `timeouts.pipeline` alone still stops its tasks at 60 minutes).
 *
 * With an `accelerator`, only the training task asks for it: the extended-resource limit on its `train`
 * step (`taskRunSpecs[].stepSpecs`, merged into the step's own resources), the node selector and the
 * toleration on its pod (`taskRunSpecs[].podTemplate`, merged with the run's pod template).
 */
import { Construct } from 'constructs';
import { formatGoDuration, parseGoDuration } from '../tekton-model/go-duration';
import { renderTimeout, Timeout } from '../tekton/go-duration';
import { ClusterResolvedPipeline } from '../tekton/cluster-resolved-pipeline';
import { PipelineRun, PipelineTaskRunSpec } from '../tekton/pipeline-run';
import { WorkspaceBinding } from '../tekton/workspace-binding';
import { Accelerator, acceleratorProblems, acceleratorScheduling } from './accelerator';
import { NON_ROOT_ID, RESTRICTED_POD_SECURITY_CONTEXT } from './hardening';
import { ModelName } from './model-names';
import { ModelSourceValues } from './model-source';
import { SlsaForModelsParams, SlsaForModelsPipeline, SlsaForModelsWorkspaces, ToolImages } from './slsa-for-models-pipeline';
import { TRUSTED_ROOT_CONFIG_MAP } from './trusted-root-config-map';
import { verifierBundle } from './verifier-bundle';
import { verifierProjection } from './verifier-config-maps';

/** Where the model is stored in Artifact Registry. */
export interface ModelStorage {
  /** The package. */
  readonly package: string;
  /** The repository's location, e.g. `us` or `us-central1`. */
  readonly location: string;
  /** The generic repository. */
  readonly repository: string;
}

/** The upstream example's storage: package `pytorch-model` in repository `ml-artifacts` in `us`. */
export const DEFAULT_MODEL_STORAGE: ModelStorage = { package: 'pytorch-model', location: 'us', repository: 'ml-artifacts' };

/** Props of the `SlsaForModelsRun`. */
export interface SlsaForModelsRunProps {
  /** The Pipeline to run. */
  readonly pipeline: SlsaForModelsPipeline;
  /**
   * Refer to the Pipeline through Tekton's cluster resolver, installed in this namespace (e.g.
   * Pipelines-as-Code's `{{ target_namespace }}`), instead of by name. @default - by name (`pipelineRef.name`)
   */
  readonly pipelineNamespace?: string;
  /** The service account the run's pods use. */
  readonly serviceAccountName: string;
  /** The model to train. @default 'pytorch_model.pth' */
  readonly modelName?: ModelName;
  /** Where to store it. @default DEFAULT_MODEL_STORAGE */
  readonly modelStorage?: ModelStorage;
  /** Size of the shared volume claim (checkout, dataset, model). @default '4Gi' */
  readonly workspaceSize?: string;
  /** Storage class of the claim. @default - the cluster's default */
  readonly storageClassName?: string;
  /** Timeout of the whole run; the same as `timeouts.pipeline`. @default '2h' */
  readonly pipelineTimeout?: Timeout;
  /**
   * The run's timeouts, each a Go duration or a cdk8s Duration. Set explicitly, all three: Tekton's
   * default is 60 minutes for the whole run and for every task.
   * @default - pipeline 2h (or pipelineTimeout), finally 10m, tasks the pipeline's less finally
   */
  readonly timeouts?: { readonly pipeline?: Timeout; readonly tasks?: Timeout; readonly finally?: Timeout };
  /** How long one attempt of the training task may run in this run (`taskRunSpecs[].timeout`). @default - the Pipeline's (1h30m) */
  readonly trainingTimeout?: Timeout;
  /** An accelerator for the training step only. @default - none: CPUs */
  readonly accelerator?: Accelerator;
  /** Put the training task on Spot nodes (node selector and toleration); a preempted attempt is retried. @default false */
  readonly spot?: boolean;
  /** The model source to train (the `model-source` param); fields may be expressions such as `$(tt.params.revision)`. @default - the Pipeline's default */
  readonly modelSource?: ModelSourceValues;
  /** The tool images (the `tool-versions` param), e.g. a CUDA PyTorch image as `python`. @default - the Pipeline's default */
  readonly toolImages?: ToolImages;
  /**
   * A Cloud Storage bucket for the training checkpoints, mounted through GKE's Cloud Storage FUSE CSI
   * driver as the `checkpoints` workspace (the cluster needs the GcsFuseCsiDriver add-on, and the run's
   * service account `roles/storage.objectUser` on the bucket). @default - none: the run's volume claim
   */
  readonly checkpointBucket?: string;
  /** More arguments for the training entry point (the `training-args` param). @default - none */
  readonly trainingArgs?: readonly string[];
  /** The `generateName` prefix. @default 'slsa-for-models-' */
  readonly generateName?: string;
  /** Annotations of the PipelineRun (e.g. Pipelines-as-Code's `on-event`). @default - none */
  readonly annotations?: { readonly [key: string]: string };
}

/** What the run's timeouts default to (tasks: the pipeline's less finally), and a finally that leaves the tasks no time. */
function runTimeouts(props: SlsaForModelsRunProps): {
  timeouts: { pipeline: Timeout; tasks?: Timeout; finally: Timeout };
  problems: string[];
} {
  const pipeline = props.timeouts?.pipeline ?? props.pipelineTimeout ?? '2h';
  const fin = props.timeouts?.finally ?? '10m';
  const nanos = (t: Timeout, what: string): number => parseGoDuration(renderTimeout(t, what)!)!;
  const problems: string[] = [];
  const p = nanos(pipeline, 'timeouts.pipeline');
  const f = nanos(fin, 'timeouts.finally');
  let tasks = props.timeouts?.tasks;
  if (tasks === undefined) {
    tasks = p === 0 ? '0s' : p - f > 0 ? formatGoDuration(p - f) : undefined;
    if (tasks === undefined)
      problems.push(
        `timeouts.finally ${renderTimeout(fin, 'finally')} leaves no time for the tasks in timeouts.pipeline ${renderTimeout(pipeline, 'pipeline')}`,
      );
  }
  // tasks + finally beyond pipeline: the check rules (timeout-rules) judge the rendered run, as Tekton would
  return { timeouts: { pipeline, tasks, finally: fin }, problems };
}

/** GKE's Cloud Storage FUSE CSI driver. */
export const GCS_FUSE_CSI_DRIVER = 'gcsfuse.csi.storage.gke.io';
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
const PACKAGE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,254}[A-Za-z0-9])?$/;
const REPOSITORY_ID = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOCATION_ID = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** What Artifact Registry would refuse in a model storage, one lowercase line each. */
function storageProblems(storage: ModelStorage): string[] {
  const problems: string[] = [];
  if (!PACKAGE_ID.test(storage.package)) {
    problems.push(
      `model storage package "${storage.package}" is not an artifact registry package id (letters, digits, hyphens, underscores and periods; starting and ending with a letter or digit)`,
    );
  }
  if (!REPOSITORY_ID.test(storage.repository)) {
    problems.push(
      `model storage repository "${storage.repository}" is not an artifact registry repository id (lowercase letters, digits and hyphens, starting with a letter, at most 63 characters)`,
    );
  }
  if (!LOCATION_ID.test(storage.location)) {
    problems.push(`model storage location "${storage.location}" is not a location such as us or us-central1`);
  }
  return problems;
}

/** A PipelineRun of the model pipeline. */
export class SlsaForModelsRun extends Construct {
  /** The typed PipelineRun. */
  public readonly pipelineRun: PipelineRun<SlsaForModelsParams, SlsaForModelsWorkspaces>;

  public constructor(scope: Construct, id: string, props: SlsaForModelsRunProps) {
    super(scope, id);
    const storage = props.modelStorage ?? DEFAULT_MODEL_STORAGE;
    const { timeouts, problems: timeoutProblems } = runTimeouts(props);
    const scheduling = acceleratorScheduling(props.accelerator, props.spot ?? false);
    const taskRunSpecs: PipelineTaskRunSpec[] = [];
    if (props.accelerator || props.spot || props.trainingTimeout !== undefined || props.checkpointBucket !== undefined) {
      taskRunSpecs.push({
        pipelineTask: props.pipeline.buildModel,
        podTemplate: Object.keys(scheduling.nodeSelector).length
          ? { nodeSelector: scheduling.nodeSelector, tolerations: scheduling.tolerations }
          : undefined,
        stepSpecs: Object.keys(scheduling.limits).length ? { train: { limits: scheduling.limits } } : undefined,
        timeout: props.trainingTimeout,
        // GKE injects the Cloud Storage FUSE sidecar into pods with this annotation: the training pod only
        metadata: props.checkpointBucket !== undefined ? { annotations: { 'gke-gcsfuse/volumes': 'true' } } : undefined,
      });
    }
    const source = props.modelSource;
    const tools = props.toolImages;
    this.pipelineRun = new PipelineRun(this, 'Resource', {
      metadata: {
        generateName: props.generateName ?? 'slsa-for-models-',
        annotations: props.annotations && { ...props.annotations },
      },
      pipeline:
        props.pipelineNamespace === undefined
          ? props.pipeline
          : new ClusterResolvedPipeline(this, 'PipelineReference', { pipeline: props.pipeline, namespace: props.pipelineNamespace }),
      params: {
        'model-name': props.modelName ?? 'pytorch_model.pth',
        'model-storage': { package: storage.package, location: storage.location, repository: storage.repository },
        ...(source
          ? {
              'model-source': {
                url: source.url,
                revision: source.revision,
                'requirements-path': source.requirementsPath,
                'main-path': source.mainPath,
              },
            }
          : {}),
        ...(tools ? { 'tool-versions': { git: tools.git, python: tools.python, gcloud: tools.gcloud } } : {}),
        ...(props.trainingArgs ? { 'training-args': [...props.trainingArgs] } : {}),
      },
      workspaces: {
        shared: WorkspaceBinding.volumeClaimTemplate({ storage: props.workspaceSize ?? '4Gi', storageClassName: props.storageClassName }),
        // the training task's input check, used when a base model or a dataset is given: the bundled
        // verifier's parts and the trusted root, each optional so that a run without inputs needs none
        'train-inputs-verifier': WorkspaceBinding.projected([
          ...verifierProjection(verifierBundle(), { optional: true }),
          {
            configMap: {
              name: TRUSTED_ROOT_CONFIG_MAP.name,
              items: [{ key: TRUSTED_ROOT_CONFIG_MAP.key, path: TRUSTED_ROOT_CONFIG_MAP.key }],
              optional: true,
            },
          },
        ]),
        ...(props.checkpointBucket !== undefined
          ? {
              checkpoints: WorkspaceBinding.csi(GCS_FUSE_CSI_DRIVER, {
                bucketName: props.checkpointBucket,
                // the steps run as 65532: files in the mount must be theirs to write
                mountOptions: `implicit-dirs,uid=${NON_ROOT_ID},gid=${NON_ROOT_ID}`,
              }),
            }
          : {}),
      },
      taskRunTemplate: {
        serviceAccountName: props.serviceAccountName,
        podTemplate: {
          securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
        },
      },
      timeouts,
      taskRunSpecs,
    });
    this.node.addValidation({
      validate: () => [
        ...storageProblems(storage),
        ...timeoutProblems,
        ...(props.accelerator ? acceleratorProblems(props.accelerator) : []),
        ...(props.checkpointBucket !== undefined && !BUCKET_NAME.test(props.checkpointBucket)
          ? [
              `checkpoint bucket "${props.checkpointBucket}" is not a cloud storage bucket name (3-63 lowercase letters, digits, dashes, underscores and dots; no gs:// prefix)`,
            ]
          : []),
      ],
    });
  }
}
