import { PIPELINE_RUN_RESULTS_BYPRODUCT } from './chains-byproducts';
import { findVariableReferences } from '../tekton-model/variable-references';
import { withoutChainsResultAnnotations } from './chains-annotations';
import {
  formatGoTime,
  formatProtoTimestamp,
  goJsonMarshal,
  goJsonText,
  goRoundTrip,
  GoJsonError,
  GoType,
  paramValueOf,
  sortKeys,
} from './go-json';
import {
  FEATURE_FLAGS,
  PIPELINE_RUN_SPEC,
  PIPELINE_SPEC,
  REF_SOURCE,
  TASK_REF,
  TASK_RUN,
  TASK_RUN_RESULT,
  TASK_RUN_SPEC,
  TASK_SPEC,
} from './tekton-go-types';
import {
  byproductResults,
  ChainsFormat,
  CHAINS_FORMATS,
  HintedArtifact,
  isSlsaV1Format,
  materialsFromParamsAndResults,
  ResultValue,
  ResultWithValue,
  spdxGitUri,
  subjectsFromResults,
  TYPE_HINT_NAMES,
} from './type-hinting';

/**
 * What Tekton Chains v0.29.2 signs for a finished PipelineRun or TaskRun: the unsigned in-toto statement
 * of each payload format (`pkg/chains/formats/slsa/` at v0.29.2):
 * - `in-toto` and `slsa/v1`: in-toto Statement v0.1 with a SLSA v0.2 predicate (`invocation`, `buildConfig`,
 *   `materials`, `metadata`);
 * - `slsa/v2alpha3` and `slsa/v2alpha4`: in-toto Statement v1 with a SLSA v1.0 predicate (`buildDefinition`,
 *   `runDetails`), v2alpha4 with step results, StepActions and `isBuildArtifact`.
 * The run is read as Chains reads it, through Go's `encoding/json` into the Tekton v1 types (`go-json.ts`,
 * `tekton-go-types.ts`), and the statement is the JSON that `protojson` writes (predicate keys sorted; empty
 * lists, empty strings and a nil subject left out). Works on plain JSON objects, e.g. `kubectl get -o json`.
 */

/** Chains' default `builder.id`. */
export const CHAINS_DEFAULT_BUILDER_ID = 'https://tekton.dev/chains/v2';
/** Chains' default `builddefinition.buildtype`: only name/uri/digest of tasks in resolvedDependencies. */
export const SLSA_BUILD_TYPE = 'https://tekton.dev/chains/v2/slsa';
/** The verbose build type: whole TaskRuns as resolvedDependencies content, labels and annotations. */
export const SLSA_TEKTON_BUILD_TYPE = 'https://tekton.dev/chains/v2/slsa-tekton';
/** in-toto Statement v1 (SLSA v1.0 formats). */
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** in-toto Statement v0.1 (SLSA v0.2 formats). */
export const IN_TOTO_STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
/** SLSA provenance v1.0 predicate type. */
export const SLSA_PROVENANCE_V1_PREDICATE = 'https://slsa.dev/provenance/v1';
/** SLSA provenance v0.2 predicate type. */
export const SLSA_PROVENANCE_V02_PREDICATE = 'https://slsa.dev/provenance/v0.2';

/** The kinds of run Chains signs. */
export type ChainsRunKind = 'PipelineRun' | 'TaskRun';

/** What of `chains-config` shapes the provenance (the flags of `slsa-for-models provenance`). */
export interface ChainsProvenanceConfig {
  /** `artifacts.pipelinerun.format` or `artifacts.taskrun.format`. */
  readonly format: ChainsFormat;
  /** `builder.id`. @default CHAINS_DEFAULT_BUILDER_ID */
  readonly builderId?: string;
  /** `builddefinition.buildtype` (SLSA v1.0 formats only). @default SLSA_BUILD_TYPE */
  readonly buildType?: string;
  /** `artifacts.pipelinerun.enable-deep-inspection` (PipelineRuns only). @default false */
  readonly deepInspection?: boolean;
}

/** A Tekton object as JSON, with the fields read here. */
export interface RunObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly uid?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly [field: string]: unknown;
  };
  readonly spec?: Record<string, any>;
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

/** The statement, keys in the order protojson writes them (the predicate's keys sorted). `subject` is absent when empty. */
export interface ProvenanceStatement {
  readonly _type: string;
  readonly subject?: readonly { readonly name: string; readonly digest: Record<string, string> }[];
  readonly predicateType: string;
  readonly predicate: Record<string, unknown>;
}

/** Thrown where Chains would fail to build the statement, or the input is not a run Chains reads. */
export class ChainsProvenanceError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ChainsProvenanceError';
  }
}

// ------------------------------------------------------------------ reading the run as Go does

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of a JSON object as Go's decoder finds it: exact or case-insensitive name, the later key winning. */
function field(obj: unknown, name: string): any {
  if (!isObject(obj)) return undefined;
  let found: unknown;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(obj)) if (key === name || key.toLowerCase() === lower) found = value;
  return found;
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function roundTrip(type: GoType, value: unknown, path: string): any {
  try {
    return goRoundTrip(type, value, path);
  } catch (err) {
    if (err instanceof GoJsonError) throw new ChainsProvenanceError(err.message);
    throw err;
  }
}

