import { readBoundedFile } from '../bounded-file';
import { DsseEnvelope } from '../dsse-envelope';
import { IN_TOTO_PAYLOAD_TYPE } from '../dsse-pae';
import { verifyDsseEnvelope } from '../dsse-signature-verification';
import { AttestationRejectedError } from '../verification-errors';
import { VerificationKey, verificationKeyFromKeyObject } from '../verification-key';
import { SigstoreOptionsError } from './options-error';
import { parseRekorEntry } from './rekor-entry';
import { CertificateIdentityPolicy, SigstoreChecks, verifySigstoreEvidence } from './sigstore-evidence';
import { parseSigstoreBundle } from './sigstore-bundle';
import {
  bindContent,
  parseSigningCertificate,
  signedEntityOfBundle,
  signedEntityOfEnvelope,
  signedEntityOfMessageFile,
} from './signed-entity';
import { parseTrustedRoot, SigstoreTrustedRoot } from './trusted-root';
import { verifyEnvelopeLogEntries } from './verify-envelope-log';

/**
 * The steps `verifyModelAttestation` takes with Sigstore evidence, in one module that is loaded
 * only when a log entry, a bundle or a trusted root is involved (@sigstore/* costs startup time
 * that a plain `--insecure-ignore-tlog` check does not need).
 */

/** How the transparency log and certificates are checked. */
export interface SigstoreStepOptions {
  /** Rekor API entry files (what `fetch-attestation.sh` saves). */
  readonly rekorEntryPaths?: readonly string[];
  /** The trusted root: a `trusted_root.json` path or a parsed one. */
  readonly trustedRoot?: string | SigstoreTrustedRoot;
  /** Skip the log check (cosign's `--insecure-ignore-tlog`). */
  readonly insecureIgnoreTlog?: boolean;
  /** Who must have signed, when a certificate signs. */
  readonly certificateIdentity?: CertificateIdentityPolicy;
  /** The clock. */
  readonly now?: Date;
}

async function trustedRootOf(options: SigstoreStepOptions, why: string): Promise<SigstoreTrustedRoot> {
  if (options.trustedRoot === undefined) {
    throw new SigstoreOptionsError(
      `${why} needs a trusted root: give --trusted-root FILE (Sigstore's trusted_root.json, or the one a rehearsal writes); none is shipped, so that none goes stale unseen`,
    );
  }
  if (typeof options.trustedRoot !== 'string') return options.trustedRoot;
  return parseTrustedRoot(await readBoundedFile(options.trustedRoot, 'trusted root'), options.trustedRoot);
}

/**
 * The log check of a key-signed envelope read from a file or a PipelineRun: the saved entries
 * must verify against the trusted root and be this envelope, this signature and this key.
 * Returns undefined when the check is skipped (`insecureIgnoreTlog`).
 */
export async function verifyEnvelopeLog(
  envelope: DsseEnvelope,
  signatureIndex: number,
  key: VerificationKey,
  options: SigstoreStepOptions,
): Promise<SigstoreChecks | undefined> {
  if (options.insecureIgnoreTlog) return undefined;
  const paths = options.rekorEntryPaths ?? [];
  if (paths.length === 0) {
    throw new SigstoreOptionsError(
      "the transparency log check needs the envelope's log entry: give --rekor-entry FILE (scripts/fetch-attestation.sh saves rekor-entry.json), or --insecure-ignore-tlog to skip the check as cosign does",
    );
  }
  const trustedRoot = await trustedRootOf(options, 'the transparency log check');
  const entries = [];
  for (const path of paths) entries.push(parseRekorEntry(await readBoundedFile(path, 'rekor entry'), path));
  return verifyEnvelopeLogEntries({ envelope, signatureIndex, key, entries, trustedRoot, ...(options.now ? { now: options.now } : {}) });
}

/**
 * The keyless check of an envelope read from a file or a PipelineRun, signed with a Fulcio
 * certificate (`--certificate FILE`): the envelope's signature with the certificate's key, then the
 * certificate against the trusted root's CAs at the log entry's time, its SCT, the identity, and
 * the log entry itself. Returns the signature that verified and what was checked.
 */
