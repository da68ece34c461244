import { createPublicKey, KeyObject } from 'node:crypto';
import { readKubernetesSecretPublicKey } from './kubernetes-secret-key';
import { readBoundedFile } from './bounded-file';
import { UnreadableInputError } from './verification-errors';

/** A public key that signatures are checked against, with a name for messages. */
export interface VerificationKey {
  /** The node:crypto key. */
  readonly keyObject: KeyObject;
  /** What it is, for messages: `ecdsa p-256`, `rsa 2048`, `ed25519`. */
  readonly description: string;
  /** Where it came from: a file path or `k8s://namespace/secret`. */
  readonly source: string;
}

/** Options for {@link loadVerificationKey}. */
export interface LoadVerificationKeyOptions {
  /** The environment kubectl runs with (its PATH finds kubectl). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** A PEM public key is well under a kilobyte (RSA 4096: 800 bytes); 1 MiB leaves room for comments and chains. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

/**
 * The smallest RSA modulus accepted, in bits. Go (1.24+) refuses RSA keys under 1024 bits and
 * cosign's `--key` verification adds no minimum of its own; 2048 is our stricter choice (NIST's
 * floor since 2013, and cosign's own minimum for keys it imports).
 */
export const MIN_RSA_KEY_BITS = 2048;

/** The DER object identifier of `id-ecPublicKey` (1.2.840.10045.2.1). */
const EC_PUBLIC_KEY_OID = Buffer.from('06072a8648ce3d0201', 'hex');

const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'p-256',
  secp384r1: 'p-384',
  secp521r1: 'p-521',
};

/**
 * Loads a public key from a reference as cosign's `--key` takes it: a PEM file path, or
 * `k8s://NAMESPACE/SECRET` (the `cosign.pub` entry of that Secret, read through kubectl).
 * Throws {@link UnreadableInputError} when the file or Secret cannot be read or holds no usable public key.
 */
export async function loadVerificationKey(reference: string, options: LoadVerificationKeyOptions = {}): Promise<VerificationKey> {
  if (reference.startsWith('k8s://')) {
    const pem = readKubernetesSecretPublicKey(reference, options.env ?? process.env);
    return parsePublicKeyPem(pem, reference);
  }
  const text = (await readBoundedFile(reference, 'key', MAX_KEY_FILE_BYTES)).toString('utf8');
  return parsePublicKeyPem(text, reference);
}

/**
 * Reads a PEM public key (SPKI `PUBLIC KEY`, or PKCS#1 `RSA PUBLIC KEY`) of a type that can
 * check DSSE signatures: ECDSA P-256/P-384/P-521, RSA, or Ed25519.
 * Throws {@link UnreadableInputError}, naming `source`, for anything else.
 */
export function parsePublicKeyPem(text: string, source: string): VerificationKey {
  const block = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!block) throw new UnreadableInputError(`key ${source} is not a PEM public key (no "-----BEGIN PUBLIC KEY-----" line)`);
  const label = block[1];
  if (label.includes('PRIVATE')) {
    throw new UnreadableInputError(`key ${source} is a private key (${label}); pass the public key, e.g. cosign.pub`);
  }
  if (label === 'CERTIFICATE') {
    throw new UnreadableInputError(
      `key ${source} is a certificate, not a public key; take its key with: openssl x509 -pubkey -noout -in ${source} > cosign.pub`,
    );
  }
  if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
    throw new UnreadableInputError(`key ${source} is a PEM "${label}", not a "PUBLIC KEY"`);
  }
  const endMarker = `-----END ${label}-----`;
  const end = text.indexOf(endMarker, block.index);
  if (end === -1) throw new UnreadableInputError(`key ${source} has no "${endMarker}" line (truncated PEM)`);
  const pem = text.slice(block.index, end + endMarker.length);
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new UnreadableInputError(`key ${source} is not a valid PEM public key (${lowerFirst((err as Error).message)})`);
  }
  return verificationKeyFromKeyObject(keyObject, source);
}

/**
 * Wraps a node:crypto public key as a {@link VerificationKey}, checking it is of a supported type.
 * Throws {@link UnreadableInputError} for a private key or an unsupported type.
 */
export function verificationKeyFromKeyObject(keyObject: KeyObject, source: string): VerificationKey {
  if (keyObject.type !== 'public') throw new UnreadableInputError(`key ${source} is a ${keyObject.type} key, not a public key`);
  const description = describeKey(keyObject, source);
  if (keyObject.asymmetricKeyType === 'ec' && hasExplicitCurveParameters(keyObject)) {
    throw new UnreadableInputError(
      `key ${source} spells out its curve's parameters instead of naming the curve (Go's x509 parser, and so cosign, refuses such keys)`,
    );
  }
  return { keyObject, description, source };
}

/**
 * Whether an EC public key carries explicit curve parameters (a SEQUENCE) instead of a named
 * curve's object identifier in its SPKI `AlgorithmIdentifier`. OpenSSL reads both and reports the
 * named curve when the parameters equal one, so only the encoding tells them apart.
 */
function hasExplicitCurveParameters(key: KeyObject): boolean {
  let der: Buffer;
  try {
    der = key.export({ type: 'spki', format: 'der' });
  } catch {
    return true;
  }
  const at = der.indexOf(EC_PUBLIC_KEY_OID);
  return at === -1 || der[at + EC_PUBLIC_KEY_OID.length] !== 0x06;
}

function describeKey(key: KeyObject, source: string): string {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'ec': {
      const curve = CURVE_NAMES[details.namedCurve ?? ''];
      if (!curve)
        throw new UnreadableInputError(`key ${source} is on curve ${details.namedCurve ?? 'unknown'} (supported: P-256, P-384, P-521)`);
      return `ecdsa ${curve}`;
    }
    case 'rsa':
    case 'rsa-pss': {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_KEY_BITS) {
        throw new UnreadableInputError(
          `key ${source} is a ${bits}-bit RSA key; at least ${MIN_RSA_KEY_BITS} bits are required (stricter than cosign, which takes what Go takes: 1024 bits and up)`,
        );
      }
      return `${type} ${bits}`;
    }
    case 'ed25519':
      return 'ed25519';
    default:
      throw new UnreadableInputError(`key ${source} is a ${type ?? 'unknown'} key (supported: ECDSA P-256/P-384/P-521, RSA, Ed25519)`);
  }
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