/** The view of one run that the formatter reads: Go-decoded where Chains' logic depends on it. */
class Run {
  public readonly kind: ChainsRunKind;
  public readonly label: string;
  public readonly name: string;
  public readonly uid: string;
  public readonly labels: Record<string, string>;
  public readonly annotations: Record<string, string>;
  public readonly status: Record<string, any>;

  public constructor(
    public readonly raw: RunObject,
    kind: ChainsRunKind,
  ) {
    this.kind = kind;
    const metadata = field(raw, 'metadata');
    this.name = typeof field(metadata, 'name') === 'string' ? field(metadata, 'name') : '';
    this.uid = typeof field(metadata, 'uid') === 'string' ? field(metadata, 'uid') : '';
    this.labels = stringMap(field(metadata, 'labels'));
    this.annotations = stringMap(field(metadata, 'annotations'));
    this.label = `${kind.toLowerCase()} ${this.name || '(unnamed)'}`;
    const status = field(raw, 'status');
    if (!isObject(status))
      throw new ChainsProvenanceError(
        `${this.label} has no status: chains signs a run once it has finished (save it with kubectl get ${kind.toLowerCase()} NAME -o json)`,
      );
    this.status = status;
  }

  private cachedSpec: Record<string, any> | undefined;

  /** `spec` as `json.Marshal` writes the decoded Go struct (what `externalParameters.runSpec` holds). */
  public get spec(): Record<string, any> {
    if (!this.cachedSpec)
      this.cachedSpec = roundTrip(
        this.kind === 'TaskRun' ? TASK_RUN_SPEC : PIPELINE_RUN_SPEC,
        field(this.raw, 'spec'),
        `${this.label} spec`,
      );
    return this.cachedSpec!;
  }

  /** `status.results` (or `status.pipelineResults`' v1 successor) as name/value pairs. */
  public get results(): ResultWithValue[] {
    return list(field(this.status, 'results')).map((r) => ({ name: stringOf(field(r, 'name')), value: paramValueOf(field(r, 'value')) }));
  }

  /** `status.steps`, in order. */
  public get steps(): any[] {
    return list(field(this.status, 'steps'));
  }

  /** Every step's results, in step order. */
  public get stepResults(): ResultWithValue[] {
    return this.steps.flatMap((step) => stepResults(step));
  }

  private cachedSpecInStatus: { value: Record<string, any> | undefined } | undefined;

  /** `status.taskSpec` / `status.pipelineSpec`, Go-decoded. */
  public get specInStatus(): Record<string, any> | undefined {
    if (!this.cachedSpecInStatus) {
      const key = this.kind === 'TaskRun' ? 'taskSpec' : 'pipelineSpec';
      const value = field(this.status, key);
      this.cachedSpecInStatus = {
        value:
          value === undefined || value === null
            ? undefined
            : roundTrip(this.kind === 'TaskRun' ? TASK_SPEC : PIPELINE_SPEC, value, `${this.label} status.${key}`),
      };
    }
    return this.cachedSpecInStatus.value;
  }

  /** `status.provenance.refSource`, Go-decoded, or undefined. */
  public get refSource(): { uri?: string; digest?: Record<string, string>; entryPoint?: string } | undefined {
    return refSourceOf(field(this.status, 'provenance'), `${this.label} status.provenance.refSource`);
  }

  /** `status.provenance.featureFlags` as Chains writes it back, or undefined. */
  public get featureFlags(): Record<string, unknown> | undefined {
    const flags = field(field(this.status, 'provenance'), 'featureFlags');
    if (flags === undefined || flags === null) return undefined;
    return roundTrip(FEATURE_FLAGS, flags, `${this.label} status.provenance.featureFlags`);
  }

  public get startTime(): unknown {
    return field(this.status, 'startTime') ?? undefined;
  }

  public get completionTime(): unknown {
    return field(this.status, 'completionTime') ?? undefined;
  }

  /** Remote resolution: a ref with a resolver other than `Cluster` (Chains' `IsRemote`). */
  public get isRemote(): boolean {
    const ref = this.spec[this.kind === 'TaskRun' ? 'taskRef' : 'pipelineRef'];
    return isObject(ref) && typeof ref.resolver === 'string' && ref.resolver !== '' && ref.resolver !== 'Cluster';
  }
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function stepResults(step: unknown): ResultWithValue[] {
  return list(field(step, 'results')).map((r) => ({ name: stringOf(field(r, 'name')), value: paramValueOf(field(r, 'value')) }));
}

function refSourceOf(
  provenance: unknown,
  where: string,
): { uri?: string; digest?: Record<string, string>; entryPoint?: string } | undefined {
  const source = field(provenance, 'refSource');
  if (source === undefined || source === null) return undefined;
  return roundTrip(REF_SOURCE, source, where);
}

/** A PipelineRun with the TaskRuns Chains attributes to it (by the `tekton.dev/pipelineTask` label). */
class PipelineRunView extends Run {
  public constructor(
    raw: RunObject,
    public readonly taskRuns: readonly Run[],
  ) {
    super(raw, 'PipelineRun');
  }

