// An OMS signature file (`model.sig`): a Sigstore bundle v0.3 (JSON) holding a DSSE envelope
// and the verification material of one of model_signing's methods. Read as model_signing's
// `_signing/sign_sigstore_pb.py` reads it, including the older key material it still accepts.
import { DsseEnvelope, envelopeFromJson } from '../dsse-envelope';
import { decodeStrictBase64 } from '../strict-base64';
import { UnreadableInputError } from '../verification-errors';

/** The bundle media type model_signing writes (and requires for the key and certificate methods). */
export const OMS_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The verification material of a bundle, by kind. */
export type OmsVerificationMaterial =
  /** Key method: the sha256 hint of the key (v1.1+), or the older `rawBytes`/`keyDetails` (before v1.1), or neither. */
  | { readonly kind: 'publicKey'; readonly hint?: string; readonly legacyKeyFields: boolean }
  /** Certificate method: the signing certificate first, then untrusted intermediates (DER). */
  | { readonly kind: 'x509CertificateChain'; readonly certificates: readonly Buffer[] }
  /** Sigstore method: a Fulcio leaf certificate (DER); the log entries stay in the bundle JSON. */
  | { readonly kind: 'certificate'; readonly certificate: Buffer };

/** A bundle as read: nothing in it is trusted yet. */
export interface OmsBundle {
  /** `mediaType`. */
  readonly mediaType: string;
  /** The DSSE envelope; exactly one signature. */
  readonly envelope: DsseEnvelope;
  /** What the signer's identity is checked with. */
  readonly material: OmsVerificationMaterial;
  /** The bundle's JSON as parsed (the sigstore method hands it on whole). */
  readonly json: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function der(value: unknown, source: string, field: string): Buffer {
  if (typeof value !== 'string')
    throw new UnreadableInputError(
      `${source}: bundle field "${field}" is ${value === undefined ? 'missing' : 'not a string'} (expected base64 DER)`,
    );
  const decoded = decodeStrictBase64(value);
  if (!decoded.ok || decoded.bytes.length === 0) throw new UnreadableInputError(`${source}: bundle field "${field}" is not base64 DER`);
  return decoded.bytes;
}

/**
 * Reads an OMS signature file's bytes. Throws {@link UnreadableInputError} naming `source` and
 * the field when it is not JSON, not a bundle with a DSSE envelope, has other than one
 * signature, or has no verification material model_signing writes.
 */
export function readOmsBundle(bytes: Uint8Array, source: string): OmsBundle {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new UnreadableInputError(
      `${source} is not JSON (${(err as Error).message.toLowerCase()}); an OMS signature is a Sigstore bundle`,
    );
  }
  if (!isObject(json)) throw new UnreadableInputError(`${source} is not a JSON object (an OMS signature is a Sigstore bundle)`);
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string')
    throw new UnreadableInputError(`${source}: bundle field "mediaType" is missing (not a Sigstore bundle)`);
  if (!isObject(json.dsseEnvelope)) {
    throw new UnreadableInputError(
      `${source}: bundle has no "dsseEnvelope" (${json.messageSignature !== undefined ? 'it signs a blob, not a model statement' : 'not an OMS signature'})`,
    );
  }
  const envelope = envelopeFromJson(json.dsseEnvelope, `${source} dsseEnvelope`);
  if (envelope.signatures.length !== 1) {
    throw new UnreadableInputError(
      `${source}: the DSSE envelope has ${envelope.signatures.length} signatures (a Sigstore bundle holds exactly one)`,
    );
  }
  const vm = json.verificationMaterial;
  if (!isObject(vm)) throw new UnreadableInputError(`${source}: bundle field "verificationMaterial" is missing`);
  let material: OmsVerificationMaterial;
  if (isObject(vm.publicKey)) {
    const hint = vm.publicKey.hint;
    if (hint !== undefined && hint !== null && typeof hint !== 'string')
      throw new UnreadableInputError(`${source}: bundle field "verificationMaterial.publicKey.hint" is not a string`);
    material = {
      kind: 'publicKey',
      ...(typeof hint === 'string' && hint !== '' ? { hint } : {}),
      legacyKeyFields: 'rawBytes' in vm.publicKey || 'keyDetails' in vm.publicKey,
    };
  } else if (isObject(vm.x509CertificateChain)) {
    const list = vm.x509CertificateChain.certificates;
    if (!Array.isArray(list) || list.length === 0)
      throw new UnreadableInputError(
        `${source}: bundle field "verificationMaterial.x509CertificateChain.certificates" is not a non-empty list`,
      );
    material = {
      kind: 'x509CertificateChain',
      certificates: list.map((c: unknown, i: number) =>
        der(isObject(c) ? c.rawBytes : undefined, source, `verificationMaterial.x509CertificateChain.certificates[${i}].rawBytes`),
      ),
    };
  } else if (isObject(vm.certificate)) {
    material = { kind: 'certificate', certificate: der(vm.certificate.rawBytes, source, 'verificationMaterial.certificate.rawBytes') };
  } else {
    throw new UnreadableInputError(`${source}: bundle field "verificationMaterial" has no publicKey, x509CertificateChain or certificate`);
  }
  return { mediaType, envelope, material, json };
}
