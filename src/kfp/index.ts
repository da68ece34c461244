/**
 * Kubeflow Pipelines v2 on Tekton: read a compiled KFP pipeline (IR) and compile it into typed
 * Tekton constructs with Tekton Chains type hints.
 */
export * from './pipeline-spec';
export { planPipeline, conditionToWhen, tektonName, wireOf, KfpUnsupportedError, ABSENT } from './compiler';
export type { CompileOptions, PipelinePlan, PlannedTask, PlannedParam, PlannedResult, PlannedWhen } from './compiler';
export * from './kfp-pipeline';
export { LAUNCHER_PY, STAND_IN_PY, launcherScript } from './launcher-source';
export * from './compile-files';
