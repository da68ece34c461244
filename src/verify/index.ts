// The public surface of slsa-for-models' provenance verification, usable without cdk8s.
export { verifyModelAttestation } from './verify-model-attestation';
export type {
  AttestationFacts,
  VerificationFailure,
  VerificationResult,
  VerifiedSource,
  VerifiedSubject,
  VerifyModelAttestationOptions,
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
  ProvenancePolicy,
  RequiredParam,
  DeclaredParam,
  PipelinePolicy,
  TimePolicy,
  SubjectPolicy,
  PolicyContext,
} from './provenance-policy';
export { sha256OfFile, sha256OfStream, DEFAULT_HASH_CHUNK_SIZE } from './model-digest';
export type { FileDigest, Sha256OfFileOptions } from './model-digest';
export { envelopeFromPipelineRun, PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX } from './pipelinerun-envelope';
export type { PipelineRunEnvelope } from './pipelinerun-envelope';
export { UnreadableInputError, AttestationRejectedError, MAX_REASON_LENGTH } from './verification-errors';
export { findAmbiguousJsonKey, MAX_JSON_NESTING_DEPTH } from './ambiguous-json-keys';
export { readPipelineDeclarations } from './pipeline-declarations';
export type { DeclaredPipeline } from './pipeline-declarations';
export { verifyModelDirectory, namesFile } from './model-directory';
export type { DirectoryFileMatch, DirectorySubject, VerifyModelDirectoryOptions } from './model-directory';
export { ANY_PREDICATE_TYPE } from './verify-model-attestation';
export type { VerificationChecks } from './verify-model-attestation';
export {
  parseVerifyPolicy,
  mergeVerifyPolicies,
  rebaseVerifyPolicyPaths,
  resolveVerifyPolicy,
  parseDurationSeconds,
  VERIFY_POLICY_API_VERSION,
  VERIFY_POLICY_KIND,
} from './verify-policy';
export type { VerifyPolicy, ResolvedVerifyPolicy } from './verify-policy';
// Sigstore: bundles, Rekor entries, trusted roots, the log check (over @sigstore/verify).
export { parseSigstoreBundle, SIGSTORE_BUNDLE_MEDIA_TYPES } from './sigstore/sigstore-bundle';
export { parseRekorEntry, SUPPORTED_ENTRY_KINDS } from './sigstore/rekor-entry';
export { parseCheckpoint } from './sigstore/checkpoint';
export type { Checkpoint } from './sigstore/checkpoint';
export { parseTrustedRoot, TRUSTED_ROOT_MEDIA_TYPES } from './sigstore/trusted-root';
export type { SigstoreTrustedRoot } from './sigstore/trusted-root';
export { verifySigstoreEvidence, signerKeysInBody } from './sigstore/sigstore-evidence';
export type { CertificateIdentityPolicy, SigstoreChecks, SigstoreEvidenceOptions, VerifiedLogEntry } from './sigstore/sigstore-evidence';
export { verifySigstoreBundle } from './sigstore/verify-bundle';
export type { VerifySigstoreBundleOptions, VerifiedSigstoreBundle } from './sigstore/verify-bundle';
export { verifyEnvelopeLogEntries } from './sigstore/verify-envelope-log';
export type { VerifyEnvelopeLogEntriesOptions } from './sigstore/verify-envelope-log';
export { LocalTransparencyLog } from './sigstore/local-transparency-log';
export type { LocalTransparencyLogOptions, LoggedDsse } from './sigstore/local-transparency-log';
export * from './oms';
