import {
  byproductResults, ChainsFormat, HintedArtifact, materialsFromParamsAndResults, ResultValue, ResultWithValue,
  subjectsFromResults,
} from './type-hinting';
import { goJsonMarshal, sortKeys } from './go-json';

/**
 * The in-toto Statement v1 with SLSA v1.0 provenance that Tekton Chains v0.29.2 writes for a finished
 * PipelineRun under `slsa/v2alpha3` or `slsa/v2alpha4` (`pkg/chains/formats/slsa/v2alpha{3,4}`): subjects
 * from type-hinted results, `buildDefinition` (buildType, `externalParameters.runSpec`, `internalParameters`,
 * `resolvedDependencies`), `runDetails` (builder id, invocation id, times, byproducts). Works on plain JSON
 * objects: the PipelineRun with its status and the TaskRuns it created (each labelled
 * `tekton.dev/pipelineTask`).
 */

/** Chains' default `builder.id`. */
export const CHAINS_DEFAULT_BUILDER_ID = 'https://tekton.dev/chains/v2';
/** Chains' default `builddefinition.buildtype`: only name/uri/digest of tasks in resolvedDependencies. */
export const SLSA_BUILD_TYPE = 'https://tekton.dev/chains/v2/slsa';
/** The verbose build type: whole TaskRuns as resolvedDependencies content, labels and annotations. */
export const SLSA_TEKTON_BUILD_TYPE = 'https://tekton.dev/chains/v2/slsa-tekton';
/** in-toto Statement v1. */
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** SLSA provenance v1.0 predicate type. */
export const SLSA_PROVENANCE_V1_PREDICATE = 'https://slsa.dev/provenance/v1';

/** What of `chains-config` shapes the provenance. */
export interface ChainsProvenanceConfig {
  /** `artifacts.pipelinerun.format`; only the SLSA v1.0 formats are built here. */
  readonly format: ChainsFormat;
  /** `builder.id`. @default CHAINS_DEFAULT_BUILDER_ID */
  readonly builderId?: string;
  /** `builddefinition.buildtype`. @default SLSA_BUILD_TYPE */
  readonly buildType?: string;
  /** `artifacts.pipelinerun.enable-deep-inspection`. @default false */
  readonly deepInspection?: boolean;
}

