import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ChainsFormat, CHAINS_FORMATS } from '../chains/type-hinting';
import { formatGoDuration, parseGoDuration } from '../check/go-duration';
import { checkDocuments } from '../check/index';
import { buildPipelineRunProvenance, buildTaskRunProvenance } from './chains-provenance';
import { CosignKeyError, generateCosignKeyPair, publicKeyPemOf, readCosignPrivateKey } from './cosign-key';
import { signDsseEnvelope } from './dsse-signing';
import { logInRehearsalLog } from './transparency-log';
import { installGcloudStandIn, PROJECT_ENV } from './gcloud-stand-in';
import { createModelProject, ModelProject, readModelProject } from './model-project';
import { rehearsePipelineRun } from './pipeline-run-rehearsal';
import { RehearsalError, RehearsalInputError, RehearsalInterruptedError } from './rehearsal-error';
import { describeFileError } from '../verify/file-error';
import { paramProblem } from './task-run-rehearsal';
import { readTektonFeatureFlags } from '../check/feature-flags';
import { KubernetesObject, ParamSpec } from './tekton-values';

/**
 * A whole rehearsal, as `slsa-for-models rehearse` runs it: read the objects of `dist/`, make (or take) a
 * local model repository and point the run's `model-source` at it, run the pipeline's step scripts
 * (`rehearsePipelineRun`) with a `gcloud` stand-in on PATH, then do what Tekton Chains v0.29.2 would do
 * with the configured format: build the provenance, sign it as a DSSE envelope with a cosign-format key and
 * store it on the PipelineRun as Chains' `tekton` storage does. Output files appear only when everything
 * succeeded.
 */

/** How to rehearse. */
export interface RehearsalOptions {
  /** Directory for pipelinerun.json, cosign.pub, cosign.key (when generated) and the model file. */
  readonly outDir: string;
  /** Directory with the synthesized objects (`*.yaml`, `runs/*.yaml`). */
  readonly distDir: string;
  /** Overrides the run's `model-name` param. */
  readonly modelName?: string;
  /** A local git repository to train instead of the generated model project. */
  readonly sourcePath?: string;
  /** A cosign encrypted private key to sign with (password from `password`). */
  readonly keyFile?: string;
  /** `COSIGN_PASSWORD`, if set. */
  readonly password?: string;
  /** Environment of the steps. */
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines. */
  readonly report: (line: string) => void;
}

/** What a successful rehearsal wrote. */
export interface RehearsalOutcome {
  /** DIR/pipelinerun.json. */
  readonly pipelineRunFile: string;
  /** DIR/cosign.pub. */
  readonly publicKeyFile: string;
  /** DIR/cosign.key, when one was generated. */
  readonly privateKeyFile?: string;
  /** The model file(s) copied from the stand-in registry. */
  readonly modelFiles: string[];
  /** The PipelineRun uid. */
  readonly uid: string;
  /** The statement that was signed. */
  readonly statement: unknown;
  /** DIR/rekor-entry.json and DIR/trusted_root.json: the envelope's entry in the rehearsal's own log, and the root that trusts it (when transparency is on). */
  readonly transparencyLogFiles?: { readonly rekorEntry: string; readonly trustedRoot: string };
  /** The `slsa-for-models verify` command that checks the result. */
  readonly verifyCommand: string;
}

/** Reads every object in `dir/*.yaml` and `dir/runs/*.yaml`. */
export function readDistObjects(dir: string): KubernetesObject[] {
  if (!fs.existsSync(dir)) throw new RehearsalInputError(`--dist ${dir}: no such directory; run npm run synth or give --dist`);
  if (!fs.statSync(dir).isDirectory()) throw new RehearsalInputError(`--dist ${dir}: is a file, not a directory; give the directory npm run synth writes (dist)`);
  const files: string[] = [];
  for (const sub of ['', 'runs']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) continue;
    for (const name of fs.readdirSync(d).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(path.join(d, name));
    }
  }
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new RehearsalInputError(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
      const value = doc.toJS();
      if (value && typeof value === 'object') objects.push(value as KubernetesObject);
    }
  }
  return objects;
}

