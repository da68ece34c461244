/**
 * The `slsa-for-models` Pipeline: clone the model's source, train the model, upload it to Artifact
 * Registry, and hand Tekton Chains the source as an input and the model as a build artifact.
 * Keeps the upstream interface (`model-name`, `model-source`, `model-storage`, `tool-versions`, a
 * workspace `shared`), with every tool version used and pinned by digest.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Timeout } from '../tekton/go-duration';
import { Pipeline } from '../tekton/pipeline';
import { PipelineTask } from '../tekton/pipeline-task';
import { GitCloneTask } from './git-clone-task';
import { PINNED_IMAGES } from './images';
import { MODEL_NAMES } from './model-names';
import { DEFAULT_MODEL_SOURCE, ModelSource } from './model-source';
import { StepResources } from './step-resources';
import { BASE_MODEL_PROPERTIES, NO_BASE_MODEL, TrainModelTask } from './train-model-task';
import { UploadModelTask } from './upload-model-task';

/** The images the pipeline's tools come from, each `<registry/repo>:<tag>@sha256:<hex>`. */
export interface ToolImages {
  /** Provides git and bash. */
  readonly git: string;
  /** Provides Python 3 (with venv) and bash. */
  readonly python: string;
  /** Provides gcloud, bash, python3 and sha256sum. */
  readonly gcloud: string;
}

function pipelineParams(source: ModelSource, images: ToolImages) {
  return {
    'model-name': {
      description: 'The model format to train; also the file name it is stored under.',
      enum: MODEL_NAMES,
    },
    'model-source': {
      type: 'object',
      description:
        'The git repository with the training code: url, revision (commit), requirements-path (pip lock with hashes), main-path (entry point).',
      properties: { url: {}, revision: {}, 'requirements-path': {}, 'main-path': {} },
      default: { url: source.url, revision: source.revision, 'requirements-path': source.requirementsPath, 'main-path': source.mainPath },
    },
    'model-storage': {
      type: 'object',
      description: 'Where the model goes: the Artifact Registry package, location and generic repository.',
      properties: { package: {}, location: {}, repository: {} },
    },
    'tool-versions': {
      type: 'object',
      description: 'The images of the tools, each pinned by digest: git (clone), python (training), gcloud (upload).',
      properties: { git: {}, python: {}, gcloud: {} },
      default: { git: images.git, python: images.python, gcloud: images.gcloud },
    },
    'training-args': {
      type: 'array',
      description:
        'More arguments for the training entry point, after the model name (e.g. --epochs 20 --device auto); none for the upstream entry point.',
      default: [],
    },
    'base-model': {
      type: 'object',
      description:
        'Optional: a model to train from, verified before training: uri, its OpenSSF Model Signing signature, and one way to check its signer: key or certificate-chain (each a file:// or https:// uri, as uri and signature), or certificate-identity with certificate-oidc-issuer (against the trusted root in ConfigMap slsa-for-models-trusted-root). Recorded as base-model_ARTIFACT_INPUTS.',
      properties: BASE_MODEL_PROPERTIES,
      default: NO_BASE_MODEL,
    },
    dataset: {
      type: 'object',
      description:
        'Optional: the dataset to train on, verified before training: uri (file:// or https://) and digest (sha256:<hex>). Recorded as dataset_ARTIFACT_INPUTS.',
      properties: { uri: {}, digest: {} },
      default: { uri: '', digest: '' },
    },
  } as const;
}

const WORKSPACES = {
  shared: { description: 'Holds the source checkout and the trained model from one task to the next.' },
  checkpoints: {
    description: 'Where training checkpoints go when bound (e.g. a Cloud Storage bucket); else the shared workspace.',
    optional: true,
  },
  'train-inputs-verifier': {
    description:
      'The bundled verifier (ConfigMaps slsa-for-models-verifier, -2, ...) and the trusted root (ConfigMap slsa-for-models-trusted-root), projected; needed when a base model or a dataset is given.',
    optional: true,
  },
} as const;

