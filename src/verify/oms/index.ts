// OpenSSF Model Signing (OMS): model_signing's manifest, root digest and signature verification.
export { verifyOmsSignature, manifestDifference, publicKeyHint } from './verify-oms';
export type { OmsMethod, OmsVerificationResult, SigstoreBundleVerifier, VerifyOmsOptions } from './verify-oms';
export { omsSigstoreVerifier } from './oms-sigstore';
export type { OmsSigstoreOptions } from './oms-sigstore';
export { serializeModel, modelName, DEFAULT_SHARD_SIZE } from './serialize-model';
export type { SerializeModelOptions, SerializedModel } from './serialize-model';
export { listModelFiles, resolveIgnorePaths, GIT_IGNORE_PATHS } from './model-files';
export type { ListModelFilesOptions, ModelFile, ModelListing } from './model-files';
export { compareResources, resourceName, rootDigest, sortResources } from './manifest';
export type { OmsHashType, OmsResource, OmsSerialization } from './manifest';
export { readOmsStatement, OMS_PREDICATE_V1, OMS_PREDICATE_DIGESTS_V01, OMS_PREDICATE_TYPES } from './oms-statement';
export type { OmsManifest } from './oms-statement';
export { readOmsBundle, OMS_BUNDLE_MEDIA_TYPE } from './oms-bundle';
export type { OmsBundle, OmsVerificationMaterial } from './oms-bundle';
export { hashTasks } from './hash-pool';
export type { HashTask, HashTasksOptions } from './hash-pool';
export { modelSubjectDigest } from './model-subject';
export type { ModelSubjectDigest } from './model-subject';
