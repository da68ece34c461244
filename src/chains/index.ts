/**
 * Tekton Pipelines and Tekton Chains configuration, and the Chains conventions that decide what a
 * PipelineRun's attestation names.
 */
export * from './tekton-feature-flags';
export * from './chains-config';
export * from './chains-config-reader';
export * from './chains-provenance';
export * from './chains-annotations';
export * from './type-hinting';
export * from './chains-byproducts';
export * from './oci-reference';
export * from './attestation-subject-check';
export * from './attestation-subject-validation';
