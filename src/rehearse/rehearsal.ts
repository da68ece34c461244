import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chainsAnnotations } from '../chains/chains-annotations';
import {
  ChainsConfigError,
  ChainsConfigSettings,
  CHAINS_CONFIG_NAME,
  provenanceConfigFor,
  readChainsConfig,
} from '../chains/chains-config-reader';
import { PIPELINE_RUN_SPEC } from '../chains/tekton-go-types';
import { goRoundTrip, GoJsonError } from '../chains/go-json';
import { formatGoDuration, parseGoDuration } from '../tekton-model/go-duration';
import { buildPipelineRunProvenance, buildTaskRunProvenance, SLSA_PROVENANCE_V02_PREDICATE } from '../chains/chains-provenance';
import { CosignKeyError, generateCosignKeyPair, publicKeyPemOf, readCosignPrivateKey } from './cosign-key';
import { signDsseEnvelope } from './dsse-signing';
import { logInRehearsalLog } from './transparency-log';
import { installGcloudStandIn, PROJECT_ENV } from './gcloud-stand-in';
import { createModelProject, ModelProject, readModelProject } from './model-project';
import { rehearsePipelineRun } from './pipeline-run-rehearsal';
import { RehearsalError, RehearsalInputError, RehearsalInterruptedError } from './rehearsal-error';
import { describeFileError } from '../verify/file-error';
import { paramProblem } from './task-run-rehearsal';
import { FeatureFlagSettings, readTektonFeatureFlags } from '../tekton-model/feature-flags';
import { KubernetesObject, ParamDeclarationSpec } from '../tekton-model/tekton-objects';
import type { DocumentJudge } from '../tekton-model/document-judge';
import { defaultedPipelineSpec } from '../tekton-model/tekton-defaults';

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
  /** Preempt the first attempt of this pipeline task once it has written a checkpoint; its retries resume it. */
  readonly interruptOnce?: string;
  /** Which PipelineRun to rehearse (its name or generateName) when dist/ has several. @default - the first */
  readonly run?: string;
  /**
   * The PipelineRun to rehearse instead of one of dist/'s (e.g. the one an EventListener would
   * create for an event); dist/ still gives the Pipeline, its Tasks and the configuration.
   */
  readonly pipelineRun?: KubernetesObject;
  /**
   * Judges the objects as Tekton's admission would, before anything runs: an error refuses them
   * all, a warning becomes a note. The command hands in `src/check`'s `checkDocuments`.
   */
  readonly admissionJudge: DocumentJudge;
}

