/**
 * Where the model's training code comes from by default: sigstore/model-transparency at tag v1.0.1,
 * the last commit whose Linux lock file is consistent (later ones pin torch 2.8.0 beside
 * torchvision 0.19.0, which needs torch 2.4.0).
 */
import { StringValue } from '../tekton/expression';

/** A git repository and what in it trains the model. */
export interface ModelSource {
  /** The repository to clone (https). */
  readonly url: string;
  /** The commit to check out (a full 40-hex sha1 pins it; a branch or tag is resolved at run time). */
  readonly revision: string;
  /** The pip requirements file with hashes, relative to the repository root. */
  readonly requirementsPath: string;
  /** The training entry point, relative to the repository root; takes the model name as its only argument. */
  readonly mainPath: string;
}

/**
 * A model source whose fields may also be expressions Tekton or Triggers substitutes later, such
 * as a TriggerTemplate's `$(tt.params.revision)`.
 */
export type ModelSourceValues = { readonly [K in keyof ModelSource]: StringValue };

/** sigstore/model-transparency v1.0.1 (`d56521f1…`), its Linux lock and its training entry point. */
export const DEFAULT_MODEL_SOURCE: ModelSource = {
  url: 'https://github.com/sigstore/model-transparency',
  revision: 'd56521f123fa0ad14127f40ed831334cd47a80e8',
  requirementsPath: 'slsa_for_models/install/requirements_Linux.txt',
  mainPath: 'slsa_for_models/main.py',
};

/** Where the GPU run's workload lives until you name your own copy (`WORKLOAD_REPOSITORY` at synth): a host that never resolves. */
export const WORKLOAD_REPOSITORY_PLACEHOLDER = 'https://git.example.invalid/your-fork/slsa-for-models';

/**
 * The tiny-cnn workload of this project (`workloads/tiny-cnn/`: a small CNN on generated images, with
 * checkpoints), in a clone of this repository that your cluster can reach.
 * @param url the repository (your fork or mirror of slsa-for-models)
 * @param revision a full commit pins it; a branch or tag is resolved at run time (the provenance records the commit)
 */
export function tinyCnnModelSource(url: string, revision = 'main'): ModelSource {
  return { url, revision, requirementsPath: 'workloads/tiny-cnn/requirements.txt', mainPath: 'workloads/tiny-cnn/train.py' };
}
