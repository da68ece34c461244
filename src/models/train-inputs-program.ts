/**
 * The training task's input check (issue 17, part 4: what a model was trained from), run in its
 * `verify-inputs` step as `node verifier.js verify-training-inputs` (verifier-program.ts, shipped by
 * the verifier ConfigMaps) with the project's own verifier: a base model's OpenSSF Model Signing
 * signature is checked with `verifyOmsSignature` (with a key, to a certificate chain, or against a
 * Sigstore identity and the trusted root, as `slsa-for-models verify --bundle`), a dataset's digest with
 * `modelSubjectDigest` (as `verify` and `digest` compute it). Fail closed: any input that is given
 * and does not verify stops the task before training, with one line.
 *
 * Inputs come from the environment. Each URI is `file://PATH` (a file or directory in the pod,
 * e.g. on a bound workspace) or `https://...` (one file). What is verified is a copy under
 * `INPUTS_DIR` (`base-model/`, `dataset/`), and the training step reads that copy, so the bytes
 * trained from are the bytes checked. Each input is then written as a Chains type-hinted input,
 * `{"uri": URI, "digest": "sha256:<hex>"}` (a directory: its OMS root digest); one not given as
 * `{"uri": "", "digest": ""}`, which Chains skips.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { modelSubjectDigest } from '../verify/oms/model-subject';
import { omsSigstoreVerifier } from '../verify/oms/oms-sigstore';
import { verifyOmsSignature, VerifyOmsOptions } from '../verify/oms/verify-oms';
import { TRUSTED_ROOT_CONFIG_MAP } from './trusted-root-config-map';

/** The verifier command that runs this check. */
export const TRAIN_INPUTS_COMMAND = 'verify-training-inputs';

/** The environment the step sets. */
export interface TrainInputsEnvironment {
  readonly [name: string]: string | undefined;
}

class InputError extends Error {}

/** Copies a `file://` or `https://` URI to `target` (a directory copied whole); returns `target`. */
async function fetchInput(uri: string, target: string, what: string): Promise<string> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  if (uri.startsWith('file://')) {
    const source = decodeURIComponent(uri.slice('file://'.length));
    try {
      await fs.cp(source, target, { recursive: true, dereference: false, errorOnExist: true, verbatimSymlinks: true });
    } catch (err) {
      throw new InputError(`${what}: cannot read ${uri}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return target;
  }
  if (uri.startsWith('https://')) {
    let response: Response;
    try {
      response = await fetch(uri, { redirect: 'follow' });
    } catch (err) {
      throw new InputError(`${what}: cannot fetch ${uri}: ${(err as Error).message}`);
    }
    if (!response.ok || response.body === null) throw new InputError(`${what}: ${uri} answered HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(target));
    return target;
  }
  throw new InputError(`${what}: uri ${JSON.stringify(uri)} is not file://PATH or https://...`);
}

/**
 * How the base model's signer is checked: exactly one of a key (model_signing's `key` method), a
 * certificate chain (`certificate`) or a Sigstore identity and its OIDC issuer (`sigstore`, against
 * the trusted root the verifier workspace holds). Judged before anything is fetched; the returned
 * function fetches the key or chain.
 */
async function baseModelTrust(
  env: TrainInputsEnvironment,
  dir: string,
): Promise<() => Promise<Pick<VerifyOmsOptions, 'publicKeyPath' | 'certificateChainPaths' | 'sigstore'>>> {
  const keyUri = env.BASE_MODEL_KEY ?? '';
  const chainUri = env.BASE_MODEL_CERTIFICATE_CHAIN ?? '';
  const identity = env.BASE_MODEL_CERTIFICATE_IDENTITY ?? '';
  const issuer = env.BASE_MODEL_CERTIFICATE_OIDC_ISSUER ?? '';
  const given = [keyUri, chainUri, identity].filter((v) => v !== '').length;
  if (given !== 1)
    throw new InputError(
      `base-model: give one way to check its signer (base-model.key, base-model.certificate-chain, or base-model.certificate-identity with base-model.certificate-oidc-issuer), not ${given}`,
    );
  if ((identity === '') !== (issuer === ''))
    throw new InputError(
      identity === ''
        ? 'base-model: certificate-oidc-issuer is given without certificate-identity'
        : 'base-model: certificate-identity is given without certificate-oidc-issuer (the OIDC issuer the certificate must name)',
    );
  if (keyUri !== '')
    return async () => ({ publicKeyPath: await fetchInput(keyUri, path.join(dir, 'base-model-trust', 'key.pub'), 'base-model key') });
  if (chainUri !== '')
    return async () => ({
      certificateChainPaths: [await fetchInput(chainUri, path.join(dir, 'base-model-trust', 'chain.pem'), 'base-model certificate chain')],
    });
  const trustedRootPath = env.TRUSTED_ROOT ?? '';
  try {
    if (trustedRootPath === '' || !(await fs.stat(trustedRootPath)).isFile()) throw new Error('not a file');
  } catch {
    throw new InputError(
      `base-model: a Sigstore identity is checked against Sigstore's trusted root, and there is none${trustedRootPath === '' ? '' : ` at ${trustedRootPath}`} (publish it into ConfigMap ${TRUSTED_ROOT_CONFIG_MAP.name}, key ${TRUSTED_ROOT_CONFIG_MAP.key}: TRUSTED_ROOT=FILE scripts/run-pipeline.sh)`,
    );
  }
  return async () => ({ sigstore: omsSigstoreVerifier({ trustedRootPath, identity, oidcIssuer: issuer }) });
}