/** What a successful rehearsal wrote. */
export interface RehearsalOutcome {
  /** DIR/pipelinerun.json. */
  readonly pipelineRunFile: string;
  /** DIR/cosign.pub. */
  readonly publicKeyFile: string;
  /** DIR/cosign.key, when one was generated. */
  readonly privateKeyFile?: string;
  /** The model file(s) copied from the stand-in registry; a directory model: its directory. */
  readonly modelFiles: string[];
  /** A directory model's unsigned OMS statement (`NAME.oms.json`), uploaded beside it. */
  readonly omsStatementFile?: string;
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
  if (!fs.statSync(dir).isDirectory())
    throw new RehearsalInputError(`--dist ${dir}: is a file, not a directory; give the directory npm run synth writes (dist)`);
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
export type ChainsSettings = ChainsConfigSettings;

/** Reads `chains-config` data as Chains v0.29.2 does (`readChainsConfig`); a value Chains refuses is bad input. */
export function readChainsSettings(data: Readonly<Record<string, string>> = {}): ChainsSettings {
  try {
    return readChainsConfig(data);
  } catch (err) {
    if (err instanceof ChainsConfigError) throw new RehearsalInputError(err.message);
    throw err;
  }
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name from `generateName` as the API server makes one (5 random characters). */
export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_CHARS[crypto.randomInt(SUFFIX_CHARS.length)];
  return prefix + suffix;
}

/**
 * The run's spec as the API server stores it after Tekton's defaulting: Go durations, default service account,
 * and Go's encoding of the v1 types (a volume claim template gets `metadata: {}`, `spec.resources: {}`,
 * `status: {}`; unknown fields are dropped).
 */
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
  if (out.pipelineSpec) out.pipelineSpec = defaultedPipelineSpec(out.pipelineSpec);
  try {
    return goRoundTrip(PIPELINE_RUN_SPEC, out, 'PipelineRun spec') as Record<string, any>;
  } catch (err) {
    if (err instanceof GoJsonError) throw new RehearsalInputError(err.message);
    throw err;
  }
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
  const runs = options.pipelineRun ? [options.pipelineRun] : objects.filter((o) => o.kind === 'PipelineRun');
  if (runs.length === 0)
    throw new RehearsalInputError(`${options.distDir}: no PipelineRun among the objects (expected one in runs/*.yaml)`);
  const runName = (r: KubernetesObject): string => r.metadata?.name ?? r.metadata?.generateName ?? '?';
  let run = runs[0];
  if (options.run !== undefined) {
    const wanted = options.run;
    const found = runs.find(
      (r) => r.metadata?.name === wanted || r.metadata?.generateName === wanted || r.metadata?.generateName === `${wanted}-`,
    );
    if (!found)
      throw new RehearsalInputError(
        `--run ${wanted}: no PipelineRun of that name or generateName in ${options.distDir} (runs: ${runs.map(runName).join(', ')})`,
      );
    run = found;
  } else if (runs.length > 1) {
    report(`note: ${runs.length} PipelineRuns in ${options.distDir}; rehearsing the first (${runName(run)}); --run NAME picks another`);
  }
  const flags = readTektonFeatureFlags(configMap(objects, 'feature-flags') ?? {});
  const chains = readChainsSettings(configMap(objects, CHAINS_CONFIG_NAME) ?? {});
  admitObjects(options.admissionJudge, objects, options.distDir, report);
  if (!configMap(objects, CHAINS_CONFIG_NAME))
    report(`note: ${options.distDir} has no chains-config ConfigMap, so Chains' defaults apply (format ${chains.format}, SLSA v0.2)`);

  const { pipelineRef, pipelineParams, pipelineTasks } = pipelineOfRun(objects, run, options.distDir);
  assertModelNameOption(options.modelName, pipelineRef, pipelineParams, flags);

  if (options.interruptOnce !== undefined) {
    const tasks = pipelineTasks;
    const target = tasks.find((t) => t.name === options.interruptOnce);
    if (!target)
      throw new RehearsalInputError(
        `--interrupt: pipeline "${pipelineRef}" has no task "${options.interruptOnce}" (tasks: ${tasks.map((t) => t.name).join(', ')})`,
      );
    if (!target.retries)
      throw new RehearsalInputError(
        `--interrupt: task "${options.interruptOnce}" has no retries, so an interrupted attempt would fail the run; give it retries`,
      );
  }

  const outDir = path.resolve(options.outDir);
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory())
    throw new RehearsalInputError(`--out ${options.outDir}: exists and is not a directory`);
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0 && !fs.existsSync(path.join(outDir, 'pipelinerun.json'))) {
    // Not an earlier rehearsal's directory: its files (a cosign.key among them) are someone else's.
    throw new RehearsalInputError(
      `--out ${options.outDir}: is not empty and holds no earlier rehearsal (pipelinerun.json); give a new or empty directory`,
    );
  }
  const createdOutDir = !fs.existsSync(outDir);
  try {
    makeDirectories(outDir);
  } catch (err) {
    throw new RehearsalInputError(`--out ${options.outDir}: cannot create it (${describeFileError(err)})`);
  }
  try {
    return rehearseInto({ outDir, objects, run, flags, chains, pipelineRef, pipelineParams, options });
  } catch (err) {
    if (createdOutDir && fs.readdirSync(outDir).length === 0) fs.rmdirSync(outDir);
    throw err;
  }
}

