// The public surface of slsa-for-models' provenance verification, usable without cdk8s.
export { verifyModelAttestation } from './verify-model-attestation';
export type {
  AttestationFacts, VerificationFailure, VerificationResult, VerifiedSource, VerifiedSubject, VerifyModelAttestationOptions,
} from './verify-model-attestation';
export { parseDsseEnvelope, envelopeFromJson } from './dsse-envelope';
export type { DsseEnvelope, DsseSignature } from './dsse-envelope';
export { preAuthenticationEncoding, IN_TOTO_PAYLOAD_TYPE } from './dsse-pae';
export { verifyDsseEnvelope, signatureMatches, MAX_DSSE_SIGNATURES } from './dsse-signature-verification';
export type { VerifiedEnvelopePayload } from './dsse-signature-verification';
export { decodeStrictBase64 } from './strict-base64';
export type { Base64Decoding } from './strict-base64';
export { loadVerificationKey, parsePublicKeyPem, verificationKeyFromKeyObject, MIN_RSA_KEY_BITS } from './verification-key';
export type { VerificationKey, LoadVerificationKeyOptions } from './verification-key';
export { parseInTotoStatement, IN_TOTO_STATEMENT_TYPES } from './in-toto-statement';
export type { InTotoStatement, InTotoSubject } from './in-toto-statement';
export { COSIGN_PREDICATE_TYPES, DEFAULT_PREDICATE_TYPE, resolvePredicateType } from './predicate-types';
export { readProvenanceFacts, SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V01 } from './provenance-facts';
export type { ProvenanceFacts, BuildDependency, RunKind, RecordedRef, RecordedParam } from './provenance-facts';
export { enforceProvenancePolicy, findSourceDependency, parseRequiredParam, sourceUriMatches, gitCommitOf } from './provenance-policy';
export type {
  ProvenancePolicy, RequiredParam, DeclaredParam, PipelinePolicy, TimePolicy, SubjectPolicy, PolicyContext,
} from './provenance-policy';
export { sha256OfFile, sha256OfStream, DEFAULT_HASH_CHUNK_SIZE } from './model-digest';
export type { FileDigest, Sha256OfFileOptions } from './model-digest';
export { envelopeFromPipelineRun, PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX } from './pipelinerun-envelope';
export type { PipelineRunEnvelope } from './pipelinerun-envelope';
export { UnreadableInputError, AttestationRejectedError, MAX_REASON_LENGTH } from './verification-errors';
export { findAmbiguousJsonKey, MAX_JSON_NESTING_DEPTH } from './ambiguous-json-keys';
export { readPipelineDeclarations } from './pipeline-declarations';
export type { DeclaredPipeline } from './pipeline-declarations';
export * from './oms';
