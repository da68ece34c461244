/**
 * KServe (v0.20.0) constructs over the classes generated from its CRDs: an InferenceService for one
 * model, and the verifying ClusterStorageContainer.
 */
export * from './model-inference-service';