/** A Tekton object as JSON, with the fields read here. */
export interface RunObject {
  readonly metadata?: { readonly name?: string; readonly uid?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, any>;
}

/** A resource descriptor as protojson writes it (empty fields left out). */
export interface ResourceDescriptorJson {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  content?: string;
  mediaType?: string;
}

/** The statement, keys in the order protojson writes them (the predicate's keys sorted). */
export interface ProvenanceStatement {
  readonly _type: string;
  readonly subject: readonly { readonly name: string; readonly digest: Record<string, string> }[];
  readonly predicateType: string;
  readonly predicate: Record<string, unknown>;
}

/** A result in `status.results` as Tekton writes it. */
interface StatusResult { name: string; value: ResultValue }

function resultsOf(obj: RunObject): ResultWithValue[] {
  const results = (obj.status?.results ?? []) as StatusResult[];
  return results.map((r) => ({ name: r.name, value: r.value }));
}

function stepResultsOf(tr: RunObject): ResultWithValue[] {
  const out: ResultWithValue[] = [];
  for (const step of (tr.status?.steps ?? []) as { results?: StatusResult[] }[]) {
    for (const r of step.results ?? []) out.push({ name: r.name, value: r.value });
  }
  return out;
}

/** The TaskRuns Chains attributes to the pipeline's tasks and finally tasks, in pipeline order, completed only. */
function executedTaskRuns(pipelineRun: RunObject, taskRuns: readonly RunObject[]): RunObject[] {
  const spec = pipelineRun.status?.pipelineSpec as { tasks?: { name: string }[]; finally?: { name: string }[] } | undefined;
  if (!spec) return [];
  const out: RunObject[] = [];
  for (const task of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) {
    for (const tr of taskRuns) {
      if (tr.metadata?.labels?.['tekton.dev/pipelineTask'] !== task.name) continue;
      if (!tr.status?.completionTime) continue;
      out.push(tr);
    }
  }
  return out;
}

function appendArtifact(list: HintedArtifact[], item: HintedArtifact): void {
  for (let i = 0; i < list.length; i++) {
    if (list[i].uri !== item.uri) continue;
    if (Object.entries(list[i].digest).some(([alg, hex]) => item.digest[alg] === hex)) {
      list[i] = { uri: list[i].uri, digest: { ...list[i].digest, ...item.digest } };
      return;
    }
  }
  list.push(item);
}

/** Chains' fromImageID: `[docker-pullable://]uri@alg:hex` → `oci://uri`; anything else is an error in Chains. */
function imageMaterial(imageID: string, where: string): HintedArtifact {
  const parts = imageID.split('@');
  const digest = parts.length === 2 ? parts[1].split(':') : [];
  if (parts.length !== 2 || digest.length !== 2) {
    throw new Error(`${where}: imageID "${imageID}" is not "<image>@<alg>:<hex>", so chains cannot record it`);
  }
  return { uri: `oci://${parts[0].replace(/^docker-pullable:\/\//, '')}`, digest: { [digest[0]]: digest[1] } };
}

function imageMaterials(tr: RunObject): HintedArtifact[] {
  const name = tr.metadata?.name ?? 'taskrun';
  const out: HintedArtifact[] = [];
  // A state without imageID is one whose image digest is unknown (a rehearsal of an unpinned image): left out.
  for (const step of (tr.status?.steps ?? []) as { name?: string; imageID?: string }[]) {
    if (step.imageID !== undefined) appendArtifact(out, imageMaterial(step.imageID, `taskrun ${name} step ${step.name ?? '?'}`));
  }
  for (const sidecar of (tr.status?.sidecars ?? []) as { name?: string; imageID?: string }[]) {
    if (sidecar.imageID !== undefined) appendArtifact(out, imageMaterial(sidecar.imageID, `taskrun ${name} sidecar ${sidecar.name ?? '?'}`));
  }
  return out;
}

/** `status.provenance.refSource`: where a remote resolver fetched the run's Pipeline or Task from. */
function refSourceOf(run: RunObject): { uri?: string; digest?: Record<string, string>; entryPoint?: string } | undefined {
  return run.status?.provenance?.refSource;
}

function descriptor(name: string | undefined, uri: string | undefined, digest: Record<string, string> | undefined, content?: string): ResourceDescriptorJson {
  const rd: ResourceDescriptorJson = {};
  if (name) rd.name = name;
  if (uri) rd.uri = uri;
  if (digest && Object.keys(digest).length > 0) rd.digest = digest;
  if (content) rd.content = content;
  return rd;
}

function removeDuplicates(list: ResourceDescriptorJson[]): ResourceDescriptorJson[] {
  const seen = new Set<string>();
  const out: ResourceDescriptorJson[] = [];
  for (const rd of list) {
    const key = JSON.stringify(sortKeys({ uri: rd.uri, digest: rd.digest, content: rd.content }));
    if (seen.has(key) && rd.name !== 'task' && rd.name !== 'pipeline' && !(rd.name ?? '').startsWith('stepAction/')) continue;
    seen.add(key);
    out.push(rd);
  }
  return out;
}

function taskRunMaterials(tr: RunObject): HintedArtifact[] {
  const spec = tr.status?.taskSpec as { params?: { name: string; default?: ResultValue }[] } | undefined;
  return materialsFromParamsAndResults({
    paramDefaults: spec?.params ?? [],
    params: ((tr.spec?.params ?? []) as { name: string; value: ResultValue }[]),
    results: resultsOf(tr),
  });
}

function resolvedDependencies(pipelineRun: RunObject, taskRuns: readonly RunObject[], config: ChainsProvenanceConfig, buildType: string): ResourceDescriptorJson[] {
  const v2alpha4 = config.format === 'slsa/v2alpha4';
  const out: ResourceDescriptorJson[] = [];
  const pipelineSource = refSourceOf(pipelineRun);
  if (pipelineSource) out.push(descriptor('pipeline', pipelineSource.uri, pipelineSource.digest));
  const executed = executedTaskRuns(pipelineRun, taskRuns);
  for (const tr of executed) {
    const source = refSourceOf(tr);
    if (buildType === SLSA_TEKTON_BUILD_TYPE) {
      out.push(descriptor('pipelineTask', source?.uri, source?.digest, Buffer.from(goJsonMarshal(tr)).toString('base64')));
    } else if (source) {
      out.push(descriptor('pipelineTask', source.uri, source.digest));
    }
    const images = imageMaterials(tr);
    if (v2alpha4) {
      for (const step of (tr.status?.steps ?? []) as { name?: string; provenance?: any }[]) {
        const stepSource = step.provenance?.refSource;
        if (stepSource) out.push(descriptor(`stepAction/${step.name}`, stepSource.uri, stepSource.digest));
      }
    }
    for (const m of images) out.push(descriptor(undefined, m.uri, m.digest));
  }
  if (config.deepInspection && v2alpha4) {
    for (const tr of executed) {
      for (const m of stepActionMaterials(tr)) out.push(descriptor('inputs/result', m.uri, m.digest));
    }
  }
  const spec = pipelineRun.status?.pipelineSpec as { params?: { name: string; default?: ResultValue }[] } | undefined;
  const materials: HintedArtifact[] = [];
  for (const m of materialsFromParamsAndResults({ results: resultsOf(pipelineRun).filter((r) => r.name.endsWith('ARTIFACT_INPUTS')) })) appendArtifact(materials, m);
  if (config.deepInspection) {
    for (const tr of executed) for (const m of taskRunMaterials(tr)) appendArtifact(materials, m);
  }
  for (const m of materialsFromParamsAndResults({
    paramDefaults: spec?.params ?? [],
    params: (pipelineRun.spec?.params ?? []) as { name: string; value: ResultValue }[],
    results: resultsOf(pipelineRun).filter((r) => !r.name.endsWith('ARTIFACT_INPUTS')),
  })) appendArtifact(materials, m);
  for (const m of materials) out.push(descriptor('inputs/result', m.uri, m.digest));
  return removeDuplicates(out);
}

/** Chains' FromStepActionsResults: CHAINS-GIT_* and *ARTIFACT_INPUTS among each step's results. */
function stepActionMaterials(tr: RunObject): HintedArtifact[] {
  const out: HintedArtifact[] = [];
  for (const step of (tr.status?.steps ?? []) as { results?: StatusResult[] }[]) {
    const results = (step.results ?? []).filter((r) => r.name === 'CHAINS-GIT_URL' || r.name === 'CHAINS-GIT_COMMIT');
    for (const m of materialsFromParamsAndResults({ results })) appendArtifact(out, m);
  }
  for (const m of materialsFromParamsAndResults({ results: stepResultsOf(tr).filter((r) => r.name.endsWith('ARTIFACT_INPUTS')) })) appendArtifact(out, m);
  return out;
}

function byproductDescriptors(prefix: string, results: readonly ResultWithValue[]): ResourceDescriptorJson[] {
  return results.map((r) => ({
    name: `${prefix}/${r.name}`,
    content: Buffer.from(goJsonMarshal(r.value)).toString('base64'),
    mediaType: 'application/json',
  }));
}

function byproducts(pipelineRun: RunObject, taskRuns: readonly RunObject[], config: ChainsProvenanceConfig): ResourceDescriptorJson[] {
  const name = pipelineRun.metadata?.name ?? '';
  if (config.format === 'slsa/v2alpha3') return byproductDescriptors('pipelineRunResults', resultsOf(pipelineRun));
  const out = byproductDescriptors(`pipelineRunResults/${name}`, byproductResults(resultsOf(pipelineRun), config.format));
  if (config.deepInspection) {
    for (const tr of executedTaskRuns(pipelineRun, taskRuns)) {
      const trName = tr.metadata?.name ?? '';
      out.push(...byproductDescriptors(`taskRunResults/${trName}`, byproductResults(resultsOf(tr), 'slsa/v2alpha4')));
      out.push(...byproductDescriptors(`stepResults/${trName}`, byproductResults(stepResultsOf(tr), 'slsa/v2alpha4')));
    }
  }
  return out;
}

function subjects(pipelineRun: RunObject, taskRuns: readonly RunObject[], config: ChainsProvenanceConfig): HintedArtifact[] {
  const own = subjectsFromResults(resultsOf(pipelineRun), config.format);
  if (!config.deepInspection) return own;
  const out: HintedArtifact[] = config.format === 'slsa/v2alpha4' ? [...own] : [];
  for (const tr of executedTaskRuns(pipelineRun, taskRuns)) {
    if (config.format === 'slsa/v2alpha4') {
      for (const step of (tr.status?.steps ?? []) as { results?: StatusResult[] }[]) {
        for (const s of subjectsFromResults((step.results ?? []).map((r) => ({ name: r.name, value: r.value })), 'slsa/v2alpha4')) appendArtifact(out, s);
      }
    }
    for (const s of subjectsFromResults(resultsOf(tr), config.format)) appendArtifact(out, s);
  }
  if (config.format !== 'slsa/v2alpha4') for (const s of own) appendArtifact(out, s);
  return out;
}

/** RFC 3339 in UTC as protojson writes a Timestamp (0, 3, 6 or 9 fractional digits). */
function protoTimestamp(time: unknown): string | undefined {
  if (typeof time !== 'string' || time === '') return undefined;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new Error(`time "${time}" is not RFC 3339`);
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** The `externalParameters` Chains records: the run's spec, and `buildConfigSource` for a remote pipeline or task. */
function externalParameters(run: RunObject, refField: 'pipelineRef' | 'taskRef'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ref = run.spec?.[refField] as { resolver?: string } | undefined;
  const source = refSourceOf(run);
  if (source && ref?.resolver && ref.resolver !== 'Cluster') {
    const [alg, hex] = Object.entries(source.digest ?? {})[0] ?? [];
    out.buildConfigSource = { ref: alg ? `${alg}:${hex}` : '', repository: source.uri ?? '', path: source.entryPoint ?? '' };
  }
  out.runSpec = run.spec ?? {};
  return out;
}

/** The `internalParameters` Chains records for the build type. */
function internalParameters(run: RunObject, buildType: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const flags = run.status?.provenance?.featureFlags;
  if (flags) out['tekton-pipelines-feature-flags'] = flags;
  if (buildType === SLSA_TEKTON_BUILD_TYPE) {
    if (run.metadata?.labels) out.labels = run.metadata.labels;
    if (run.metadata?.annotations) out.annotations = run.metadata.annotations;
  }
  return out;
}

function checkedBuildType(config: ChainsProvenanceConfig): string {
  if (config.format !== 'slsa/v2alpha3' && config.format !== 'slsa/v2alpha4') {
    throw new Error(`format "${config.format}" writes SLSA v0.2 provenance, which rehearse does not build; use slsa/v2alpha4 or slsa/v2alpha3`);
  }
  const buildType = config.buildType || SLSA_BUILD_TYPE;
  if (buildType !== SLSA_BUILD_TYPE && buildType !== SLSA_TEKTON_BUILD_TYPE) {
    throw new Error(`unsupported buildType "${buildType}"; chains accepts ${SLSA_BUILD_TYPE} or ${SLSA_TEKTON_BUILD_TYPE}`);
  }
  return buildType;
}

/** Chains' GetSLSA1Statement: the statement around a build definition, run details and subjects. */
function slsaStatement(
  run: RunObject, refField: 'pipelineRef' | 'taskRef', buildType: string, config: ChainsProvenanceConfig,
  subjectList: readonly HintedArtifact[], dependencies: readonly ResourceDescriptorJson[], extra: readonly ResourceDescriptorJson[],
): ProvenanceStatement {
  const buildDefinition: Record<string, unknown> = {
    buildType,
    externalParameters: externalParameters(run, refField),
    internalParameters: internalParameters(run, buildType),
  };
  if (dependencies.length > 0) buildDefinition.resolvedDependencies = dependencies;
  const metadata: Record<string, unknown> = {};
  if (run.metadata?.uid) metadata.invocationId = run.metadata.uid;
  const startedOn = protoTimestamp(run.status?.startTime);
  const finishedOn = protoTimestamp(run.status?.completionTime);
  if (startedOn) metadata.startedOn = startedOn;
  if (finishedOn) metadata.finishedOn = finishedOn;
  const runDetails: Record<string, unknown> = {
    builder: config.builderId === '' ? {} : { id: config.builderId ?? CHAINS_DEFAULT_BUILDER_ID },
    metadata,
  };
  if (extra.length > 0) runDetails.byproducts = extra;
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: subjectList.map((s) => ({ name: s.uri, digest: sortKeys(s.digest) as Record<string, string> })),
    predicateType: SLSA_PROVENANCE_V1_PREDICATE,
    predicate: sortKeys({ buildDefinition, runDetails }) as Record<string, unknown>,
  };
}

/**
 * Builds the statement Chains v0.29.2 signs for a finished PipelineRun under `config.format`
 * (`slsa/v2alpha3` or `slsa/v2alpha4`). Throws when the format is a SLSA v0.2 one, the build type is not one
 * Chains knows, or a step's imageID is not `image@alg:hex` (Chains fails the same way).
 */
export function buildPipelineRunProvenance(pipelineRun: RunObject, taskRuns: readonly RunObject[], config: ChainsProvenanceConfig): ProvenanceStatement {
  const buildType = checkedBuildType(config);
  return slsaStatement(pipelineRun, 'pipelineRef', buildType, config,
    subjects(pipelineRun, taskRuns, config),
    resolvedDependencies(pipelineRun, taskRuns, config, buildType),
    byproducts(pipelineRun, taskRuns, config));
}

/**
 * Builds the statement Chains v0.29.2 signs for a finished TaskRun (`artifacts.taskrun.format`
 * `slsa/v2alpha4` or `slsa/v2alpha3`): subjects from step and task results, the task's own source as
 * `task`, step images, type-hinted inputs as `inputs/result`, and its results as byproducts.
 */
export function buildTaskRunProvenance(taskRun: RunObject, config: ChainsProvenanceConfig): ProvenanceStatement {
  const buildType = checkedBuildType(config);
  const v2alpha4 = config.format === 'slsa/v2alpha4';
  const name = taskRun.metadata?.name ?? '';
  let subjectList: HintedArtifact[] = [];
  if (v2alpha4) {
    for (const step of (taskRun.status?.steps ?? []) as { results?: StatusResult[] }[]) {
      for (const s of subjectsFromResults((step.results ?? []).map((r) => ({ name: r.name, value: r.value })), 'slsa/v2alpha4')) appendArtifact(subjectList, s);
    }
    for (const s of subjectsFromResults(resultsOf(taskRun), 'slsa/v2alpha4')) appendArtifact(subjectList, s);
  } else {
    subjectList = subjectsFromResults(resultsOf(taskRun), config.format);
  }
  const dependencies: ResourceDescriptorJson[] = [];
  const source = refSourceOf(taskRun);
  if (source) dependencies.push(descriptor('task', source.uri, source.digest));
  for (const m of imageMaterials(taskRun)) dependencies.push(descriptor(undefined, m.uri, m.digest));
  if (v2alpha4) {
    for (const m of stepActionMaterials(taskRun)) dependencies.push(descriptor('inputs/result', m.uri, m.digest));
    for (const step of (taskRun.status?.steps ?? []) as { name?: string; provenance?: any }[]) {
      const stepSource = step.provenance?.refSource;
      if (stepSource) dependencies.push(descriptor(`stepAction/${step.name}`, stepSource.uri, stepSource.digest));
    }
  }
  for (const m of taskRunMaterials(taskRun)) dependencies.push(descriptor('inputs/result', m.uri, m.digest));
  const extra = v2alpha4
    ? [
      ...byproductDescriptors(`taskRunResults/${name}`, byproductResults(resultsOf(taskRun), 'slsa/v2alpha4')),
      ...byproductDescriptors(`stepResults/${name}`, byproductResults(stepResultsOf(taskRun), 'slsa/v2alpha4')),
    ]
    : byproductDescriptors('taskRunResults', resultsOf(taskRun));
  return slsaStatement(taskRun, 'taskRef', buildType, config, subjectList, removeDuplicates(dependencies), extra);
}
