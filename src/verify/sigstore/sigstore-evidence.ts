import { createPublicKey, KeyObject, X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import { SignedEntity, Verifier, VerificationPolicy } from '@sigstore/verify';
import { AttestationRejectedError } from '../verification-errors';
import { parseCheckpoint } from './checkpoint';
import { SigstoreTrustedRoot, trustMaterialOf } from './trusted-root';

/** Who must have signed, when a Fulcio certificate signs (cosign's `--certificate-*` flags). */
export interface CertificateIdentityPolicy {
  /** The certificate's subject alternative name, exactly (`--certificate-identity`). */
  readonly identity?: string;
  /** A regular expression the subject alternative name must match (`--certificate-identity-regexp`; anchored like Go's: give ^ and $ to match all of it). */
  readonly identityRegExp?: string;
  /** The OIDC issuer recorded in the certificate, exactly (`--certificate-oidc-issuer`). */
  readonly oidcIssuer?: string;
}

/** Options for {@link verifySigstoreEvidence}. */
export interface SigstoreEvidenceOptions {
  /** The logs, CAs, CT logs and timestamp authorities to trust. */
  readonly trustedRoot: SigstoreTrustedRoot;
  /** The signing key, when no certificate signs. */
  readonly key?: KeyObject;
  /** The identity a certificate must carry; required when a certificate signs. */
  readonly certificateIdentity?: CertificateIdentityPolicy;
  /** The clock, for the "integrated time not in the future" check. @default new Date() */
  readonly now?: Date;
  /** How far ahead of `now` a log's clock may be, in seconds. @default 60 */
  readonly clockSkewSeconds?: number;
  /** Require a transparency log entry (cosign's default); false is `--insecure-ignore-tlog`, and then entries are not read at all. @default true */
  readonly requireTlog?: boolean;
}

/** One transparency log entry that verified. */
export interface VerifiedLogEntry {
  /** The entry's index in its log. */
  readonly logIndex: string;
  /** The log's id (hex). */
  readonly logId: string;
  /** `dsse 0.0.1`, `intoto 0.0.2`, `hashedrekord 0.0.1`, ... */
  readonly kind: string;
  /** When the log integrated it (ISO 8601), when recorded (Rekor v2 entries carry none). */
  readonly integratedTime?: string;
  /** Which proofs were checked: the signed entry timestamp, the inclusion proof to a signed checkpoint. */
  readonly proofs: readonly ('signed entry timestamp' | 'inclusion proof')[];
}

/** What {@link verifySigstoreEvidence} checked. */
export interface SigstoreChecks {
  /** The log entries that verified (at least one). */
  readonly transparencyLog: readonly VerifiedLogEntry[];
  /** How many RFC 3161 timestamps verified. */
  readonly timestamps: number;
  /** The certificate that signed, when one did: its identity, checked against the policy. */
  readonly certificate?: {
    readonly identity?: string;
    readonly oidcIssuer?: string;
    readonly notBefore: string;
    readonly notAfter: string;
  };
}

/**
 * Verifies signed content with its Sigstore evidence, as cosign does by default: at least one
 * transparency log entry (its signed entry timestamp and/or inclusion proof up to a signed
 * checkpoint, against the trusted root's log keys), an entry body that is this signature over
 * this content, a key or a certificate chained to the root's CAs at the signing time (with SCTs
 * from the root's CT logs) and a certificate identity. @sigstore/verify does the cryptography;
 * this adds what it leaves out (each named in the README): the signer's key or certificate in the
 * entry body must be the one that signed, the integrated time must not be in the future, the
 * inclusion proof's root hash and tree size must be the checkpoint's, the checkpoint's origin must
 * name the log, and a certificate identity is required. Throws {@link AttestationRejectedError}.
 */
export function verifySigstoreEvidence(entity: SignedEntity, options: SigstoreEvidenceOptions): SigstoreChecks {
  const certificate = entity.key.$case === 'certificate' ? entity.key.certificate : undefined;
  let policy: VerificationPolicy | undefined;
  if (certificate !== undefined) {
    policy = identityPolicy(options.certificateIdentity);
  } else if (options.key === undefined) {
    throw new AttestationRejectedError('the signature is made with a public key: give it with --key');
  }
  const requireTlog = options.requireTlog ?? true;
  if (!requireTlog) {
    // As cosign's --insecure-ignore-tlog: the entries are neither checked nor trusted for time.
    entity = { ...entity, tlogEntries: [], timestamps: entity.timestamps.filter((t) => t.$case !== 'transparency-log') };
  } else if (entity.tlogEntries.length === 0) {
    throw new AttestationRejectedError('no transparency log entry (pass --insecure-ignore-tlog to skip the log check)');
  }
  if (certificate !== undefined && entity.timestamps.length === 0) {
    throw new AttestationRejectedError(
      'a certificate signed this, and no log entry or timestamp says when: its validity cannot be checked',
    );
  }
  const verifier = new Verifier(trustMaterialOf(options.trustedRoot, options.key), {
    tlogThreshold: requireTlog ? 1 : 0,
    ctlogThreshold: 1,
    timestampThreshold: certificate !== undefined || requireTlog ? 1 : 0,
  });
  let signer;
  try {
    signer = verifier.verify(entity, policy);
  } catch (err) {
    throw new AttestationRejectedError(`sigstore verification failed: ${describeVerifyError(err)}`);
  }
  const signingKeyDer = spki(signer.key);
  const now = options.now ?? new Date();
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  const transparencyLog = entity.tlogEntries.map((entry, i) => verifyEntryExtras(entry, i, signingKeyDer, now, skew, options.trustedRoot));
  const result: SigstoreChecks = {
    transparencyLog,
    timestamps: entity.timestamps.filter((t) => t.$case === 'timestamp-authority').length,
  };
  if (certificate === undefined) return result;
  return {
    ...result,
    certificate: {
      ...(signer.identity?.subjectAlternativeName !== undefined ? { identity: signer.identity.subjectAlternativeName } : {}),
      ...(signer.identity?.extensions?.issuer !== undefined ? { oidcIssuer: signer.identity.extensions.issuer } : {}),
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
    },
  };
}

function identityPolicy(identity: CertificateIdentityPolicy | undefined): VerificationPolicy {
  if (identity?.identity === undefined && identity?.identityRegExp === undefined) {
    throw new AttestationRejectedError(
      'a certificate signed this: give --certificate-identity or --certificate-identity-regexp (who may sign)',
    );
  }
  if (identity.identity !== undefined && identity.identityRegExp !== undefined)
    throw new AttestationRejectedError('give --certificate-identity or --certificate-identity-regexp, not both');
  if (identity.oidcIssuer === undefined)
    throw new AttestationRejectedError(
      'a certificate signed this: give --certificate-oidc-issuer (which identity provider vouched for the signer)',
    );
  let san: string | RegExp;
  if (identity.identity !== undefined) {
    san = identity.identity;
  } else {
    try {
      san = new RegExp(identity.identityRegExp!);
    } catch (err) {
      throw new AttestationRejectedError(`--certificate-identity-regexp is not a regular expression: ${(err as Error).message}`);
    }
  }
  return { subjectAlternativeName: san, extensions: { issuer: identity.oidcIssuer } };
}

function describeVerifyError(err: unknown): string {
  if (err instanceof AttestationRejectedError) return err.message;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string') return `${code.toLowerCase().replace(/_/g, ' ')}: ${message}`;
  // @sigstore/verify assumes some fields its bundle validation does not require (a TypeError then): refused all the same.
  return `the evidence is malformed where @sigstore/verify reads it (${message})`;
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function verifyEntryExtras(
  entry: TransparencyLogEntry,
  index: number,
  signingKeyDer: Buffer,
  now: Date,
  skewMs: number,
  root: SigstoreTrustedRoot,
): VerifiedLogEntry {
  const where = `transparency log entry ${entry.logIndex}`;
  const kind = `${entry.kindVersion.kind} ${entry.kindVersion.version}`;
  const integrated = Number(entry.integratedTime);
  if (integrated > 0 && integrated * 1000 > now.getTime() + skewMs) {
    throw new AttestationRejectedError(`${where} was integrated at ${new Date(integrated * 1000).toISOString()}, in the future`);
  }
  const bodyKeys = signerKeysInBody(entry.canonicalizedBody);
  if (bodyKeys === undefined) throw new AttestationRejectedError(`${where} (${kind}) names no signing key or certificate that can be read`);
  if (!bodyKeys.some((der) => der.equals(signingKeyDer)))
    throw new AttestationRejectedError(`${where} records another signing key than the one that signed`);
  const proofs: VerifiedLogEntry['proofs'][number][] = [];
  if (entry.inclusionPromise !== undefined) proofs.push('signed entry timestamp');
  if (entry.inclusionProof !== undefined) {
    const proof = entry.inclusionProof;
    const checkpoint = parseCheckpoint(proof.checkpoint?.envelope ?? '');
    if (typeof checkpoint === 'string') throw new AttestationRejectedError(`${where}: ${checkpoint}`);
    if (!checkpoint.rootHash.equals(Buffer.from(proof.rootHash)))
      throw new AttestationRejectedError(`${where}: the inclusion proof's root hash is not the checkpoint's`);
    if (String(proof.treeSize) !== checkpoint.treeSize.toString())
      throw new AttestationRejectedError(
        `${where}: the inclusion proof's tree size ${proof.treeSize} is not the checkpoint's ${checkpoint.treeSize}`,
      );
    const log = root.root.tlogs.find(
      (tlog) =>
        Buffer.from(tlog.logId?.keyId ?? []).equals(Buffer.from(entry.logId.keyId)) ||
        Buffer.from(tlog.checkpointKeyId?.keyId ?? []).equals(Buffer.from(entry.logId.keyId)),
    );
    const host = log === undefined ? undefined : hostOf(log.baseUrl);
    const originName = checkpoint.origin.split(' - ')[0];
    if (host !== undefined && originName !== host)
      throw new AttestationRejectedError(`${where}: the checkpoint's origin "${checkpoint.origin}" is not the log ${log!.baseUrl}`);
    proofs.push('inclusion proof');
  }
  void index;
  return {
    logIndex: entry.logIndex,
    logId: Buffer.from(entry.logId.keyId).toString('hex'),
    kind,
    ...(integrated > 0 ? { integratedTime: new Date(integrated * 1000).toISOString() } : {}),
    proofs,
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * The public keys (SPKI DER) an entry body records for its signer: `dsse` 0.0.1
 * `spec.signatures[].verifier`, `intoto` 0.0.2 `spec.content.envelope.signatures[].publicKey`,
 * `hashedrekord` 0.0.1 `spec.signature.publicKey.content` (base64 PEM of a key or certificate),
 * and Rekor v2's `verifier.publicKey.rawBytes` / `verifier.x509Certificate.rawBytes` (base64 DER).
 */
export function signerKeysInBody(body: Uint8Array): Buffer[] | undefined {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const spec = parsed?.spec;
  const pems: unknown[] = [];
  const ders: unknown[] = [];
  const kind = `${parsed?.kind} ${parsed?.apiVersion}`;
  if (kind === 'dsse 0.0.1' && Array.isArray(spec?.signatures)) pems.push(...spec.signatures.map((s: any) => s?.verifier));
  if (kind === 'intoto 0.0.2' && Array.isArray(spec?.content?.envelope?.signatures))
    pems.push(...spec.content.envelope.signatures.map((s: any) => s?.publicKey));
  if (kind === 'hashedrekord 0.0.1') pems.push(spec?.signature?.publicKey?.content);
  const v2 = spec?.dsseV002 ?? spec?.hashedRekordV002;
  if (v2 !== undefined) {
    const verifiers = Array.isArray(v2.signatures) ? v2.signatures.map((s: any) => s?.verifier) : [v2.signature?.verifier];
    for (const verifier of verifiers) ders.push(verifier?.publicKey?.rawBytes ?? verifier?.x509Certificate?.rawBytes);
  }
  const keys: Buffer[] = [];
  for (const pem of pems) {
    if (typeof pem !== 'string') continue;
    const text = Buffer.from(pem, 'base64').toString('utf8');
    const key = keyFrom(() => (text.includes('CERTIFICATE') ? new NodeX509Certificate(text).publicKey : createPublicKey(text)));
    if (key) keys.push(key);
  }
  for (const der of ders) {
    if (typeof der !== 'string') continue;
    const bytes = Buffer.from(der, 'base64');
    const key =
      keyFrom(() => createPublicKey({ key: bytes, format: 'der', type: 'spki' })) ??
      keyFrom(() => new NodeX509Certificate(bytes).publicKey);
    if (key) keys.push(key);
  }
  return keys.length === 0 ? undefined : keys;
}

function keyFrom(read: () => KeyObject): Buffer | undefined {
  try {
    return spki(read());
  } catch {
    return undefined;
  }
}
