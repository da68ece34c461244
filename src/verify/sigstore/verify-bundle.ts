import { KeyObject } from 'node:crypto';
import { Bundle } from '@sigstore/bundle';
import { IN_TOTO_PAYLOAD_TYPE } from '../dsse-pae';
import { AttestationRejectedError } from '../verification-errors';
import { CertificateIdentityPolicy, SigstoreChecks, verifySigstoreEvidence } from './sigstore-evidence';
import { signedEntityOfBundle, signedEntityOfMessageFile } from './signed-entity';
import { SigstoreTrustedRoot } from './trusted-root';

/** Options for {@link verifySigstoreBundle}. */
export interface VerifySigstoreBundleOptions {
  /** The bundle, read with `parseSigstoreBundle`. */
  readonly bundle: Bundle;
  /** Its file name, for messages. */
  readonly source: string;
  /** The logs and authorities to trust. */
  readonly trustedRoot: SigstoreTrustedRoot;
  /** The key, for a bundle signed with a key (cosign `--key`). */
  readonly key?: KeyObject;
  /** Who must have signed, for a bundle signed with a Fulcio certificate. */
  readonly certificateIdentity?: CertificateIdentityPolicy;
  /** The signed file's bytes, for a bundle holding a message signature (`cosign sign-blob --bundle`). */
  readonly artifact?: Buffer;
  /** The signed file, read as a stream (any size), for a message signature: instead of `artifact`. */
  readonly artifactPath?: string;
  /** Called while `artifactPath` is read. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Require a log entry. @default true */
  readonly requireTlog?: boolean;
  /** The clock. @default new Date() */
  readonly now?: Date;
}

/** What a bundle that verified holds. */
export interface VerifiedSigstoreBundle {
  /** `dsse` (an attestation) or `message` (a signature over the file itself). */
  readonly content: 'dsse' | 'message';
  /** The DSSE payload, authenticated (an in-toto statement), for `dsse`. */
  readonly payload?: Buffer;
  /** What was checked. */
  readonly checks: SigstoreChecks;
  /** For a message signature read from `artifactPath`: the file's sha256. */
  readonly artifactSha256?: string;
}

/**
 * Verifies a Sigstore bundle as `cosign verify-blob-attestation --bundle` (DSSE) or
 * `cosign verify-blob --bundle` (message signature) does: signature, log entry, key or
 * certificate and identity, with @sigstore/verify (see {@link verifySigstoreEvidence}). A DSSE
 * payload must be an in-toto statement; its subjects are the caller's to match.
 */
export async function verifySigstoreBundle(options: VerifySigstoreBundleOptions): Promise<VerifiedSigstoreBundle> {
  const { bundle } = options;
  if (bundle.content.$case === 'dsseEnvelope' && bundle.content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AttestationRejectedError(
      `bundle ${options.source} envelope payloadType is ${JSON.stringify(bundle.content.dsseEnvelope.payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`,
    );
  }
  let entity;
  let artifactSha256: string | undefined;
  if (bundle.content.$case === 'messageSignature' && options.artifactPath !== undefined) {
    ({ entity, sha256: artifactSha256 } = await signedEntityOfMessageFile(
      bundle,
      options.source,
      options.artifactPath,
      options.key,
      options.onProgress,
    ));
  } else {
    entity = signedEntityOfBundle(bundle, options.source, options.artifact);
  }
  const checks = verifySigstoreEvidence(entity, {
    trustedRoot: options.trustedRoot,
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.certificateIdentity !== undefined ? { certificateIdentity: options.certificateIdentity } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    requireTlog: options.requireTlog ?? true,
  });
  if (bundle.content.$case === 'dsseEnvelope')
    return { content: 'dsse', payload: Buffer.from(bundle.content.dsseEnvelope.payload), checks };
  return artifactSha256 === undefined ? { content: 'message', checks } : { content: 'message', checks, artifactSha256 };
}
