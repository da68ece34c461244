import { BuildDependency, ProvenanceFacts, RecordedParam, RecordedRef, RunKind } from './provenance-facts';
import { AttestationRejectedError } from './verification-errors';

/**
 * A param the run must have had: `NAME=VALUE`, or `NAME.KEY=VALUE` for one key of an object
 * param. For a whole object or array param, VALUE is its JSON (object keys in any order).
 */
export interface RequiredParam {
  /** The param name, or `name.key` for a key of an object-typed param. */
  readonly name: string;
  /** The value it must have had (arrays and objects: their JSON text). */
  readonly value: string;
}

/** A param as the pipeline declares it (`spec.params[]` of the Pipeline): its name, type and default. */
export interface DeclaredParam {
  /** The param's name. */
  readonly name: string;
  /** `string`, `array` or `object`. @default 'string' (or the default's own type) */
  readonly type?: 'string' | 'array' | 'object';
  /** Its default (a string, a list of strings, or an object of strings); undefined when it has none. */
  readonly default?: unknown;
}

/** Which pipeline must have run. */
export interface PipelinePolicy {
  /** `runSpec.pipelineRef.name` must equal this (the Pipeline's name, on the cluster or in a bundle). */
  readonly name?: string;
  /** `runSpec.pipelineRef.resolver` must equal this; `''` requires no resolver (a Pipeline of the cluster). */
  readonly resolver?: string;
  /** The bundle the pipeline came from must be pinned by this digest (`sha256:HEX`): the `bundle` resolver param, or the old `bundle` field, ends in `@DIGEST`. */
  readonly bundleDigest?: string;
  /** The pipeline's config source (Chains' `pipeline` dependency; v0.2 `invocation.configSource`) must have this digest (`ALG:HEX`, or HEX for any algorithm). */
  readonly configSourceDigest?: string;
  /** Refuse a run that embeds its pipeline (`runSpec.pipelineSpec`) instead of referring to one. @default false */
  readonly forbidInlineSpec?: boolean;
  /**
   * The pipeline must be a Pipeline of the cluster in this namespace: a `pipelineRef` with no
   * resolver, when the run is known to have run in this namespace ({@link PolicyContext.runNamespace}:
   * Tekton resolves such a reference in the run's own namespace), or one through Tekton's `cluster`
   * resolver with `kind: pipeline` and `namespace` this one (as Pipelines-as-Code leaves it). Any
   * other resolver is refused. Goes without `resolver`.
   */
  readonly clusterNamespace?: string;
  /**
   * The pipeline's param declarations. The run's params are then judged as the run saw them: the
   * defaults fill what the run did not set (object params key by key, as Tekton merges them), and
   * a recorded param the pipeline does not declare is refused.
   */
  readonly params?: readonly DeclaredParam[];
}

/** When the build must have happened. Times are RFC 3339, as provenance records them. */
export interface TimePolicy {
  /** The build must have finished at most this many seconds before `now`. */
  readonly maxAgeSeconds?: number;
  /** The build must have started at or after this time (RFC 3339 text or a Date). */
  readonly notBefore?: string | Date;
  /** What "now" is. @default the current time */
  readonly now?: Date;
  /** How far in the future a recorded time may be (clock skew between cluster and gate), in seconds. @default 300 */
  readonly clockSkewSeconds?: number;
}

/** What the subjects of the statement must be. */
export interface SubjectPolicy {
  /** The matched subject's name must equal this (Chains: the artifact's URI). */
  readonly name?: string;
  /** The matched subject's name must start with this (e.g. the Artifact Registry repository's URI followed by `/`). */
  readonly namePrefix?: string;
  /** The statement must have exactly this many subjects. */
  readonly count?: number;
}

/**
 * An input the build must have used, by name and digest: the PipelineRun result
 * `<name>_ARTIFACT_INPUTS` (or `<name>-ARTIFACT_INPUTS`) that Chains records as a resolved
 * dependency (`inputs/result`) and, under its name, as a byproduct.
 */
export interface RequiredDependency {
  /** The input's name, e.g. `base-model` or `dataset` (`source` for the git source's `source_ARTIFACT_INPUTS`). */
  readonly name: string;
  /** Its digest, `ALG:HEX` (e.g. `sha256:…`; a directory model's is its OMS root digest). */
  readonly digest: string;
}

