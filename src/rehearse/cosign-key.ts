import * as crypto from 'node:crypto';
import * as nacl from 'tweetnacl';

/**
 * Cosign's encrypted private key files, as `cosign generate-key-pair` writes them: a PEM block
 * (`ENCRYPTED SIGSTORE PRIVATE KEY` since cosign 2, `ENCRYPTED COSIGN PRIVATE KEY` before) whose body is the
 * JSON of go-securesystemslib's `encrypted` package: scrypt (N=32768, r=8, p=1, 32-byte salt) derives a
 * 32-byte key that opens a NaCl secretbox (24-byte nonce) around the PKCS#8 DER of the private key.
 * The public half is written as an SPKI `PUBLIC KEY` PEM (`cosign.pub`).
 */

/** The PEM type current cosign writes. */
export const SIGSTORE_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';
/** The PEM type older cosign wrote (Tekton Chains' test key uses it); still read by cosign. */
export const COSIGN_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED COSIGN PRIVATE KEY';

const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const MAX_SCRYPT_N = 1 << 20;
const MAX_SCRYPT_MEMORY = 256 << 20;

/** A cosign key file that cannot be read: the message is one lowercase line naming the file and the fix. */
export class CosignKeyError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CosignKeyError';
  }
}

/** A key pair in cosign's file formats. */
export interface CosignKeyPair {
  /** The private key, for signing. */
  readonly privateKey: crypto.KeyObject;
  /** `cosign.key`: the encrypted private key PEM. */
  readonly privateKeyPem: string;
  /** `cosign.pub`: the SPKI public key PEM. */
  readonly publicKeyPem: string;
}

function scryptKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  const maxmem = 128 * params.N * params.r * params.p + 128 * params.r * (params.p + 2) + (16 << 20);
  return crypto.scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem });
}

function pem(type: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** Encrypts PKCS#8 DER bytes with `password` into a cosign `ENCRYPTED SIGSTORE PRIVATE KEY` PEM. */
export function encryptCosignPrivateKey(pkcs8Der: Buffer, password: string): string {
  const salt = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(24);
  const key = scryptKey(password, salt, SCRYPT_PARAMS);
  const ciphertext = Buffer.from(nacl.secretbox(new Uint8Array(pkcs8Der), new Uint8Array(nonce), new Uint8Array(key)));
  const json = JSON.stringify({
    kdf: { name: 'scrypt', params: SCRYPT_PARAMS, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  });
  return pem(SIGSTORE_PRIVATE_KEY_PEM_TYPE, Buffer.from(json, 'utf8'));
}

/** The SPKI `PUBLIC KEY` PEM of a key (what `cosign.pub` holds). */
export function publicKeyPemOf(key: crypto.KeyObject): string {
  const publicKey = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Generates an ECDSA P-256 key pair, as `cosign generate-key-pair` does, encrypted with `password`. */
export function generateCosignKeyPair(password: string): CosignKeyPair {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return { privateKey, privateKeyPem: encryptCosignPrivateKey(der, password), publicKeyPem: publicKeyPemOf(privateKey) };
}

function pemBlock(text: string, source: string): { type: string; body: Buffer } {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!match)
    throw new CosignKeyError(
      `${source}: no PEM block found; expected a cosign key file ("-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----")`,
    );
  const base64 = match[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new CosignKeyError(`${source}: the PEM body is not valid base64`);
  }
  return { type: match[1], body: Buffer.from(base64, 'base64') };
}

function base64Field(value: unknown, field: string, source: string, length?: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new CosignKeyError(`${source}: ${field} is not a base64 string`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (length !== undefined && bytes.length !== length)
    throw new CosignKeyError(`${source}: ${field} has ${bytes.length} bytes, expected ${length}`);
  return bytes;
}

/**
 * Reads a cosign encrypted private key (either PEM type) with `password`. Refuses, like cosign, any other PEM
 * type, a wrong password, and a plaintext that is not PKCS#8 (cosign's `ParsePKCS8PrivateKey`).
 * `source` names the file in messages.
 */
export function readCosignPrivateKey(text: string, password: string, source: string): crypto.KeyObject {
  const block = pemBlock(text, source);
  if (block.type !== SIGSTORE_PRIVATE_KEY_PEM_TYPE && block.type !== COSIGN_PRIVATE_KEY_PEM_TYPE) {
    throw new CosignKeyError(
      `${source}: unsupported pem type "${block.type}"; cosign reads only "${SIGSTORE_PRIVATE_KEY_PEM_TYPE}" or "${COSIGN_PRIVATE_KEY_PEM_TYPE}" (make one with cosign generate-key-pair or cosign import-key-pair)`,
    );
  }
  let json: {
    kdf?: { name?: unknown; params?: { N?: unknown; r?: unknown; p?: unknown }; salt?: unknown };
    cipher?: { name?: unknown; nonce?: unknown };
    ciphertext?: unknown;
  };
  try {
    json = JSON.parse(block.body.toString('utf8'));
  } catch {
    throw new CosignKeyError(`${source}: the PEM body is not the JSON cosign writes`);
  }
  if (json === null || typeof json !== 'object') throw new CosignKeyError(`${source}: the PEM body is not the JSON cosign writes`);
  if (json.kdf?.name !== 'scrypt') throw new CosignKeyError(`${source}: kdf.name is ${JSON.stringify(json.kdf?.name)}, expected "scrypt"`);
  if (json.cipher?.name !== 'nacl/secretbox')
    throw new CosignKeyError(`${source}: cipher.name is ${JSON.stringify(json.cipher?.name)}, expected "nacl/secretbox"`);
  const params = json.kdf.params ?? {};
  const { N, r, p } = params;
  // cosign accepts its own parameter sets (N=32768 or 65536, r=8, p=1); anything needing more than
  // 256 MiB of scrypt memory is refused rather than run.
  if (
    !Number.isInteger(N) ||
    !Number.isInteger(r) ||
    !Number.isInteger(p) ||
    (N as number) < 2 ||
    ((N as number) & ((N as number) - 1)) !== 0 ||
    (N as number) > MAX_SCRYPT_N ||
    (r as number) < 1 ||
    (p as number) < 1 ||
    128 * (N as number) * (r as number) * (p as number) > MAX_SCRYPT_MEMORY
  ) {
    throw new CosignKeyError(
      `${source}: kdf.params ${JSON.stringify(params)} are not usable scrypt parameters (cosign writes N=32768, r=8, p=1)`,
    );
  }
  const salt = base64Field(json.kdf.salt, 'kdf.salt', source);
  const nonce = base64Field(json.cipher.nonce, 'cipher.nonce', source, 24);
  const ciphertext = base64Field(json.ciphertext, 'ciphertext', source);
  const key = scryptKey(password, salt, { N: N as number, r: r as number, p: p as number });
  const plaintext = nacl.secretbox.open(new Uint8Array(ciphertext), new Uint8Array(nonce), new Uint8Array(key));
  if (!plaintext) {
    throw new CosignKeyError(`${source}: wrong password or damaged key (decryption failed); set COSIGN_PASSWORD to the key's password`);
  }
  try {
    return crypto.createPrivateKey({ key: Buffer.from(plaintext), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CosignKeyError(
      `${source}: the decrypted key is not PKCS#8, which cosign requires (it refuses SEC1 "EC PRIVATE KEY" contents too); re-create it with cosign generate-key-pair`,
    );
  }
}
