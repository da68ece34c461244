import * as crypto from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding } from '../verify/dsse-pae';

/** A DSSE envelope as Tekton Chains writes it (field order of go-securesystemslib's `dsse.Envelope`). */
export interface SignedDsseEnvelope {
  /** Always `application/vnd.in-toto+json` here. */
  readonly payloadType: string;
  /** Standard base64 of the payload bytes. */
  readonly payload: string;
  /** One signature. */
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function sshMpint(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 0 && b[0] === 0) b = b.subarray(1);
  if (b.length > 0 && (b[0] & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

/**
 * The OpenSSH SHA256 fingerprint (`SHA256:` + unpadded base64) of a public key, which Tekton Chains writes as
 * the DSSE `keyid` (`ssh.FingerprintSHA256(ssh.NewPublicKey(pub))` in `pkg/chains/signing/wrap.go`).
 * Supports ECDSA P-256/P-384/P-521, RSA and Ed25519.
 */
export function sshFingerprintSha256(key: crypto.KeyObject): string {
  const publicKey = key.type === 'private' ? crypto.createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' }) as crypto.JsonWebKey;
  let wire: Buffer;
  if (jwk.kty === 'EC') {
    const curve = ({ 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' } as Record<string, string>)[jwk.crv ?? ''];
    if (!curve) throw new Error(`unsupported curve ${jwk.crv}`);
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    wire = Buffer.concat([sshString(Buffer.from(`ecdsa-sha2-${curve}`)), sshString(Buffer.from(curve)), sshString(point)]);
  } else if (jwk.kty === 'RSA') {
    wire = Buffer.concat([
      sshString(Buffer.from('ssh-rsa')),
      sshMpint(Buffer.from(jwk.e!, 'base64url')),
      sshMpint(Buffer.from(jwk.n!, 'base64url')),
    ]);
  } else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    wire = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk.x!, 'base64url'))]);
  } else {
    throw new Error(`unsupported key type ${jwk.kty}`);
  }
  return `SHA256:${crypto.createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Signs `payload` as a DSSE envelope the way Chains' x509 signer does with a cosign key: the signature covers
 * PAE(payloadType, payload); ECDSA and RSA (PKCS#1 v1.5) use SHA-256 and ECDSA signatures are ASN.1 DER;
 * Ed25519 signs the PAE directly. `keyid` defaults to the key's SSH fingerprint, as Chains sets it.
 */
export function signDsseEnvelope(
  payload: Buffer,
  privateKey: crypto.KeyObject,
  keyid: string = sshFingerprintSha256(privateKey),
): SignedDsseEnvelope {
  const pae = preAuthenticationEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  const algorithm = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  const sig = crypto.sign(algorithm, pae, privateKey);
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid, sig: sig.toString('base64') }],
  };
}