/** What is wrong with a model source, one lowercase line each. */
function modelSourceProblems(source: ModelSource): string[] {
  const problems: string[] = [];
  if (!/^(https:\/\/|ssh:\/\/|git@)[^\s"\\]+$/.test(source.url)) {
    problems.push(`model source url "${source.url}" is not an https://, ssh:// or git@ repository address without spaces or quotes`);
  }
  if (source.revision.trim() === '') problems.push('model source revision is empty; give a full 40-hex commit (or a branch or tag)');
  for (const [field, value] of [
    ['requirementsPath', source.requirementsPath],
    ['mainPath', source.mainPath],
  ] as const) {
    if (value.trim() === '' || value.startsWith('/') || value.split('/').includes('..')) {
      problems.push(`model source ${field} "${value}" must be a path inside the repository (relative, without ..)`);
    }
  }
  return problems;
}

/** The declared params of the `slsa-for-models` Pipeline. */
export type SlsaForModelsParams = ReturnType<typeof pipelineParams>;

/** The declared workspaces of the `slsa-for-models` Pipeline. */
export type SlsaForModelsWorkspaces = typeof WORKSPACES;

/** Props of the `SlsaForModelsPipeline`. */
export interface SlsaForModelsPipelineProps {
  /** Metadata of the Pipeline. @default - name `slsa-for-models` */
  readonly metadata?: ApiObjectMetadata;
  /** The default of the `model-source` param. @default DEFAULT_MODEL_SOURCE (sigstore/model-transparency v1.0.1) */
  readonly modelSource?: ModelSource;
  /** The default of the `tool-versions` param. @default PINNED_IMAGES */
  readonly toolImages?: ToolImages;
  /** How long one attempt of the training task may run (a Go duration or a cdk8s Duration). @default '1h30m' */
  readonly trainingTimeout?: Timeout;
  /**
   * How often Tekton retries a failed training attempt (a preempted or evicted pod fails the attempt);
   * each retry resumes from the checkpoint the entry point left on the workspace. @default 2
   */
  readonly trainingRetries?: number;
  /** CPU, memory and node disk of the training step. @default DEFAULT_TRAINING_RESOURCES */
  readonly trainingResources?: StepResources;
  /** CPU, memory and node disk of the clone step. @default DEFAULT_GIT_CLONE_RESOURCES */
  readonly gitCloneResources?: StepResources;
  /** CPU, memory and node disk of the upload step. @default DEFAULT_UPLOAD_RESOURCES */
  readonly uploadResources?: StepResources;
}

/**
 * The model pipeline. Its Tasks are child constructs (`gitCloneTask`, `trainModelTask`,
 * `uploadModelTask`), emitted next to it. Pipeline results for Chains: `source_ARTIFACT_INPUTS`
 * (a resolved dependency, `sha1` digest) and `model_ARTIFACT_OUTPUTS` with `isBuildArtifact: "true"`
 * (the subject under `slsa/v2alpha4`).
 */
export class SlsaForModelsPipeline extends Pipeline<SlsaForModelsParams, SlsaForModelsWorkspaces> {
  /** The Task that clones the source. */
  public readonly gitCloneTask: GitCloneTask;
  /** The Task that trains the model. */
  public readonly trainModelTask: TrainModelTask;
  /** The Task that uploads the model. */
  public readonly uploadModelTask: UploadModelTask;
  /** The pipeline task `git-clone`. */
  public readonly gitClone: PipelineTask<GitCloneTask['declared']['results']>;
  /** The pipeline task `build-model`. */
  public readonly buildModel: PipelineTask<TrainModelTask['declared']['results']>;
  /** The pipeline task `upload-model`. */
  public readonly uploadModel: PipelineTask<UploadModelTask['declared']['results']>;

  public constructor(scope: Construct, id: string, props: SlsaForModelsPipelineProps = {}) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models', ...props.metadata },
      description: 'Trains an ML model from a pinned source, uploads it to Artifact Registry, and lets Tekton Chains attest it (SLSA v1).',
      params: pipelineParams(props.modelSource ?? DEFAULT_MODEL_SOURCE, props.toolImages ?? PINNED_IMAGES),
      workspaces: WORKSPACES,
    });
    const modelSource = props.modelSource ?? DEFAULT_MODEL_SOURCE;
    this.node.addValidation({ validate: () => modelSourceProblems(modelSource).map((p) => `Pipeline/${this.name}: ${p}`) });
    this.gitCloneTask = new GitCloneTask(this, 'GitCloneTask', { resources: props.gitCloneResources });
    this.trainModelTask = new TrainModelTask(this, 'TrainModelTask', { resources: props.trainingResources });
    this.uploadModelTask = new UploadModelTask(this, 'UploadModelTask', { resources: props.uploadResources });
    const retries = props.trainingRetries ?? 2;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new Error(`[${this.node.path}] trainingRetries ${retries} is not a whole number of retries (0 or more)`);
    }

    const source = this.params['model-source'];
    const storage = this.params['model-storage'];
    const tools = this.params['tool-versions'];
    const shared = this.workspaces.shared;

    this.gitClone = this.addTask('git-clone', this.gitCloneTask, {
      params: { url: source.key('url'), revision: source.key('revision'), 'git-image': tools.key('git') },
      workspaces: { output: shared },
    });
    this.buildModel = this.addTask('build-model', this.trainModelTask, {
      runAfter: [this.gitClone],
      timeout: props.trainingTimeout ?? '1h30m',
      retries,
      params: {
        'model-name': this.params['model-name'],
        'requirements-path': source.key('requirements-path'),
        'main-path': source.key('main-path'),
        'python-image': tools.key('python'),
        'training-args': this.params['training-args'],
        'base-model': this.params['base-model'],
        dataset: this.params.dataset,
      },
      workspaces: { source: shared, checkpoints: this.workspaces.checkpoints, verifier: this.workspaces['train-inputs-verifier'] },
    });
    this.uploadModel = this.addTask('upload-model', this.uploadModelTask, {
      params: {
        'model-path': this.buildModel.results['model-path'],
        digest: this.buildModel.results.digest,
        package: storage.key('package'),
        version: this.buildModel.results.digest,
        location: storage.key('location'),
        repository: storage.key('repository'),
        'gcloud-image': tools.key('gcloud'),
      },
      workspaces: { source: shared },
    });

    const input = this.gitClone.results.source_ARTIFACT_INPUTS;
    this.addResult(
      'source_ARTIFACT_INPUTS',
      { uri: input.key('uri'), digest: input.key('digest') },
      {
        description: 'The git source the model was trained from (Chains: resolved dependency, sha1 digest).',
      },
    );
    for (const name of ['base-model', 'dataset'] as const) {
      const trained = this.buildModel.results[`${name}_ARTIFACT_INPUTS`];
      this.addResult(
        `${name}_ARTIFACT_INPUTS`,
        { uri: trained.key('uri'), digest: trained.key('digest') },
        {
          description: `The ${name === 'dataset' ? 'dataset' : 'base model'} the model was trained from, verified first (Chains: a resolved dependency, sha256 digest; empty when none was given).`,
        },
      );
    }
    this.addResult('training-resumed-from', this.buildModel.results['resumed-from'], {
      description: 'none, or sha256:<hex> of the checkpoint files the last training attempt resumed from (a retry after preemption).',
    });
    const output = this.uploadModel.results.model_ARTIFACT_OUTPUTS;
    this.addResult(
      'model_ARTIFACT_OUTPUTS',
      { uri: output.key('uri'), digest: output.key('digest'), isBuildArtifact: 'true' },
      {
        description: 'The uploaded model (Chains: the attestation subject, sha256 digest).',
      },
    );
  }
}
