/**
 * The cdk8s app `npm run synth` runs. Writes, atomically:
 * - `dist/*.yaml`: what `kubectl apply -f dist` installs (Tekton feature flags, Chains configuration,
 *   the run's service account, the Tasks and the Pipeline);
 * - `dist/runs/slsa-for-models-run.yaml`: the PipelineRun for `kubectl create -f` (CPUs, upstream model);
 * - `dist/runs/tiny-cnn-gpu.yaml`: a PipelineRun that trains this project's tiny-cnn workload on one
 *   NVIDIA L4 GPU in the pinned PyTorch CUDA image, with retries and checkpoints for Spot preemption;
 * - `dist/deploy/*.yaml`: the deploy gate (`kubectl apply -f dist/deploy`: the bundled verifier's
 *   ConfigMap, its ServiceAccount, Role and RoleBinding, the serving store's claim, the
 *   `slsa-for-models-deploy` Pipeline and its Tasks), and `dist/deploy/runs/*.yaml`, its PipelineRun
 *   for `scripts/deploy-model.sh RUN`;
 * - `dist/triggers/*.yaml`: a run on every push with Tekton Triggers (`kubectl apply -f dist/triggers`:
 *   the EventListener, Trigger, TriggerBinding and TriggerTemplate, the EventListener's ServiceAccount
 *   and bindings, and with `TRIGGER_HOST` a GKE Ingress with a managed certificate);
 * - `dist/pac/.tekton/*.yaml`: the same for Pipelines-as-Code (copy the folder into the repository:
 *   the PipelineRun with PaC's annotations, which reaches the installed Pipeline through Tekton's
 *   cluster resolver);
 * - `dist/admission/*.yaml`: a ValidatingAdmissionPolicy that lets the serving namespace serve only
 *   copies the gate promoted (cluster-scoped: an administrator applies it, `kubectl apply -f dist/admission`).
 *
 * Environment (all optional; the committed `dist/` is synthesized with none of them set):
 * - `LOCATION`, `REPOSITORY_NAME`: where the run uploads the model (default `us`, `ml-artifacts`);
 * - `MODEL_NAME`: the model format the run trains (default `pytorch_model.pth`);
 * - `MODEL_PACKAGE`: the Artifact Registry package (default `pytorch-model`);
 * - `GOOGLE_SERVICE_ACCOUNT`: a Google service account for the runs to impersonate through Workload
 *   Identity (adds the `iam.gke.io/gcp-service-account` annotation; default none);
 * - `WORKLOAD_REPOSITORY`, `WORKLOAD_REVISION`: the clone of this project the GPU run trains
 *   `workloads/tiny-cnn/` from (default: a placeholder host that never resolves; revision `main`);
 * - `GPU_TYPE`: the GPU of the GPU run (default `nvidia-l4`);
 * - `TRIGGER_REPOSITORY`, `TRIGGER_BRANCH`: the GitHub `owner/name` and branch whose pushes start a run
 *   (default `your-github-owner/slsa-for-models`, a placeholder to replace; `main`);
 * - `TRIGGER_HOST`: a public host name for the webhook (adds the Ingress; default none: port-forward);
 * - `TRIGGER_NAMESPACE`: the namespace of the EventListener (default `default`);
 * - `TRIGGER_PATHS`: comma-separated PaC path globs a push must change (default none: every push);
 * - `CDK8S_OUTDIR`: the output directory (default `dist`).
 */
import { App, Chart } from 'cdk8s';
import { NVIDIA_GPU_TYPES, NvidiaGpuType } from './models/accelerator';
import { GCLOUD_IMAGE, GIT_IMAGE, PYTORCH_CUDA_IMAGE } from './models/images';
import { VerifiedStorageAdmission } from './kserve/verified-storage-admission';
import { SlsaForModelsDeploy } from './models/deploy-gate';
import { DeployGatePolicy } from './models/deploy-gate-policy';
import { SlsaForModelsDeployRun } from './models/deploy-gate-run';
import { MODEL_NAMES, ModelName } from './models/model-names';
import { DEFAULT_MODEL_SOURCE, tinyCnnModelSource, WORKLOAD_REPOSITORY_PLACEHOLDER } from './models/model-source';
import { SlsaForModels, SlsaForModelsProps } from './models/slsa-for-models';
import { SlsaForModelsPacRun } from './models/slsa-for-models-pac-run';
import { DEFAULT_MODEL_STORAGE, ModelStorage, SlsaForModelsRun } from './models/slsa-for-models-run';
import { SlsaForModelsTrigger } from './models/slsa-for-models-trigger';
import { runSynthesis, SynthesisUnit } from './synth';