  /** The pipeline's tasks then finally tasks (Go-decoded `status.pipelineSpec`), or undefined without one. */
  public get pipelineTasks(): any[] | undefined {
    const spec = this.specInStatus;
    if (!spec) return undefined;
    return [...list(spec.tasks), ...list(spec.finally)];
  }

  /** Chains' GetTaskRunsFromTask. */
  public taskRunsOf(task: string): Run[] {
    return this.taskRuns.filter((tr) => tr.labels['tekton.dev/pipelineTask'] === task);
  }

  /** Chains' GetExecutedTasks: completed TaskRuns in pipeline order. */
  public get executed(): Run[] {
    return (this.pipelineTasks ?? []).flatMap((task) =>
      this.taskRunsOf(stringOf(task.name)).filter((tr) => tr.completionTime !== undefined),
    );
  }
}

// ------------------------------------------------------------------ materials and subjects

function sameArtifact(x: HintedArtifact, y: HintedArtifact): boolean {
  return x.uri === y.uri && Object.entries(x.digest).some(([alg, hex]) => y.digest[alg] === hex);
}

/** Chains' AppendSubjects/AppendMaterials: an item with the same name and one common digest is merged. */
function appendArtifacts(into: HintedArtifact[], ...items: readonly HintedArtifact[]): HintedArtifact[] {
  for (const item of items) {
    const index = into.findIndex((existing) => sameArtifact(existing, item));
    if (index === -1) into.push(item);
    else into[index] = { uri: into[index].uri, digest: { ...into[index].digest, ...item.digest } };
  }
  return into;
}

/** Chains' fromImageID: `[docker-pullable://]uri@alg:hex` → `oci://uri`; anything else fails Chains. */
function imageMaterial(imageID: string, where: string): HintedArtifact {
  const parts = imageID.split('@');
  const digest = parts.length === 2 ? parts[1].split(':') : [];
  if (parts.length !== 2 || digest.length !== 2) {
    throw new ChainsProvenanceError(`${where}: imageID "${imageID}" is not "<image>@<alg>:<hex>", so chains cannot record it`);
  }
  return { uri: `oci://${parts[0].replace(/^docker-pullable:\/\//, '')}`, digest: { [digest[0]]: digest[1] } };
}

/**
 * Step or sidecar images (Chains' FromStepImages/FromSidecarImages), merged within the list. A state
 * without `imageID` (a rehearsal of an unpinned image) is left out, where Chains would fail.
 */
function containerImages(tr: Run, key: 'steps' | 'sidecars'): HintedArtifact[] {
  const out: HintedArtifact[] = [];
  for (const state of list(field(tr.status, key))) {
    const imageID = field(state, 'imageID');
    if (imageID === undefined || imageID === null) continue;
    appendArtifacts(
      out,
      imageMaterial(stringOf(imageID), `${tr.label} ${key === 'steps' ? 'step' : 'sidecar'} ${stringOf(field(state, 'name')) || '?'}`),
    );
  }
  return out;
}

/** The CHAINS-GIT_* pair among declared param defaults, run params and results (later sources win). */
function gitSource(
  paramDefaults: readonly any[],
  params: readonly any[],
  results: readonly ResultWithValue[],
): { url: string; commit: string } {
  let url = '';
  let commit = '';
  const take = (name: string, value: ResultValue | undefined): void => {
    const text = typeof value === 'string' ? value : '';
    if (name === TYPE_HINT_NAMES.gitCommit) commit = text;
    if (name === TYPE_HINT_NAMES.gitUrl) url = text;
  };
  for (const p of paramDefaults) if (p.default !== undefined && p.default !== null) take(p.name, p.default);
  for (const p of params) take(p.name, p.value);
  for (const r of results) take(r.name, r.value);
  return { url, commit };
}

/** `*ARTIFACT_INPUTS` object results with a uri and a valid digest (Chains' RetrieveMaterialsFromStructuredResults). */
function structuredInputs(results: readonly ResultWithValue[]): HintedArtifact[] {
  return materialsFromParamsAndResults({ results: results.filter((r) => r.name.endsWith(TYPE_HINT_NAMES.artifactInputs)) });
}

/** Chains' FromTaskParamsAndResults: the git source (url made SPDX even when empty), then structured inputs. */
function taskParamsAndResultsMaterials(tr: Run): HintedArtifact[] {
  const { url, commit } = gitSource(list(tr.specInStatus?.params), list(tr.spec.params), tr.results);
  const out: HintedArtifact[] = [];
  if (commit !== '') appendArtifacts(out, { uri: spdxGitUri(url), digest: { sha1: commit } });
  return appendArtifacts(out, ...structuredInputs(tr.results));
}

/** Chains' FromStepActionsResults: each step's CHAINS-GIT_* pair, then structured inputs among step results. */
function stepActionMaterials(tr: Run): HintedArtifact[] {
  const out: HintedArtifact[] = [];
  for (const step of tr.steps) {
    const { url, commit } = gitSource([], [], stepResults(step));
    if (commit !== '') appendArtifacts(out, { uri: spdxGitUri(url), digest: { sha1: commit } });
  }
  return appendArtifacts(out, ...structuredInputs(tr.stepResults));
}

/** Chains' FromPipelineParamsAndResults. */
function pipelineParamsAndResultsMaterials(pr: PipelineRunView, deepInspection: boolean): HintedArtifact[] {
  const out = structuredInputs(pr.results);
  const spec = pr.specInStatus;
  if (spec && deepInspection) for (const tr of pr.executed) appendArtifacts(out, ...taskParamsAndResultsMaterials(tr));
  const { url, commit } = gitSource(list(spec?.params), list(pr.spec.params), pr.results);
  if (commit !== '' && url !== '') appendArtifacts(out, { uri: spdxGitUri(url), digest: { sha1: commit } });
  return out;
}

/** Subjects of one run's own results (Chains' subjectsFromTektonObject / SubjectsFromBuildArtifact). */
function ownSubjects(results: readonly ResultWithValue[], format: ChainsFormat): HintedArtifact[] {
  return subjectsFromResults(results, format);
}

/** v2alpha4 TaskRun subjects: each step's build artifacts and images, then the task's. */
function v2alpha4TaskRunSubjects(tr: Run): HintedArtifact[] {
  const out: HintedArtifact[] = [];
  for (const step of tr.steps) appendArtifacts(out, ...ownSubjects(stepResults(step), 'slsa/v2alpha4'));
  return appendArtifacts(out, ...ownSubjects(tr.results, 'slsa/v2alpha4'));
}

function pipelineRunSubjects(pr: PipelineRunView, config: ChainsProvenanceConfig): HintedArtifact[] {
  const own = ownSubjects(pr.results, config.format);
  if (!config.deepInspection) return own;
  if (config.format === 'slsa/v2alpha4') {
    const out = [...own];
    for (const tr of pr.executed) appendArtifacts(out, ...v2alpha4TaskRunSubjects(tr));
    return out;
  }
  const out: HintedArtifact[] = [];
  for (const tr of pr.executed) appendArtifacts(out, ...ownSubjects(tr.results, config.format));
  return appendArtifacts(out, ...own);
}

function subjectJson(subjects: readonly HintedArtifact[]): { name: string; digest: Record<string, string> }[] | undefined {
  if (subjects.length === 0) return undefined;
  return subjects.map((s) => {
    const rd: { name: string; digest: Record<string, string> } = { name: s.uri, digest: sortKeys(s.digest) as Record<string, string> };
    if (s.uri === '') delete (rd as { name?: string }).name;
    return rd;
  });
}

// ------------------------------------------------------------------ SLSA v1.0 (slsa/v2alpha3, slsa/v2alpha4)

function descriptor(
  name: string | undefined,
  uri: string | undefined,
  digest: Record<string, string> | undefined,
  content?: string,
): ResourceDescriptorJson {
  const rd: ResourceDescriptorJson = {};
  if (name) rd.name = name;
  if (uri) rd.uri = uri;
  if (digest && Object.keys(digest).length > 0) rd.digest = sortKeys(digest) as Record<string, string>;
  if (content) rd.content = content;
  return rd;
}

const named =
  (name: string | undefined) =>
  (m: HintedArtifact): ResourceDescriptorJson =>
    descriptor(name, m.uri, m.digest);

/** Chains' RemoveDuplicateResolvedDependencies: same uri, digest and content once, except pipeline/task/stepAction entries. */
function removeDuplicates(deps: readonly ResourceDescriptorJson[]): ResourceDescriptorJson[] {
  const seen = new Set<string>();
  const out: ResourceDescriptorJson[] = [];
  for (const rd of deps) {
    const key = JSON.stringify(sortKeys({ uri: rd.uri, digest: rd.digest, content: rd.content }));
    if (seen.has(key) && rd.name !== 'task' && rd.name !== 'pipeline' && !(rd.name ?? '').startsWith('stepAction/')) continue;
    seen.add(key);
    out.push(rd);
  }
  return out;
}

function remoteStepActions(tr: Run): ResourceDescriptorJson[] {
  const out: ResourceDescriptorJson[] = [];
  for (const step of tr.steps) {
    const source = refSourceOf(field(step, 'provenance'), `${tr.label} step ${stringOf(field(step, 'name'))} provenance.refSource`);
    if (source) out.push(descriptor(`stepAction/${stringOf(field(step, 'name'))}`, source.uri, source.digest));
  }
  return out;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** `json.Marshal` of a whole TaskRun as Chains' slsa-tekton build type stores it. */
function taskRunContent(tr: Run): string {
  return base64(goJsonText(roundTrip(TASK_RUN, tr.raw, tr.label)));
}

function pipelineRunDependencies(pr: PipelineRunView, config: ChainsProvenanceConfig, buildType: string): ResourceDescriptorJson[] {
  const withStepActions = config.format === 'slsa/v2alpha4';
  const out: ResourceDescriptorJson[] = [];
  const pipelineSource = pr.refSource;
  if (pipelineSource) out.push(descriptor('pipeline', pipelineSource.uri, pipelineSource.digest));
  for (const tr of pr.executed) {
    const source = tr.refSource;
    if (buildType === SLSA_TEKTON_BUILD_TYPE) out.push(descriptor('pipelineTask', source?.uri, source?.digest, taskRunContent(tr)));
    else if (source) out.push(descriptor('pipelineTask', source.uri, source.digest));
    if (withStepActions) out.push(...remoteStepActions(tr));
    out.push(...[...containerImages(tr, 'steps'), ...containerImages(tr, 'sidecars')].map(named(undefined)));
  }
  if (config.deepInspection && withStepActions)
    for (const tr of pr.executed) out.push(...stepActionMaterials(tr).map(named('inputs/result')));
  out.push(...pipelineParamsAndResultsMaterials(pr, config.deepInspection ?? false).map(named('inputs/result')));
  return removeDuplicates(out);
}

function taskRunDependencies(tr: Run, config: ChainsProvenanceConfig): ResourceDescriptorJson[] {
  const out: ResourceDescriptorJson[] = [];
  const source = tr.refSource;
  if (source) out.push(descriptor('task', source.uri, source.digest));
  out.push(...[...containerImages(tr, 'steps'), ...containerImages(tr, 'sidecars')].map(named(undefined)));
  if (config.format === 'slsa/v2alpha4') {
    out.push(...stepActionMaterials(tr).map(named('inputs/result')));
    out.push(...remoteStepActions(tr));
  }
  out.push(...taskParamsAndResultsMaterials(tr).map(named('inputs/result')));
  return removeDuplicates(out);
}

function byproductDescriptors(prefix: string, results: readonly ResultWithValue[]): ResourceDescriptorJson[] {
  return results.map((r) => ({ name: `${prefix}/${r.name}`, content: base64(goJsonMarshal(r.value)), mediaType: 'application/json' }));
}

function taskRunByproducts(tr: Run, format: ChainsFormat): ResourceDescriptorJson[] {
  if (format === 'slsa/v2alpha3') return byproductDescriptors('taskRunResults', tr.results);
  return [
    ...byproductDescriptors(`taskRunResults/${tr.name}`, byproductResults(tr.results, 'slsa/v2alpha4')),
    ...byproductDescriptors(`stepResults/${tr.name}`, byproductResults(tr.stepResults, 'slsa/v2alpha4')),
  ];
}

function pipelineRunByproducts(pr: PipelineRunView, config: ChainsProvenanceConfig): ResourceDescriptorJson[] {
  if (config.format === 'slsa/v2alpha3') return byproductDescriptors(PIPELINE_RUN_RESULTS_BYPRODUCT, pr.results);
  const out = byproductDescriptors(`${PIPELINE_RUN_RESULTS_BYPRODUCT}/${pr.name}`, byproductResults(pr.results, 'slsa/v2alpha4'));
  if (config.deepInspection) for (const tr of pr.executed) out.push(...taskRunByproducts(tr, 'slsa/v2alpha4'));
  return out;
}

/** The `externalParameters` Chains records: `buildConfigSource` for a remotely resolved pipeline or task, and the run's spec. */
function externalParameters(run: Run): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = run.isRemote ? run.refSource : undefined;
  if (source) {
    // A Go map iteration: the first digest entry (only deterministic with one digest).
    const [alg, hex] = Object.entries(source.digest ?? {})[0] ?? [];
    out.buildConfigSource = { ref: alg === undefined ? '' : `${alg}:${hex}`, repository: source.uri ?? '', path: source.entryPoint ?? '' };
  }
  out.runSpec = run.spec;
  return out;
}

/** The `internalParameters` Chains records for the build type. */
function internalParameters(run: Run, buildType: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const flags = run.featureFlags;
  if (flags) out['tekton-pipelines-feature-flags'] = flags;
  if (buildType === SLSA_TEKTON_BUILD_TYPE) {
    const metadata = field(run.raw, 'metadata');
    const labels = field(metadata, 'labels');
    const annotations = field(metadata, 'annotations');
    out.labels = isObject(labels) ? stringMap(labels) : null;
    out.annotations = isObject(annotations) ? stringMap(annotations) : null;
  }
  return out;
}

/** Chains' GetSLSA1Statement. */
function slsaV1Statement(
  run: Run,
  buildType: string,
  config: ChainsProvenanceConfig,
  subjects: readonly HintedArtifact[],
  dependencies: readonly ResourceDescriptorJson[],
  byproducts: readonly ResourceDescriptorJson[],
): ProvenanceStatement {
  const buildDefinition: Record<string, unknown> = {
    buildType,
    externalParameters: externalParameters(run),
    internalParameters: internalParameters(run, buildType),
  };
  if (dependencies.length > 0) buildDefinition.resolvedDependencies = dependencies;
  const metadata: Record<string, unknown> = {};
  if (run.uid) metadata.invocationId = run.uid;
  if (run.startTime !== undefined) metadata.startedOn = formatProtoTimestamp(run.startTime, `${run.label} status.startTime`);
  if (run.completionTime !== undefined)
    metadata.finishedOn = formatProtoTimestamp(run.completionTime, `${run.label} status.completionTime`);
  const builderId = config.builderId ?? CHAINS_DEFAULT_BUILDER_ID;
  const runDetails: Record<string, unknown> = { builder: builderId === '' ? {} : { id: builderId }, metadata };
  if (byproducts.length > 0) runDetails.byproducts = byproducts;
  return statement(IN_TOTO_STATEMENT_V1, subjects, SLSA_PROVENANCE_V1_PREDICATE, { buildDefinition, runDetails });
}

function statement(
  type: string,
  subjects: readonly HintedArtifact[],
  predicateType: string,
  predicate: Record<string, unknown>,
): ProvenanceStatement {
  const subject = subjectJson(subjects);
  const sorted = sortKeys(predicate) as Record<string, unknown>;
  return subject ? { _type: type, subject, predicateType, predicate: sorted } : { _type: type, predicateType, predicate: sorted };
}

// ------------------------------------------------------------------ SLSA v0.2 (in-toto, slsa/v1)

/** Chains' attest.Step: entry point (script, else the command), arguments, image and container. */
function stepAttestation(step: Record<string, any>, state: unknown): Record<string, unknown> {
  const script = stringOf(step.script);
  return {
    entryPoint: script !== '' ? script : list(step.command).join(' '),
    arguments: step.args ?? null,
    environment: {
      container: stringOf(field(state, 'name')),
      image: `oci://${stringOf(field(state, 'imageID')).replace(/^docker-pullable:\/\//, '')}`,
    },
    annotations: null,
  };
}

/** Chains' attest.Invocation: configSource from refSource, parameters (defaults, then the run's), labels and annotations. */
function invocation(run: Run, params: readonly any[], paramSpecs: readonly any[]): Record<string, unknown> {
  const source = run.refSource;
  const configSource: Record<string, unknown> = {};
  if (source?.uri) configSource.uri = source.uri;
  if (source?.digest && Object.keys(source.digest).length > 0) configSource.digest = source.digest;
  if (source?.entryPoint) configSource.entryPoint = source.entryPoint;
  const parameters: Record<string, unknown> = {};
  for (const spec of paramSpecs) if (spec.default !== undefined && spec.default !== null) parameters[spec.name] = spec.default;
  for (const p of params) parameters[p.name] = p.value;
  const out: Record<string, unknown> = { configSource, parameters };
  const environment: Record<string, unknown> = {};
  const annotations: Record<string, string> = {};
  for (const [name, value] of Object.entries(run.annotations)) {
    if (name === 'kubectl.kubernetes.io/last-applied-configuration' || name.startsWith('chains.tekton.dev/')) continue;
    annotations[name] = value;
  }
  if (Object.keys(annotations).length > 0) environment.annotations = annotations;
  if (Object.keys(run.labels).length > 0) environment.labels = run.labels;
  if (Object.keys(environment).length > 0) out.environment = environment;
  return out;
}

function v02Metadata(run: Run): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (run.startTime !== undefined) metadata.buildStartedOn = formatGoTime(run.startTime, `${run.label} status.startTime`);
  if (run.completionTime !== undefined) metadata.buildFinishedOn = formatGoTime(run.completionTime, `${run.label} status.completionTime`);
  metadata.completeness = { parameters: false, environment: false, materials: false };
  metadata.reproducible = run.labels['chains.tekton.dev/reproducible'] === 'true';
  return metadata;
}

