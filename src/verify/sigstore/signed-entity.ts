import { createHash, createPublicKey, createVerify, KeyObject } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { sha256OfFile } from '../model-digest';
import { Bundle, TransparencyLogEntry } from '@sigstore/bundle';
import { SignedEntity, toSignedEntity } from '@sigstore/verify';
import { DsseEnvelope } from '../dsse-envelope';
import { preAuthenticationEncoding } from '../dsse-pae';
import { signatureMatches } from '../dsse-signature-verification';
import { decodeStrictBase64 } from '../strict-base64';
import { AttestationRejectedError, UnreadableInputError } from '../verification-errors';
import { VerificationKey } from '../verification-key';

/**
 * The signed content of a bundle with its evidence, in @sigstore/verify's terms. For a message
 * signature, `artifact` is the signed file's bytes; its sha256 must equal the bundle's
 * `messageDigest` (a hint the bundle carries unauthenticated: checked, never trusted).
 */
export function signedEntityOfBundle(bundle: Bundle, source: string, artifact?: Buffer, streamed = false): SignedEntity {
  if (bundle.content.$case === 'messageSignature' && !streamed) {
    if (artifact === undefined) throw new AttestationRejectedError(`bundle ${source} signs a file (a message signature): give the file`);
    const digest = bundle.content.messageSignature.messageDigest;
    const expected = createHash('sha256').update(artifact).digest();
    if (digest.algorithm !== 1 /* SHA2_256 */ || !Buffer.from(digest.digest).equals(expected)) {
      throw new AttestationRejectedError(`bundle ${source} messageDigest is not the sha256 of the file`);
    }
  }
  try {
    return toSignedEntity(bundle, artifact);
  } catch (err) {
    throw new UnreadableInputError(`bundle ${source} cannot be read: ${(err as Error).message}`);
  }
}

/**
 * The DSSE envelope Chains signed, with the log entries fetched beside it, as @sigstore/verify
 * sees a bundle: the one signature that verified with `key` (at `signatureIndex`; the library
 * checks only one signature), the key as the signer, the entries' integrated times as the
 * signing time. The signature itself is checked with this package's DSSE verifier (ASN.1 or raw
 * ECDSA, as cosign accepts), so that the log check never weakens or narrows it.
 */
export function signedEntityOfEnvelope(
  envelope: DsseEnvelope,
  signatureIndex: number,
  entries: readonly TransparencyLogEntry[],
  key: VerificationKey,
  certificate?: X509Certificate,
): SignedEntity {
  const payload = decodeStrictBase64(envelope.payload);
  const signature = decodeStrictBase64(envelope.signatures[signatureIndex]?.sig ?? '');
  if (!payload.ok || !signature.ok) throw new AttestationRejectedError('the envelope payload or signature is not base64');
  const pae = preAuthenticationEncoding(envelope.payloadType, payload.bytes);
  const payloadDigest = createHash('sha256').update(payload.bytes).digest();
  const paeDigest = createHash('sha256').update(pae).digest();
  return {
    signature: {
      signature: signature.bytes,
      compareSignature: (other) => signature.bytes.equals(other),
      compareDigest: (digest) => payloadDigest.equals(digest),
      compareSignedDigest: (digest) => paeDigest.equals(digest),
      verifySignature: (keyObject) => keyObject.equals(key.keyObject) && signatureMatches(pae, signature.bytes, key),
    },
    key: certificate === undefined ? { $case: 'public-key', hint: '' } : { $case: 'certificate', certificate },
    tlogEntries: [...entries],
    timestamps: entries.map((tlogEntry) => ({ $case: 'transparency-log' as const, tlogEntry })),
  };
}

const MESSAGE_HASHES: Readonly<Record<number, string>> = { 1: 'sha256', 2: 'sha384', 3: 'sha512' };

/**
 * A message-signature bundle over a file of any size (`cosign sign-blob --bundle` over a model):
 * the file is read once, its sha256 compared with the bundle's `messageDigest` and the signature
 * checked in the same pass with the signer's key (`key`, or the bundle's certificate). Ed25519
 * signs the whole message, not a digest, and cannot be checked in a stream: refused.
 */