function baseName(uri: string): string {
  const name = path.posix.basename(uri.replace(/[?#].*$/, '').replace(/\/+$/, ''));
  return name === '' || name === '.' || name === '..' ? 'input' : name;
}

async function writeResult(file: string | undefined, uri: string, digest: string): Promise<void> {
  if (!file) throw new InputError('the step sets no result path');
  await fs.writeFile(file, JSON.stringify({ uri, digest }));
}

/** Verifies the base model and the dataset (throws on the first that fails), writes their results; returns the lines to print. */
export async function verifyTrainingInputs(env: TrainInputsEnvironment): Promise<string[]> {
  const lines: string[] = [];
  const dir = env.INPUTS_DIR;
  if (!dir) throw new InputError('INPUTS_DIR is not set');
  const baseUri = env.BASE_MODEL_URI ?? '';
  if (baseUri === '') {
    await writeResult(env.BASE_MODEL_RESULT, '', '');
  } else {
    const signatureUri = env.BASE_MODEL_SIGNATURE ?? '';
    if (signatureUri === '') throw new InputError('base-model: give its OMS signature (base-model.signature), or no base model');
    const trustOf = await baseModelTrust(env, dir);
    const model = await fetchInput(baseUri, path.join(dir, 'base-model', baseName(baseUri)), 'base-model');
    const signature = await fetchInput(signatureUri, path.join(dir, 'base-model-signature', 'model.sig'), 'base-model signature');
    const trust = await trustOf();
    const verified = await verifyOmsSignature({ modelPath: model, signaturePath: signature, ...trust });
    if (!verified.verified) throw new InputError(`base-model: ${baseUri} is not verified: ${verified.reason}`);
    const digest = (await modelSubjectDigest(model)).sha256;
    await writeResult(env.BASE_MODEL_RESULT, baseUri, `sha256:${digest}`);
    lines.push(
      `train-inputs: base-model ${baseUri} sha256:${digest}: its OMS signature verifies (${verified.method} method), signed by ${verified.signer}`,
    );
  }
  const dataUri = env.DATASET_URI ?? '';
  if (dataUri === '') {
    await writeResult(env.DATASET_RESULT, '', '');
  } else {
    const expected = (env.DATASET_DIGEST ?? '').replace(/^sha256:/, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(expected))
      throw new InputError(
        `dataset: digest ${JSON.stringify(env.DATASET_DIGEST ?? '')} is not sha256:<64 hex> (the dataset must be pinned)`,
      );
    const data = await fetchInput(dataUri, path.join(dir, 'dataset', baseName(dataUri)), 'dataset');
    const actual = await modelSubjectDigest(data);
    if (actual.sha256 !== expected)
      throw new InputError(
        `dataset: ${dataUri} has sha256:${actual.sha256}${actual.kind === 'directory' ? ' (root digest)' : ''}, not sha256:${expected}`,
      );
    await writeResult(env.DATASET_RESULT, dataUri, `sha256:${expected}`);
    lines.push(`train-inputs: dataset ${dataUri} sha256:${expected}`);
  }
  if (lines.length === 0) lines.push('train-inputs: no base model and no dataset given');
  return lines;
}

/** Runs the check (the verifier's `verify-training-inputs` command); resolves to the exit code after printing. Never rejects. */
export async function main(env: TrainInputsEnvironment): Promise<number> {
  try {
    for (const line of await verifyTrainingInputs(env)) process.stdout.write(`${line}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof InputError ? err.message : `internal error: ${(err as Error).message}`;
    process.stderr.write(`train-inputs: ${message.replace(/\s+/g, ' ')}\n`);
    return 1;
  }
}