function materialsJson(materials: readonly HintedArtifact[]): Record<string, unknown>[] {
  return materials.map((m) => {
    const out: Record<string, unknown> = {};
    if (m.uri) out.uri = m.uri;
    if (Object.keys(m.digest).length > 0) out.digest = m.digest;
    return out;
  });
}

function v02Statement(
  run: Run,
  config: ChainsProvenanceConfig,
  subjects: readonly HintedArtifact[],
  invocationJson: Record<string, unknown>,
  buildConfig: Record<string, unknown>,
  materials: readonly HintedArtifact[],
): ProvenanceStatement {
  const predicate: Record<string, unknown> = {
    builder: { id: config.builderId ?? CHAINS_DEFAULT_BUILDER_ID },
    buildType: `tekton.dev/v1/${run.kind}`,
    invocation: invocationJson,
    buildConfig,
    metadata: v02Metadata(run),
  };
  if (materials.length > 0) predicate.materials = materialsJson(materials);
  return statement(IN_TOTO_STATEMENT_V01, subjects, SLSA_PROVENANCE_V02_PREDICATE, predicate);
}

function v02TaskRun(tr: Run, config: ChainsProvenanceConfig): ProvenanceStatement {
  const taskSpec = tr.specInStatus;
  const steps = tr.steps.map((state) => {
    const step = list(taskSpec?.steps).find((s) => s.name === stringOf(field(state, 'name'))) ?? {};
    return stepAttestation(step, state);
  });
  const materials: HintedArtifact[] = [];
  appendArtifacts(materials, ...containerImages(tr, 'steps'), ...containerImages(tr, 'sidecars'), ...taskParamsAndResultsMaterials(tr));
  return v02Statement(
    tr,
    config,
    ownSubjects(tr.results, config.format),
    invocation(tr, list(tr.spec.params), list(taskSpec?.params)),
    { steps },
    materials,
  );
}