/** What the app can be told. */
export interface BuildAppsOptions extends SlsaForModelsProps {
  /** The model the run trains. @default 'pytorch_model.pth' */
  readonly modelName?: ModelName;
  /** Where the run stores it. @default DEFAULT_MODEL_STORAGE */
  readonly modelStorage?: ModelStorage;
  /** The clone of this project the GPU run trains from. @default WORKLOAD_REPOSITORY_PLACEHOLDER */
  readonly workloadRepository?: string;
  /** Its revision. @default 'main' */
  readonly workloadRevision?: string;
  /** The GPU of the GPU run. @default 'nvidia-l4' */
  readonly gpuType?: NvidiaGpuType;
  /** What the deploy gate requires. @default DEFAULT_DEPLOY_GATE_POLICY */
  readonly deployGatePolicy?: DeployGatePolicy;
  /** The GitHub `owner/name` whose pushes start a run. @default TRIGGER_REPOSITORY_PLACEHOLDER */
  readonly triggerRepository?: string;
  /** The branch whose pushes start a run. @default 'main' */
  readonly triggerBranch?: string;
  /** A public host name for the webhook (a GKE Ingress with TLS). @default - none: port-forward */
  readonly triggerHost?: string;
  /** The EventListener's namespace. @default 'default' */
  readonly triggerNamespace?: string;
  /** PaC path globs a push must change. @default - none: every push */
  readonly triggerPaths?: readonly string[];
}

/** The repository the committed `dist/triggers` filters on until you name yours (`TRIGGER_REPOSITORY` at synth). */
export const TRIGGER_REPOSITORY_PLACEHOLDER = 'your-github-owner/slsa-for-models';

/** The tiny-cnn settings of the GPU run: enough work that a GPU pays (about 50k 32x32 images, 30 epochs). */
export const GPU_RUN_TRAINING_ARGS = ['--epochs', '30', '--device', 'cuda', '--samples', '50000', '--width', '64'] as const;

/**
 * The deploy gate's default policy: Chains' default builder, the default model source at its pinned
 * commit, a TorchScript model (the one format a stock KServe runtime loads without unverified code),
 * built at most 30 days ago.
 */
export const DEFAULT_DEPLOY_GATE_POLICY: DeployGatePolicy = {
  builderId: 'https://tekton.dev/chains/v2',
  sourceUri: `git+${DEFAULT_MODEL_SOURCE.url}`,
  sourceDigest: DEFAULT_MODEL_SOURCE.revision,
  params: { 'model-name': 'pytorch_jitted_model.pt' },
  maxAge: '720h',
};

