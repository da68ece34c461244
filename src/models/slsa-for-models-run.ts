/**
 * A run of the `slsa-for-models` Pipeline, for `kubectl create -f` (it has a `generateName`): a fresh
 * volume claim for the shared workspace, the run's own service account, a non-root pod security context
 * whose `fsGroup` makes the claim writable, and timeouts that leave room for training on CPUs.
 */
import { Construct } from 'constructs';
import { PipelineRun } from '../tekton/pipeline-run';
import { WorkspaceBinding } from '../tekton/workspace-binding';
import { NON_ROOT_ID } from './hardening';
import { ModelName } from './model-names';
import { SlsaForModelsParams, SlsaForModelsPipeline, SlsaForModelsWorkspaces } from './slsa-for-models-pipeline';

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
  /** Timeout of the whole run. @default '2h' */
  readonly pipelineTimeout?: string;
  /** The `generateName` prefix. @default 'slsa-for-models-' */
  readonly generateName?: string;
}

const PACKAGE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,254}[A-Za-z0-9])?$/;
const REPOSITORY_ID = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOCATION_ID = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** What Artifact Registry would refuse in a model storage, one lowercase line each. */
function storageProblems(storage: ModelStorage): string[] {
  const problems: string[] = [];
  if (!PACKAGE_ID.test(storage.package)) {
    problems.push(`model storage package "${storage.package}" is not an artifact registry package id (letters, digits, hyphens, underscores and periods; starting and ending with a letter or digit)`);
  }
  if (!REPOSITORY_ID.test(storage.repository)) {
    problems.push(`model storage repository "${storage.repository}" is not an artifact registry repository id (lowercase letters, digits and hyphens, starting with a letter, at most 63 characters)`);
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
    this.pipelineRun = new PipelineRun(this, 'Resource', {
      metadata: { generateName: props.generateName ?? 'slsa-for-models-' },
      pipeline: props.pipeline,
      params: {
        'model-name': props.modelName ?? 'pytorch_model.pth',
        'model-storage': { package: storage.package, location: storage.location, repository: storage.repository },
      },
      workspaces: {
        shared: WorkspaceBinding.volumeClaimTemplate({ storage: props.workspaceSize ?? '4Gi', storageClassName: props.storageClassName }),
      },
      taskRunTemplate: {
        serviceAccountName: props.serviceAccountName,
        podTemplate: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NON_ROOT_ID,
            runAsGroup: NON_ROOT_ID,
            fsGroup: NON_ROOT_ID,
            fsGroupChangePolicy: 'OnRootMismatch',
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      },
      timeouts: { pipeline: props.pipelineTimeout ?? '2h' },
    });
    this.node.addValidation({ validate: () => storageProblems(storage) });
  }
}
