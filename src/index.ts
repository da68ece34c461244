/**
 * slsa-for-models as a library for cdk8s apps: typed Tekton and Tekton Triggers constructs, Tekton Pipelines and Chains
 * configuration, the model pipeline, Kubeflow Pipelines v2 compiled to Tekton, atomic synthesis, Mermaid pictures of Pipelines, the Tekton checker and
 * provenance verification.
 */
export * from './tekton';
export * from './triggers';
export * from './chains';
export * from './models';
export * from './kserve';
export * from './synth';
export * from './graph';
export { checkDocuments } from './check';
export type { CheckOptions, Finding, Severity, FieldPathSegment } from './check';
export * from './verify';
export {
  KfpPipeline,
  KFP_WORKSPACE,
  KFP_RUNTIME_PARAM,
  readKfpIr,
  compileKfp,
  planPipeline,
  KfpIrError,
  KfpUnsupportedError,
  KfpCheckError,
} from './kfp';
export type { KfpIr, KfpPipelineProps, CompileOptions, CompileKfpOptions, CompiledKfpPipeline, PipelinePlan } from './kfp';
