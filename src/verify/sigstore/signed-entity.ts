import { createHash } from 'node:crypto';
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
export function signedEntityOfBundle(bundle: Bundle, source: string, artifact?: Buffer): SignedEntity {
  if (bundle.content.$case === 'messageSignature') {
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
export function signedEntityOfEnvelope(envelope: DsseEnvelope, signatureIndex: number, entries: readonly TransparencyLogEntry[], key: VerificationKey): SignedEntity {
  const payload = decodeStrictBase64(envelope.payload);
  const signature = decodeStrictBase64(envelope.signatures[signatureIndex]?.sig ?? '');
  if (!payload.ok || !signature.ok) throw new AttestationRejectedError('the envelope payload or signature is not base64');
  const pae = preAuthenticationEncoding(envelope.payloadType, payload.bytes);
  const payloadDigest = createHash('sha256').update(payload.bytes).digest();
  const paeDigest = createHash('sha256').update(pae).digest();
  return {
    signature: {
      signature: signature.bytes,
      compareSignature: other => signature.bytes.equals(other),
      compareDigest: digest => payloadDigest.equals(digest),
      compareSignedDigest: digest => paeDigest.equals(digest),
      verifySignature: keyObject => keyObject.equals(key.keyObject) && signatureMatches(pae, signature.bytes, key),
    },
    key: { $case: 'public-key', hint: '' },
    tlogEntries: [...entries],
    timestamps: entries.map(tlogEntry => ({ $case: 'transparency-log' as const, tlogEntry })),
  };
}