/** The pipeline tasks a task waits for: runAfter, then tasks whose results it references (Tekton's PipelineTaskResultRefs). */
function taskAfter(task: Record<string, any>): string[] {
  const after = [...list(task.runAfter).map(String)];
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) Object.values(value).forEach(collect);
  };
  collect(list(task.params).map((p) => p.value));
  collect(list(task.matrix?.params).map((p: any) => p.value));
  collect(list(task.matrix?.include).map((i: any) => list(i.params).map((p: any) => p.value)));
  collect(list(task.when).map((w) => [w.input, w.values, w.cel]));
  collect(task.taskSpec);
  for (const text of texts) {
    for (const ref of findVariableReferences(text)) {
      if (ref.kind === 'tasks.results' && ref.owner && !after.includes(ref.owner)) after.push(ref.owner);
    }
  }
  return after;
}

function conditionStatus(tr: Run): string {
  const first = list(field(tr.status, 'conditions'))[0];
  const status = stringOf(field(first, 'status'));
  return status === 'False' ? 'Failed' : status === 'True' ? 'Succeeded' : status === 'Unknown' ? 'Running' : '';
}

function v02PipelineRun(pr: PipelineRunView, config: ChainsProvenanceConfig): ProvenanceStatement {
  const pipelineSpec = pr.specInStatus;
  let buildConfig: Record<string, unknown> = { tasks: null };
  if (pipelineSpec) {
    const tasks: Record<string, unknown>[] = [];
    const mainCount = list(pipelineSpec.tasks).length;
    let last = '';
    pr.pipelineTasks!.forEach((task, index) => {
      for (const tr of pr.taskRunsOf(stringOf(task.name))) {
        if (tr.completionTime === undefined) continue;
        const taskSpec = tr.specInStatus;
        if (!taskSpec) continue;
        const specSteps = list(taskSpec.steps);
        if (specSteps.length !== tr.steps.length) continue;
        if (specSteps.some((s, i) => stringOf(field(tr.steps[i], 'name')).startsWith('unnamed-') && s.name !== '')) continue;
        const steps = specSteps.map((s, i) => stepAttestation(s, tr.steps[i]));
        let after = taskAfter(task);
        if (after.length === 0 && index >= mainCount && last !== '') after = [last];
        const attestation: Record<string, unknown> = { name: task.name };
        if (after.length > 0) attestation.after = after;
        attestation.ref = task.taskRef ? roundTrip(TASK_REF, task.taskRef, `${pr.label} task ${task.name} taskRef`) : {};
        attestation.startedOn = formatGoTime(tr.startTime, `${tr.label} status.startTime`);
        attestation.finishedOn = formatGoTime(tr.completionTime, `${tr.label} status.completionTime`);
        const serviceAccount = stringOf(pr.spec.taskRunTemplate?.serviceAccountName);
        if (serviceAccount) attestation.serviceAccountName = serviceAccount;
        const status = conditionStatus(tr);
        if (status) attestation.status = status;
        if (steps.length > 0) attestation.steps = steps;
        attestation.invocation = invocation(tr, list(tr.spec.params), list(taskSpec.params));
        const results = list(field(tr.status, 'results')).map((r, i) => roundTrip(TASK_RUN_RESULT, r, `${tr.label} status.results[${i}]`));
        if (results.length > 0) attestation.results = results;
        tasks.push(attestation);
      }
      if (index < mainCount) last = stringOf(task.name);
    });
    buildConfig = { tasks };
  }
  const materials: HintedArtifact[] = [];
  const source = pr.refSource;
  if (source) appendArtifacts(materials, { uri: source.uri ?? '', digest: source.digest ?? {} });
  for (const tr of pr.executed) {
    appendArtifacts(materials, ...containerImages(tr, 'steps'), ...containerImages(tr, 'sidecars'));
    const trSource = tr.refSource;
    if (trSource) appendArtifacts(materials, { uri: trSource.uri ?? '', digest: trSource.digest ?? {} });
  }
  appendArtifacts(materials, ...pipelineParamsAndResultsMaterials(pr, config.deepInspection ?? false));
  return v02Statement(
    pr,
    config,
    pipelineRunSubjects(pr, config),
    invocation(pr, list(pr.spec.params), list(pipelineSpec?.params)),
    buildConfig,
    materials,
  );
}