/** Builds the two apps: the installed objects (output root) and the run (`runs/`). */
export function buildApps(options: BuildAppsOptions = {}): SynthesisUnit[] {
  const app = new App();
  const chart = new Chart(app, 'slsa-for-models', { disableResourceNameHashes: true });
  const models = new SlsaForModels(chart, 'SlsaForModels', options);
  const runs = new App();
  const runChart = new Chart(runs, 'slsa-for-models-run', { disableResourceNameHashes: true });
  new SlsaForModelsRun(runChart, 'Run', {
    pipeline: models.pipeline,
    serviceAccountName: models.serviceAccount.name,
    modelName: options.modelName,
    modelStorage: options.modelStorage,
  });
  const gpuChart = new Chart(runs, 'tiny-cnn-gpu', { disableResourceNameHashes: true });
  new SlsaForModelsRun(gpuChart, 'Run', {
    pipeline: models.pipeline,
    serviceAccountName: models.serviceAccount.name,
    generateName: 'tiny-cnn-gpu-',
    modelName: 'pytorch_model.pth',
    modelStorage: { ...(options.modelStorage ?? DEFAULT_MODEL_STORAGE), package: 'tiny-cnn' },
    modelSource: tinyCnnModelSource(options.workloadRepository ?? WORKLOAD_REPOSITORY_PLACEHOLDER, options.workloadRevision ?? 'main'),
    toolImages: { git: GIT_IMAGE, python: PYTORCH_CUDA_IMAGE, gcloud: GCLOUD_IMAGE },
    trainingArgs: GPU_RUN_TRAINING_ARGS,
    accelerator: { kind: 'nvidia-gpu', type: options.gpuType ?? 'nvidia-l4', count: 1 },
    spot: true,
    workspaceSize: '8Gi',
    timeouts: { pipeline: '12h', tasks: '11h50m', finally: '10m' },
    trainingTimeout: '4h',
  });
  const deployApp = new App();
  const deployChart = new Chart(deployApp, 'slsa-for-models-deploy', { disableResourceNameHashes: true });
  const deploy = new SlsaForModelsDeploy(deployChart, 'Deploy', {
    policy: options.deployGatePolicy ?? DEFAULT_DEPLOY_GATE_POLICY,
    googleServiceAccount: options.googleServiceAccount,
  });
  const deployRuns = new App();
  const deployRunChart = new Chart(deployRuns, 'slsa-for-models-deploy-run', { disableResourceNameHashes: true });
  new SlsaForModelsDeployRun(deployRunChart, 'Run', { pipeline: deploy.pipeline, serviceAccountName: deploy.serviceAccount.name });
  const triggersApp = new App();
  const triggersChart = new Chart(triggersApp, 'slsa-for-models-triggers', { disableResourceNameHashes: true });
  new SlsaForModelsTrigger(triggersChart, 'Trigger', {
    pipeline: models.pipeline,
    runServiceAccountName: models.serviceAccount.name,
    repository: options.triggerRepository ?? TRIGGER_REPOSITORY_PLACEHOLDER,
    branch: options.triggerBranch,
    host: options.triggerHost,
    namespace: options.triggerNamespace,
    run: { modelName: options.modelName, modelStorage: { ...(options.modelStorage ?? DEFAULT_MODEL_STORAGE), package: 'tiny-cnn' } },
  });
  const pacApp = new App();
  // the run alone: it reaches the Pipeline kubectl apply -f dist installed through the cluster resolver
  const pacRunChart = new Chart(pacApp, 'slsa-for-models-push', { disableResourceNameHashes: true });
  new SlsaForModelsPacRun(pacRunChart, 'Run', {
    pipeline: models.pipeline,
    serviceAccountName: models.serviceAccount.name,
    branch: options.triggerBranch,
    paths: options.triggerPaths,
    run: { modelName: options.modelName, modelStorage: { ...(options.modelStorage ?? DEFAULT_MODEL_STORAGE), package: 'tiny-cnn' } },
  });
  const admissionApp = new App();
  const admissionChart = new Chart(admissionApp, 'slsa-for-models-admission', { disableResourceNameHashes: true });
  new VerifiedStorageAdmission(admissionChart, 'VerifiedStorage', { storeClaimName: deploy.pipeline.storeClaimName });
  return [
    { app },
    { app: runs, directory: 'runs' },
    { app: deployApp, directory: 'deploy' },
    { app: deployRuns, directory: 'deploy/runs' },
    { app: triggersApp, directory: 'triggers' },
    { app: pacApp, directory: 'pac/.tekton' },
    { app: admissionApp, directory: 'admission' },
  ];
}

/** Reads the app's options from the environment; throws one lowercase line on a bad value. */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): BuildAppsOptions {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const modelName = value('MODEL_NAME');
  if (modelName !== undefined && !(MODEL_NAMES as readonly string[]).includes(modelName)) {
    throw new Error(`MODEL_NAME is "${modelName}", expected one of ${MODEL_NAMES.join(', ')}`);
  }
  const gpuType = value('GPU_TYPE');
  if (gpuType !== undefined && !(NVIDIA_GPU_TYPES as readonly string[]).includes(gpuType)) {
    throw new Error(`GPU_TYPE is "${gpuType}", expected one of ${NVIDIA_GPU_TYPES.join(', ')}`);
  }
  return {
    workloadRepository: value('WORKLOAD_REPOSITORY'),
    workloadRevision: value('WORKLOAD_REVISION'),
    gpuType: gpuType as NvidiaGpuType | undefined,
    googleServiceAccount: value('GOOGLE_SERVICE_ACCOUNT'),
    modelName: modelName as ModelName | undefined,
    modelStorage: {
      package: value('MODEL_PACKAGE') ?? DEFAULT_MODEL_STORAGE.package,
      location: value('LOCATION') ?? DEFAULT_MODEL_STORAGE.location,
      repository: value('REPOSITORY_NAME') ?? DEFAULT_MODEL_STORAGE.repository,
    },
    triggerRepository: value('TRIGGER_REPOSITORY'),
    triggerBranch: value('TRIGGER_BRANCH'),
    triggerHost: value('TRIGGER_HOST'),
    triggerNamespace: value('TRIGGER_NAMESPACE'),
    triggerPaths: value('TRIGGER_PATHS')
      ?.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  };
}

if (require.main === module) {
  process.exitCode = runSynthesis(() => buildApps(optionsFromEnvironment(process.env)));
}