export async function verifyEnvelopeWithCertificate(
  envelope: DsseEnvelope,
  certificatePath: string,
  options: SigstoreStepOptions,
): Promise<{ payload: Buffer; signatureIndex: number; keyid?: string; key: VerificationKey; checks: SigstoreChecks; signer: string }> {
  if (options.certificateIdentity === undefined) {
    throw new SigstoreOptionsError(
      'a certificate signed this: give --certificate-identity (or --certificate-identity-regexp) and --certificate-oidc-issuer',
    );
  }
  const { certificate, key: keyObject } = parseSigningCertificate(await readBoundedFile(certificatePath, 'certificate'), certificatePath);
  const key = verificationKeyFromKeyObject(keyObject, certificatePath);
  const verified = verifyDsseEnvelope(envelope, [key]);
  const trustedRoot = await trustedRootOf(options, 'a certificate');
  const entries = [];
  for (const path of options.insecureIgnoreTlog ? [] : (options.rekorEntryPaths ?? []))
    entries.push(parseRekorEntry(await readBoundedFile(path, 'rekor entry'), path));
  if (entries.length === 0 && !options.insecureIgnoreTlog) {
    throw new SigstoreOptionsError(
      "the transparency log check needs the envelope's log entry: give --rekor-entry FILE (scripts/fetch-attestation.sh saves rekor-entry.json)",
    );
  }
  const entity = signedEntityOfEnvelope(envelope, verified.signatureIndex, entries, key, certificate);
  const checks = verifySigstoreEvidence(entity, {
    trustedRoot,
    certificateIdentity: options.certificateIdentity,
    requireTlog: !options.insecureIgnoreTlog,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    payload: verified.payload,
    signatureIndex: verified.signatureIndex,
    ...(verified.keyid ? { keyid: verified.keyid } : {}),
    key,
    checks,
    signer: certificateSigner(checks),
  };
}

/** What a bundle verified to. */
export type BundleOutcome =
  | {
      readonly content: 'dsse';
      readonly payload: Buffer;
      readonly signatureIndex: number;
      readonly keyid?: string;
      readonly key?: VerificationKey;
      readonly checks: SigstoreChecks;
      readonly signer: string;
    }
  | {
      readonly content: 'message';
      readonly sha256: string;
      readonly key?: VerificationKey;
      readonly checks: SigstoreChecks;
      readonly signer: string;
    };

/**
 * Verifies a Sigstore bundle: a DSSE envelope (an attestation) or a message signature over the
 * model file (`modelPath`, read once). A bundle signed with a key is checked with `keys` (this
 * package's DSSE verifier, then the log); one signed with a Fulcio certificate is checked against
 * the trusted root's CAs and CT logs and `certificateIdentity`.
 */
export async function verifyBundleFile(
  bundlePath: string,
  keys: readonly VerificationKey[],
  options: SigstoreStepOptions,
  modelPath?: string,
  onProgress?: (done: number, total: number) => void,
): Promise<BundleOutcome> {
  const bundle = parseSigstoreBundle(await readBoundedFile(bundlePath, 'bundle'), bundlePath);
  const withKey = bundle.verificationMaterial.content.$case === 'publicKey';
  if (withKey && keys.length === 0) throw new SigstoreOptionsError(`bundle ${bundlePath} is signed with a key: give it with --key`);
  if (!withKey && options.certificateIdentity === undefined) {
    throw new SigstoreOptionsError(
      `bundle ${bundlePath} is signed with a certificate: give --certificate-identity (or --certificate-identity-regexp) and --certificate-oidc-issuer`,
    );
  }
  const trustedRoot = await trustedRootOf(options, withKey ? 'a bundle' : 'a certificate');
  const evidence = {
    trustedRoot,
    requireTlog: !options.insecureIgnoreTlog,
    ...(options.now ? { now: options.now } : {}),
    ...(options.certificateIdentity ? { certificateIdentity: options.certificateIdentity } : {}),
  };
  if (bundle.content.$case === 'messageSignature') {
    if (modelPath === undefined)
      throw new SigstoreOptionsError(
        `bundle ${bundlePath} is a signature over the model file itself: give the MODEL file (not --digest or standard input)`,
      );
    // With several keys, try each: the signature over the file says which one signed only by verifying.
    const candidates: (VerificationKey | undefined)[] = withKey ? [...keys] : [undefined];
    let lastError: unknown;
    for (const key of candidates) {
      try {
        const { entity, sha256 } = await signedEntityOfMessageFile(bundle, bundlePath, modelPath, key?.keyObject, onProgress);
        const checks = verifySigstoreEvidence(entity, { ...evidence, ...(key ? { key: key.keyObject } : {}) });
        return {
          content: 'message',
          sha256,
          checks,
          ...(key ? { key } : {}),
          signer: key ? `${key.description} key ${key.source}` : certificateSigner(checks),
        };
      } catch (err) {
        lastError = err;
        if (!(err instanceof AttestationRejectedError) || candidates.length === 1) throw err;
      }
    }
    throw lastError;
  }
  const dsse = bundle.content.dsseEnvelope;
  if (dsse.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AttestationRejectedError(
      `bundle ${bundlePath} envelope payloadType is ${JSON.stringify(dsse.payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`,
    );
  }
  const entity = signedEntityOfBundle(bundle, bundlePath);
  if (withKey) {
    const envelope: DsseEnvelope = {
      payloadType: dsse.payloadType,
      payload: Buffer.from(dsse.payload).toString('base64'),
      signatures: dsse.signatures.map((s) => ({ sig: Buffer.from(s.sig).toString('base64'), ...(s.keyid ? { keyid: s.keyid } : {}) })),
    };
    const verified = verifyDsseEnvelope(envelope, keys);
    const key = verified.key;
    // The signature verified with this package's DSSE verifier (DER or raw ECDSA, as cosign): the library checks the rest.
    const checks = verifySigstoreEvidence(
      { ...entity, signature: { ...bindContent(entity.signature), verifySignature: (k) => k.equals(key.keyObject) } },
      { ...evidence, key: key.keyObject },
    );
    return {
      content: 'dsse',
      payload: verified.payload,
      signatureIndex: verified.signatureIndex,
      ...(verified.keyid ? { keyid: verified.keyid } : {}),
      key,
      checks,
      signer: `${key.description} key ${key.source}`,
    };
  }
  const checks = verifySigstoreEvidence(entity, evidence);
  const keyid = dsse.signatures[0]?.keyid;
  return {
    content: 'dsse',
    payload: Buffer.from(dsse.payload),
    signatureIndex: 0,
    ...(keyid ? { keyid } : {}),
    checks,
    signer: certificateSigner(checks),
  };
}

function certificateSigner(checks: SigstoreChecks): string {
  return `certificate for ${checks.certificate?.identity ?? '(no identity)'} (issuer ${checks.certificate?.oidcIssuer ?? 'unknown'})`;
}
