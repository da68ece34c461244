import { BuildDependency, ProvenanceFacts } from './provenance-facts';
import { AttestationRejectedError } from './verification-errors';

/** A param the run must have had: `NAME=VALUE`, or `NAME.KEY=VALUE` for one key of an object param. */
export interface RequiredParam {
  /** The param name, or `name.key` for a key of an object-typed param. */
  readonly name: string;
  /** The value it must have had (arrays and objects: their JSON text). */
  readonly value: string;
}

/** What a deploy gate requires of the provenance beyond a valid signature and subject. */
export interface ProvenancePolicy {
  /** The builder id must equal this exactly (Chains: `https://tekton.dev/chains/v2`, or its `builder.id` setting). */
  readonly builderId?: string;
  /** A resolved dependency (v1) or material (v0.2) must have this URI, ignoring `@ref`, `.git` and a `git+` prefix unless given. */
  readonly sourceUri?: string;
  /** That dependency (or, without `sourceUri`, any) must have this git commit (`sha1` or `gitCommit` digest). */
  readonly sourceDigest?: string;
  /** Params the run must have had, as recorded in externalParameters (v1) or invocation.parameters (v0.2). */
  readonly params?: readonly RequiredParam[];
}

/** Reads `NAME=VALUE` as a {@link RequiredParam}; `undefined` when there is no `=` or no name. */
export function parseRequiredParam(text: string): RequiredParam | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  return { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/**
 * Checks the provenance facts against a policy and returns the source dependency it settled on
 * (the one matching `sourceUri`, or the first git dependency). Throws
 * {@link AttestationRejectedError} with one line naming the first rule not met.
 */
export function enforceProvenancePolicy(facts: ProvenanceFacts, policy: ProvenancePolicy): BuildDependency | undefined {
  if (policy.builderId !== undefined && facts.builderId !== policy.builderId) {
    throw new AttestationRejectedError(facts.builderId === undefined
      ? `the provenance records no builder id (required: ${policy.builderId})`
      : `builder id is ${facts.builderId}, not ${policy.builderId}`);
  }
  let source = findSourceDependency(facts, policy.sourceUri);
  if (policy.sourceUri !== undefined && source === undefined) {
    throw new AttestationRejectedError(`no resolved dependency has source uri ${policy.sourceUri} (recorded: ${listUris(facts.dependencies)})`);
  }
  if (policy.sourceDigest !== undefined) {
    const wanted = policy.sourceDigest.toLowerCase();
    const candidates = policy.sourceUri !== undefined
      ? facts.dependencies.filter(dependency => sourceUriMatches(dependency.uri, policy.sourceUri!))
      : facts.dependencies;
    const matching = candidates.find(dependency => gitCommitOf(dependency)?.toLowerCase() === wanted);
    if (!matching) {
      const commits = candidates.map(gitCommitOf).filter((commit): commit is string => commit !== undefined);
      const where = policy.sourceUri !== undefined ? `source ${policy.sourceUri}` : 'the provenance';
      throw new AttestationRejectedError(commits.length === 0
        ? `${where} records no git commit (required: ${policy.sourceDigest})`
        : `${where} is at commit ${commits.join(', ')}, not ${policy.sourceDigest}`);
    }
    source = matching;
  }
  for (const required of policy.params ?? []) checkParam(facts, required);
  return source;
}

/** The git commit a dependency records: its `sha1` digest, or `gitCommit` (Cloud Build). */
export function gitCommitOf(dependency: BuildDependency): string | undefined {
  return dependency.digest.sha1 ?? dependency.digest.gitCommit;
}

/**
 * Whether a recorded dependency URI names the source a user asked for. Both sides drop a
 * `git+` prefix, a trailing `/` and `.git`; the recorded `@ref` is ignored unless the request names one.
 */
export function sourceUriMatches(recorded: string, requested: string): boolean {
  const have = splitSourceUri(recorded);
  const want = splitSourceUri(requested);
  return have.base === want.base && (want.ref === undefined || want.ref === have.ref);
}

/**
 * The dependency that is the build's source: the one matching `sourceUri` (preferring one with a
 * git commit), or without it the first dependency with a git commit, `git+` URIs first.
 */
export function findSourceDependency(facts: ProvenanceFacts, sourceUri?: string): BuildDependency | undefined {
  if (sourceUri !== undefined) {
    const matches = facts.dependencies.filter(dependency => sourceUriMatches(dependency.uri, sourceUri));
    return matches.find(dependency => gitCommitOf(dependency) !== undefined) ?? matches[0];
  }
  const withCommit = facts.dependencies.filter(dependency => gitCommitOf(dependency) !== undefined);
  return withCommit.find(dependency => dependency.uri.startsWith('git+')) ?? withCommit[0];
}

function splitSourceUri(uri: string): { base: string; ref?: string } {
  let text = uri.trim();
  let ref: string | undefined;
  const scheme = text.indexOf('://');
  const pathStart = text.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (pathStart !== -1) {
    const at = text.indexOf('@', pathStart);
    if (at !== -1) {
      ref = text.slice(at + 1);
      text = text.slice(0, at);
    }
  }
  const base = text.replace(/^git\+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  return ref === undefined ? { base } : { base, ref };
}

function checkParam(facts: ProvenanceFacts, required: RequiredParam): void {
  const params = facts.params;
  if (params === undefined) {
    throw new AttestationRejectedError(`the provenance records no run params (required: ${required.name}=${required.value})`);
  }
  if (params.has(required.name)) {
    const actual = params.get(required.name);
    if (isObject(actual)) {
      throw new AttestationRejectedError(`param ${required.name} is an object; require one key with --param ${required.name}.KEY=VALUE`);
    }
    if (!valueMatches(actual, required.value)) {
      throw new AttestationRejectedError(`param ${required.name} is ${render(actual)}, not ${JSON.stringify(required.value)}`);
    }
    return;
  }
  for (let dot = required.name.lastIndexOf('.'); dot > 0; dot = required.name.lastIndexOf('.', dot - 1)) {
    const name = required.name.slice(0, dot);
    const key = required.name.slice(dot + 1);
    const object = params.get(name);
    if (!isObject(object)) continue;
    if (!Object.prototype.hasOwnProperty.call(object, key)) {
      throw new AttestationRejectedError(`param ${name} has no key ${JSON.stringify(key)} (keys: ${Object.keys(object).join(', ') || 'none'})`);
    }
    if (!valueMatches(object[key], required.value)) {
      throw new AttestationRejectedError(`param ${required.name} is ${render(object[key])}, not ${JSON.stringify(required.value)}`);
    }
    return;
  }
  const recorded = [...params.keys()];
  throw new AttestationRejectedError(`param ${required.name} is not recorded (params: ${recorded.join(', ') || 'none'})`);
}

function valueMatches(actual: unknown, wanted: string): boolean {
  if (typeof actual === 'string') return actual === wanted;
  return actual !== undefined && JSON.stringify(actual) === wanted;
}

function render(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function listUris(dependencies: readonly BuildDependency[]): string {
  return dependencies.length === 0 ? 'none' : dependencies.map(dependency => dependency.uri).join(', ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
