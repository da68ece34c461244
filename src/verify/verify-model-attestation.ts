import { KeyObject } from 'node:crypto';
import { access } from 'node:fs/promises';
import { readBoundedFile } from './bounded-file';
import { DsseEnvelope, parseDsseEnvelope } from './dsse-envelope';
import { verifyDsseEnvelope } from './dsse-signature-verification';
import { InTotoStatement, parseInTotoStatement } from './in-toto-statement';
import { modelSubjectDigest } from './oms/model-subject';
import { envelopeFromPipelineRun, PipelineRunEnvelope } from './pipelinerun-envelope';
import { COSIGN_PREDICATE_TYPES, DEFAULT_PREDICATE_TYPE, resolvePredicateType } from './predicate-types';
import { BuildDependency, ProvenanceFacts, readProvenanceFacts, RunKind, SLSA_PROVENANCE_V1 } from './provenance-facts';
import { enforceProvenancePolicy, findSourceDependency, gitCommitOf, PolicyContext, ProvenancePolicy } from './provenance-policy';
import { AttestationRejectedError, oneLine, UnreadableInputError } from './verification-errors';
import { describeFileError } from './file-error';
import { loadVerificationKey, VerificationKey, verificationKeyFromKeyObject } from './verification-key';
import { DirectoryFileMatch, verifyModelDirectory } from './model-directory';
import { SigstoreOptionsError } from './sigstore/options-error';
import type { CertificateIdentityPolicy, SigstoreChecks, VerifiedLogEntry } from './sigstore/sigstore-evidence';
import type { SigstoreTrustedRoot } from './sigstore/trusted-root';

/** The `--type` that accepts any predicate type (ours, not cosign's). */
export const ANY_PREDICATE_TYPE = 'any';

/** Loaded only when Sigstore evidence is involved: @sigstore/* costs startup time a plain check does not need. */
function sigstoreSteps(): typeof import('./sigstore/sigstore-steps') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  return require('./sigstore/sigstore-steps') as typeof import('./sigstore/sigstore-steps');
}