// ------------------------------------------------------------------ entry points

function requireBuildType(config: ChainsProvenanceConfig): string {
  if (!(CHAINS_FORMATS as readonly string[]).includes(config.format)) {
    throw new ChainsProvenanceError(`format "${config.format}" is not a Chains v0.29.2 format (${CHAINS_FORMATS.join(', ')})`);
  }
  const buildType = config.buildType || SLSA_BUILD_TYPE;
  if (isSlsaV1Format(config.format) && buildType !== SLSA_BUILD_TYPE && buildType !== SLSA_TEKTON_BUILD_TYPE) {
    throw new ChainsProvenanceError(`unsupported buildType "${buildType}"; chains accepts ${SLSA_BUILD_TYPE} or ${SLSA_TEKTON_BUILD_TYPE}`);
  }
  return buildType;
}

function assertTektonV1Run(raw: RunObject, kind: ChainsRunKind): void {
  const apiVersion = field(raw, 'apiVersion');
  if (apiVersion !== undefined && apiVersion !== 'tekton.dev/v1') {
    throw new ChainsProvenanceError(
      `${kind.toLowerCase()} ${stringOf(field(field(raw, 'metadata'), 'name')) || '(unnamed)'} is ${String(apiVersion)}; chains v0.29.2 reads tekton.dev/v1 runs (get it with kubectl get ${kind.toLowerCase()}s.v1.tekton.dev NAME -o json)`,
    );
  }
}

