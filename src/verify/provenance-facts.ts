import { inputResultsOfByproducts, RecordedInputResult } from '../chains/chains-byproducts';
import { InTotoStatement } from './in-toto-statement';

/** SLSA provenance v1 predicate type. */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** SLSA provenance v0.2 predicate type (Chains `slsa/v1`, `in-toto`). */
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
/** SLSA provenance v0.1 predicate type. */
export const SLSA_PROVENANCE_V01 = 'https://slsa.dev/provenance/v0.1';

/** A source or other input the build used: a v1 resolved dependency, or a v0.2 material/configSource. */
export interface BuildDependency {
  /** Its URI, e.g. `git+https://github.com/org/repo.git@refs/heads/main`. */
  readonly uri: string;
  /** Its digests by algorithm (`sha1`, `gitCommit`, `sha256`, ...). */
  readonly digest: Readonly<Record<string, string>>;
  /** Its name, when the provenance gives one (Chains: `inputs/result`). */
  readonly name?: string;
}

/** The kind of Tekton run a provenance describes. */
export type RunKind = 'PipelineRun' | 'TaskRun';

/** How the run named its pipeline (or task): `runSpec.pipelineRef` as recorded. */
export interface RecordedRef {
  /** `name`, when given (a cluster Pipeline, or the name inside a bundle). */
  readonly name?: string;
  /** `resolver` (`git`, `bundles`, `hub`, `cluster`, `http`), when a remote resolver fetched it. */
  readonly resolver?: string;
  /** The resolver's params (`{name, value}`), by name. */
  readonly params: ReadonlyMap<string, unknown>;
  /** The old `bundle` field (`tekton.dev/v1beta1`), when set. */
  readonly bundle?: string;
}

/** One param as the run's spec lists it, in list order (duplicates kept). */
export interface RecordedParam {
  readonly name: string;
  readonly value: unknown;
}

/** What a SLSA provenance predicate says about the build, as far as it says it. */
export interface ProvenanceFacts {
  /** runDetails.builder.id (v1) or builder.id (v0.2). */
  readonly builderId?: string;
  /** buildDefinition.buildType (v1) or buildType (v0.2). */
  readonly buildType?: string;
  /**
   * runDetails.metadata.invocationId (v1) or metadata.buildInvocationId (v0.2). Chains writes the
   * run's uid here in its SLSA v1.0 formats (`slsa/v2alpha3`, `slsa/v2alpha4`) only; its SLSA v0.2
   * formats (`slsa/v1`, `in-toto`) write none.
   */
  readonly invocationId?: string;
  /** When the build started (RFC 3339 text as recorded). */
  readonly startedOn?: string;
  /** When the build finished (RFC 3339 text as recorded). */
  readonly finishedOn?: string;
  /** resolvedDependencies (v1), or configSource then materials (v0.2). */
  readonly dependencies: readonly BuildDependency[];
  /**
   * The run's params by name, as Chains records them: v1 `externalParameters.runSpec.params`
   * (`[{name, value}]`), v0.2 `invocation.parameters` (`{name: value}`). Undefined when not recorded.
   */
  readonly params?: ReadonlyMap<string, unknown>;
  /** The run's params in the order its spec lists them (v1 only: v0.2 records a map). */
  readonly paramList?: readonly RecordedParam[];
  /** Whether the recorded params include the pipeline's defaults (Chains' v0.2 formats: yes; v1: only what the run set). */
  readonly paramsIncludeDefaults?: boolean;
  /**
   * The kind of run: v1 from `externalParameters.runSpec` (`pipelineRef`/`pipelineSpec` or
   * `taskRef`/`taskSpec`), v0.2 from `buildType` (`tekton.dev/v1/PipelineRun`). Undefined when neither tells.
   */
  readonly runKind?: RunKind;
  /** `runSpec.pipelineRef` (v1), when recorded. */
  readonly pipelineRef?: RecordedRef;
  /** Whether the run embedded its pipeline (`runSpec.pipelineSpec`) instead of referring to one. */
  readonly inlinePipelineSpec?: boolean;
  /**
   * The pipeline's (or task's) own config source: Chains' v1 `pipeline` (or `task`) resolved
   * dependency, or v0.2 `invocation.configSource`. Undefined for a Pipeline read from the cluster.
   */
  readonly configSource?: BuildDependency;
  /**
   * The dependencies that can be the build's source: v1 those named `inputs/result` (Chains'
   * type-hinted inputs) or unnamed (other builders), never Chains' `pipeline`, `pipelineTask`,
   * `task` or `stepAction/...` entries (config sources of the pipeline and its tasks); v0.2 the
   * materials, never the configSource.
   */
  readonly sources: readonly BuildDependency[];
  /**
   * The PipelineRun's `*ARTIFACT_INPUTS` results, by name, as its byproducts record them (v1,
   * Chains' SLSA v1.0 formats): which resolved input is `base-model` or `dataset`. Undefined when
   * the statement records no byproducts (Chains' v0.2 formats), so no input can be told by name.
   */
  readonly inputResults?: readonly RecordedInputResult[];
}

/** The v1 resolved-dependency names that Chains gives the sources of its inputs. Other names are config sources. */
const SOURCE_DEPENDENCY_NAMES: ReadonlySet<string> = new Set(['inputs/result']);

