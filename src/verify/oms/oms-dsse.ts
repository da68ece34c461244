// The DSSE signature of an OMS bundle, checked as model_signing's key and certificate verifiers
// check it (`_signing/sign_ec_key.py`, `sign_certificate.py`, `sign_sigstore_pb.py`): ECDSA (DER)
// with the curve's hash over the standard PAE, falling back to the input model_signing v0.2
// signed by mistake.
import { KeyObject, verify } from 'node:crypto';
import { DsseEnvelope } from '../dsse-envelope';
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding } from '../dsse-pae';
import { decodeStrictBase64 } from '../strict-base64';
import { AttestationRejectedError } from '../verification-errors';

/** The ECDSA hash model_signing uses for each curve it accepts. */
const CURVE_HASHES: Readonly<Record<string, string>> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/** Whether a key is one model_signing accepts: ECDSA on P-256, P-384 or P-521. */
export function isOmsKey(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && CURVE_HASHES[key.asymmetricKeyDetails?.namedCurve ?? ''] !== undefined;
}

/**
 * Python's `str(bytes)`: `b'...'` (or `b"..."` when the bytes hold a `'` and no `"`), with
 * `\\`, the quote, `\t`, `\n`, `\r` escaped and other bytes outside 0x20..0x7e as `\xNN`.
 */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}${quote}`;
}

/**
 * The signing input of model_signing v0.2.0 (its `pae` mixed `str` and `bytes`): `DSSEV1`
 * (capital V), the in-toto type, the payload's byte length, then Python's repr of the payload.
 */
export function compatPreAuthenticationEncoding(payload: Uint8Array): Buffer {
  return Buffer.from(`DSSEV1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} ${payload.length} ${pythonBytesRepr(payload)}`, 'utf8');
}

/** Which signing input verified. */
export type OmsSigningInput = 'standard' | 'v0.2-compat';

/**
 * Checks the one signature of an OMS envelope with `key` and returns the authenticated payload.
 * The PAE always names the in-toto payload type (as model_signing builds it); the envelope's own
 * `payloadType` is checked after. `compatHash` is the hash of the v0.2 fallback: the curve's own
 * for the key method, sha256 for the certificate method (v0.2's second bug).
 * Throws {@link AttestationRejectedError} when it does not verify.
 */
export function verifyOmsEnvelope(
  envelope: DsseEnvelope,
  key: KeyObject,
  keyName: string,
  compatHash: 'curve' | 'sha256',
): { payload: Buffer; input: OmsSigningInput } {
  const curveHash = CURVE_HASHES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (key.asymmetricKeyType !== 'ec' || curveHash === undefined) {
    throw new AttestationRejectedError(`${keyName} is not an ECDSA P-256/P-384/P-521 key (the only keys model_signing signs with)`);
  }
  const payload = decodeStrictBase64(envelope.payload);
  if (!payload.ok) throw new AttestationRejectedError(`the envelope payload is not valid base64 (it ${payload.error})`);
  const sig = decodeStrictBase64(envelope.signatures[0].sig);
  if (!sig.ok || sig.bytes.length === 0) throw new AttestationRejectedError('the envelope signature is not valid base64');
  const check = (hash: string, message: Buffer): boolean => {
    try {
      return verify(hash, message, { key, dsaEncoding: 'der' }, sig.bytes);
    } catch {
      return false;
    }
  };
  let input: OmsSigningInput | undefined;
  if (check(curveHash, preAuthenticationEncoding(IN_TOTO_PAYLOAD_TYPE, payload.bytes))) input = 'standard';
  else if (check(compatHash === 'curve' ? curveHash : 'sha256', compatPreAuthenticationEncoding(payload.bytes))) input = 'v0.2-compat';
  if (input === undefined) throw new AttestationRejectedError(`the signature does not verify with ${keyName}`);
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AttestationRejectedError(
      `envelope payloadType is ${JSON.stringify(envelope.payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`,
    );
  }
  return { payload: payload.bytes, input };
}