/**
 * Builds the statement Chains v0.29.2 signs for a finished PipelineRun, with the TaskRuns it created (matched
 * to its tasks by the `tekton.dev/pipelineTask` label, as Chains does). Throws ChainsProvenanceError where
 * Chains would fail (a malformed imageID, a param without a value, an unknown format or build type).
 */
export function buildPipelineRunProvenance(
  pipelineRun: RunObject,
  taskRuns: readonly RunObject[],
  config: ChainsProvenanceConfig,
): ProvenanceStatement {
  const buildType = requireBuildType(config);
  assertTektonV1Run(pipelineRun, 'PipelineRun');
  taskRuns.forEach((tr) => assertTektonV1Run(tr, 'TaskRun'));
  const pr = new PipelineRunView(
    pipelineRun,
    taskRuns.map((tr) => new Run(tr, 'TaskRun')),
  );
  if (!isSlsaV1Format(config.format)) return v02PipelineRun(pr, config);
  return slsaV1Statement(
    pr,
    buildType,
    config,
    pipelineRunSubjects(pr, config),
    pipelineRunDependencies(pr, config, buildType),
    pipelineRunByproducts(pr, config),
  );
}

/** Builds the statement Chains v0.29.2 signs for a finished TaskRun (`artifacts.taskrun.format`). */
export function buildTaskRunProvenance(taskRun: RunObject, config: ChainsProvenanceConfig): ProvenanceStatement {
  const buildType = requireBuildType(config);
  assertTektonV1Run(taskRun, 'TaskRun');
  const tr = new Run(taskRun, 'TaskRun');
  if (!isSlsaV1Format(config.format)) return v02TaskRun(tr, config);
  const subjects = config.format === 'slsa/v2alpha4' ? v2alpha4TaskRunSubjects(tr) : ownSubjects(tr.results, config.format);
  return slsaV1Statement(tr, buildType, config, subjects, taskRunDependencies(tr, config), taskRunByproducts(tr, config.format));
}

