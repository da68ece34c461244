import { constants, verify } from 'node:crypto';
import { DsseEnvelope, MAX_DSSE_SIGNATURES, tooManySignatures } from './dsse-envelope';

export { MAX_DSSE_SIGNATURES };
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding } from './dsse-pae';
import { decodeStrictBase64 } from './strict-base64';
import { AttestationRejectedError } from './verification-errors';
import { VerificationKey } from './verification-key';

/** What a verified envelope yields: its payload bytes, now authenticated, and which signature verified. */
export interface VerifiedEnvelopePayload {
  /** The decoded payload, authenticated by the key. */
  readonly payload: Buffer;
  /** The position (0-based) of the first signature that verified. */
  readonly signatureIndex: number;
  /** The keyid that signature claims (a hint, never used to choose or trust a key). */
  readonly keyid?: string;
}

const COORDINATE_BYTES: Readonly<Record<string, number>> = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };
const EC_HASHES: Readonly<Record<string, readonly string[]>> = {
  // cosign hashes with SHA-256 whatever the curve; sigstore's default verifiers pick the curve's own size.
  prime256v1: ['sha256'],
  secp384r1: ['sha384', 'sha256'],
  secp521r1: ['sha512', 'sha256'],
};

/** How many per-signature problems a refusal names; the rest are counted. */
const NAMED_PROBLEMS = 3;

/**
 * Verifies a DSSE envelope as cosign and the DSSE spec do: the payload type must be
 * `application/vnd.in-toto+json`, and at least one signature must verify over the PAE with the
 * key. keyids are ignored for trust. ECDSA signatures may be ASN.1 DER or raw r||s, high-S or
 * low-S. With several keys (rotation), a signature verifies when any key verifies it. At most
 * {@link MAX_DSSE_SIGNATURES} signatures are tried. Throws {@link AttestationRejectedError}
 * saying why when it does not verify.
 */
export function verifyDsseEnvelope(
  envelope: DsseEnvelope,
  keys: VerificationKey | readonly VerificationKey[],
): VerifiedEnvelopePayload & { readonly key: VerificationKey } {
  const keyList: readonly VerificationKey[] = Array.isArray(keys) ? keys : [keys as VerificationKey];
  if (keyList.length === 0) throw new AttestationRejectedError('no key to verify the envelope with');
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AttestationRejectedError(
      `envelope payloadType is ${JSON.stringify(envelope.payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`,
    );
  }
  const payload = decodeStrictBase64(envelope.payload);
  if (!payload.ok) throw new AttestationRejectedError(`envelope payload is not valid base64 (it ${payload.error})`);
  const count = envelope.signatures.length;
  if (count === 0) throw new AttestationRejectedError('envelope has no signatures');
  if (count > MAX_DSSE_SIGNATURES) throw tooManySignatures(count);
  const pae = preAuthenticationEncoding(envelope.payloadType, payload.bytes);
  const problems: string[] = [];
  for (let index = 0; index < count; index++) {
    const signature = envelope.signatures[index];
    const sig = decodeStrictBase64(signature.sig);
    if (!sig.ok) {
      problems.push(`signature ${index + 1} is not valid base64 (it ${sig.error})`);
    } else if (sig.bytes.length === 0) {
      problems.push(`signature ${index + 1} is empty`);
    } else {
      const key = keyList.find((candidate) => signatureMatches(pae, sig.bytes, candidate));
      if (key !== undefined) {
        return signature.keyid !== undefined && signature.keyid !== ''
          ? { payload: payload.bytes, signatureIndex: index, keyid: signature.keyid, key }
          : { payload: payload.bytes, signatureIndex: index, key };
      }
      problems.push(`signature ${index + 1} does not verify with ${describeKeys(keyList)}`);
    }
  }
  if (count === 1) throw new AttestationRejectedError(problems[0].replace(/^signature 1 /, 'the signature '));
  const more = problems.length > NAMED_PROBLEMS ? `; and ${problems.length - NAMED_PROBLEMS} more` : '';
  throw new AttestationRejectedError(`none of the ${count} signatures verifies: ${problems.slice(0, NAMED_PROBLEMS).join('; ')}${more}`);
}

function describeKeys(keys: readonly VerificationKey[]): string {
  if (keys.length === 1) return `the ${keys[0].description} key ${keys[0].source}`;
  return `any of the ${keys.length} keys (${keys
    .slice(0, 3)
    .map((key) => `${key.description} ${key.source}`)
    .join(', ')}${keys.length > 3 ? ', ...' : ''})`;
}

/** Whether `signature` is a valid signature of `message` by `key`, in any encoding cosign accepts for that key type. */
export function signatureMatches(message: Buffer, signature: Buffer, key: VerificationKey): boolean {
  const keyObject = key.keyObject;
  const attempt = (run: () => boolean): boolean => {
    try {
      return run();
    } catch {
      return false;
    }
  };
  switch (keyObject.asymmetricKeyType) {
    case 'ec': {
      const curve = keyObject.asymmetricKeyDetails?.namedCurve ?? '';
      const hashes = EC_HASHES[curve] ?? ['sha256'];
      const raw = signature.length === 2 * (COORDINATE_BYTES[curve] ?? 0);
      return hashes.some(
        (hash) =>
          attempt(() => verify(hash, message, { key: keyObject, dsaEncoding: 'der' }, signature)) ||
          (raw && attempt(() => verify(hash, message, { key: keyObject, dsaEncoding: 'ieee-p1363' }, signature))),
      );
    }
    case 'rsa':
      return (
        attempt(() => verify('sha256', message, { key: keyObject, padding: constants.RSA_PKCS1_PADDING }, signature)) ||
        attempt(() =>
          verify(
            'sha256',
            message,
            { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
            signature,
          ),
        )
      );
    case 'rsa-pss':
      return attempt(() =>
        verify(
          'sha256',
          message,
          { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        ),
      );
    case 'ed25519':
      return attempt(() => verify(null, message, keyObject, signature));
    default:
      return false;
  }
}