/** Tekton would refuse objects with errors at admission: the rehearsal refuses them too (warnings become notes). */
function admitObjects(judge: DocumentJudge, objects: readonly KubernetesObject[], distDir: string, report: (line: string) => void): void {
  const findings = judge(objects, { featureFlags: configMap(objects, 'feature-flags') ?? {} });
  const errors = findings.filter((f) => f.severity === 'error');
  for (const warning of findings.filter((f) => f.severity === 'warning')) report(`note: check: ${warning.message}`);
  if (errors.length > 0) {
    throw new RehearsalError(
      `tekton would reject the objects in ${distDir}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more; run slsa-for-models check ${distDir})` : ''}`,
      {
        detail:
          errors
            .slice(1, 6)
            .map((f) => f.message)
            .join('\n') || undefined,
      },
    );
  }
}

/** The Pipeline the run names (or embeds): its name and declared params. */
function pipelineOfRun(
  objects: readonly KubernetesObject[],
  run: KubernetesObject,
  distDir: string,
): { pipelineRef: string | undefined; pipelineParams: ParamDeclarationSpec[]; pipelineTasks: { name: string; retries?: number }[] } {
  const resolver = run.spec?.pipelineRef?.resolver as string | undefined;
  if (resolver !== undefined && resolver !== '')
    // a resolved Pipeline would also need Tekton's status.provenance.refSource, which Chains records: not twinned here
    throw new RehearsalInputError(
      `${distDir}: the PipelineRun's spec.pipelineRef reaches its pipeline through the "${resolver}" resolver, which the rehearsal does not run; rehearse a run that names it (pipelineRef.name, as dist/runs/ does) or embeds it`,
    );
  const pipelineRef = run.spec?.pipelineRef?.name as string | undefined;
  const pipeline = objects.find((o) => o.kind === 'Pipeline' && o.metadata?.name === pipelineRef);
  if (pipelineRef !== undefined && pipeline === undefined) {
    const known = objects.filter((o) => o.kind === 'Pipeline').map((o) => o.metadata?.name ?? '(unnamed)');
    throw new RehearsalInputError(
      `${distDir}: the PipelineRun's spec.pipelineRef names pipeline "${pipelineRef}", which is not among the objects (pipelines: ${known.join(', ') || 'none'}); run npm run synth or give --dist`,
    );
  }
  return {
    pipelineRef,
    pipelineParams: (pipeline?.spec?.params ?? run.spec?.pipelineSpec?.params ?? []) as ParamDeclarationSpec[],
    pipelineTasks: (pipeline?.spec?.tasks ?? run.spec?.pipelineSpec?.tasks ?? []) as { name: string; retries?: number }[],
  };
}

/** `--model-name` must be a value the pipeline's `model-name` param accepts. */
function assertModelNameOption(
  modelName: string | undefined,
  pipelineRef: string | undefined,
  pipelineParams: readonly ParamDeclarationSpec[],
  flags: FeatureFlagSettings,
): void {
  if (modelName === undefined) return;
  const spec = pipelineParams.find((p) => p.name === 'model-name');
  if (!spec) throw new RehearsalInputError(`--model-name: pipeline "${pipelineRef}" has no model-name param`);
  const problem = paramProblem(spec, modelName, flags.enableParamEnum || (spec.enum ?? []).length > 0);
  if (problem) throw new RehearsalInputError(`--model-name: ${problem}`);
}

/** What `rehearseInto` works from, read and checked by `rehearse`. */
interface RehearsalInputs {
  readonly outDir: string;
  readonly objects: KubernetesObject[];
  readonly run: KubernetesObject;
  readonly flags: FeatureFlagSettings;
  readonly chains: ChainsSettings;
  readonly pipelineRef: string | undefined;
  readonly pipelineParams: ParamDeclarationSpec[];
  readonly options: RehearsalOptions;
}