/** The Chains settings of a `chains-config` ConfigMap that a rehearsal honours. */
export interface ChainsSettings {
  readonly format: ChainsFormat;
  readonly builderId?: string;
  readonly buildType?: string;
  readonly deepInspection: boolean;
  readonly storage: string[];
  readonly transparency: boolean;
  readonly signer: string;
  /** `artifacts.taskrun.format` (Chains also accepts `tekton` here). */
  readonly taskRunFormat: string;
  /** `artifacts.taskrun.storage`; empty turns TaskRun signing off. */
  readonly taskRunStorage: string[];
}

/** Reads `chains-config` data with Chains v0.29.2's defaults (format in-toto, storage tekton, signer x509). */
export function readChainsSettings(data: Readonly<Record<string, string>> = {}): ChainsSettings {
  const format = data['artifacts.pipelinerun.format'] ?? 'in-toto';
  if (!(CHAINS_FORMATS as readonly string[]).includes(format)) {
    throw new RehearsalInputError(`chains-config artifacts.pipelinerun.format "${format}" is not a Chains v0.29.2 format (${CHAINS_FORMATS.join(', ')})`);
  }
  const deep = data['artifacts.pipelinerun.enable-deep-inspection'];
  return {
    format: format as ChainsFormat,
    builderId: data['builder.id'],
    buildType: data['builddefinition.buildtype'],
    deepInspection: deep === 'true',
    storage: (data['artifacts.pipelinerun.storage'] ?? 'tekton').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    transparency: ['true', 'manual'].includes(data['transparency.enabled'] ?? ''),
    signer: data['artifacts.pipelinerun.signer'] ?? 'x509',
    taskRunFormat: data['artifacts.taskrun.format'] ?? 'in-toto',
    taskRunStorage: (data['artifacts.taskrun.storage'] ?? 'tekton').split(',').map((s) => s.trim()).filter((s) => s !== ''),
  };
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name from `generateName` as the API server makes one (5 random characters). */
export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_CHARS[crypto.randomInt(SUFFIX_CHARS.length)];
  return prefix + suffix;
}

/** The run's spec as the API server stores it after Tekton's defaulting: Go durations, default service account. */
function defaultedRunSpec(spec: Record<string, any>): Record<string, any> {
  const out = JSON.parse(JSON.stringify(spec)) as Record<string, any>;
  const timeouts = { ...(out.timeouts ?? {}) };
  if (timeouts.pipeline === undefined) timeouts.pipeline = '1h0m0s';
  for (const key of ['pipeline', 'tasks', 'finally']) {
    if (typeof timeouts[key] !== 'string') continue;
    const nanos = parseGoDuration(timeouts[key]);
    if (nanos === undefined) throw new RehearsalInputError(`PipelineRun spec.timeouts.${key} "${timeouts[key]}" is not a duration`);
    timeouts[key] = formatGoDuration(nanos);
  }
  out.timeouts = timeouts;
  out.taskRunTemplate = { ...(out.taskRunTemplate ?? {}) };
  if (!out.taskRunTemplate.serviceAccountName) out.taskRunTemplate.serviceAccountName = 'default';
  return out;
}

function writeAtomically(file: string, content: string, mode?: number): void {
  const temp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temp, content, mode === undefined ? undefined : { mode });
  fs.renameSync(temp, file);
}

function configMap(objects: readonly KubernetesObject[], name: string): Record<string, string> | undefined {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name)?.data;
}