export async function signedEntityOfMessageFile(
  bundle: Bundle,
  source: string,
  artifactPath: string,
  key: KeyObject | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ entity: SignedEntity; sha256: string }> {
  if (bundle.content.$case !== 'messageSignature')
    throw new AttestationRejectedError(`bundle ${source} holds an attestation, not a signature over the file`);
  const message = bundle.content.messageSignature;
  const material = bundle.verificationMaterial.content;
  let signerKey = key;
  try {
    if (material.$case === 'certificate') signerKey = createPublicKeyOf(X509Certificate.parse(Buffer.from(material.certificate.rawBytes)));
    else if (material.$case === 'x509CertificateChain')
      signerKey = createPublicKeyOf(X509Certificate.parse(Buffer.from(material.x509CertificateChain.certificates[0]?.rawBytes ?? [])));
  } catch (err) {
    throw new UnreadableInputError(`bundle ${source} certificate cannot be read: ${(err as Error).message}`);
  }
  if (signerKey === undefined) throw new AttestationRejectedError(`bundle ${source} is signed with a public key: give it with --key`);
  if (signerKey.asymmetricKeyType === 'ed25519')
    throw new AttestationRejectedError(
      `bundle ${source} is an ed25519 signature over the whole file, which cannot be checked in a stream (not supported)`,
    );
  const algorithm = MESSAGE_HASHES[message.messageDigest.algorithm];
  if (algorithm === undefined)
    throw new AttestationRejectedError(`bundle ${source} messageDigest uses an unsupported hash (${message.messageDigest.algorithm})`);
  const verifier = createVerify(algorithm);
  const digest = createHash(algorithm);
  const { sha256 } = await sha256OfFile(artifactPath, {
    onChunk: (chunk) => {
      verifier.update(chunk);
      if (algorithm !== 'sha256') digest.update(chunk);
    },
    ...(onProgress ? { onProgress } : {}),
  });
  const fileDigest = algorithm === 'sha256' ? Buffer.from(sha256, 'hex') : digest.digest();
  if (!Buffer.from(message.messageDigest.digest).equals(fileDigest))
    throw new AttestationRejectedError(`bundle ${source} messageDigest is not the ${algorithm} of ${artifactPath}`);
  let signatureValid = false;
  try {
    signatureValid = verifier.verify(signerKey, Buffer.from(message.signature));
  } catch {
    signatureValid = false;
  }
  const entity = signedEntityOfBundle(bundle, source, undefined, true);
  const verifiedKey = signerKey;
  return {
    sha256,
    entity: { ...entity, signature: { ...bindContent(entity.signature), verifySignature: (k) => k.equals(verifiedKey) && signatureValid } },
  };
}

function createPublicKeyOf(certificate: X509Certificate): KeyObject {
  return createPublicKey({ key: certificate.publicKey, format: 'der', type: 'spki' });
}

/** A signature content's methods bound to it, so that one can be replaced in a copy. */
export function bindContent(content: SignedEntity['signature']): SignedEntity['signature'] {
  return {
    signature: content.signature,
    compareSignature: (s) => content.compareSignature(s),
    compareDigest: (d) => content.compareDigest(d),
    compareSignedDigest: (d) => content.compareSignedDigest(d),
    verifySignature: (k) => content.verifySignature(k),
  };
}

/**
 * Reads a signing certificate as Chains stores it (`chains.tekton.dev/cert-pipelinerun-<uid>`: PEM,
 * possibly followed by its chain) or cosign writes it (`--output-certificate`): PEM text, or the
 * base64 of PEM. The first certificate is the signer's; the CAs come from the trusted root.
 */
export function parseSigningCertificate(input: Uint8Array | string, source: string): { certificate: X509Certificate; key: KeyObject } {
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    const decoded = decodeStrictBase64(text.trim());
    if (decoded.ok) text = decoded.bytes.toString('utf8');
  }
  const match = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/.exec(text);
  if (!match) throw new UnreadableInputError(`certificate ${source} holds no PEM certificate`);
  try {
    const certificate = X509Certificate.parse(match[0]);
    return { certificate, key: createPublicKeyOf(certificate) };
  } catch (err) {
    throw new UnreadableInputError(`certificate ${source} cannot be read: ${(err as Error).message}`);
  }
}
