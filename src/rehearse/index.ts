/**
 * The rehearsal as a library: run a Tekton PipelineRun's step scripts on this machine and produce what
 * Tekton Chains v0.29.2 would sign for it; and `chainsProvenance`, what Chains would sign for any finished
 * run (the library behind `slsa-for-models provenance`). No cdk8s import.
 */
export { rehearse, readDistObjects, readChainsSettings } from './rehearsal';
export type { RehearsalOptions, RehearsalOutcome, ChainsSettings } from './rehearsal';
export { rehearsePipelineRun } from './pipeline-run-rehearsal';
export type { PipelineRunRehearsalInput, PipelineRunRehearsal } from './pipeline-run-rehearsal';
export { rehearseTaskRun } from './task-run-rehearsal';
export type { TaskRunRehearsalInput, TaskRunOutcome } from './task-run-rehearsal';
export {
  buildPipelineRunProvenance,
  buildTaskRunProvenance,
  chainsProvenance,
  ChainsProvenanceError,
  CHAINS_DEFAULT_BUILDER_ID,
  SLSA_BUILD_TYPE,
  SLSA_TEKTON_BUILD_TYPE,
} from '../chains/chains-provenance';
export type {
  ChainsProvenanceConfig,
  ChainsProvenanceInput,
  ChainsRunKind,
  ProvenanceStatement,
  ResourceDescriptorJson,
  RunObject,
} from '../chains/chains-provenance';
export { readChainsConfig, provenanceConfigFor, ChainsConfigError } from '../chains/chains-config-reader';
export type { ChainsConfigSettings } from '../chains/chains-config-reader';
export { generateCosignKeyPair, readCosignPrivateKey, encryptCosignPrivateKey, publicKeyPemOf, CosignKeyError } from './cosign-key';
export type { CosignKeyPair } from './cosign-key';
export { signDsseEnvelope, sshFingerprintSha256 } from './dsse-signing';
export type { SignedDsseEnvelope } from './dsse-signing';
export { readTektonFeatureFlags, FeatureFlagsError } from '../tekton-model/feature-flags';
export type { FeatureFlagSettings } from '../tekton-model/feature-flags';
/** @deprecated the parsed flags are `FeatureFlagSettings`; `TektonFeatureFlags` is the construct that writes the ConfigMap. */
export type { FeatureFlagSettings as TektonFeatureFlags } from '../tekton-model/feature-flags';
export { RehearsalError, RehearsalInputError } from './rehearsal-error';