/** Runs the rehearsal; throws RehearsalError (the pipeline failed) or CosignKeyError/FeatureFlagsError (bad input). */
export function rehearse(options: RehearsalOptions): RehearsalOutcome {
  const report = options.report;
  const objects = readDistObjects(options.distDir);
  const runs = objects.filter((o) => o.kind === 'PipelineRun');
  if (runs.length === 0) throw new RehearsalInputError(`${options.distDir}: no PipelineRun among the objects (expected one in runs/*.yaml)`);
  const run = runs[0];
  if (runs.length > 1) report(`note: ${runs.length} PipelineRuns in ${options.distDir}; rehearsing the first (${run.metadata?.name ?? run.metadata?.generateName ?? '?'})`);
  const flags = readTektonFeatureFlags(configMap(objects, 'feature-flags') ?? {});
  const chains = readChainsSettings(configMap(objects, 'chains-config') ?? {});
  // Tekton would refuse objects with errors at admission: the rehearsal refuses them too.
  const findings = checkDocuments(objects, { featureFlags: configMap(objects, 'feature-flags') ?? {} });
  const errors = findings.filter((f) => f.severity === 'error');
  for (const warning of findings.filter((f) => f.severity === 'warning')) report(`note: check: ${warning.message}`);
  if (errors.length > 0) {
    throw new RehearsalError(`tekton would reject the objects in ${options.distDir}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more; run slsa-for-models check ${options.distDir})` : ''}`,
      { detail: errors.slice(1, 6).map((f) => f.message).join('\n') || undefined });
  }
  if (chains.format !== 'slsa/v2alpha4' && chains.format !== 'slsa/v2alpha3') {
    const where = configMap(objects, 'chains-config') ? 'chains-config artifacts.pipelinerun.format is' : `${options.distDir} has no chains-config ConfigMap, so Chains' default format applies:`;
    throw new RehearsalInputError(`${where} "${chains.format}"; rehearse builds SLSA v1.0 provenance only (slsa/v2alpha4 or slsa/v2alpha3)`);
  }

  const pipelineRef = run.spec?.pipelineRef?.name as string | undefined;
  const pipeline = objects.find((o) => o.kind === 'Pipeline' && o.metadata?.name === pipelineRef);
  if (pipelineRef !== undefined && pipeline === undefined) {
    const known = objects.filter((o) => o.kind === 'Pipeline').map((o) => o.metadata?.name ?? '(unnamed)');
    throw new RehearsalInputError(`${options.distDir}: the PipelineRun's spec.pipelineRef names pipeline "${pipelineRef}", which is not among the objects (pipelines: ${known.join(', ') || 'none'}); run npm run synth or give --dist`);
  }
  const pipelineParams = ((pipeline?.spec?.params ?? run.spec?.pipelineSpec?.params ?? []) as ParamSpec[]);
  if (options.modelName !== undefined) {
    const spec = pipelineParams.find((p) => p.name === 'model-name');
    if (!spec) throw new RehearsalInputError(`--model-name: pipeline "${pipelineRef}" has no model-name param`);
    const problem = paramProblem(spec, options.modelName, flags.enableParamEnum || (spec.enum ?? []).length > 0);
    if (problem) throw new RehearsalInputError(`--model-name: ${problem}`);
  }

  const outDir = path.resolve(options.outDir);
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw new RehearsalInputError(`--out ${options.outDir}: exists and is not a directory`);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0 && !fs.existsSync(path.join(outDir, 'pipelinerun.json'))) {
    // Not an earlier rehearsal's directory: its files (a cosign.key among them) are someone else's.
    throw new RehearsalInputError(`--out ${options.outDir}: is not empty and holds no earlier rehearsal (pipelinerun.json); give a new or empty directory`);
  }
  const createdOutDir = !fs.existsSync(outDir);
  try {
    makeDirectories(outDir);
  } catch (err) {
    throw new RehearsalInputError(`--out ${options.outDir}: cannot create it (${describeFileError(err)})`);
  }
  try {
    return rehearseInto(outDir, objects, run, flags, chains, pipelineRef, pipelineParams, options);
  } catch (err) {
    if (createdOutDir && fs.readdirSync(outDir).length === 0) fs.rmdirSync(outDir);
    throw err;
  }
}

