/**
 * The SLSA-for-models pipeline: its Tasks, Pipeline, run and service account, the pinned images, and
 * the bundle `kubectl apply -f dist` installs.
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
