// Verifies a model against an OpenSSF Model Signing (OMS) signature, as model_signing's
// `verify key|certificate|sigstore` does: the signer (a key, a CA, or a Sigstore identity), the
// signed statement, and then every file of the model against the signed manifest.
import { createHash, KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readBoundedFile } from '../bounded-file';
import { describeFileError } from '../file-error';
import { AttestationRejectedError, oneLine, UnreadableInputError } from '../verification-errors';
import { loadVerificationKey } from '../verification-key';
import { loadCertificates, verifyCertificateChain } from './certificate-chain';
import { OmsResource, resourceName } from './manifest';
import { ignorePathsInsideModel, resolveIgnorePaths } from './model-files';
import { OMS_BUNDLE_MEDIA_TYPE, OmsBundle, readOmsBundle } from './oms-bundle';
import { OmsSigningInput, verifyOmsEnvelope } from './oms-dsse';
import { OmsManifest, readOmsStatement } from './oms-statement';
import { serializeModel } from './serialize-model';

/** model_signing's verification methods. */
export type OmsMethod = 'key' | 'certificate' | 'sigstore';

/** The signer check of the `sigstore` method, plugged in by the Sigstore module. */
export type SigstoreBundleVerifier = (bundle: OmsBundle, source: string) => Promise<{ payload: Buffer; signer: string; signedAt?: string }>;

/** What to verify, and against what. */
export interface VerifyOmsOptions {
  /** The model: a directory or a single file. */
  readonly modelPath: string;
  /** The OMS signature (a Sigstore bundle, `model.sig`). */
  readonly signaturePath: string;
  /** `key`: the signer's PEM public key file (model_signing `verify key --public-key`), or `k8s://NAMESPACE/SECRET` (its cosign.pub). */
  readonly publicKeyPath?: string;
  /** `certificate`: PEM files of the trusted CA certificates (`verify certificate --certificate-chain`). */
  readonly certificateChainPaths?: readonly string[];
  /** `sigstore`: the check of a Fulcio certificate, its log entry and identity. */
  readonly sigstore?: SigstoreBundleVerifier;
  /** More paths to leave out, as given on a command line: relative to `cwd`, or absolute. */
  readonly ignorePaths?: readonly string[];
  /** The directory relative paths (model, signature, key, certificates, ignore paths) are read from. @default process.cwd() */
  readonly cwd?: string;
  /** Leave `.git`, `.gitattributes`, `.github`, `.gitignore` at the model root out. @default true */
  readonly ignoreGitPaths?: boolean;
  /** Called while the model is hashed. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The verdict of {@link verifyOmsSignature}. */
export interface OmsVerificationResult {
  /** True only when the signer, the statement and every file of the model check out. */
  readonly verified: boolean;
  /** One line: what was verified, or exactly why not. */
  readonly reason: string;
  /** Set when not verified: `usage`, `unreadable` or `rejected`. */
  readonly failure?: 'usage' | 'unreadable' | 'rejected';
  /** Always `oms`: which kind of check ran. */
  readonly format: 'oms';
  /** The method that ran. */
  readonly method?: OmsMethod;
  /** Who signed: the key, the certificate path, or the Sigstore identity. */
  readonly signer?: string;
  /** When it was signed, where the bundle proves it (sigstore: the log entry or timestamp). */
  readonly signedAt?: string;
  /** Which signing input verified (`v0.2-compat`: model_signing v0.2's). */
  readonly signingInput?: OmsSigningInput;
  /** The statement's predicate type. */
  readonly predicateType?: string;
  /** The model name the statement records (informative only). */
  readonly modelName?: string;
  /** The root digest, `sha256:<hex>` (absent for `Digests/v0.1`). */
  readonly rootDigest?: string;
  /** The serialization the signature records. */
  readonly serialization?: OmsManifest['serialization'];
  /** How many resources were checked. */
  readonly resources?: number;
  /** Things that verified but deserve a word (older formats). */
  readonly warnings: readonly string[];
}

/** The sha256 hint model_signing v1.1+ records for a key: over the PEM as Python's cryptography writes it. */
export function publicKeyHint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'pem' }) as string)
    .digest('hex');
}

function describeResource(resource: Pick<OmsResource, 'path' | 'start' | 'end'>): string {
  return resource.start === undefined
    ? `file ${JSON.stringify(resource.path)}`
    : `file ${JSON.stringify(resource.path)} bytes ${resource.start}..${resource.end}`;
}

/**
 * Compares the model's resources with the signed ones as sets (model_signing compares
 * `{name: digest}` maps) and returns one line naming each extra, missing or changed file (at
 * most three, then a count), or undefined when they are equal.
 */
