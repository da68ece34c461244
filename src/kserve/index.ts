/**
 * KServe (v0.20.0) constructs over the classes generated from its CRDs: an InferenceService for one
 * model, and the admission policy that lets the serving namespace serve only promoted copies.
 */
export * from './model-inference-service';
export * from './verified-storage-admission';
