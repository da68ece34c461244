import { Bundle, bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { UnreadableInputError } from '../verification-errors';

/** The Sigstore bundle media types read by {@link parseSigstoreBundle} (v0.1 to v0.3). */
export const SIGSTORE_BUNDLE_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
];

/**
 * Reads a Sigstore bundle (v0.1 to v0.3: what `cosign attest-blob --new-bundle-format`, cosign v3
 * and Chains' `sigstore-bundle` encoding write) with @sigstore/bundle, which checks the shape each
 * version requires. cosign v2's legacy bundle (`base64Signature`, `cert`, `rekorBundle`) is refused
 * with a message saying so: it carries no inclusion proof, and cosign v3 no longer writes it.
 * Throws {@link UnreadableInputError} naming the file and field.
 */
export function parseSigstoreBundle(input: string | Uint8Array, source: string): Bundle {
  const what = `bundle ${source}`;
  let json: unknown;
  try {
    json = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
  } catch (err) {
    throw new UnreadableInputError(`${what} is not JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UnreadableInputError(`${what} is not a JSON object`);
  const record = json as Record<string, unknown>;
  if (record.mediaType === undefined && ('base64Signature' in record || 'rekorBundle' in record)) {
    throw new UnreadableInputError(
      `${what} is cosign's legacy bundle (base64Signature, rekorBundle), not a Sigstore bundle: sign with cosign v3, or cosign v2 with --new-bundle-format`,
    );
  }
  if (typeof record.mediaType !== 'string' || !SIGSTORE_BUNDLE_MEDIA_TYPES.includes(record.mediaType)) {
    throw new UnreadableInputError(`${what} has mediaType ${JSON.stringify(record.mediaType)}, not a Sigstore bundle v0.1 to v0.3`);
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (err) {
    throw new UnreadableInputError(`${what} is not a valid Sigstore bundle: ${(err as Error).message}`);
  }
  if (bundle.content.$case === 'dsseEnvelope' && bundle.content.dsseEnvelope.signatures.length !== 1) {
    // @sigstore/verify checks only the first signature, and a bundle holds one signer.
    throw new UnreadableInputError(
      `${what} dsseEnvelope has ${bundle.content.dsseEnvelope.signatures.length} signatures, expected exactly one`,
    );
  }
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'x509CertificateChain') {
    // The trusted root supplies the CA: a chain that carries a self-signed root would let a bundle bring its own (conformance: bundle-with-root-cert).
    material.x509CertificateChain.certificates.forEach((certificate, i) => {
      let selfSigned = false;
      try {
        const parsed = X509Certificate.parse(Buffer.from(certificate.rawBytes));
        selfSigned = parsed.subject.equals(parsed.issuer) && parsed.verify();
      } catch (err) {
        throw new UnreadableInputError(
          `${what} verificationMaterial.x509CertificateChain.certificates[${i}] is not a certificate: ${(err as Error).message}`,
        );
      }
      if (selfSigned)
        throw new UnreadableInputError(
          `${what} certificate chain holds a root certificate (certificates[${i}]): roots come from the trusted root only`,
        );
    });
  }
  bundle.verificationMaterial.tlogEntries.forEach((entry, i) => {
    const fields: [string, unknown][] = [
      ['logIndex', entry.logIndex],
      ['integratedTime', entry.integratedTime],
    ];
    if (entry.inclusionProof !== undefined)
      fields.push(['inclusionProof.logIndex', entry.inclusionProof.logIndex], ['inclusionProof.treeSize', entry.inclusionProof.treeSize]);
    for (const [field, value] of fields) {
      if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(value))
        throw new UnreadableInputError(`${what} verificationMaterial.tlogEntries[${i}].${field} is not a non-negative integer`);
    }
  });
  return bundle;
}