/** Reads the facts of a SLSA provenance v1, v0.2 or v0.1 predicate; other predicate types yield no facts. */
export function readProvenanceFacts(statement: InTotoStatement): ProvenanceFacts {
  const predicate = asObject(statement.predicate);
  if (statement.predicateType === SLSA_PROVENANCE_V1) return readV1(predicate);
  if (statement.predicateType === SLSA_PROVENANCE_V02 || statement.predicateType === SLSA_PROVENANCE_V01) return readV02(predicate);
  return { dependencies: [], sources: [] };
}

function readV1(predicate: Record<string, unknown>): ProvenanceFacts {
  const definition = asObject(predicate.buildDefinition);
  const run = asObject(predicate.runDetails);
  const metadata = asObject(run.metadata);
  const runSpec = asObject(asObject(definition.externalParameters).runSpec);
  const dependencies = readDependencies(definition.resolvedDependencies);
  const paramList = Array.isArray(runSpec.params) ? recordedParams(runSpec.params) : undefined;
  const runKind: RunKind | undefined =
    isObject(runSpec.pipelineRef) || isObject(runSpec.pipelineSpec)
      ? 'PipelineRun'
      : isObject(runSpec.taskRef) || isObject(runSpec.taskSpec)
        ? 'TaskRun'
        : undefined;
  const configName = runKind === 'TaskRun' ? 'task' : 'pipeline';
  return compact({
    builderId: asString(asObject(run.builder).id),
    buildType: asString(definition.buildType),
    invocationId: asString(metadata.invocationId),
    startedOn: asString(metadata.startedOn),
    finishedOn: asString(metadata.finishedOn),
    dependencies,
    params: paramList === undefined ? undefined : paramsFromList(paramList),
    paramList,
    paramsIncludeDefaults: false,
    runKind,
    pipelineRef: isObject(runSpec.pipelineRef) ? readRef(runSpec.pipelineRef) : undefined,
    inlinePipelineSpec: runKind === 'PipelineRun' ? isObject(runSpec.pipelineSpec) : undefined,
    configSource: dependencies.find((dependency) => dependency.name === configName),
    sources: dependencies.filter((dependency) => dependency.name === undefined || SOURCE_DEPENDENCY_NAMES.has(dependency.name)),
    inputResults: inputResultsOfByproducts(run.byproducts),
  });
}

function readV02(predicate: Record<string, unknown>): ProvenanceFacts {
  const invocation = asObject(predicate.invocation);
  const metadata = asObject(predicate.metadata);
  const configSource = readDependencies([invocation.configSource]);
  const materials = readDependencies(predicate.materials);
  const parameters = invocation.parameters;
  const buildType = asString(predicate.buildType);
  const kind = /\/(PipelineRun|TaskRun)$/.exec(buildType ?? '')?.[1] as RunKind | undefined;
  return compact({
    builderId: asString(asObject(predicate.builder).id),
    buildType,
    invocationId: asString(metadata.buildInvocationId),
    startedOn: asString(metadata.buildStartedOn),
    finishedOn: asString(metadata.buildFinishedOn),
    dependencies: [...configSource, ...materials],
    params: isObject(parameters) ? new Map(Object.entries(parameters)) : undefined,
    paramsIncludeDefaults: isObject(parameters) ? true : undefined,
    runKind: kind,
    configSource: configSource[0],
    sources: materials,
  });
}

function recordedParams(list: readonly unknown[]): RecordedParam[] {
  const params: RecordedParam[] = [];
  for (const entry of list) {
    const param = asObject(entry);
    if (typeof param.name === 'string') params.push({ name: param.name, value: param.value });
  }
  return params;
}

function paramsFromList(list: readonly RecordedParam[]): ReadonlyMap<string, unknown> {
  const params = new Map<string, unknown>();
  for (const param of list) if (!params.has(param.name)) params.set(param.name, param.value);
  return params;
}

function readRef(ref: Record<string, unknown>): RecordedRef {
  const params = new Map<string, unknown>();
  if (Array.isArray(ref.params))
    for (const param of recordedParams(ref.params)) if (!params.has(param.name)) params.set(param.name, param.value);
  const name = asString(ref.name);
  const resolver = asString(ref.resolver);
  const bundle = asString(ref.bundle);
  return {
    ...(name === undefined || name === '' ? {} : { name }),
    ...(resolver === undefined || resolver === '' ? {} : { resolver }),
    params,
    ...(bundle === undefined || bundle === '' ? {} : { bundle }),
  };
}

function readDependencies(list: unknown): BuildDependency[] {
  if (!Array.isArray(list)) return [];
  const dependencies: BuildDependency[] = [];
  for (const entry of list) {
    const dependency = asObject(entry);
    const uri = asString(dependency.uri);
    if (uri === undefined || uri === '') continue;
    const digest: Record<string, string> = Object.create(null);
    for (const [algorithm, value] of Object.entries(asObject(dependency.digest))) {
      if (typeof value === 'string') digest[algorithm] = value;
    }
    const name = asString(dependency.name);
    dependencies.push(name === undefined ? { uri, digest } : { uri, digest, name });
  }
  return dependencies;
}

function compact(facts: { -readonly [K in keyof ProvenanceFacts]: ProvenanceFacts[K] }): ProvenanceFacts {
  for (const key of Object.keys(facts) as (keyof ProvenanceFacts)[]) {
    if (facts[key] === undefined) delete facts[key];
  }
  return facts;
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
