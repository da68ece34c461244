/**
 * The deploy gate's program: what the `slsa-for-models-deploy` Pipeline's steps run, bundled with the
 * verify library into the cluster's verifier (verifier-program.ts, bundled by verifier-bundle.ts into
 * files that ConfigMaps ship) that a pinned Node.js image runs. Plain Node: it imports only the verify library and `node:` modules, so the gate
 * judges a model with the very code `slsa-for-models verify` runs.
 *
 *   node verifier.js fetch-run   the training PipelineRun through the Kubernetes API (get only)
 *   node verifier.js verify      signature, transparency log, predicate type, subject = the model's sha256, policy, age
 *   node verifier.js promote     copy the verified bytes, under their digest, into the serving store
 *   node verifier.js deploy      apply the InferenceService whose storageUri names that copy
 *
 * Inputs come from environment variables (Tekton renders params into them), outputs go to the
 * result files they name. Every failure, a crash included, prints one line
 * `deploy-gate: <command> failed: <why>` on stderr and exits 1: the gate fails closed.
 */
import { createHash, createPrivateKey, KeyObject, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
// the module itself, not the verify index: the index also loads the Sigstore code the gate does not bundle
import { CHAINS_TRANSPARENCY_ANNOTATION } from '../chains/chains-annotations';
import type { ProvenancePolicy } from '../verify/provenance-policy';
import { verifyModelAttestation } from '../verify/verify-model-attestation';
import { signModelOms } from '../verify/oms/oms-signing';
import { omsSigstoreVerifier } from '../verify/oms/oms-sigstore';
import { verifyOmsSignature, VerifyOmsOptions } from '../verify/oms/verify-oms';

/**
 * The policy the verify command enforces, as the Pipeline renders it (JSON in `POLICY`): the verify
 * library's own `ProvenancePolicy`, passed to it as it is, and the predicate type.
 */
export interface DeployGatePolicyJson extends ProvenancePolicy {
  /** The predicate type (cosign `--type`). */
  readonly predicateType?: string;
  /**
   * Skip the transparency log check, as cosign's `--insecure-ignore-tlog`. Without it the run's Rekor
   * entry must verify against the trusted root and be this envelope, signature and key, as `verify` checks it.
   */
  readonly insecureIgnoreTlog?: boolean;
  /**
   * Also require an OpenSSF Model Signing signature of the model by this publisher (what
   * model_signing's `verify key` or `verify sigstore` checks, and sigstore's model-validation-operator
   * at pod start), in addition to the provenance.
   */
  readonly omsPublisher?: OmsPublisherJson;
}

/** The publisher whose OMS signature the gate requires: a key, or a Sigstore identity. */
export interface OmsPublisherJson {
  /** The publisher's public key, PEM (model_signing `verify key --public_key`). */
  readonly publicKeyPem?: string;
  /** The certificate identity (model_signing `verify sigstore --identity`), checked against the trusted root. */
  readonly identity?: string;
  /** Its OIDC issuer (model_signing `--identity_provider`). */
  readonly oidcIssuer?: string;
}

/** What is wrong with an OMS publisher, or undefined: exactly a key, or an identity with its issuer. */
export function omsPublisherProblem(publisher: unknown): string | undefined {
  if (typeof publisher !== 'object' || publisher === null || Array.isArray(publisher)) return 'omsPublisher is not an object';
  const { publicKeyPem, identity, oidcIssuer, ...rest } = publisher as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return `omsPublisher has unknown field ${extra[0]} (publicKeyPem, or identity and oidcIssuer)`;
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (publicKeyPem !== undefined && (identity !== undefined || oidcIssuer !== undefined))
    return 'omsPublisher names both a key and an identity (give one)';
  if (publicKeyPem !== undefined) {
    return nonEmpty(publicKeyPem) && /-----BEGIN PUBLIC KEY-----/.test(String(publicKeyPem))
      ? undefined
      : 'omsPublisher publicKeyPem holds no PEM public key (-----BEGIN PUBLIC KEY-----)';
  }
  if (!nonEmpty(identity) || !nonEmpty(oidcIssuer))
    return 'omsPublisher names no publicKeyPem, and no identity with its oidcIssuer: a publisher that names nothing would accept any signer';
  return undefined;
}

/** A gate failure: its message is the one line printed. */
export class GateFailure extends Error {}

function env(name: string, environment: NodeJS.ProcessEnv): string {
  const value = environment[name];
  if (value === undefined || value.trim() === '') throw new GateFailure(`environment variable ${name} is not set`);
  return value;
}

async function writeResult(name: string, value: string, environment: NodeJS.ProcessEnv): Promise<void> {
  const file = environment[name];
  if (file) await fs.writeFile(file, value);
}

/** Reads and checks the policy: a policy that names nothing is refused, never taken as "allow all". */
export function parsePolicy(text: string): DeployGatePolicyJson {
  let policy: DeployGatePolicyJson;
  try {
    policy = JSON.parse(text) as DeployGatePolicyJson;
  } catch {
    throw new GateFailure('the policy is not JSON');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new GateFailure('the policy is not a JSON object');
  for (const field of ['builderId', 'sourceUri', 'sourceDigest'] as const) {
    if (typeof policy[field] !== 'string' || policy[field]!.trim() === '') throw new GateFailure(`the policy names no ${field}`);
  }
  if (policy.omsPublisher !== undefined) {
    const problem = omsPublisherProblem(policy.omsPublisher);
    if (problem !== undefined) throw new GateFailure(`the policy's ${problem}`);
  }
  if (policy.insecureIgnoreTlog !== undefined && typeof policy.insecureIgnoreTlog !== 'boolean')
    throw new GateFailure('the policy field insecureIgnoreTlog is not true or false');
  const maxAge = policy.time?.maxAgeSeconds;
  if (typeof maxAge !== 'number' || !(maxAge > 0)) throw new GateFailure('the policy names no time.maxAgeSeconds (a positive number)');
  return policy;
}

// ---------------------------------------------------------------- fetch-run

interface KubernetesAccess {
  readonly server: string;
  readonly token?: string;
  readonly ca?: Buffer;
}

async function kubernetesAccess(environment: NodeJS.ProcessEnv): Promise<KubernetesAccess> {
  const dir = environment.SERVICE_ACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount';
  const server = environment.KUBERNETES_API ?? 'https://kubernetes.default.svc';
  let token: string;
  try {
    token = (await fs.readFile(path.join(dir, 'token'), 'utf8')).trim();
  } catch {
    throw new GateFailure(`cannot read the service account token in ${dir}`);
  }
  const ca = await fs.readFile(path.join(dir, 'ca.crt')).catch(() => undefined);
  return { server, token, ca };
}

function request(
  access: KubernetesAccess,
  method: string,
  apiPath: string,
  body?: string,
  contentType?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(apiPath, access.server);
    const req = https.request(
      url,
      {
        method,
        ca: access.ca,
        headers: {
          ...(access.token === undefined ? {} : { Authorization: `Bearer ${access.token}` }),
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(body) }),
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function apiMessage(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    /* not a Status */
  }
  return text.slice(0, 200);
}

/** The Artifact Registry coordinates of a generic file URI the upload task wrote. */
export function artifactRegistryFile(uri: string): {
  location: string;
  repository: string;
  package: string;
  version: string;
  file: string;
} {
  // every part is restricted to characters that are safe as shell words and as a file name
  const match =
    /^https:\/\/artifactregistry\.googleapis\.com\/v1\/projects\/[a-z0-9-]+\/locations\/([a-z0-9-]+)\/repositories\/([a-z0-9-]+)\/files\/([A-Za-z0-9._-]+):([A-Za-z0-9._-]+):([A-Za-z0-9_-][A-Za-z0-9._-]*)$/.exec(
      uri,
    );
  if (!match || match[5] === '.' || match[5] === '..') {
    throw new GateFailure(
      `model uri ${uri} is not an Artifact Registry generic file (https://artifactregistry.googleapis.com/v1/projects/P/locations/L/repositories/R/files/PACKAGE:VERSION:FILE)`,
    );
  }
  const [, location, repository, pkg, version, file] = match;
  return { location, repository, package: pkg, version, file };
}

async function fetchRun(environment: NodeJS.ProcessEnv): Promise<string> {
  const name = env('TRAINING_RUN', environment);
  const namespace = env('NAMESPACE', environment);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new GateFailure(`training run "${name}" is not a PipelineRun name`);
  const out = env('RUN_FILE', environment);
  let text: string;
  let from: string;
  if (environment.SUPPLIED_RUN_BOUND === 'true') {
    // the user supplied the run (kubectl get pipelinerun NAME -o json) instead of the API: it must be that run
    const supplied = env('SUPPLIED_RUN', environment);
    text = await fs.readFile(supplied, 'utf8').catch(() => {
      throw new GateFailure(`cannot read the supplied training run ${supplied}`);
    });
    let suppliedName: unknown;
    try {
      suppliedName = (JSON.parse(text) as { metadata?: { name?: unknown } }).metadata?.name;
    } catch {
      throw new GateFailure(`the supplied training run ${supplied} is not JSON (save it with kubectl get pipelinerun ${name} -o json)`);
    }
    if (suppliedName !== name) throw new GateFailure(`the supplied training run is ${JSON.stringify(suppliedName)}, not ${name}`);
    from = `the supplied file ${supplied}`;
  } else {
    const access = await kubernetesAccess(environment);
    const response = await request(
      access,
      'GET',
      `/apis/tekton.dev/v1/namespaces/${encodeURIComponent(namespace)}/pipelineruns/${encodeURIComponent(name)}`,
    );
    if (response.status !== 200)
      throw new GateFailure(`cannot get pipelinerun ${namespace}/${name}: HTTP ${response.status} ${apiMessage(response.text)}`);
    text = response.text;
    from = 'the Kubernetes API';
  }
  await fs.writeFile(out, text);
  let run: { status?: { results?: { name?: string; value?: unknown }[] } };
  try {
    run = JSON.parse(text) as typeof run;
  } catch {
    throw new GateFailure(`pipelinerun ${namespace}/${name} from ${from} is not JSON`);
  }
  const result = (run.status?.results ?? []).find((r) => r.name === 'model_ARTIFACT_OUTPUTS');
  const uri = (result?.value as { uri?: unknown } | undefined)?.uri;
  if (typeof uri !== 'string') throw new GateFailure(`pipelinerun ${namespace}/${name} has no result model_ARTIFACT_OUTPUTS with a uri`);
  const file = artifactRegistryFile(uri);
  // for the download step (`. coordinates.env`): every value matched a pattern of shell-safe characters
  await fs.writeFile(
    env('COORDINATES_FILE', environment),
    Object.entries(file)
      .map(([key, value]) => `${key.toUpperCase()}=${value}\n`)
      .join(''),
  );
  await writeResult('MODEL_URI_RESULT', uri, environment);
  const logged = await fetchLogEntry(run as RunWithAnnotations, `pipelinerun ${namespace}/${name}`, environment);
  return `fetched pipelinerun ${namespace}/${name} from ${from}; its model is ${uri}${logged}`;
}

type RunWithAnnotations = { metadata?: { annotations?: Record<string, unknown> } };

/** The file a user supplies beside pipelinerun.json in the training-run workspace: the run's Rekor entry. */
export const SUPPLIED_LOG_ENTRY = 'rekor-entry.json';

/**
 * When the policy asks for the transparency log (REKOR_ENTRY_FILE and REKOR_URL set): saves the run's
 * Rekor entry for the verify step, from the training-run workspace (`rekor-entry.json` beside
 * `pipelinerun.json`) or else from the URL Chains wrote into `chains.tekton.dev/transparency`, which
 * must be an entry of the Rekor the gate was configured with (nothing else is fetched). What is
 * fetched is not trusted: verify checks it against the trusted root. No annotation: nothing is
 * saved, and verify fails closed.
 */
async function fetchLogEntry(run: RunWithAnnotations, what: string, environment: NodeJS.ProcessEnv): Promise<string> {
  const out = environment.REKOR_ENTRY_FILE;
  const rekor = environment.REKOR_URL;
  if (!out || !rekor) return '';
  if (environment.SUPPLIED_RUN_BOUND === 'true') {
    const supplied = path.join(path.dirname(env('SUPPLIED_RUN', environment)), SUPPLIED_LOG_ENTRY);
    const text = await fs.readFile(supplied).catch(() => undefined);
    if (text !== undefined) {
      await fs.writeFile(out, text);
      return `; its log entry is the supplied ${supplied}`;
    }
  }
  const url = run.metadata?.annotations?.[CHAINS_TRANSPARENCY_ANNOTATION];
  if (url === undefined) return `; it has no annotation ${CHAINS_TRANSPARENCY_ANNOTATION} (no log entry)`;
  const base = rekor.replace(/\/+$/, '');
  const match = typeof url === 'string' ? /^(.*)\/api\/v1\/log\/entries\?logIndex=([0-9]{1,19})$/.exec(url) : null;
  if (match === null || match[1] !== base) {
    throw new GateFailure(
      `transparency log: ${what} annotation ${CHAINS_TRANSPARENCY_ANNOTATION} is ${JSON.stringify(String(url).slice(0, 200))}, not an entry of ${base} (${base}/api/v1/log/entries?logIndex=N)`,
    );
  }
  let response: { status: number; text: string };
  try {
    // no credentials go to the log: it is public, and what it answers is checked against the trusted root
    response = await request({ server: base }, 'GET', String(url));
  } catch (err) {
    throw new GateFailure(`transparency log: cannot get ${url}: ${(err as Error).message}`);
  }
  if (response.status !== 200) throw new GateFailure(`transparency log: cannot get ${url}: HTTP ${response.status}`);
  await fs.writeFile(out, response.text);
  return `; its log entry is ${url}`;
}

// ---------------------------------------------------------------- verify

/**
 * The keys to accept: KEY names a PEM file, or a directory (the mounted ConfigMap) whose `*.pub`
 * files are all accepted (key rotation: the current `cosign.pub` and earlier keys beside it).
 */
async function verificationKeys(key: string): Promise<string[]> {
  const stat = await fs.stat(key).catch(() => undefined);
  if (stat === undefined || !stat.isDirectory()) return [key];
  const files = (await fs.readdir(key)).filter((name) => name.endsWith('.pub') && !name.startsWith('.')).sort();
  if (files.length === 0) throw new GateFailure(`${key} holds no *.pub key`);
  return files.map((name) => path.join(key, name));
}

/** The log check's inputs: the entry fetch-run saved and the trusted root; each missing one fails the gate. */
async function logOptions(environment: NodeJS.ProcessEnv): Promise<{ rekorEntryPaths: string[]; trustedRoot: string }> {
  const entry = env('REKOR_ENTRY', environment);
  const root = env('TRUSTED_ROOT', environment);
  if (!(await fs.stat(entry).catch(() => undefined))?.isFile()) {
    throw new GateFailure(
      `transparency log: no log entry for the training run (its ${CHAINS_TRANSPARENCY_ANNOTATION} annotation is missing and the training-run workspace holds no ${SUPPLIED_LOG_ENTRY}); the policy requires one`,
    );
  }
  if (!(await fs.stat(root).catch(() => undefined))?.isFile()) {
    throw new GateFailure(
      `transparency log: no trusted root at ${root} (publish Sigstore's trusted_root.json into ConfigMap slsa-for-models-trusted-root, as scripts/deploy-model.sh does with TRUSTED_ROOT)`,
    );
  }
  return { rekorEntryPaths: [entry], trustedRoot: root };
}

/** The model's OMS signature by the policy's publisher (downloaded beside the model); returns what verified. */
async function verifyPublisher(publisher: OmsPublisherJson, modelPath: string, environment: NodeJS.ProcessEnv): Promise<string> {
  const signature = env('OMS_SIGNATURE', environment);
  const who = publisher.publicKeyPem !== undefined ? "the publisher's key" : `${publisher.identity} (issuer ${publisher.oidcIssuer})`;
  if (!(await fs.stat(signature).catch(() => undefined))?.isFile())
    throw new GateFailure(`oms signature: no signature ${signature} beside the model; the policy requires one by ${who}`);
  const options: VerifyOmsOptions = { modelPath, signaturePath: signature };
  let method: VerifyOmsOptions;
  if (publisher.publicKeyPem !== undefined) {
    const keyFile = path.join(path.dirname(signature), '.oms-publisher.pub');
    await fs.writeFile(keyFile, publisher.publicKeyPem);
    method = { ...options, publicKeyPath: keyFile };
  } else {
    const trustedRootPath = env('TRUSTED_ROOT', environment);
    if (!(await fs.stat(trustedRootPath).catch(() => undefined))?.isFile())
      throw new GateFailure(`oms signature: no trusted root at ${trustedRootPath} to check ${who}`);
    method = {
      ...options,
      sigstore: omsSigstoreVerifier({ trustedRootPath, identity: publisher.identity!, oidcIssuer: publisher.oidcIssuer! }),
    };
  }
  const result = await verifyOmsSignature(method);
  if (!result.verified) throw new GateFailure(`oms signature: ${result.reason}`);
  return `; OMS signature of ${result.rootDigest ?? 'the model'} by ${publisher.publicKeyPem !== undefined ? "the publisher's key" : result.signer}`;
}

async function verify(environment: NodeJS.ProcessEnv): Promise<string> {
  const { predicateType, insecureIgnoreTlog, omsPublisher, ...policy } = parsePolicy(env('POLICY', environment));
  const now = environment.GATE_NOW === undefined ? undefined : new Date(environment.GATE_NOW);
  if (now !== undefined && Number.isNaN(now.getTime())) throw new GateFailure(`GATE_NOW "${environment.GATE_NOW}" is not a time`);
  const result = await verifyModelAttestation({
    key: await verificationKeys(env('KEY', environment)),
    pipelineRunPath: env('RUN_FILE', environment),
    modelPath: env('MODEL', environment),
    predicateType,
    policy: now === undefined ? policy : { ...policy, time: { ...policy.time, now } },
    // the log check as verify makes it, unless the policy says to skip it (as cosign's --insecure-ignore-tlog)
    ...(insecureIgnoreTlog === true ? { insecureIgnoreTlog: true } : await logOptions(environment)),
    ...(now === undefined ? {} : { now }),
    env: {},
  });
  if (!result.verified || result.modelSha256 === undefined) throw new GateFailure(result.reason);
  // the publisher's signature too, before any digest is written for promote
  const published = omsPublisher === undefined ? '' : await verifyPublisher(omsPublisher, env('MODEL', environment), environment);
  await writeResult('SHA256_RESULT', result.modelSha256, environment);
  return `${result.reason}${published}`;
}

// ---------------------------------------------------------------- promote

/** The TorchServe handler packed with the model: a TorchScript model, inputs as lists of numbers. */
export const TORCHSERVE_HANDLER = `# generated by slsa-for-models' deploy gate: serves a TorchScript model
import torch
from ts.torch_handler.base_handler import BaseHandler


class Handler(BaseHandler):
    """Takes each instance as a nested list of numbers (one input tensor), returns class and scores."""

    def preprocess(self, data):
        rows = []
        for row in data:
            value = row.get("data") if isinstance(row, dict) else row
            if value is None and isinstance(row, dict):
                value = row.get("body")
            rows.append(torch.as_tensor(value, dtype=torch.float32))
        return torch.stack(rows).to(self.device)

    def postprocess(self, data):
        scores = torch.softmax(data, dim=1)
        return [{"class": int(s.argmax()), "scores": [float(x) for x in s]} for s in scores]
`;

/** The TorchServe configuration KServe's torchserve runtime reads from `config/config.properties`. */
export function torchServeConfig(modelName: string): string {
  const snapshot = {
    name: 'startup.cfg',
    modelCount: 1,
    models: {
      [modelName]: {
        '1.0': {
          defaultVersion: true,
          marName: `${modelName}.mar`,
          minWorkers: 1,
          maxWorkers: 1,
          batchSize: 1,
          maxBatchDelay: 10,
          responseTimeout: 120,
        },
      },
    },
  };
  return [
    'inference_address=http://0.0.0.0:8085',
    'management_address=http://0.0.0.0:8085',
    'metrics_address=http://0.0.0.0:8082',
    'grpc_inference_port=7070',
    'grpc_management_port=7071',
    'enable_metrics_api=true',
    'metrics_format=prometheus',
    'number_of_netty_threads=4',
    'job_queue_size=10',
    'enable_envvars_config=true',
    'install_py_dep_per_model=false',
    'model_store=/mnt/models/model-store',
    `model_snapshot=${JSON.stringify(snapshot)}`,
    '',
  ].join('\n');
}

/**
 * A zip archive of stored (uncompressed) entries with fixed times, so the same inputs always give
 * the same bytes: a TorchServe `.mar` is such a zip with `MAR-INF/MANIFEST.json`.
 */
export function storedZip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const DOS_TIME = 0; // 00:00:00
  const DOS_DATE = ((1980 - 1980) << 9) | (1 << 5) | 1; // 1980-01-01
  for (const entry of entries) {
    if (entry.data.length >= 0xffffffff || offset >= 0xffffffff)
      throw new GateFailure(`${entry.name} is too large for a zip without zip64 (4 GiB)`);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = zlib.crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // utf-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(entry.data.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, entry.data);
    offset += local.length + name.length + entry.data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

/** The `.mar` for a TorchScript model file: the model's bytes, the handler and the manifest. */
export function torchServeArchive(modelName: string, fileName: string, model: Buffer): Buffer {
  const manifest = {
    runtime: 'python',
    model: { modelName, serializedFile: fileName, handler: 'handler.py', modelVersion: '1.0' },
    archiverVersion: '0.12.0',
  };
  return storedZip([
    { name: 'MAR-INF/MANIFEST.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: fileName, data: model },
    { name: 'handler.py', data: Buffer.from(TORCHSERVE_HANDLER) },
  ]);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The OMS signature file the gate writes into a promoted copy (left out of what it signs). */
export const PROMOTED_OMS_SIGNATURE = 'model.sig';

/** The gate's own OMS signing key (a PEM private key), when the step is given one. */
async function gateSigningKey(environment: NodeJS.ProcessEnv): Promise<KeyObject | undefined> {
  const file = environment.OMS_SIGNING_KEY;
  if (!file) return undefined;
  let pem: Buffer;
  try {
    pem = await fs.readFile(file);
  } catch {
    throw new GateFailure(`cannot read the gate's OMS signing key ${file} (its Secret, mounted into this step); nothing promoted`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new GateFailure(`the gate's OMS signing key ${file} is not a PEM private key; nothing promoted`);
  }
}

/**
 * Signs the promoted copy in OMS with the gate's key (model.sig inside it); returns what to say.
 * Only the package the gate made is signed: a copy holding any other file is refused.
 */
async function signPromoted(directory: string, key: KeyObject, modelName: string): Promise<string> {
  let signature: Awaited<ReturnType<typeof signModelOms>>;
  try {
    signature = await signModelOms(directory, key, [PROMOTED_OMS_SIGNATURE]);
  } catch (err) {
    throw new GateFailure(`cannot sign the promoted copy in OMS: ${(err as Error).message}`);
  }
  const expected = ['config/config.properties', `model-store/${modelName}.mar`];
  if (JSON.stringify(signature.resources) !== JSON.stringify(expected))
    throw new GateFailure(
      `${directory} holds ${signature.resources.join(', ')}, not only the package the gate made (${expected.join(', ')}); refusing to sign it`,
    );
  await fs.writeFile(path.join(directory, PROMOTED_OMS_SIGNATURE), signature.bundleJson, { flag: 'wx' });
  return `; signed in OMS by the gate (root sha256:${signature.rootDigest})`;
}

async function promote(environment: NodeJS.ProcessEnv): Promise<string> {
  const modelFile = env('MODEL', environment);
  // the digest the verify step wrote (a file), or one given directly
  const verifiedFile = environment.SHA256_FILE;
  const verified = (
    verifiedFile
      ? (
          await fs.readFile(verifiedFile, 'utf8').catch(() => {
            throw new GateFailure(`no verified digest in ${verifiedFile}: the verify step did not pass`);
          })
        ).trim()
      : env('SHA256', environment)
  ).toLowerCase();
  const store = env('STORE', environment);
  const modelName = env('SERVED_MODEL_NAME', environment);
  const signingKey = await gateSigningKey(environment);
  if (!/^[0-9a-f]{64}$/.test(verified)) throw new GateFailure(`the verified digest "${verified}" is not a sha256`);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(modelName)) throw new GateFailure(`served model name "${modelName}" is not a lowercase name`);
  const fileName = path.basename(modelFile);
  // the bytes are read once, hashed, and only those bytes are packed: a file swapped after verify fails here
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(modelFile);
  } catch {
    throw new GateFailure(`cannot read the model ${modelFile}`);
  }
  const actual = sha256(bytes);
  if (actual !== verified) throw new GateFailure(`the model now has sha256 ${actual}, not the verified ${verified}; nothing promoted`);
  const archive = torchServeArchive(modelName, fileName, bytes);
  const config = Buffer.from(torchServeConfig(modelName));
  const directory = `sha256-${verified}`;
  const final = path.join(store, directory);
  const packageDigest = sha256(archive);
  const existing = await fs.readFile(path.join(final, 'model-store', `${modelName}.mar`)).catch(() => undefined);
  let signed = '';
  if (existing !== undefined) {
    const existingConfig = await fs.readFile(path.join(final, 'config', 'config.properties')).catch(() => undefined);
    if (sha256(existing) !== packageDigest || existingConfig === undefined || !existingConfig.equals(config)) {
      throw new GateFailure(
        `${final} exists and differs from the package of the verified model; refusing to serve it (remove it to promote again)`,
      );
    }
    // a copy promoted before the gate signed: sign it now; an existing signature is left as it is
    const hasSignature = await fs.stat(path.join(final, PROMOTED_OMS_SIGNATURE)).catch(() => undefined);
    if (signingKey !== undefined && hasSignature === undefined) signed = await signPromoted(final, signingKey, modelName);
  } else {
    const temporary = path.join(store, `.promote-${randomBytes(8).toString('hex')}`);
    await fs.mkdir(path.join(temporary, 'model-store'), { recursive: true });
    await fs.mkdir(path.join(temporary, 'config'), { recursive: true });
    await fs.writeFile(path.join(temporary, 'model-store', `${modelName}.mar`), archive, { flag: 'wx' });
    await fs.writeFile(path.join(temporary, 'config', 'config.properties'), config, { flag: 'wx' });
    try {
      await fs.rename(temporary, final);
    } catch (err) {
      await fs.rm(temporary, { recursive: true, force: true });
      throw new GateFailure(`cannot move the promoted copy to ${final}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    // signed under its final name (the statement records it); a failure here leaves an unsigned copy that a re-run signs
    if (signingKey !== undefined) signed = await signPromoted(final, signingKey, modelName);
  }
  await writeResult('DIRECTORY_RESULT', directory, environment);
  await writeResult('PACKAGE_SHA256_RESULT', packageDigest, environment);
  return `promoted sha256:${verified} to ${final} (${modelName}.mar sha256:${packageDigest})${signed}`;
}

// ---------------------------------------------------------------- deploy

/** The annotation that records, on the InferenceService, which verified model it serves. */
export const VERIFIED_MODEL_ANNOTATION = 'slsa-for-models.dev/verified-model-sha256';

/** The InferenceService to apply: the template with storageUri set to the promoted copy. */
export function inferenceServiceFor(template: string, storageUri: string, modelSha256: string): Record<string, any> {
  if (
    !/^pvc:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/sha256-[0-9a-f]{64}$/.test(storageUri) &&
    !/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]\/sha256-[0-9a-f]{64}$/.test(storageUri)
  ) {
    throw new GateFailure(
      `storage uri ${storageUri} does not name a promoted copy (pvc://CLAIM/sha256-<64 hex> or gs://BUCKET/sha256-<64 hex>)`,
    );
  }
  if (!storageUri.endsWith(`/sha256-${modelSha256}`))
    throw new GateFailure(`storage uri ${storageUri} does not name the verified model sha256:${modelSha256}`);
  let object: Record<string, any>;
  try {
    object = JSON.parse(template) as Record<string, any>;
  } catch {
    throw new GateFailure('the InferenceService template is not JSON');
  }
  const model = object?.spec?.predictor?.model;
  if (object?.kind !== 'InferenceService' || typeof model !== 'object' || model === null) {
    throw new GateFailure('the InferenceService template has no spec.predictor.model');
  }
  model.storageUri = storageUri;
  object.metadata = { ...object.metadata, annotations: { ...object.metadata?.annotations, [VERIFIED_MODEL_ANNOTATION]: modelSha256 } };
  return object;
}

async function deploy(environment: NodeJS.ProcessEnv): Promise<string> {
  const namespace = env('NAMESPACE', environment);
  const object = inferenceServiceFor(env('INFERENCE_SERVICE', environment), env('STORAGE_URI', environment), env('SHA256', environment));
  const name = String(object.metadata?.name ?? '');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new GateFailure(`the InferenceService name "${name}" is not a DNS label`);
  object.metadata.namespace = namespace;
  const access = await kubernetesAccess(environment);
  const response = await request(
    access,
    'PATCH',
    `/apis/serving.kserve.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/inferenceservices/${encodeURIComponent(name)}?fieldManager=slsa-for-models-deploy-gate&force=true`,
    JSON.stringify(object),
    'application/apply-patch+yaml',
  );
  if (response.status !== 200 && response.status !== 201) {
    throw new GateFailure(`cannot apply inferenceservice ${namespace}/${name}: HTTP ${response.status} ${apiMessage(response.text)}`);
  }
  await writeResult('NAME_RESULT', name, environment);
  return `applied inferenceservice ${namespace}/${name} serving ${object.spec.predictor.model.storageUri}`;
}

// ---------------------------------------------------------------- main

/** The gate's commands, one per step of the deploy Pipeline. */
export const DEPLOY_GATE_COMMANDS = ['fetch-run', 'verify', 'promote', 'deploy'] as const;
/** One of {@link DEPLOY_GATE_COMMANDS}. */
export type DeployGateCommand = (typeof DEPLOY_GATE_COMMANDS)[number];

const COMMANDS: Record<DeployGateCommand, (environment: NodeJS.ProcessEnv) => Promise<string>> = {
  'fetch-run': fetchRun,
  verify: verify,
  promote: promote,
  deploy: deploy,
};

/** Runs one command; resolves to the exit code after printing one line. Never rejects. */
export async function main(argv: readonly string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const command = argv[0] ?? '';
  const run = (DEPLOY_GATE_COMMANDS as readonly string[]).includes(command) ? COMMANDS[command as DeployGateCommand] : undefined;
  if (run === undefined || argv.length !== 1) {
    process.stderr.write(`deploy-gate: usage: verifier.js ${DEPLOY_GATE_COMMANDS.join('|')} (inputs from the environment)\n`);
    return 2;
  }
  try {
    process.stdout.write(`deploy-gate: ${await run(environment)}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof GateFailure ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`deploy-gate: ${command} failed: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