/** What `chainsProvenance` needs beyond the run. */
export interface ChainsProvenanceInput extends ChainsProvenanceConfig {
  /** The kind, where the object has none (Chains' test data). @default the object's `kind` */
  readonly kind?: ChainsRunKind;
  /** A PipelineRun's TaskRuns (others are ignored by their label). @default [] */
  readonly taskRuns?: readonly RunObject[];
  /**
   * Build the statement even where `status.childReferences` names TaskRuns that `taskRuns` lacks, as Chains
   * does once they are deleted (their images, sources and results are then missing). @default false
   */
  readonly ignoreMissingTaskRuns?: boolean;
}

/**
 * The statement Chains v0.29.2 would sign for `run`, a PipelineRun or TaskRun as `kubectl get -o json`
 * prints it (the library behind `slsa-for-models provenance`). The annotations Chains adds once it has signed
 * the run itself are ignored, so a signed run gives the statement it was signed with. A PipelineRun whose `status.childReferences`
 * names TaskRuns that `taskRuns` lacks is refused: the statement would be missing their part.
 */
export function chainsProvenance(signedOrNot: RunObject, input: ChainsProvenanceInput): ProvenanceStatement {
  // A run Chains has signed carries the annotations of that signing, which it did not have when signed.
  const run = withoutChainsResultAnnotations(signedOrNot);
  const declared = field(run, 'kind');
  if (declared !== undefined && input.kind !== undefined && declared !== input.kind) {
    throw new ChainsProvenanceError(`the object is a ${String(declared)}, not a ${input.kind}`);
  }
  const kind = (declared ?? input.kind) as string | undefined;
  if (kind === undefined) throw new ChainsProvenanceError('the object has no kind; say which it is (PipelineRun or TaskRun)');
  if (kind === 'TaskRun') return buildTaskRunProvenance(run, input);
  if (kind !== 'PipelineRun') throw new ChainsProvenanceError(`the object is a ${kind}; chains signs PipelineRuns and TaskRuns`);
  const taskRuns = input.taskRuns ?? [];
  const names = new Set(taskRuns.map((tr) => stringOf(field(field(tr, 'metadata'), 'name'))));
  const missing = list(field(field(run, 'status'), 'childReferences'))
    .filter((ref) => (field(ref, 'kind') ?? 'TaskRun') === 'TaskRun')
    .map((ref) => stringOf(field(ref, 'name')))
    .filter((name) => name !== '' && !names.has(name));
  if (missing.length > 0 && !input.ignoreMissingTaskRuns) {
    const runName = stringOf(field(field(run, 'metadata'), 'name')) || '(unnamed)';
    throw new ChainsProvenanceError(
      `pipelinerun ${runName}: child TaskRun ${missing.join(', ')} (status.childReferences) is not among the TaskRuns given; pass them with --taskruns (kubectl get taskruns -l tekton.dev/pipelineRun=${runName} -o json)`,
    );
  }
  return buildPipelineRunProvenance(run, taskRuns, input);
}
