/**
 * An example cdk8s app that uses the slsa-for-models constructs for its own model:
 * another training repository, Chains writing `slsa/v2alpha3` for TaskRuns and keeping PipelineRun
 * attestations both as annotations and in a GCS bucket, a bigger workspace and a different
 * Artifact Registry repository.
 *
 * Build and synthesize: `npx tsc -p . && node build/main.js` (writes dist/ and dist/runs/).
 */
import { App, Chart } from 'cdk8s';
import { ModelSource, runSynthesis, SlsaForModels, SlsaForModelsRun, SynthesisUnit } from './library';

/** The training code: a fork of the upstream CIFAR-10 trainer, pinned to one commit. */
export const MY_MODEL_SOURCE: ModelSource = {
  url: 'https://github.com/example-org/cifar10-models',
  revision: '3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  requirementsPath: 'requirements/linux.lock',
  mainPath: 'train.py',
};

/** Builds the installed objects (output root) and a run (`runs/`). */
export function buildExample(): SynthesisUnit[] {
  const app = new App();
  const chart = new Chart(app, 'cifar10-models', { disableResourceNameHashes: true });
  const models = new SlsaForModels(chart, 'Models', {
    pipeline: { modelSource: MY_MODEL_SOURCE, trainingTimeout: '3h' },
    chains: {
      taskRunFormat: 'slsa/v2alpha3',
      pipelineRunFormat: 'slsa/v2alpha4',
      pipelineRunStorage: ['tekton', 'gcs'],
      gcsBucket: 'example-org-attestations',
      builderId: 'https://example.org/builders/gke-tekton',
    },
    serviceAccountName: 'cifar10-trainer',
  });
  const runs = new App();
  const runChart = new Chart(runs, 'cifar10-models-run', { disableResourceNameHashes: true });
  new SlsaForModelsRun(runChart, 'Run', {
    pipeline: models.pipeline,
    serviceAccountName: models.serviceAccount.name,
    modelName: 'tensorflow_model.keras',
    modelStorage: { package: 'cifar10-keras', location: 'europe-west4', repository: 'models' },
    workspaceSize: '10Gi',
    pipelineTimeout: '4h',
  });
  return [{ app }, { app: runs, directory: 'runs' }];
}

if (require.main === module) {
  process.exitCode = runSynthesis(buildExample);
}
