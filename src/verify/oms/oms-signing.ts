// Signs a model in OpenSSF Model Signing (OMS) with a key, as model_signing v1.1's `sign key` writes
// it (`_signing/sign_ec_key.py`, `signing.py`): an in-toto Statement v1 with predicate type
// `https://model_signing/signature/v1.0` over the model's manifest (files, sha256, symlinks refused,
// the ignore paths recorded), its one subject the model's name and root digest; a DSSE envelope
// signed with ECDSA (DER) and the curve's hash over the standard PAE; a Sigstore bundle v0.3 whose
// verification material is the key's sha256 hint and no log entry. What `verifyOmsSignature`'s key
// method (and model_signing's `verify key`) accepts.
import { createPublicKey, KeyObject, sign } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding } from '../dsse-pae';
import { GIT_IGNORE_PATHS } from './model-files';
import { resourceName } from './manifest';
import { OMS_BUNDLE_MEDIA_TYPE } from './oms-bundle';
import { isOmsKey } from './oms-dsse';
import { OMS_PREDICATE_V1 } from './oms-statement';
import { serializeModel } from './serialize-model';
import { publicKeyHint } from './verify-oms';

const CURVE_HASHES: Readonly<Record<string, string>> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/** What signing a model gave. */
export interface OmsSignature {
  /** The bundle (`model.sig`), as model_signing writes it. */
  readonly bundleJson: string;
  /** The root digest signed, lowercase hex. */
  readonly rootDigest: string;
  /** The resources signed, by name, in the signed order. */
  readonly resources: readonly string[];
}

/**
 * Signs the model at `modelPath` (a directory or a file) with an ECDSA P-256/P-384/P-521 private key.
 * `ignorePaths` (relative to the model, e.g. `model.sig` itself) are left out and recorded, with
 * git's paths, as model_signing records them.
 */
export async function signModelOms(modelPath: string, privateKey: KeyObject, ignorePaths: readonly string[] = []): Promise<OmsSignature> {
  if (privateKey.type !== 'private' || !isOmsKey(privateKey))
    throw new Error('an OMS signing key must be an ECDSA P-256, P-384 or P-521 private key (what model_signing signs with)');
  const model = await serializeModel(modelPath, { ignorePaths });
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: model.name, digest: { sha256: model.rootDigest } }],
    predicateType: OMS_PREDICATE_V1,
    predicate: {
      resources: model.resources.map((r) => ({ algorithm: r.algorithm, name: resourceName(r), digest: r.digest })),
      serialization: {
        allow_symlinks: false,
        method: 'files',
        hash_type: 'sha256',
        ignore_paths: [...new Set([...GIT_IGNORE_PATHS, ...ignorePaths])],
      },
    },
  };
  const payload = Buffer.from(JSON.stringify(statement, null, 2));
  const hash = CURVE_HASHES[privateKey.asymmetricKeyDetails!.namedCurve!];
  const signature = sign(hash, preAuthenticationEncoding(IN_TOTO_PAYLOAD_TYPE, payload), { key: privateKey, dsaEncoding: 'der' });
  const bundle = {
    mediaType: OMS_BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: publicKeyHint(createPublicKey(privateKey)) }, tlogEntries: [] },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: signature.toString('base64'), keyid: '' }],
    },
  };
  return { bundleJson: `${JSON.stringify(bundle, null, 2)}\n`, rootDigest: model.rootDigest, resources: model.resources.map(resourceName) };
}