/**
 * What a deploy gate requires of the provenance beyond a valid signature and subject. Every field
 * is optional; what is not given is not checked. A policy file maps onto this object field by field.
 */
export interface ProvenancePolicy {
  /** The builder id must equal this exactly (Chains: `https://tekton.dev/chains/v2`, or its `builder.id` setting). */
  readonly builderId?: string;
  /** The build type must be one of these (Chains v1 formats: `https://tekton.dev/chains/v2/slsa` or `.../slsa-tekton`; v0.2: `tekton.dev/v1/PipelineRun`). */
  readonly buildTypes?: readonly string[];
  /** The kind of run the provenance must describe (v1: from its runSpec; v0.2: from its build type). */
  readonly runKind?: RunKind;
  /** Which pipeline must have run. */
  readonly pipeline?: PipelinePolicy;
  /**
   * The build's source (a type-hinted input, Chains' `inputs/result`; v0.2 a material) must have this URI,
   * ignoring `.git`, a trailing `/` and a `git+` prefix; a recorded `@ref` is ignored unless given.
   */
  readonly sourceUri?: string;
  /** That source (or, without `sourceUri`, any source) must have this git commit (`sha1` or `gitCommit` digest). */
  readonly sourceDigest?: string;
  /** Every git source the build used must match one of these URIs (as `sourceUri` matches). */
  readonly allowedSourceUris?: readonly string[];
  /** Inputs the build must have used, each by name and digest (Chains' SLSA v1.0 formats record the names). */
  readonly dependencies?: readonly RequiredDependency[];
  /**
   * Every type-hinted input of the build (Chains' `inputs/result` dependencies) must be a listed
   * dependency, or a git source that `sourceUri` or `allowedSourceUris` names. @default false
   */
  readonly onlyListedDependencies?: boolean;
  /** Params the run must have had, as recorded in externalParameters (v1) or invocation.parameters (v0.2). */
  readonly params?: readonly RequiredParam[];
  /** Refuse any recorded param whose name has a `.` (such a name can shadow a key of an object param). @default false */
  readonly forbidDottedParams?: boolean;
  /** What the subjects must be. */
  readonly subject?: SubjectPolicy;
  /** When the build must have happened; recorded times must be RFC 3339 and in order in any case. */
  readonly time?: TimePolicy;
  /** The run's invocation id (Chains: the run's uid, in its SLSA v1.0 formats only) must equal this. */
  readonly invocationId?: string;
  /** Refuse a provenance that records no invocation id. @default false */
  readonly requireInvocationId?: boolean;
  /**
   * The run must have succeeded. Chains signs finished runs whether they succeeded or not, and its
   * provenance does not record the outcome: it is read from the PipelineRun given to the verifier
   * (its `status.conditions`, which are not signed); without one the policy cannot be met.
   */
  readonly requireSucceeded?: boolean;
}

/** What the verifier knows beside the statement: the run it was taken from, and the subject that matched. */
export interface PolicyContext {
  /** The outcome of the run, from the PipelineRun's `Succeeded` condition, when a PipelineRun was given. */
  readonly runOutcome?: 'succeeded' | 'failed' | 'running' | 'unknown';
  /** The subject whose digest matched the model (undefined when claims were not checked). */
  readonly matchedSubjectName?: string;
  /** How many subjects the statement has. */
  readonly subjectCount?: number;
  /** The namespace the run ran in, from the PipelineRun given to the verifier (not signed; its uid binds it to the statement). */
  readonly runNamespace?: string;
}