export function manifestDifference(signed: readonly OmsResource[], actual: readonly OmsResource[]): string | undefined {
  const expected = new Map(signed.map((r) => [resourceName(r), r]));
  const found = new Map(actual.map((r) => [resourceName(r), r]));
  const problems: string[] = [];
  for (const [name, r] of found) if (!expected.has(name)) problems.push(`${describeResource(r)} is in the model but not in the signature`);
  for (const [name, r] of expected) if (!found.has(name)) problems.push(`${describeResource(r)} is signed but missing from the model`);
  for (const [name, r] of found) {
    const e = expected.get(name);
    if (e && (e.algorithm !== r.algorithm || e.digest !== r.digest)) {
      problems.push(
        `${describeResource(r)} has changed (signed ${e.algorithm}:${e.digest.slice(0, 16)}..., found ${r.algorithm}:${r.digest.slice(0, 16)}...)`,
      );
    }
  }
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown}; and ${problems.length - 3} more differences` : shown;
}

function methodOf(options: VerifyOmsOptions): OmsMethod {
  const given = [
    options.publicKeyPath !== undefined && 'key',
    options.certificateChainPaths !== undefined && 'certificate',
    options.sigstore !== undefined && 'sigstore',
  ].filter(Boolean) as OmsMethod[];
  if (given.length !== 1) {
    throw Object.assign(
      new Error(
        `give exactly one way to check the signer: a public key, CA certificates, or a Sigstore identity (got ${given.length === 0 ? 'none' : given.join(' and ')})`,
      ),
      { usage: true },
    );
  }
  return given[0];
}

/**
 * Verifies a model against its OMS signature. Never throws for bad input: every problem comes
 * back as a result with `verified: false`, a `failure` kind and a one-line `reason`.
 */
export async function verifyOmsSignature(options: VerifyOmsOptions): Promise<OmsVerificationResult> {
  const warnings: string[] = [];
  let facts: Partial<OmsVerificationResult> = {};
  try {
    const method = methodOf(options);
    facts = { method };
    const cwd = options.cwd ?? process.cwd();
    const at = (p: string): string => resolve(cwd, p);
    const modelPath = at(options.modelPath);
    try {
      await stat(modelPath);
    } catch (err) {
      throw new UnreadableInputError(`cannot read model ${options.modelPath}: ${describeFileError(err)}`);
    }
    const bundle = readOmsBundle(await readBoundedFile(at(options.signaturePath), 'signature'), options.signaturePath);
    let payload: Buffer;
    if (method === 'sigstore') {
      const verified = await options.sigstore!(bundle, options.signaturePath);
      payload = verified.payload;
      facts = { ...facts, signer: verified.signer, ...(verified.signedAt ? { signedAt: verified.signedAt } : {}) };
    } else {
      if (bundle.mediaType !== OMS_BUNDLE_MEDIA_TYPE) {
        throw new AttestationRejectedError(
          `bundle mediaType is ${JSON.stringify(bundle.mediaType)} (model_signing's ${method} method reads "${OMS_BUNDLE_MEDIA_TYPE}")`,
        );
      }
      let key: KeyObject;
      let signer: string;
      if (method === 'key') {
        const reference = options.publicKeyPath!.startsWith('k8s://') ? options.publicKeyPath! : at(options.publicKeyPath!);
        key = (await loadVerificationKey(reference)).keyObject;
        signer = `key ${options.publicKeyPath}`;
        if (bundle.material.kind === 'publicKey' && bundle.material.hint !== undefined) {
          if (bundle.material.hint !== publicKeyHint(key)) {
            throw new AttestationRejectedError(
              `the signature names another key (hint ${bundle.material.hint}, ${options.publicKeyPath} is ${publicKeyHint(key)})`,
            );
          }
        } else if (bundle.material.kind === 'publicKey') {
          warnings.push(
            'the signature uses the older verification material format (no public key hint; written by model_signing before 1.1)',
          );
        }
      } else {
        if (bundle.material.kind !== 'x509CertificateChain') {
          throw new AttestationRejectedError(
            `the bundle carries no certificate chain (its verification material is ${bundle.material.kind}); use the method that signed it`,
          );
        }
        const chain = verifyCertificateChain(bundle.material.certificates, await loadCertificates(options.certificateChainPaths!.map(at)));
        key = chain.leaf.publicKey;
        signer = `certificate ${chain.path.map((s) => JSON.stringify(s)).join(' <- ')}`;
      }
      const checked = verifyOmsEnvelope(bundle.envelope, key, signer, method === 'key' ? 'curve' : 'sha256');
      payload = checked.payload;
      facts = { ...facts, signer, signingInput: checked.input };
      if (checked.input === 'v0.2-compat')
        warnings.push("the signature covers model_signing v0.2's faulty signing input (accepted, as model_signing still accepts it)");
    }
    const manifest = readOmsStatement(payload);
    facts = {
      ...facts,
      predicateType: manifest.predicateType,
      modelName: manifest.modelName,
      serialization: manifest.serialization,
      ...(manifest.rootDigest ? { rootDigest: `sha256:${manifest.rootDigest}` } : {}),
    };
    const given = resolveIgnorePaths(modelPath, [...(options.ignorePaths ?? []), options.signaturePath], cwd);
    const serialized = await serializeModel(modelPath, {
      method: manifest.serialization.method,
      hashType: manifest.serialization.hashType,
      ...(manifest.serialization.shardSize !== undefined ? { shardSize: manifest.serialization.shardSize } : {}),
      allowSymlinks: manifest.serialization.allowSymlinks,
      ignorePaths: [...given, ...ignorePathsInsideModel(manifest.serialization.ignorePaths)],
      ignoreGitPaths: options.ignoreGitPaths ?? true,
      onProgress: options.onProgress,
    });
    const difference = manifestDifference(manifest.resources, serialized.resources);
    if (difference !== undefined) throw new AttestationRejectedError(`the model does not match the signature: ${difference}`);
    return {
      verified: true,
      reason: `${options.modelPath} matches its OMS signature (${manifest.resources.length} resources, ${method} method)`,
      format: 'oms',
      ...facts,
      resources: manifest.resources.length,
      warnings,
    };
  } catch (err) {
    const failure =
      err instanceof AttestationRejectedError
        ? 'rejected'
        : err instanceof UnreadableInputError
          ? 'unreadable'
          : (err as { usage?: boolean }).usage
            ? 'usage'
            : undefined;
    if (failure === undefined) throw err;
    return { verified: false, reason: oneLine((err as Error).message), failure, format: 'oms', ...facts, warnings };
  }
}