/** What to verify, and against what. */
export interface VerifyModelAttestationOptions {
  /**
   * The public key: a PEM file path, `k8s://NAMESPACE/SECRET`, or a node:crypto public KeyObject;
   * or several (key rotation): a signature verified by any of them is accepted.
   */
  readonly key?: string | KeyObject | readonly (string | KeyObject)[];
  /** A file holding the DSSE envelope (JSON, or base64 of JSON). One of signaturePath, pipelineRunPath, envelope. */
  readonly signaturePath?: string;
  /**
   * A PipelineRun saved as JSON or YAML; the envelope is its `chains.tekton.dev/signature-pipelinerun-<uid>`
   * annotation, and the statement must describe that run: a PipelineRun, with the run's uid as its
   * invocation id where the format records one (Chains' SLSA v1.0 formats).
   */
  readonly pipelineRunPath?: string;
  /** The envelope itself (JSON or base64 of JSON), already in memory. */
  readonly envelope?: string | Uint8Array;
  /**
   * A Sigstore bundle (v0.1 to v0.3) holding the DSSE envelope with its log entry, signed with a
   * key or a Fulcio certificate; or a message signature over the model file itself
   * (`cosign sign-blob --bundle`), which carries no provenance. One of the envelope sources.
   */
  readonly bundlePath?: string;
  /**
   * The Fulcio certificate that signed the envelope (keyless Chains: the PEM of its
   * `chains.tekton.dev/cert-pipelinerun-<uid>` annotation; cosign's `--certificate`), instead of a key.
   */
  readonly certificatePath?: string;
  /** Rekor API entries saved beside the envelope (`scripts/fetch-attestation.sh` writes rekor-entry.json). */
  readonly rekorEntryPaths?: readonly string[];
  /** Sigstore's `trusted_root.json` (a path, or parsed): the log keys, CAs and CT logs. Needed for a log check, a bundle or a certificate. */
  readonly trustedRoot?: string | SigstoreTrustedRoot;
  /** Skip the transparency log check, as cosign's `--insecure-ignore-tlog`. @default false: a log entry must verify */
  readonly insecureIgnoreTlog?: boolean;
  /** Who must have signed, when a Fulcio certificate signs (`--certificate-identity[-regexp]`, `--certificate-oidc-issuer`). */
  readonly certificateIdentity?: CertificateIdentityPolicy;
  /** A model directory, verified file by file against the subjects (instead of `modelPath`). */
  readonly modelDirectory?: string;
  /** Files no subject names may be in `modelDirectory`. @default false */
  readonly allowExtraFiles?: boolean;
  /** Subjects may have no file in `modelDirectory`. @default false */
  readonly allowMissingFiles?: boolean;
  /** The clock (log entry times, certificate validity). @default the current time */
  readonly now?: Date;
  /** cosign `--type`: a short name (`slsaprovenance1`, `slsaprovenance`, `custom`, ...) or a predicate type URI. @default 'slsaprovenance1' */
  readonly predicateType?: string;
  /**
   * Check that a subject of the statement has the model's sha256 (cosign `--check-claims`). With
   * `false`, the model is not read and `modelSha256` is refused (it would be silently ignored). @default true
   */
  readonly checkClaims?: boolean;
  /**
   * The model to hash: a file (its sha256), or a directory (its OMS root digest, as
   * `slsa-for-models digest` prints it and the upload task records it). Give this or `modelSha256`
   * when checking claims.
   */
  readonly modelPath?: string;
  /** The model's sha256 in hex (a `sha256:` prefix is allowed), instead of hashing `modelPath` (cosign `--digest`). */
  readonly modelSha256?: string;
  /** What the provenance must say besides: builder, source, commit, params. */
  readonly policy?: ProvenancePolicy;
  /** Called while the model is hashed. */
  readonly onProgress?: (bytesHashed: number, totalBytes: number) => void;
  /** The environment kubectl runs with for `k8s://` keys. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Why a verification did not succeed: `usage` (the options are wrong), `unreadable` (an input
 * cannot be read or parsed), `rejected` (the inputs were read and do not verify), `internal`
 * (a fault of the verifier itself; never a verdict about the inputs).
 */
export type VerificationFailure = 'usage' | 'unreadable' | 'rejected' | 'internal';

/** A subject of the verified statement. */
export interface VerifiedSubject {
  /** The artifact name recorded in the statement. */
  readonly name: string;
  /** Its sha256, when recorded. */
  readonly sha256?: string;
}

/** The source a build came from, as its provenance records it. */
export interface VerifiedSource {
  /** The dependency URI, e.g. `git+https://github.com/org/repo.git@refs/heads/main`. */
  readonly uri: string;
  /** The git commit (the `sha1` or `gitCommit` digest), when recorded. */
  readonly commit?: string;
}

/** A named input of the build, as its provenance records it. */
export interface VerifiedInput {
  /** `base-model`, `dataset`, `source`: the result's name before `_ARTIFACT_INPUTS`. */
  readonly name: string;
  /** The input's URI. */
  readonly uri: string;
  /** Its digest, `ALG:HEX`, when valid. */
  readonly digest?: string;
}

/** The facts of an attestation whose signature verified, for a deploy gate to log or judge. */
export interface AttestationFacts {
  /** The statement's predicate type URI. */
  readonly predicateType: string;
  /** The statement's `_type`. */
  readonly statementType: string;
  /** Every subject of the statement. */
  readonly subjects: readonly VerifiedSubject[];
  /** The subject whose sha256 matched the model (when claims were checked and matched). */
  readonly matchedSubject?: VerifiedSubject;
  /** The builder id. */
  readonly builderId?: string;
  /** The build type. */
  readonly buildType?: string;
  /** The source and commit (the one the policy matched, else the first git dependency). */
  readonly source?: VerifiedSource;
  /** The run's invocation id (Tekton Chains' SLSA v1.0 formats: the run's uid). */
  readonly invocationId?: string;
  /** The run's named inputs (its `<name>_ARTIFACT_INPUTS` results, Chains' SLSA v1.0 formats): what the model was trained from. */
  readonly inputs?: readonly VerifiedInput[];
  /** The kind of run the provenance describes, when it says. */
  readonly runKind?: RunKind;
  /** The pipeline the run referred to (`runSpec.pipelineRef.name`), when recorded. */
  readonly pipelineName?: string;
  /** When the build started, as recorded. */
  readonly startedOn?: string;
  /** When the build finished, as recorded. */
  readonly finishedOn?: string;
  /** Which envelope signature verified (0-based) and the keyid it claims (informational only). */
  readonly signature: { readonly index: number; readonly keyid?: string };
  /** The key that verified it, e.g. `ecdsa p-256`. */
  readonly keyDescription: string;
  /** Where that key came from (a file path, `k8s://...`, `(KeyObject)`): with several trusted keys, which one. */
  readonly keySource: string;
}

/** Which checks ran, for a gate's log (`--json`) and the summary. */
export interface VerificationChecks {
  /** What signed: a key, or a Fulcio certificate (identity checked). */
  readonly signer: string;
  /** `verified` (the entries below), or `skipped` (`insecureIgnoreTlog`). */
  readonly transparencyLog: 'verified' | 'skipped';
  /** The log entries that verified. */
  readonly logEntries?: readonly VerifiedLogEntry[];
  /** The signing certificate, when one signed. */
  readonly certificate?: SigstoreChecks['certificate'];
  /** RFC 3161 timestamps verified. */
  readonly timestamps?: number;
  /**
   * How the model was matched: one file's digest, a given digest, a directory's OMS root digest
   * (one subject for the whole directory), a directory file by file (`--model-dir`), a message
   * signature over the file, or not at all.
   */
  readonly subject: 'file' | 'digest' | 'directory root' | 'directory' | 'message signature' | 'not checked';
  /** The directory's files and their subjects. */
  readonly modelDirectory?: readonly DirectoryFileMatch[];
}

/** The verdict of {@link verifyModelAttestation}. */
export interface VerificationResult {
  /** True only when the signature, payload type, predicate type, subject (unless skipped), run binding and policy all hold. */
  readonly verified: boolean;
  /** One lowercase line: what was verified, or exactly why not. */
  readonly reason: string;
  /** Set when not verified: what kind of problem stopped it. */
  readonly failure?: VerificationFailure;
  /** The model's sha256 (hashed or given), when known. */
  readonly modelSha256?: string;
  /** The attestation's facts, once its signature verified (present on later failures too). */
  readonly attestation?: AttestationFacts;
  /** Which checks ran (on success). */
  readonly checks?: VerificationChecks;
}

/**
 * Verifies a model against its signed SLSA provenance, as `cosign verify-blob-attestation
 * --key KEY --signature FILE --type T MODEL` does, plus a deploy-gate policy. Never throws:
 * every problem comes back as a result with `verified: false`, a `failure` kind and a one-line
 * `reason` (at most `MAX_REASON_LENGTH` characters).
 */
export async function verifyModelAttestation(options: VerifyModelAttestationOptions): Promise<VerificationResult> {
  let modelSha256: string | undefined;
  let attestation: AttestationFacts | undefined;
  try {
    const predicateType = validateOptions(options);
    const checkClaims = options.checkClaims ?? true;
    const keys = await resolveKeys(options);
    if (checkClaims && options.modelPath !== undefined) await ensureReadableModel(options.modelPath);
    const signed = await readSignedPayload(options, keys);
    if (signed.content === 'message') return messageResult(signed, options);
    const { run, key, signer } = signed;
    const verified = signed;
    let checks: VerificationChecks = logChecks(signer, signed.log);
    const statement = parseInTotoStatement(verified.payload);
    const facts = readProvenanceFacts(statement);
    attestation = withSource(
      describeAttestation(statement, facts, key, signer, verified.signatureIndex, verified.keyid),
      findSourceDependency(facts),
    );
    if (run !== undefined) bindToPipelineRun(statement, facts, run);
    if (predicateType !== ANY_PREDICATE_TYPE && statement.predicateType !== predicateType) {
      throw new AttestationRejectedError(
        `statement predicateType is ${statement.predicateType}, not ${predicateType}${typeHint(statement.predicateType)}`,
      );
    }
    if (checkClaims && options.modelDirectory !== undefined) {
      const files = await verifyModelDirectory(options.modelDirectory, statement.subjects.map(subjectOf), {
        allowExtraFiles: options.allowExtraFiles ?? false,
        allowMissingFiles: options.allowMissingFiles ?? false,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      checks = { ...checks, subject: 'directory', modelDirectory: files };
    } else if (checkClaims) {
      // A directory's subject is its OMS root digest: the one digest its provenance and an OMS signature share.
      const hashed =
        options.modelSha256 === undefined
          ? await modelSubjectDigest(options.modelPath!, options.onProgress ? { onProgress: options.onProgress } : {})
          : undefined;
      modelSha256 = hashed?.sha256 ?? options.modelSha256!.replace(/^sha256:/, '').toLowerCase();
      const matched = statement.subjects.find((subject) => subject.digest.sha256 === modelSha256);
      if (!matched) throw new AttestationRejectedError(noSubjectReason(statement, modelSha256, hashed?.kind));
      attestation = { ...attestation, matchedSubject: subjectOf(matched) };
      checks = { ...checks, subject: hashed === undefined ? 'digest' : hashed.kind === 'directory' ? 'directory root' : 'file' };
    }
    const context: PolicyContext = {
      subjectCount: statement.subjects.length,
      ...(attestation.matchedSubject === undefined ? {} : { matchedSubjectName: attestation.matchedSubject.name }),
      ...(run === undefined ? {} : { runOutcome: run.outcome }),
      ...(run?.namespace === undefined ? {} : { runNamespace: run.namespace }),
    };
    const source = enforceProvenancePolicy(facts, options.policy ?? {}, context);
    attestation = withSource(attestation, source);
    const what = attestation.matchedSubject
      ? `${attestation.matchedSubject.name || 'subject'} sha256:${modelSha256}`
      : checks.modelDirectory
        ? `${checks.modelDirectory.length} files of ${options.modelDirectory}`
        : 'the signature and predicate type only (claims not checked: no model was read or compared)';
    // `checks` says what ran; the reason names the log only when it was checked (its wording is older than the log check).
    const log = checks.transparencyLog === 'verified' ? ', in the transparency log' : '';
    const result: VerificationResult = {
      verified: true,
      reason: oneLine(`verified ${what} with the ${signer}${log}`),
      attestation,
      checks,
    };
    return modelSha256 === undefined ? result : { ...result, modelSha256 };
  } catch (err) {
    const failure = failureKind(err);
    const message = err instanceof Error ? err.message : String(err);
    const result: VerificationResult = {
      verified: false,
      reason: oneLine(failure === 'internal' ? `internal error: ${message}` : message),
      failure,
    };
    return { ...result, ...(modelSha256 === undefined ? {} : { modelSha256 }), ...(attestation === undefined ? {} : { attestation }) };
  }
}

/**
 * Binds the statement to the PipelineRun its envelope was taken from: the annotation's uid alone
 * proves nothing (any envelope Chains signed can be pasted under it). The statement must describe
 * a PipelineRun, and, where the format records an invocation id (Chains' SLSA v1.0 formats write
 * the run's uid there), it must be this run's uid.
 */
function bindToPipelineRun(statement: InTotoStatement, facts: ProvenanceFacts, run: PipelineRunEnvelope): void {
  const label = `pipelinerun ${run.name ?? '(unnamed)'} (uid ${run.uid})`;
  if (facts.runKind !== 'PipelineRun') {
    throw new AttestationRejectedError(
      facts.runKind === undefined
        ? `the statement does not say it describes a PipelineRun, so it cannot be bound to ${label}`
        : `the statement describes a ${facts.runKind}, not ${label}`,
    );
  }
  if (facts.invocationId === undefined) {
    if (statement.predicateType === SLSA_PROVENANCE_V1)
      throw new AttestationRejectedError(`the statement records no invocation id, so it cannot be bound to ${label}`);
    return;
  }
  if (facts.invocationId !== run.uid) throw new AttestationRejectedError(`the statement is about run ${facts.invocationId}, not ${label}`);
}

/** A mistake in the options passed to {@link verifyModelAttestation}. */
class OptionsError extends Error {}

function failureKind(err: unknown): VerificationFailure {
  if (err instanceof OptionsError) return 'usage';
  if (err instanceof SigstoreOptionsError) return 'usage';
  if (err instanceof UnreadableInputError) return 'unreadable';
  if (err instanceof AttestationRejectedError) return 'rejected';
  return 'internal';
}

function validateOptions(options: VerifyModelAttestationOptions): string {
  const sources = [options.signaturePath, options.pipelineRunPath, options.envelope, options.bundlePath].filter(
    (value) => value !== undefined,
  );
  if (sources.length !== 1) throw new OptionsError('give exactly one of a signature file, a pipelinerun file, a bundle, or an envelope');
  const typeName = options.predicateType ?? DEFAULT_PREDICATE_TYPE;
  const predicateType = typeName === ANY_PREDICATE_TYPE ? ANY_PREDICATE_TYPE : resolvePredicateType(typeName);
  if (predicateType === undefined) {
    throw new OptionsError(
      `invalid predicate type "${typeName}" (a URI, any, or one of slsaprovenance1, slsaprovenance, slsaprovenance02, custom, spdx, spdxjson, cyclonedx, link, vuln, openvex)`,
    );
  }
  if (options.bundlePath !== undefined && options.rekorEntryPaths?.length)
    throw new OptionsError('a bundle carries its own log entry: give --rekor-entry with --signature or --pipelinerun only');
  if (options.modelDirectory !== undefined && (options.modelPath !== undefined || options.modelSha256 !== undefined))
    throw new OptionsError('give the model file, its digest or a model directory, one of them');
  if ((options.allowExtraFiles || options.allowMissingFiles) && options.modelDirectory === undefined)
    throw new OptionsError('--allow-extra-files and --allow-missing-files apply to a model directory (--model-dir)');
  if (options.checkClaims === false && options.modelSha256 !== undefined) {
    throw new OptionsError(
      'a digest is only compared when claims are checked: drop the digest or --check-claims=false (cosign would ignore the digest silently)',
    );
  }
  if (options.checkClaims ?? true) {
    if (options.modelPath !== undefined && options.modelSha256 !== undefined)
      throw new OptionsError('give the model file or its digest, not both');
    if (options.modelPath === undefined && options.modelSha256 === undefined && options.modelDirectory === undefined)
      throw new OptionsError('give the model file or --digest HEX (or --check-claims=false to check the signature only)');
    if (options.modelSha256 !== undefined && !/^(sha256:)?[0-9a-fA-F]{64}$/.test(options.modelSha256)) {
      throw new OptionsError(`digest "${options.modelSha256}" is not a sha256 (64 hex characters)`);
    }
  }
  const keys: readonly unknown[] = options.key === undefined ? [] : Array.isArray(options.key) ? options.key : [options.key];
  if (keys.length === 0 && options.bundlePath === undefined && options.certificatePath === undefined)
    throw new OptionsError('give at least one key');
  if (keys.length > 0 && options.certificatePath !== undefined) throw new OptionsError('give a key or a certificate, not both');
  if (options.certificatePath !== undefined && options.bundlePath !== undefined)
    throw new OptionsError('a bundle carries its own certificate: give --certificate with --signature or --pipelinerun only');
  const policy = options.policy ?? {};
  if ((policy.subject?.name !== undefined || policy.subject?.namePrefix !== undefined) && options.checkClaims === false) {
    throw new OptionsError('a subject name is judged on the subject that matches the model: it needs claims checked');
  }
  const time = policy.time;
  if (time?.maxAgeSeconds !== undefined && !(time.maxAgeSeconds >= 0))
    throw new OptionsError(`maximum age ${time.maxAgeSeconds} is not a number of seconds`);
  if (
    time?.notBefore !== undefined &&
    Number.isNaN(typeof time.notBefore === 'string' ? Date.parse(time.notBefore) : time.notBefore.getTime())
  ) {
    throw new OptionsError(`not-before time ${String(time.notBefore)} is not a time`);
  }
  if (policy.sourceDigest !== undefined && !/^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$/.test(policy.sourceDigest)) {
    throw new OptionsError(`source digest "${policy.sourceDigest}" is not a git commit (40 hex characters, or 64 for sha256 repositories)`);
  }
  return predicateType;
}

/** A model must exist: a file, or a directory (hashed to its OMS root digest). */
async function ensureReadableModel(path: string): Promise<void> {
  try {
    await access(path);
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${path}: ${describeFileError(err)}`);
  }
}

async function resolveKeys(options: VerifyModelAttestationOptions): Promise<VerificationKey[]> {
  const references: readonly (string | KeyObject)[] =
    options.key === undefined ? [] : Array.isArray(options.key) ? options.key : [options.key as string | KeyObject];
  const keys: VerificationKey[] = [];
  for (const [index, reference] of references.entries()) {
    keys.push(
      typeof reference === 'string'
        ? await loadVerificationKey(reference, { env: options.env })
        : verificationKeyFromKeyObject(reference, references.length === 1 ? '(KeyObject)' : `(KeyObject ${index + 1})`),
    );
  }
  return keys;
}

async function readEnvelope(options: VerifyModelAttestationOptions): Promise<{ envelope: DsseEnvelope; run?: PipelineRunEnvelope }> {
  if (options.envelope !== undefined) return { envelope: parseDsseEnvelope(options.envelope, 'the envelope') };
  const path = (options.signaturePath ?? options.pipelineRunPath)!;
  const bytes = await readBoundedFile(path, options.signaturePath !== undefined ? 'signature' : 'pipelinerun');
  if (options.signaturePath !== undefined) return { envelope: parseDsseEnvelope(bytes, options.signaturePath) };
  const run = envelopeFromPipelineRun(bytes.toString('utf8'), path);
  const envelope = parseDsseEnvelope(
    run.envelopeText,
    `pipelinerun ${run.name ?? run.uid} annotation chains.tekton.dev/signature-pipelinerun-${run.uid}`,
  );
  return { envelope, run };
}

function describeAttestation(
  statement: InTotoStatement,
  facts: ProvenanceFacts,
  key: VerificationKey | undefined,
  signer: string,
  index: number,
  keyid?: string,
): AttestationFacts {
  const optional: Record<string, string> = {};
  for (const field of ['builderId', 'buildType', 'invocationId', 'startedOn', 'finishedOn'] as const) {
    const value = facts[field];
    if (value !== undefined) optional[field] = value;
  }
  const pipelineName = facts.pipelineRef?.name;
  const inputs = (facts.inputResults ?? []).map((input): VerifiedInput => {
    const digest = Object.entries(input.digest).map(([algorithm, hex]) => `${algorithm}:${hex}`)[0];
    return digest === undefined ? { name: input.name, uri: input.uri } : { name: input.name, uri: input.uri, digest };
  });
  return {
    predicateType: statement.predicateType,
    statementType: statement.type,
    subjects: statement.subjects.map(subjectOf),
    ...optional,
    ...(facts.runKind === undefined ? {} : { runKind: facts.runKind }),
    ...(pipelineName === undefined ? {} : { pipelineName }),
    ...(inputs.length === 0 ? {} : { inputs }),
    signature: keyid === undefined ? { index } : { index, keyid },
    keyDescription: key?.description ?? signer,
    keySource: key?.source ?? signer,
  };
}

function withSource(attestation: AttestationFacts, source: BuildDependency | undefined): AttestationFacts {
  if (source === undefined) return attestation;
  const commit = gitCommitOf(source);
  return { ...attestation, source: commit === undefined ? { uri: source.uri } : { uri: source.uri, commit } };
}

function subjectOf(subject: { name: string; digest: Readonly<Record<string, string>> }): VerifiedSubject {
  return subject.digest.sha256 === undefined ? { name: subject.name } : { name: subject.name, sha256: subject.digest.sha256 };
}

function noSubjectReason(statement: InTotoStatement, sha256: string, kind?: 'file' | 'directory'): string {
  const what = kind === 'directory' ? `the directory's root digest sha256:${sha256}` : `sha256:${sha256}`;
  if (statement.subjects.length === 0)
    return `no subject matches ${what}: the statement has no subjects (pass --check-claims=false to check the signature only)`;
  const listed = statement.subjects
    .slice(0, 3)
    .map((subject) => `${subject.name || '(unnamed)'} ${subject.digest.sha256 ? `sha256:${subject.digest.sha256}` : '(no sha256)'}`);
  const more = statement.subjects.length > 3 ? `, and ${statement.subjects.length - 3} more` : '';
  const upper = statement.subjects.find((subject) => subject.digest.sha256?.toLowerCase() === sha256);
  const hint = upper ? `; subject ${upper.name || '(unnamed)'} records it in uppercase hex, which cosign does not match either` : '';
  return `no subject matches ${what} (subjects: ${listed.join(', ')}${more})${hint}`;
}

function typeHint(actual: string): string {
  const names = Object.entries(COSIGN_PREDICATE_TYPES)
    .filter(([, uri]) => uri === actual)
    .map(([name]) => name);
  return names.length === 0 ? '' : ` (that is --type ${names[0]})`;
}

/** The signed payload, from an envelope (key-signed, its log entry checked) or a bundle. */
type SignedPayload =
  | {
      readonly content: 'dsse';
      readonly payload: Buffer;
      readonly signatureIndex: number;
      readonly keyid?: string;
      readonly key?: VerificationKey;
      readonly signer: string;
      readonly run?: PipelineRunEnvelope;
      readonly log?: SigstoreChecks;
    }
  | { readonly content: 'message'; readonly sha256: string; readonly signer: string; readonly log: SigstoreChecks };

async function readSignedPayload(options: VerifyModelAttestationOptions, keys: readonly VerificationKey[]): Promise<SignedPayload> {
  const sigstore = {
    ...(options.rekorEntryPaths ? { rekorEntryPaths: options.rekorEntryPaths } : {}),
    ...(options.trustedRoot !== undefined ? { trustedRoot: options.trustedRoot } : {}),
    ...(options.insecureIgnoreTlog ? { insecureIgnoreTlog: true } : {}),
    ...(options.certificateIdentity ? { certificateIdentity: options.certificateIdentity } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  if (options.bundlePath !== undefined) {
    const outcome = await sigstoreSteps().verifyBundleFile(
      options.bundlePath,
      keys,
      sigstore,
      (options.checkClaims ?? true) ? options.modelPath : undefined,
      options.onProgress,
    );
    if (outcome.content === 'message') return { content: 'message', sha256: outcome.sha256, signer: outcome.signer, log: outcome.checks };
    return {
      content: 'dsse',
      payload: outcome.payload,
      signatureIndex: outcome.signatureIndex,
      ...(outcome.keyid ? { keyid: outcome.keyid } : {}),
      ...(outcome.key ? { key: outcome.key } : {}),
      signer: outcome.signer,
      log: outcome.checks,
    };
  }
  const { envelope, run } = await readEnvelope(options);
  if (options.certificatePath !== undefined) {
    const keyless = await sigstoreSteps().verifyEnvelopeWithCertificate(envelope, options.certificatePath, sigstore);
    return {
      content: 'dsse',
      payload: keyless.payload,
      signatureIndex: keyless.signatureIndex,
      ...(keyless.keyid ? { keyid: keyless.keyid } : {}),
      signer: keyless.signer,
      ...(run ? { run } : {}),
      log: keyless.checks,
    };
  }
  const verified = verifyDsseEnvelope(envelope, keys);
  // As cosign's --insecure-ignore-tlog (and as for bundles): the entries are then not read at all.
  const log = options.insecureIgnoreTlog
    ? undefined
    : await sigstoreSteps().verifyEnvelopeLog(envelope, verified.signatureIndex, verified.key, sigstore);
  return {
    content: 'dsse',
    payload: verified.payload,
    signatureIndex: verified.signatureIndex,
    ...(verified.keyid !== undefined ? { keyid: verified.keyid } : {}),
    key: verified.key,
    signer: `${verified.key.description} key ${verified.key.source}`,
    ...(run ? { run } : {}),
    ...(log ? { log } : {}),
  };
}

function logChecks(signer: string, log: SigstoreChecks | undefined): VerificationChecks {
  if (log === undefined || log.transparencyLog.length === 0) {
    return {
      signer,
      transparencyLog: 'skipped',
      subject: 'not checked',
      ...(log?.certificate ? { certificate: log.certificate } : {}),
      ...(log?.timestamps ? { timestamps: log.timestamps } : {}),
    };
  }
  return {
    signer,
    transparencyLog: 'verified',
    logEntries: log.transparencyLog,
    ...(log.certificate ? { certificate: log.certificate } : {}),
    ...(log.timestamps ? { timestamps: log.timestamps } : {}),
    subject: 'not checked',
  };
}

/** A message signature over the model: no statement, so no provenance policy can be met. */
function messageResult(signed: Extract<SignedPayload, { content: 'message' }>, options: VerifyModelAttestationOptions): VerificationResult {
  const policyFields = Object.entries(options.policy ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (policyFields.length > 0) {
    throw new AttestationRejectedError(
      `the bundle is a signature over the file, not an attestation: it carries no provenance, so the policy (${policyFields.join(', ')}) cannot be met`,
    );
  }
  const checks: VerificationChecks = { ...logChecks(signed.signer, signed.log), subject: 'message signature' };
  const log = checks.transparencyLog === 'verified' ? ', in the transparency log' : ' (transparency log not checked)';
  return {
    verified: true,
    reason: oneLine(`verified the signature over ${options.modelPath} sha256:${signed.sha256} with the ${signed.signer}${log}`),
    modelSha256: signed.sha256,
    checks,
  };
}