/** The key to sign with: `--key`, else an earlier rehearsal's `cosign.key` in the output directory, else a new pair. */
function signingKeyFor(outDir: string, options: RehearsalOptions): { signingKey: crypto.KeyObject; generatedKeyPem?: string } {
  if (options.keyFile) {
    if (options.password === undefined)
      throw new CosignKeyError(`--key ${options.keyFile}: COSIGN_PASSWORD is not set; set it to the key's password (empty for none)`);
    let text: string;
    try {
      text = fs.readFileSync(options.keyFile, 'utf8');
    } catch (err) {
      throw new CosignKeyError(`--key ${options.keyFile}: cannot read it (${describeFileError(err)})`);
    }
    return { signingKey: readCosignPrivateKey(text, options.password, options.keyFile) };
  }
  const existing = path.join(outDir, 'cosign.key');
  if (fs.existsSync(existing)) {
    const signingKey = readCosignPrivateKey(fs.readFileSync(existing, 'utf8'), options.password ?? '', existing);
    options.report(`signing with the existing ${existing}`);
    return { signingKey };
  }
  const pair = generateCosignKeyPair(options.password ?? '');
  return { signingKey: pair.privateKey, generatedKeyPem: pair.privateKeyPem };
}

/**
 * The run's params with `model-source` pointed at the local model repository (`--source`, an earlier
 * rehearsal's generated project, or a new one: `created.project` then names it, for cleanup) and
 * `model-name` from `--model-name`.
 */
function runParamsFor(inputs: RehearsalInputs, created: { project?: string }): { name: string; value: unknown }[] {
  const { outDir, run, pipelineRef, pipelineParams, options } = inputs;
  const report = options.report;
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
        created.project = generated;
        project = createModelProject(generated, {
          requirementsPath: base['requirements-path'] ?? 'requirements.txt',
          mainPath: base['main-path'] ?? 'main.py',
        });
      }
    } catch (err) {
      throw new RehearsalInputError((err as Error).message);
    }
    report(
      options.sourcePath
        ? `model source: ${project.url} at ${project.commit}`
        : `model source: generated project ${project.url} at ${project.commit}`,
    );
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
  return runParams;
}

/** The PipelineRun as the API server would store it: a name from generateName, a uid, Tekton's defaults. */
function admittedRun(run: KubernetesObject, runParams: readonly { name: string; value: unknown }[]): KubernetesObject {
  const name = run.metadata?.name ?? generatedName(run.metadata?.generateName ?? 'pipelinerun-');
  const uid = crypto.randomUUID();
  const metadata: Record<string, unknown> = { ...(run.metadata ?? {}), name, namespace: run.metadata?.namespace ?? 'default', uid };
  delete metadata.generateName;
  return {
    apiVersion: run.apiVersion ?? 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: metadata as KubernetesObject['metadata'],
    spec: defaultedRunSpec({ ...(run.spec ?? {}), params: runParams }),
  };
}

/**
 * The steps' environment: this machine's, minus the signing password and cloud credentials, which no
 * pod of the pipeline would see; the gcloud stand-in first on PATH; TMPDIR inside the rehearsal's
 * files (a pod's /tmp goes with the pod).
 */
