/**
 * The cdk8s app `npm run synth` runs. Writes, atomically:
 * - `dist/*.yaml`: what `kubectl apply -f dist` installs (Tekton feature flags, Chains configuration,
 *   the run's service account, the Tasks and the Pipeline);
 * - `dist/runs/*.yaml`: a PipelineRun for `kubectl create -f dist/runs/`.
 *
 * Environment: `GOOGLE_SERVICE_ACCOUNT` (optional) annotates the service account for Workload Identity
 * impersonation; `CDK8S_OUTDIR` changes the output directory (default `dist`).
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import { SlsaForModels, SlsaForModelsProps } from './models/slsa-for-models';
import { SlsaForModelsRun } from './models/slsa-for-models-run';
import { runSynthesis, SynthesisUnit } from './synth';

/** Options of `buildApps`. */
export interface BuildAppsOptions extends SlsaForModelsProps {
  /** Where the apps' charts would be written; passed to cdk8s. @default 'dist' */
  readonly outdir?: string;
}

/** Builds the two apps: the installed objects (output root) and the run (`runs/`). */
export function buildApps(options: BuildAppsOptions = {}): SynthesisUnit[] {
  const outdir = options.outdir ?? 'dist';
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, 'slsa-for-models', { disableResourceNameHashes: true });
  const models = new SlsaForModels(chart, 'SlsaForModels', options);
  const runs = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const runChart = new Chart(runs, 'slsa-for-models-run', { disableResourceNameHashes: true });
  new SlsaForModelsRun(runChart, 'Run', { pipeline: models.pipeline, serviceAccountName: models.serviceAccount.name });
  return [{ app }, { app: runs, directory: 'runs' }];
}

if (require.main === module) {
  const googleServiceAccount = process.env.GOOGLE_SERVICE_ACCOUNT?.trim() || undefined;
  process.exitCode = runSynthesis(() => buildApps({ googleServiceAccount }));
}