function rehearseInto(
  outDir: string, objects: KubernetesObject[], run: KubernetesObject, flags: ReturnType<typeof readTektonFeatureFlags>,
  chains: ChainsSettings, pipelineRef: string | undefined, pipelineParams: ParamSpec[], options: RehearsalOptions,
): RehearsalOutcome {
  const report = options.report;
  let signingKey: crypto.KeyObject;
  let generatedKeyPem: string | undefined;
  if (options.keyFile) {
    if (options.password === undefined) throw new CosignKeyError(`--key ${options.keyFile}: COSIGN_PASSWORD is not set; set it to the key's password (empty for none)`);
    let text: string;
    try {
      text = fs.readFileSync(options.keyFile, 'utf8');
    } catch (err) {
      throw new CosignKeyError(`--key ${options.keyFile}: cannot read it (${describeFileError(err)})`);
    }
    signingKey = readCosignPrivateKey(text, options.password, options.keyFile);
  } else if (fs.existsSync(path.join(outDir, 'cosign.key'))) {
    const existing = path.join(outDir, 'cosign.key');
    signingKey = readCosignPrivateKey(fs.readFileSync(existing, 'utf8'), options.password ?? '', existing);
    report(`signing with the existing ${existing}`);
  } else {
    const pair = generateCosignKeyPair(options.password ?? '');
    signingKey = pair.privateKey;
    generatedKeyPem = pair.privateKeyPem;
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-for-models-rehearse-'));
  let succeeded = false;
  let interrupted = false;
  let ran = false;
  let createdProject: string | undefined;
  try {
    const sourceSpec = pipelineParams.find((p) => p.name === 'model-source');
    const runParams = [...((run.spec?.params ?? []) as { name: string; value: unknown }[])];
    let project: ModelProject | undefined;
    if (sourceSpec) {
      const given = runParams.find((p) => p.name === 'model-source')?.value as Record<string, string> | undefined;
      const base = { ...((sourceSpec.default ?? {}) as Record<string, string>), ...(given ?? {}) };
      const generated = path.join(outDir, 'model-project');
      try {
        if (options.sourcePath) project = readModelProject(options.sourcePath);
        else if (fs.existsSync(generated)) project = readModelProject(generated);
        else {
          createdProject = generated;
          project = createModelProject(generated, {
            requirementsPath: base['requirements-path'] ?? 'requirements.txt',
            mainPath: base['main-path'] ?? 'main.py',
          });
        }
      } catch (err) {
        throw new RehearsalInputError((err as Error).message);
      }
      report(options.sourcePath ? `model source: ${project.url} at ${project.commit}` : `model source: generated project ${project.url} at ${project.commit}`);
      const value = { ...base, url: project.url, revision: project.commit };
      const index = runParams.findIndex((p) => p.name === 'model-source');
      if (index === -1) runParams.push({ name: 'model-source', value });
      else runParams[index] = { name: 'model-source', value };
    } else if (options.sourcePath) {
      throw new RehearsalInputError(`--source: pipeline "${pipelineRef}" has no model-source param to point at it`);
    }
    if (options.modelName !== undefined) {
      const index = runParams.findIndex((p) => p.name === 'model-name');
      if (index === -1) runParams.push({ name: 'model-name', value: options.modelName });
      else runParams[index] = { name: 'model-name', value: options.modelName };
    }
    const name = run.metadata?.name ?? generatedName(run.metadata?.generateName ?? 'pipelinerun-');
    const uid = crypto.randomUUID();
    const metadata: Record<string, unknown> = { ...(run.metadata ?? {}), name, namespace: run.metadata?.namespace ?? 'default', uid };
    delete metadata.generateName;
    const pipelineRunInput: KubernetesObject = {
      apiVersion: run.apiVersion ?? 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: metadata as KubernetesObject['metadata'],
      spec: defaultedRunSpec({ ...(run.spec ?? {}), params: runParams }),
    };

    const bin = path.join(work, 'bin');
    const store = path.join(work, 'artifact-registry');
    installGcloudStandIn(bin, store);
    report(`rehearsing PipelineRun ${name} (uid ${uid}) of pipeline ${pipelineRef ?? '(embedded)'}`);
    report('container images are not pulled: each step runs with the programs of this machine; gcloud is a local stand-in that stores uploads under the rehearsal directory');
    // The steps get this machine's environment minus the signing password and cloud credentials, which
    // no pod of the pipeline would see; gcloud resolves to the stand-in first.
    const env: NodeJS.ProcessEnv = { ...options.env, PATH: `${bin}${path.delimiter}${options.env.PATH ?? ''}` };
    for (const secret of ['COSIGN_PASSWORD', 'GOOGLE_APPLICATION_CREDENTIALS', 'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE', 'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE']) delete env[secret];
    if (!env[PROJECT_ENV]) env[PROJECT_ENV] = 'rehearsal-project';
    // A pod's /tmp goes with the pod: the steps' temporary files live (and are removed) with the rehearsal's.
    env.TMPDIR = path.join(work, 'tmp');
    fs.mkdirSync(env.TMPDIR);
    ran = true;
    const result = rehearsePipelineRun({ pipelineRun: pipelineRunInput, objects, flags, workDir: path.join(work, 'run'), env, report });

    const statement = buildPipelineRunProvenance(result.pipelineRun, result.taskRuns, {
      format: chains.format, builderId: chains.builderId, buildType: chains.buildType, deepInspection: chains.deepInspection,
    });
    const payload = Buffer.from(JSON.stringify(statement));
    const envelope = signDsseEnvelope(payload, signingKey);
    const key = `pipelinerun-${uid}`;
    // Chains uploads the signed envelope to the transparency log and records the entry: here, a log of the rehearsal's own.
    const logged = chains.transparency ? logInRehearsalLog(envelope, payload, signingKey) : undefined;
    const annotations: Record<string, string> = { ...(result.pipelineRun.metadata?.annotations ?? {}), ...chainsAnnotations(key, payload, envelope), ...logged?.annotations };
    const signedRun = { ...result.pipelineRun, metadata: { ...result.pipelineRun.metadata, annotations } };
    const taskRunFormat = chains.taskRunFormat;
    const signTaskRuns = (taskRunFormat === 'slsa/v2alpha4' || taskRunFormat === 'slsa/v2alpha3') && chains.taskRunStorage.length > 0;
    const taskRuns = result.taskRuns.map((tr) => {
      if (!signTaskRuns) return tr;
      const trStatement = buildTaskRunProvenance(tr, { format: taskRunFormat, builderId: chains.builderId, buildType: chains.buildType });
      const trPayload = Buffer.from(JSON.stringify(trStatement));
      return { ...tr, metadata: { ...tr.metadata, annotations: { ...(tr.metadata?.annotations ?? {}), ...chainsAnnotations(`taskrun-${tr.metadata?.uid}`, trPayload, signDsseEnvelope(trPayload, signingKey)) } } };
    });
    if (signTaskRuns) report(`chains: signed ${taskRuns.length} TaskRun attestation(s) (${taskRunFormat}), written to taskruns.json`);
    else if (chains.taskRunStorage.length > 0) report(`note: artifacts.taskrun.format is "${taskRunFormat}"; rehearse signs TaskRuns only in slsa/v2alpha4 or slsa/v2alpha3`);
    report(`chains: ${chains.format} provenance with ${(statement.subject ?? []).length} subject(s): ${statement.subject.map((s) => `${s.name} sha256:${s.digest.sha256 ?? '?'}`).join(', ') || 'none'}`);
    if (!chains.storage.includes('tekton')) report(`note: chains-config stores pipelinerun attestations in ${chains.storage.join(', ')}; rehearse writes them where the tekton storage would (the PipelineRun annotations)`);
    if (chains.transparency) report('chains: transparency.enabled is on; the attestation is logged in a transparency log of this rehearsal (its own key, in trusted_root.json), as Chains logs it in Rekor');
    else report('note: transparency.enabled is off; nothing is logged, so verify runs with --insecure-ignore-tlog');

    const modelFiles: string[] = [];
    const uploads = listFiles(store).filter((f) => path.basename(f) !== 'gcloud-calls.log');
    const staged: [string, string, number | undefined][] = [
      [path.join(outDir, 'pipelinerun.json'), `${JSON.stringify(signedRun, null, 2)}\n`, undefined],
      [path.join(outDir, 'taskruns.json'), `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: taskRuns }, null, 2)}\n`, undefined],
      [path.join(outDir, 'cosign.pub'), publicKeyPemOf(signingKey), undefined],
    ];
    if (generatedKeyPem) staged.push([path.join(outDir, 'cosign.key'), generatedKeyPem, 0o600]);
    if (logged) staged.push([path.join(outDir, 'rekor-entry.json'), logged.entryJson, undefined], [path.join(outDir, 'trusted_root.json'), logged.trustedRootJson, undefined]);
    for (const [file, content, mode] of staged) writeAtomically(file, content, mode);
    for (const upload of uploads) {
      // copied, not read into memory: a model may be large
      const target = path.join(outDir, path.basename(upload));
      const temp = `${target}.tmp-${process.pid}`;
      fs.copyFileSync(upload, temp);
      fs.renameSync(temp, target);
      modelFiles.push(target);
    }
    succeeded = true;
    const display = (f: string): string => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f) || '.');
    // The model to check: the one uploaded file; else the subject's digest; else the signature alone.
    const firstSubject = statement.subject.find((subject) => subject.digest.sha256);
    const model = modelFiles.length === 1 ? ` ${display(modelFiles[0])}`
      : firstSubject ? ` --digest ${firstSubject.digest.sha256}` : ' --check-claims=false';
    return {
      pipelineRunFile: path.join(outDir, 'pipelinerun.json'),
      publicKeyFile: path.join(outDir, 'cosign.pub'),
      privateKeyFile: generatedKeyPem ? path.join(outDir, 'cosign.key') : undefined,
      modelFiles,
      uid,
      statement,
      ...(logged ? { transparencyLogFiles: { rekorEntry: path.join(outDir, 'rekor-entry.json'), trustedRoot: path.join(outDir, 'trusted_root.json') } } : {}),
      verifyCommand: `slsa-for-models verify --key ${display(path.join(outDir, 'cosign.pub'))} --pipelinerun ${display(path.join(outDir, 'pipelinerun.json'))}${logged
        ? ` --rekor-entry ${display(path.join(outDir, 'rekor-entry.json'))} --trusted-root ${display(path.join(outDir, 'trusted_root.json'))}`
        : ' --insecure-ignore-tlog'}${model}`,
    };
  } catch (err) {
    interrupted = err instanceof RehearsalInterruptedError;
    if (err instanceof RehearsalError && ran) err.keptFiles = work;
    throw err;
  } finally {
    if (!succeeded && createdProject) fs.rmSync(createdProject, { recursive: true, force: true });
    if (succeeded || !ran || interrupted) fs.rmSync(work, { recursive: true, force: true });
    else report(`the rehearsal's files (step logs, workspaces) are kept in ${work}`);
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node 20's `mkdirSync(dir, { recursive:
 * true })` loops forever where a parent exists but refuses children with ENOENT, as under /proc.)
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing) fs.mkdirSync(level);
}

/** What Chains' `tekton` storage writes on the object: payload and envelope (base64), empty cert and chain, signed. */
function chainsAnnotations(key: string, payload: Buffer, envelope: unknown): Record<string, string> {
  return {
    [`chains.tekton.dev/payload-${key}`]: payload.toString('base64'),
    [`chains.tekton.dev/signature-${key}`]: Buffer.from(JSON.stringify(envelope)).toString('base64'),
    [`chains.tekton.dev/cert-${key}`]: '',
    [`chains.tekton.dev/chain-${key}`]: '',
    'chains.tekton.dev/signed': 'true',
  };
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}