function stepEnvironment(work: string, bin: string, options: RehearsalOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...options.env, PATH: `${bin}${path.delimiter}${options.env.PATH ?? ''}` };
  for (const secret of [
    'COSIGN_PASSWORD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE',
    'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  ])
    delete env[secret];
  if (!env[PROJECT_ENV]) env[PROJECT_ENV] = 'rehearsal-project';
  env.TMPDIR = path.join(work, 'tmp');
  fs.mkdirSync(env.TMPDIR);
  return env;
}

/**
 * The rehearsal proper, in named steps: the signing key, the run's params, the run as admitted, the
 * steps' environment, the Tekton run, then what Chains does, then the output files.
 */
function rehearseInto(inputs: RehearsalInputs): RehearsalOutcome {
  const { outDir, objects, run, flags, chains, pipelineRef, options } = inputs;
  const report = options.report;
  const { signingKey, generatedKeyPem } = signingKeyFor(outDir, options);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-for-models-rehearse-'));
  let succeeded = false;
  let interrupted = false;
  let ran = false;
  const created: { project?: string } = {};
  try {
    const pipelineRunInput = admittedRun(run, runParamsFor(inputs, created));
    const name = pipelineRunInput.metadata!.name!;
    const uid = pipelineRunInput.metadata!.uid!;

    const bin = path.join(work, 'bin');
    const store = path.join(work, 'artifact-registry');
    installGcloudStandIn(bin, store);
    report(`rehearsing PipelineRun ${name} (uid ${uid}) of pipeline ${pipelineRef ?? '(embedded)'}`);
    report(
      'container images are not pulled: each step runs with the programs of this machine; gcloud is a local stand-in that stores uploads under the rehearsal directory',
    );
    const env = stepEnvironment(work, bin, options);
    ran = true;
    const result = rehearsePipelineRun({
      pipelineRun: pipelineRunInput,
      objects,
      flags,
      workDir: path.join(work, 'run'),
      env,
      report,
      interruptOnce: options.interruptOnce,
    });

    // As Chains does: each TaskRun is signed when it finishes, so the PipelineRun's signing sees them signed.
    const taskRunFormat = chains.taskRunFormat;
    const signTaskRuns = chains.taskRunStorage.length > 0;
    const taskRuns = result.taskRuns.map((tr) => {
      if (!signTaskRuns) return tr;
      const trStatement = buildTaskRunProvenance(tr, provenanceConfigFor(chains, 'TaskRun'));
      const trPayload = Buffer.from(JSON.stringify(trStatement));
      return {
        ...tr,
        metadata: {
          ...tr.metadata,
          annotations: {
            ...(tr.metadata?.annotations ?? {}),
            ...chainsAnnotations('taskrun', tr.metadata?.uid ?? '', trPayload, signDsseEnvelope(trPayload, signingKey)),
          },
        },
      };
    });
    const statement = buildPipelineRunProvenance(result.pipelineRun, taskRuns, provenanceConfigFor(chains, 'PipelineRun'));
    const payload = Buffer.from(JSON.stringify(statement));
    const envelope = signDsseEnvelope(payload, signingKey);
    // Chains uploads the signed envelope to the transparency log and records the entry: here, a log of the rehearsal's own.
    const logged = chains.transparency ? logInRehearsalLog(envelope, payload, signingKey) : undefined;
    const annotations: Record<string, string> = {
      ...(result.pipelineRun.metadata?.annotations ?? {}),
      ...chainsAnnotations('pipelinerun', uid, payload, envelope),
      ...logged?.annotations,
    };
    const signedRun = { ...result.pipelineRun, metadata: { ...result.pipelineRun.metadata, annotations } };
    if (signTaskRuns) report(`chains: signed ${taskRuns.length} TaskRun attestation(s) (${taskRunFormat}), written to taskruns.json`);
    report(
      `chains: ${chains.format} provenance with ${(statement.subject ?? []).length} subject(s): ${(statement.subject ?? []).map((s) => `${s.name} sha256:${s.digest.sha256 ?? '?'}`).join(', ') || 'none'}`,
    );
    if (!chains.storage.includes('tekton'))
      report(
        `note: chains-config stores pipelinerun attestations in ${chains.storage.join(', ')}; rehearse writes them where the tekton storage would (the PipelineRun annotations)`,
      );
    if (chains.transparency)
      report(
        'chains: transparency.enabled is on; the attestation is logged in a transparency log of this rehearsal (its own key, in trusted_root.json), as Chains logs it in Rekor',
      );
    else report('note: transparency.enabled is off; nothing is logged, so verify runs with --insecure-ignore-tlog');

    const modelFiles: string[] = [];
    const uploads = listFiles(store).filter((f) => path.basename(f) !== 'gcloud-calls.log');
    const staged: [string, string, number | undefined][] = [
      [path.join(outDir, 'pipelinerun.json'), `${JSON.stringify(signedRun, null, 2)}\n`, undefined],
      [path.join(outDir, 'taskruns.json'), `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: taskRuns }, null, 2)}\n`, undefined],
      [path.join(outDir, 'cosign.pub'), publicKeyPemOf(signingKey), undefined],
    ];
    if (generatedKeyPem) staged.push([path.join(outDir, 'cosign.key'), generatedKeyPem, 0o600]);
    if (logged)
      staged.push(
        [path.join(outDir, 'rekor-entry.json'), logged.entryJson, undefined],
        [path.join(outDir, 'trusted_root.json'), logged.trustedRootJson, undefined],
      );
    for (const [file, content, mode] of staged) writeAtomically(file, content, mode);
    let omsStatementFile: string | undefined;
    for (const upload of uploads) {
      // copied, not read into memory: a model may be large. A file keeps its path inside the package
      // version (project/location/repository/package/version/FILE in the store): a directory model
      // comes back as the directory, beside its unsigned OMS statement NAME.oms.json.
      const inVersion = path.relative(store, upload).split(path.sep).slice(5);
      const target = path.join(outDir, ...inVersion);
      const temp = `${target}.tmp-${process.pid}`;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(upload, temp);
      fs.renameSync(temp, target);
      const top = path.join(outDir, inVersion[0]);
      if (inVersion.length === 1 && top.endsWith(OMS_STATEMENT_SUFFIX)) omsStatementFile = top;
      else if (!modelFiles.includes(top)) modelFiles.push(top);
    }
    succeeded = true;
    const display = (f: string): string => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f) || '.');
    // The model to check: the one uploaded file; else the subject's digest; else the signature alone.
    const firstSubject = (statement.subject ?? []).find((subject) => subject.digest.sha256);
    const model =
      modelFiles.length === 1
        ? ` ${display(modelFiles[0])}`
        : firstSubject
          ? ` --digest ${firstSubject.digest.sha256}`
          : ' --check-claims=false';
    return {
      pipelineRunFile: path.join(outDir, 'pipelinerun.json'),
      publicKeyFile: path.join(outDir, 'cosign.pub'),
      privateKeyFile: generatedKeyPem ? path.join(outDir, 'cosign.key') : undefined,
      modelFiles,
      ...(omsStatementFile === undefined ? {} : { omsStatementFile }),
      uid,
      statement,
      ...(logged
        ? {
            transparencyLogFiles: {
              rekorEntry: path.join(outDir, 'rekor-entry.json'),
              trustedRoot: path.join(outDir, 'trusted_root.json'),
            },
          }
        : {}),
      verifyCommand: `slsa-for-models verify --key ${display(path.join(outDir, 'cosign.pub'))} --pipelinerun ${display(path.join(outDir, 'pipelinerun.json'))}${statement.predicateType === SLSA_PROVENANCE_V02_PREDICATE ? ' --type slsaprovenance02' : ''}${
        logged
          ? ` --rekor-entry ${display(path.join(outDir, 'rekor-entry.json'))} --trusted-root ${display(path.join(outDir, 'trusted_root.json'))}`
          : ' --insecure-ignore-tlog'
      }${model}`,
    };
  } catch (err) {
    interrupted = err instanceof RehearsalInterruptedError;
    if (err instanceof RehearsalError && ran) err.keptFiles = work;
    throw err;
  } finally {
    if (!succeeded && created.project) fs.rmSync(created.project, { recursive: true, force: true });
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

/** The upload task's name for a directory model's unsigned OMS statement: `<model name>` + this. */
const OMS_STATEMENT_SUFFIX = '.oms.json';

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
