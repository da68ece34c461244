/**
 * The SLSA-for-models pipeline: its Tasks, Pipeline, run and service account, the pinned images, the
 * bundle `kubectl apply -f dist` installs, and the runs on every push (Triggers, Pipelines-as-Code).
 */
export * from './images';
export * from './accelerator';
export * from './step-resources';
export * from './hardening';
export * from './model-names';
export * from './model-source';
export * from './git-clone-task';
export * from './train-model-task';
export * from './upload-model-task';
export * from './slsa-for-models-pipeline';
export * from './slsa-for-models-run';
export * from './run-service-account';
export * from './slsa-for-models';
export * from './event-listener-service-account';
export * from './webhook-ingress';
export * from './slsa-for-models-trigger';
export * from './slsa-for-models-pac-run';
export * from './deploy-images';
export * from './deploy-gate-policy';
export * from './verifier-bundle';
export * from './verifier-config-maps';
export * from './trusted-root-config-map';
export * from './deploy-gate-tasks';
export * from './deploy-gate-pipeline';
export * from './deploy-gate-run';
export * from './deploy-gate';
export { GateFailure, VERIFIED_MODEL_ANNOTATION, TORCHSERVE_HANDLER, torchServeArchive, torchServeConfig } from './deploy-gate-program';
export type { DeployGatePolicyJson } from './deploy-gate-program';