/** Reads `NAME=VALUE` as a {@link RequiredParam}; `undefined` when there is no `=` or no name. */
export function parseRequiredParam(text: string): RequiredParam | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  return { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/**
 * Checks the provenance facts against a policy and returns the source dependency it settled on
 * (the one matching `sourceUri`, or the first git source). Throws
 * {@link AttestationRejectedError} with one line naming the first rule not met.
 */
export function enforceProvenancePolicy(
  facts: ProvenanceFacts,
  policy: ProvenancePolicy,
  context: PolicyContext = {},
): BuildDependency | undefined {
  assertTimesAreSane(facts);
  if (policy.builderId !== undefined && facts.builderId !== policy.builderId) {
    reject(
      facts.builderId === undefined
        ? `the provenance records no builder id (required: ${policy.builderId})`
        : `builder id is ${facts.builderId}, not ${policy.builderId}`,
    );
  }
  if (policy.buildTypes !== undefined && (facts.buildType === undefined || !policy.buildTypes.includes(facts.buildType))) {
    reject(`build type is ${facts.buildType ?? 'not recorded'}, not ${policy.buildTypes.join(' or ') || '(none allowed)'}`);
  }
  if (policy.runKind !== undefined && facts.runKind !== policy.runKind) {
    reject(
      facts.runKind === undefined
        ? `the provenance does not say which kind of run it describes (required: a ${policy.runKind})`
        : `the provenance describes a ${facts.runKind}, not a ${policy.runKind}`,
    );
  }
  if (policy.pipeline !== undefined) assertPipeline(facts, policy.pipeline, context);
  assertInvocation(facts, policy);
  if (policy.requireSucceeded) assertOutcome(context);
  if (policy.subject !== undefined) assertSubject(policy.subject, context);
  if (policy.time !== undefined) assertTime(facts, policy.time);
  const source = requireSource(facts, policy);
  if (policy.allowedSourceUris !== undefined) assertAllowedSources(facts, policy.allowedSourceUris);
  assertDependencies(facts, policy);
  assertParams(facts, policy);
  return source;
}

function reject(message: string): never {
  throw new AttestationRejectedError(message);
}

/** The git commit a dependency records: its `sha1` digest, or `gitCommit` (Cloud Build). */
export function gitCommitOf(dependency: BuildDependency): string | undefined {
  return dependency.digest.sha1 ?? dependency.digest.gitCommit;
}

/**
 * Whether a recorded dependency URI names the source a user asked for. Both sides drop a
 * `git+` prefix, a trailing `/` and `.git`; the recorded `@ref` is ignored unless the request
 * names one. A ref is read only as git+ URIs write it (see {@link splitSourceUri}).
 */
export function sourceUriMatches(recorded: string, requested: string): boolean {
  const have = splitSourceUri(recorded);
  const want = splitSourceUri(requested);
  return have.base === want.base && (want.ref === undefined || want.ref === have.ref);
}

/**
 * The dependency that is the build's source: among {@link ProvenanceFacts.sources}, the one
 * matching `sourceUri` (preferring one with a git commit), or without it the first with a git
 * commit, `git+` URIs first. Never a config source (the pipeline's, a task's or a step action's).
 */
export function findSourceDependency(facts: ProvenanceFacts, sourceUri?: string): BuildDependency | undefined {
  if (sourceUri !== undefined) {
    const matches = facts.sources.filter((dependency) => sourceUriMatches(dependency.uri, sourceUri));
    return matches.find((dependency) => gitCommitOf(dependency) !== undefined) ?? matches[0];
  }
  const withCommit = facts.sources.filter((dependency) => gitCommitOf(dependency) !== undefined);
  return withCommit.find((dependency) => dependency.uri.startsWith('git+')) ?? withCommit[0];
}

/**
 * Splits `@ref` off a source URI only where a git+ URI writes one: after the last `@` of the path,
 * when the part before it ends in `.git` (`git+https://host/org/repo.git@refs/heads/main`) or the
 * ref is a full ref name or a commit (`...repo@refs/heads/main`, `...repo@89abcdef...`). An `@`
 * elsewhere is part of the path: `.../model-project@evil.git` is not `.../model-project`.
 */
function splitSourceUri(uri: string): { base: string; ref?: string } {
  let text = uri.trim();
  let ref: string | undefined;
  const scheme = text.indexOf('://');
  const pathStart = text.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (pathStart !== -1) {
    const at = text.lastIndexOf('@');
    if (at > pathStart) {
      const before = text.slice(0, at);
      const after = text.slice(at + 1);
      if (/\.git$/.test(before) || /^refs\/\S+$/.test(after) || /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(after)) {
        ref = after;
        text = before;
      }
    }
  }
  const base = text
    .replace(/^git\+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  return ref === undefined ? { base } : { base, ref };
}

function requireSource(facts: ProvenanceFacts, policy: ProvenancePolicy): BuildDependency | undefined {
  let source = findSourceDependency(facts, policy.sourceUri);
  if (policy.sourceUri !== undefined && source === undefined) {
    const others = facts.dependencies.filter(
      (dependency) => !facts.sources.includes(dependency) && sourceUriMatches(dependency.uri, policy.sourceUri!),
    );
    const hint = others.length > 0 ? `; ${others[0].uri} is recorded as ${describeRole(others[0])}, not as the build's source` : '';
    reject(`no resolved dependency has source uri ${policy.sourceUri} (recorded: ${listUris(facts.sources)})${hint}`);
  }
  if (policy.sourceDigest !== undefined) {
    const wanted = policy.sourceDigest.toLowerCase();
    const candidates =
      policy.sourceUri !== undefined
        ? facts.sources.filter((dependency) => sourceUriMatches(dependency.uri, policy.sourceUri!))
        : facts.sources;
    const matching = candidates.find((dependency) => gitCommitOf(dependency)?.toLowerCase() === wanted);
    if (!matching) {
      const commits = candidates.map(gitCommitOf).filter((commit): commit is string => commit !== undefined);
      const where = policy.sourceUri !== undefined ? `source ${policy.sourceUri}` : 'the provenance';
      reject(
        commits.length === 0
          ? `${where} records no git commit (required: ${policy.sourceDigest})`
          : `${where} is at commit ${commits.slice(0, 5).join(', ')}, not ${policy.sourceDigest}`,
      );
    }
    source = matching;
  }
  return source;
}

/** Chains' name for the resolved dependencies it derives from type-hinted inputs (`*ARTIFACT_INPUTS`, `CHAINS-GIT_*`). */
const TYPE_HINTED_INPUT = 'inputs/result';

/**
 * Each required dependency: the PipelineRun result of that name (a byproduct) has the digest, and
 * Chains recorded it as a resolved input; with `onlyListedDependencies`, no other input.
 */
function assertDependencies(facts: ProvenanceFacts, policy: ProvenancePolicy): void {
  const required = policy.dependencies ?? [];
  if (required.length === 0 && !policy.onlyListedDependencies) return;
  const inputs = facts.dependencies.filter((dependency) => dependency.name === TYPE_HINTED_INPUT);
  const listed: BuildDependency[] = [];
  for (const want of required) {
    const [algorithm, hex] = splitDigest(want.digest);
    if (facts.inputResults === undefined)
      reject(
        `the provenance does not record its inputs by name, so input ${want.name} cannot be told (Chains records result names as byproducts in its SLSA v1.0 formats, slsa/v2alpha3 and slsa/v2alpha4)`,
      );
    const named = facts.inputResults.filter((input) => input.name === want.name);
    if (named.length === 0)
      reject(
        `the provenance records no input named ${want.name} (a ${want.name}_ARTIFACT_INPUTS result; recorded: ${facts.inputResults.map((input) => input.name).join(', ') || 'none'})`,
      );
    if (named.length > 1) reject(`the provenance records input ${want.name} ${named.length} times: which one was used cannot be told`);
    const input = named[0];
    const recorded = input.digest[algorithm];
    if (recorded?.toLowerCase() !== hex) {
      const have = Object.entries(input.digest).map(([alg, value]) => `${alg}:${value}`);
      reject(`input ${want.name} (${input.uri}) has digest ${have.join(', ') || 'none valid'}, not ${want.digest}`);
    }
    const dependency = inputs.find((d) => d.uri === input.uri && d.digest[algorithm]?.toLowerCase() === hex);
    if (dependency === undefined)
      reject(`input ${want.name} (${input.uri} ${want.digest}) is not among the provenance's resolved dependencies`);
    listed.push(dependency);
  }
  if (!policy.onlyListedDependencies) return;
  if (!facts.dependencies.some((dependency) => dependency.name !== undefined))
    reject('the provenance names none of its dependencies, so its inputs cannot be told from its images (SLSA v0.2 materials)');
  const sourceUris = [...(policy.sourceUri === undefined ? [] : [policy.sourceUri]), ...(policy.allowedSourceUris ?? [])];
  for (const dependency of inputs) {
    if (listed.includes(dependency)) continue;
    if (gitCommitOf(dependency) !== undefined && sourceUris.some((uri) => sourceUriMatches(dependency.uri, uri))) continue;
    const digest = Object.entries(dependency.digest).map(([alg, value]) => `${alg}:${value}`);
    const names = required.map((d) => d.name);
    reject(
      `input ${dependency.uri} ${digest.join(', ')} is not listed by the policy (listed: ${[...names, ...sourceUris].join(', ') || 'none'})`,
    );
  }
}

/** `ALG:HEX` as a lowercase algorithm and hex. */
function splitDigest(digest: string): [string, string] {
  const colon = digest.indexOf(':');
  return [digest.slice(0, colon).toLowerCase(), digest.slice(colon + 1).toLowerCase()];
}

/** Whether `text` is a digest a dependency can be required by: `ALG:HEX`. */
export function isDependencyDigest(text: string): boolean {
  return /^(sha1:[0-9a-fA-F]{40}|sha256:[0-9a-fA-F]{64}|sha384:[0-9a-fA-F]{96}|sha512:[0-9a-fA-F]{128})$/.test(text);
}

function describeRole(dependency: BuildDependency): string {
  return dependency.name === undefined ? "the pipeline's config source" : `"${dependency.name}" (a config source)`;
}

function assertAllowedSources(facts: ProvenanceFacts, allowed: readonly string[]): void {
  for (const dependency of facts.sources) {
    const isGit = dependency.uri.startsWith('git+') || gitCommitOf(dependency) !== undefined;
    if (isGit && !allowed.some((uri) => sourceUriMatches(dependency.uri, uri))) {
      reject(`git source ${dependency.uri} is not an allowed source (allowed: ${allowed.join(', ') || 'none'})`);
    }
  }
}

function assertPipeline(facts: ProvenanceFacts, policy: PipelinePolicy, context: PolicyContext): void {
  const ref = facts.pipelineRef;
  const needsRef =
    policy.name !== undefined ||
    policy.resolver !== undefined ||
    policy.bundleDigest !== undefined ||
    policy.clusterNamespace !== undefined;
  if (policy.forbidInlineSpec && facts.inlinePipelineSpec)
    reject('the run embeds its pipeline (runSpec.pipelineSpec) instead of referring to one');
  if (needsRef && ref === undefined) {
    reject(
      facts.inlinePipelineSpec
        ? 'the run embeds its pipeline (runSpec.pipelineSpec); the policy names the pipeline that must run'
        : 'the provenance records no runSpec.pipelineRef (which pipeline ran is not known)',
    );
  }
  if (policy.name !== undefined) {
    const name = ref!.name ?? (typeof ref!.params.get('name') === 'string' ? (ref!.params.get('name') as string) : undefined);
    if (name !== policy.name)
      reject(
        `the run's pipelineRef names ${name === undefined ? 'no pipeline' : `pipeline ${JSON.stringify(name)}`}, not ${JSON.stringify(policy.name)}`,
      );
  }
  if (policy.clusterNamespace !== undefined) assertClusterPipeline(ref!, policy.clusterNamespace, context);
  if (policy.resolver !== undefined && (ref!.resolver ?? '') !== policy.resolver) {
    reject(
      `the run's pipeline came ${ref!.resolver === undefined ? 'from the cluster (no resolver)' : `through resolver ${JSON.stringify(ref!.resolver)}`}, not ${policy.resolver === '' ? 'from the cluster' : `resolver ${JSON.stringify(policy.resolver)}`}`,
    );
  }
  if (policy.bundleDigest !== undefined) {
    const bundle =
      ref!.bundle ??
      (ref!.resolver === 'bundles' && typeof ref!.params.get('bundle') === 'string' ? (ref!.params.get('bundle') as string) : undefined);
    if (bundle === undefined) reject(`the run's pipeline is not from a bundle (required: a bundle pinned by ${policy.bundleDigest})`);
    if (!bundle.endsWith(`@${policy.bundleDigest}`))
      reject(`the run's pipeline bundle is ${bundle}, not pinned by @${policy.bundleDigest}`);
  }
  if (policy.configSourceDigest !== undefined) {
    const source = facts.configSource;
    if (source === undefined)
      reject(`the provenance records no config source for the pipeline (required digest ${policy.configSourceDigest})`);
    if (!digestMatches(source.digest, policy.configSourceDigest)) {
      const recorded =
        Object.entries(source.digest)
          .map(([algorithm, hex]) => `${algorithm}:${hex}`)
          .join(', ') || 'none';
      reject(`the pipeline's config source ${source.uri} has digest ${recorded}, not ${policy.configSourceDigest}`);
    }
  }
}

/** The pipeline is a Pipeline of the cluster in `namespace` (see {@link PipelinePolicy.clusterNamespace}). */
function assertClusterPipeline(ref: RecordedRef, namespace: string, context: PolicyContext): void {
  if (ref.resolver === undefined) {
    if (context.runNamespace !== namespace)
      reject(
        context.runNamespace === undefined
          ? `the run's pipelineRef has no resolver, so its pipeline is the one in the run's own namespace, which is not known here (give the PipelineRun), not shown to be ${JSON.stringify(namespace)}`
          : `the run's pipelineRef has no resolver, so its pipeline is the one in the run's namespace ${JSON.stringify(context.runNamespace)}, not ${JSON.stringify(namespace)}`,
      );
    return;
  }
  if (ref.resolver !== 'cluster')
    reject(
      `the run's pipeline came through resolver ${JSON.stringify(ref.resolver)}, not from the cluster (namespace ${JSON.stringify(namespace)})`,
    );
  // the resolver's defaults (default-kind, default-namespace) are cluster settings the provenance does not record
  const kind = ref.params.get('kind');
  if (kind !== 'pipeline')
    reject(
      `the run's cluster resolver fetched ${typeof kind === 'string' ? `kind ${JSON.stringify(kind)}` : "a kind it does not record (the resolver's default-kind)"}, not a pipeline`,
    );
  const recorded = ref.params.get('namespace');
  if (recorded !== namespace)
    reject(
      `the run's cluster resolver fetched its pipeline from ${typeof recorded === 'string' && recorded !== '' ? `namespace ${JSON.stringify(recorded)}` : "a namespace it does not record (the resolver's default-namespace)"}, not ${JSON.stringify(namespace)}`,
    );
}

function digestMatches(digest: Readonly<Record<string, string>>, wanted: string): boolean {
  const colon = wanted.indexOf(':');
  if (colon === -1) return Object.values(digest).some((hex) => hex.toLowerCase() === wanted.toLowerCase());
  const algorithm = wanted.slice(0, colon);
  return (
    Object.prototype.hasOwnProperty.call(digest, algorithm) && digest[algorithm].toLowerCase() === wanted.slice(colon + 1).toLowerCase()
  );
}

function assertInvocation(facts: ProvenanceFacts, policy: ProvenancePolicy): void {
  if ((policy.requireInvocationId || policy.invocationId !== undefined) && facts.invocationId === undefined) {
    reject("the provenance records no invocation id (Chains writes the run's uid only in its slsa/v2alpha3 and slsa/v2alpha4 formats)");
  }
  if (policy.invocationId !== undefined && facts.invocationId !== policy.invocationId) {
    reject(`the provenance's invocation id is ${facts.invocationId}, not ${policy.invocationId}`);
  }
}

function assertOutcome(context: PolicyContext): void {
  const outcome = context.runOutcome;
  if (outcome === undefined)
    reject('the run must have succeeded, but the provenance does not record its outcome (give the PipelineRun to read its status)');
  if (outcome !== 'succeeded') reject(`the run did not succeed (its Succeeded condition says ${outcome})`);
}

function assertSubject(policy: SubjectPolicy, context: PolicyContext): void {
  if (policy.count !== undefined && context.subjectCount !== policy.count) {
    reject(`the statement has ${context.subjectCount ?? 0} subjects, not ${policy.count}`);
  }
  if (policy.name === undefined && policy.namePrefix === undefined) return;
  const name = context.matchedSubjectName;
  if (name === undefined) reject('a subject name is required, but no subject was matched to the model (claims not checked)');
  if (policy.name !== undefined && name !== policy.name)
    reject(`the matching subject is ${JSON.stringify(name)}, not ${JSON.stringify(policy.name)}`);
  if (policy.namePrefix !== undefined && !name.startsWith(policy.namePrefix)) {
    reject(`the matching subject ${JSON.stringify(name)} is not under ${JSON.stringify(policy.namePrefix)}`);
  }
}

/** RFC 3339 date-time as provenance records it (protojson writes `Z`; offsets are allowed too). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function parseTime(text: string, field: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) reject(`${field} ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)} is not an RFC 3339 time`);
  return ms;
}

function assertTimesAreSane(facts: ProvenanceFacts): void {
  const started = facts.startedOn === undefined ? undefined : parseTime(facts.startedOn, 'startedOn');
  const finished = facts.finishedOn === undefined ? undefined : parseTime(facts.finishedOn, 'finishedOn');
  if (started !== undefined && finished !== undefined && finished < started) {
    reject(`the build finished (${facts.finishedOn}) before it started (${facts.startedOn})`);
  }
}

function assertTime(facts: ProvenanceFacts, policy: TimePolicy): void {
  const now = (policy.now ?? new Date()).getTime();
  const skew = (policy.clockSkewSeconds ?? 300) * 1000;
  if (facts.startedOn === undefined || facts.finishedOn === undefined) {
    reject(
      `the provenance records no ${facts.startedOn === undefined ? 'startedOn' : 'finishedOn'} time (the policy limits when the build ran)`,
    );
  }
  const started = parseTime(facts.startedOn, 'startedOn');
  const finished = parseTime(facts.finishedOn, 'finishedOn');
  if (finished > now + skew) reject(`the build finished in the future (${facts.finishedOn})`);
  if (policy.maxAgeSeconds !== undefined && now - finished > policy.maxAgeSeconds * 1000) {
    reject(`the build finished ${facts.finishedOn}, more than ${policy.maxAgeSeconds} s ago`);
  }
  if (policy.notBefore !== undefined) {
    const notBefore = typeof policy.notBefore === 'string' ? Date.parse(policy.notBefore) : policy.notBefore.getTime();
    if (started < notBefore) reject(`the build started ${facts.startedOn}, before ${new Date(notBefore).toISOString()}`);
  }
}

/** A param's value as the run saw it, and how it got it. */
interface EffectiveParam {
  readonly value: unknown;
  readonly declared?: DeclaredParam;
}

function assertParams(facts: ProvenanceFacts, policy: ProvenancePolicy): void {
  const declared = policy.pipeline?.params;
  const required = policy.params ?? [];
  if (declared === undefined && required.length === 0 && !policy.forbidDottedParams) return;
  const recorded = recordedParamList(facts);
  if (recorded === undefined) {
    if (required.length === 0) return;
    reject(`the provenance records no run params (required: ${required[0].name}=${required[0].value})`);
  }
  const declaredByName = new Map((declared ?? []).map((param) => [param.name, param] as const));
  const objectNames = new Set<string>();
  for (const param of declared ?? []) if (declaredType(param) === 'object') objectNames.add(param.name);
  for (const param of recorded) if (isObject(param.value)) objectNames.add(param.name);
  for (const param of recorded) {
    if (declared !== undefined && !declaredByName.has(param.name)) {
      reject(
        `the run sets param ${JSON.stringify(param.name)}, which the pipeline does not declare (declared: ${[...declaredByName.keys()].join(', ') || 'none'})`,
      );
    }
    if (param.name.includes('.')) {
      const shadowed = objectKeyShadowed(param.name, objectNames);
      if (shadowed !== undefined) {
        reject(
          `the run sets param ${JSON.stringify(param.name)}, which shadows key ${JSON.stringify(shadowed.key)} of object param ${shadowed.object} (Tekton substitutes whichever comes later)`,
        );
      }
      if (policy.forbidDottedParams)
        reject(`the run sets param ${JSON.stringify(param.name)}, whose name has a "." (refused by the policy)`);
    }
  }
  const effective = effectiveParams(recorded, declared, facts.paramsIncludeDefaults === true);
  for (const requirement of required) assertParam(effective, objectNames, requirement, recorded, declared !== undefined);
}

function recordedParamList(facts: ProvenanceFacts): readonly RecordedParam[] | undefined {
  if (facts.paramList !== undefined) return facts.paramList;
  if (facts.params === undefined) return undefined;
  return [...facts.params].map(([name, value]) => ({ name, value }));
}

function declaredType(param: DeclaredParam): 'string' | 'array' | 'object' {
  if (param.type !== undefined) return param.type;
  if (Array.isArray(param.default)) return 'array';
  return isObject(param.default) ? 'object' : 'string';
}

/** The object param and key a dotted name could answer for (`model-storage.repository` -> `model-storage`, `repository`). */
function objectKeyShadowed(name: string, objectNames: ReadonlySet<string>): { object: string; key: string } | undefined {
  for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
    const object = name.slice(0, dot);
    if (objectNames.has(object)) return { object, key: name.slice(dot + 1) };
  }
  return undefined;
}

/**
 * The params as the run saw them: declared defaults first, then what the run set, object params
 * merged key by key (Tekton fills an object's keys from its default, then from the run's value).
 */
function effectiveParams(
  recorded: readonly RecordedParam[],
  declared: readonly DeclaredParam[] | undefined,
  includesDefaults: boolean,
): Map<string, EffectiveParam> {
  const out = new Map<string, EffectiveParam>();
  for (const param of declared ?? []) {
    if (param.default !== undefined) out.set(param.name, { value: param.default, declared: param });
    else out.set(param.name, { value: undefined, declared: param });
  }
  const seen = new Set<string>();
  for (const param of recorded) {
    if (seen.has(param.name)) continue;
    seen.add(param.name);
    const before = out.get(param.name);
    const value =
      isObject(before?.value) && isObject(param.value) && !includesDefaults ? { ...before!.value, ...param.value } : param.value;
    out.set(param.name, before?.declared === undefined ? { value } : { value, declared: before.declared });
  }
  return out;
}

function assertParam(
  params: ReadonlyMap<string, EffectiveParam>,
  objectNames: ReadonlySet<string>,
  required: RequiredParam,
  recorded: readonly RecordedParam[],
  declarationsKnown: boolean,
): void {
  const direct = params.get(required.name);
  if (direct !== undefined && required.name.includes('.')) {
    const shadowed = objectKeyShadowed(required.name, objectNames);
    if (shadowed !== undefined) {
      reject(
        `param ${JSON.stringify(required.name)} is ambiguous: a param of that name and key ${JSON.stringify(shadowed.key)} of object param ${shadowed.object} could both answer`,
      );
    }
    if (!declarationsKnown) {
      reject(
        `param ${JSON.stringify(required.name)} is ambiguous: the run sets a param of that name, and a key of an object param left to its default could answer too (give the pipeline's param declarations)`,
      );
    }
  }
  if (direct !== undefined && direct.value !== undefined) {
    const actual = direct.value;
    if (isObject(actual)) {
      const wanted = parseJsonObject(required.value);
      if (wanted === undefined) reject(`param ${required.name} is an object; require one key with --param ${required.name}.KEY=VALUE`);
      if (!sameJson(actual, wanted)) reject(`param ${required.name} is ${render(actual)}, not ${required.value}`);
      return;
    }
    if (!valueMatches(actual, required.value)) reject(`param ${required.name} is ${render(actual)}, not ${JSON.stringify(required.value)}`);
    return;
  }
  if (direct === undefined && required.name.includes('.')) {
    for (let dot = required.name.lastIndexOf('.'); dot > 0; dot = required.name.lastIndexOf('.', dot - 1)) {
      const name = required.name.slice(0, dot);
      const key = required.name.slice(dot + 1);
      const object = params.get(name)?.value;
      if (!isObject(object)) continue;
      if (!Object.prototype.hasOwnProperty.call(object, key)) {
        reject(`param ${name} has no key ${JSON.stringify(key)} (keys: ${Object.keys(object).join(', ') || 'none'})`);
      }
      if (!valueMatches(object[key], required.value))
        reject(`param ${required.name} is ${render(object[key])}, not ${JSON.stringify(required.value)}`);
      return;
    }
  }
  const names = recorded.map((param) => param.name);
  reject(`param ${required.name} is not recorded (params: ${names.slice(0, 20).join(', ') || 'none'}${names.length > 20 ? ', ...' : ''})`);
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** JSON equality with object keys in any order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameJson(a[key], b[key]))
    );
  }
  return a === b;
}

function valueMatches(actual: unknown, wanted: string): boolean {
  if (typeof actual === 'string') return actual === wanted;
  return actual !== undefined && JSON.stringify(actual) === wanted;
}

function render(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function listUris(dependencies: readonly BuildDependency[]): string {
  if (dependencies.length === 0) return 'none';
  const listed = dependencies
    .slice(0, 10)
    .map((dependency) => dependency.uri)
    .join(', ');
  return dependencies.length > 10 ? `${listed}, and ${dependencies.length - 10} more` : listed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
