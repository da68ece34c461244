// model_signing's `certificate` method trust check (`_signing/sign_certificate.py`): the bundle's
// signing certificate must chain, through the bundle's other certificates, to a self-signed CA
// certificate the user gave (OpenSSL's X509_verify_cert without partial chains), everything valid
// at the signing certificate's notBefore; the signing certificate must allow signing.
import { X509Certificate } from 'node:crypto';
import { readBoundedFile } from '../bounded-file';
import { AttestationRejectedError, UnreadableInputError } from '../verification-errors';

/** The extended key usage for code signing. */
const CODE_SIGNING_OID = '1.3.6.1.5.5.7.3.3';
/** The KeyUsage extension, `2.5.29.15`, as DER OID bytes. */
const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]);
/** How many certificates a chain may have (leaf to root). */
const MAX_CHAIN = 10;

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** One DER element at `offset`: its tag and where its content starts and ends. */
function tlv(der: Buffer, offset: number, limit = der.length): Tlv {
  if (offset + 2 > limit) throw new Error('truncated');
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new Error('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  if (start + length > limit) throw new Error('truncated');
  return { tag, start, end: start + length };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = tlv(der, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/**
 * Whether a certificate's KeyUsage extension has digitalSignature; undefined when it has no
 * KeyUsage. (node:crypto exposes extended key usage only.)
 */
export function keyUsageDigitalSignature(der: Buffer): boolean | undefined {
  try {
    const certificate = tlv(der, 0);
    const tbs = children(der, certificate)[0];
    const extensionsWrapper = children(der, tbs).find((c) => c.tag === 0xa3);
    if (!extensionsWrapper) return undefined;
    const list = children(der, extensionsWrapper)[0];
    for (const extension of children(der, list)) {
      const [oid, ...rest] = children(der, extension);
      if (oid.tag !== 0x06 || !der.subarray(oid.start, oid.end).equals(KEY_USAGE_OID)) continue;
      const octets = rest[rest.length - 1];
      const bits = tlv(der, octets.start, octets.end);
      if (bits.tag !== 0x03 || bits.end - bits.start < 2) return false;
      return (der[bits.start + 1] & 0x80) !== 0;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Reads every PEM certificate of the given files (the trust anchors of `--certificate-chain`). */
export async function loadCertificates(paths: readonly string[]): Promise<X509Certificate[]> {
  const out: X509Certificate[] = [];
  for (const file of paths) {
    const text = (await readBoundedFile(file, 'certificate chain', 4 * 1024 * 1024)).toString('utf8');
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new UnreadableInputError(`certificate chain ${file} holds no PEM certificate`);
    for (const block of blocks) {
      try {
        out.push(new X509Certificate(block));
      } catch (err) {
        throw new UnreadableInputError(`certificate chain ${file} has a certificate that cannot be read (${(err as Error).message})`);
      }
    }
  }
  return out;
}

function validAt(certificate: X509Certificate, time: Date): boolean {
  return new Date(certificate.validFrom).getTime() <= time.getTime() && time.getTime() <= new Date(certificate.validTo).getTime();
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.replace(/\n/g, ', ');
}

/** What the certificate method established: the signing certificate, and the path to the anchor. */
export interface VerifiedCertificateChain {
  /** The signing certificate (its key checks the signature). */
  readonly leaf: X509Certificate;
  /** Subjects from the signing certificate to the trusted root. */
  readonly path: readonly string[];
}

/**
 * Verifies `chain` (DER, signing certificate first) against the trust anchors, at the signing
 * certificate's notBefore (so an expired certificate still verifies, as in model_signing). Throws
 * {@link AttestationRejectedError} saying which link fails.
 */
export function verifyCertificateChain(chain: readonly Buffer[], anchors: readonly X509Certificate[]): VerifiedCertificateChain {
  let certificates: X509Certificate[];
  try {
    certificates = chain.map((der) => new X509Certificate(der));
  } catch (err) {
    throw new AttestationRejectedError(`a certificate of the bundle cannot be read (${(err as Error).message})`);
  }
  const leaf = certificates[0];
  const time = new Date(leaf.validFrom);
  const path = [leaf];
  const isAnchor = (c: X509Certificate): boolean => anchors.some((a) => a.raw.equals(c.raw));
  let current = leaf;
  for (;;) {
    if (isAnchor(current) && issuedBy(current, current)) break;
    if (path.length >= MAX_CHAIN) throw new AttestationRejectedError(`the certificate chain is longer than ${MAX_CHAIN} certificates`);
    // A given CA first (OpenSSL prefers the trusted store), then the bundle's intermediates.
    const issuer = [...anchors, ...certificates.slice(1)].find((c) => !c.raw.equals(current.raw) && issuedBy(current, c));
    if (!issuer) {
      throw new AttestationRejectedError(
        `the certificate chain does not reach a given CA: nothing given or in the bundle issued "${subjectOf(current)}" (issuer "${current.issuer.replace(/\n/g, ', ')}")`,
      );
    }
    if (!issuer.ca) throw new AttestationRejectedError(`certificate "${subjectOf(issuer)}" issued "${subjectOf(current)}" but is not a CA`);
    path.push(issuer);
    current = issuer;
  }
  for (const certificate of path) {
    if (!validAt(certificate, time)) {
      throw new AttestationRejectedError(
        `certificate "${subjectOf(certificate)}" is not valid at ${time.toISOString()} (the signing certificate's start; valid ${certificate.validFrom} to ${certificate.validTo})`,
      );
    }
  }
  const digitalSignature = keyUsageDigitalSignature(leaf.raw);
  const eku = (leaf as X509Certificate & { extKeyUsage?: string[] }).extKeyUsage ?? leaf.keyUsage ?? [];
  if (digitalSignature !== true && !eku.includes(CODE_SIGNING_OID)) {
    throw new AttestationRejectedError(
      `signing certificate "${subjectOf(leaf)}" may not sign (no digitalSignature key usage, no codeSigning extended key usage)`,
    );
  }
  return { leaf, path: path.map(subjectOf) };
}
