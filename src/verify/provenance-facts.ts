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

/** What a SLSA provenance predicate says about the build, as far as it says it. */
export interface ProvenanceFacts {
  /** runDetails.builder.id (v1) or builder.id (v0.2). */
  readonly builderId?: string;
  /** buildDefinition.buildType (v1) or buildType (v0.2). */
  readonly buildType?: string;
  /** runDetails.metadata.invocationId (v1) or metadata.buildInvocationId (v0.2): Chains writes the run's uid. */
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
}

/** Reads the facts of a SLSA provenance v1, v0.2 or v0.1 predicate; other predicate types yield no facts. */
export function readProvenanceFacts(statement: InTotoStatement): ProvenanceFacts {
  const predicate = asObject(statement.predicate);
  if (statement.predicateType === SLSA_PROVENANCE_V1) return readV1(predicate);
  if (statement.predicateType === SLSA_PROVENANCE_V02 || statement.predicateType === SLSA_PROVENANCE_V01) return readV02(predicate);
  return { dependencies: [] };
}

function readV1(predicate: Record<string, unknown>): ProvenanceFacts {
  const definition = asObject(predicate.buildDefinition);
  const run = asObject(predicate.runDetails);
  const metadata = asObject(run.metadata);
  const runSpec = asObject(asObject(definition.externalParameters).runSpec);
  return compact({
    builderId: asString(asObject(run.builder).id),
    buildType: asString(definition.buildType),
    invocationId: asString(metadata.invocationId),
    startedOn: asString(metadata.startedOn),
    finishedOn: asString(metadata.finishedOn),
    dependencies: readDependencies(definition.resolvedDependencies),
    params: Array.isArray(runSpec.params) ? paramsFromList(runSpec.params) : undefined,
  });
}

function readV02(predicate: Record<string, unknown>): ProvenanceFacts {
  const invocation = asObject(predicate.invocation);
  const metadata = asObject(predicate.metadata);
  const configSource = readDependencies([invocation.configSource]);
  const parameters = invocation.parameters;
  return compact({
    builderId: asString(asObject(predicate.builder).id),
    buildType: asString(predicate.buildType),
    invocationId: asString(metadata.buildInvocationId),
    startedOn: asString(metadata.buildStartedOn),
    finishedOn: asString(metadata.buildFinishedOn),
    dependencies: [...configSource, ...readDependencies(predicate.materials)],
    params: isObject(parameters) ? new Map(Object.entries(parameters)) : undefined,
  });
}

function paramsFromList(list: readonly unknown[]): ReadonlyMap<string, unknown> {
  const params = new Map<string, unknown>();
  for (const entry of list) {
    const param = asObject(entry);
    if (typeof param.name === 'string' && !params.has(param.name)) params.set(param.name, param.value);
  }
  return params;
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
