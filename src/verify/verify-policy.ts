import * as path from 'node:path';
import { readBoundedFile } from './bounded-file';
import { readPipelineDeclarations } from './pipeline-declarations';
import { assertYamlNesting } from './pipelinerun-envelope';
import {
  DeclaredParam,
  isDependencyDigest,
  PipelinePolicy,
  ProvenancePolicy,
  RequiredDependency,
  RequiredParam,
  SubjectPolicy,
  TimePolicy,
} from './provenance-policy';
import { RunKind } from './provenance-facts';
import { UnreadableInputError } from './verification-errors';

/** The `apiVersion` and `kind` a policy file starts with. */
export const VERIFY_POLICY_API_VERSION = 'slsa-for-models.dev/v1alpha1';
export const VERIFY_POLICY_KIND = 'VerifyPolicy';

/**
 * A deploy gate's whole verify policy: who may sign, whether the transparency log is checked,
 * what the statement and the provenance must say. The policy file (`verify --policy FILE`, YAML
 * or JSON) is this object with `apiVersion` and `kind`; every `verify` flag sets one field (named
 * beside each), and a field may be set in one place only. Paths are relative to the policy file.
 */
export interface VerifyPolicy {
  /** Who may have signed. */
  readonly signer?: {
    /** Trusted public keys: PEM files or `k8s://NAMESPACE/SECRET` (`--key`, then `--extra-key`); any may have signed. */
    readonly keys?: readonly string[];
    /** A Fulcio certificate's subject alternative name, exactly (`--certificate-identity`). */
    readonly certificateIdentity?: string;
    /** ... or a regular expression it must match (`--certificate-identity-regexp`). */
    readonly certificateIdentityRegexp?: string;
    /** The OIDC issuer in the certificate (`--certificate-oidc-issuer`). */
    readonly certificateOidcIssuer?: string;
  };
  /** The transparency log check. */
  readonly transparencyLog?: {
    /** A log entry must verify (`--insecure-ignore-tlog` sets false). @default true */
    readonly required?: boolean;
    /** Sigstore's `trusted_root.json` holding the log keys, CAs and CT logs (`--trusted-root`). */
    readonly trustedRoot?: string;
  };
  /** The predicate type: a cosign name, a URI, or `any` (`--type`). @default 'slsaprovenance1' */
  readonly predicateType?: string;
  /** Check that a subject is the model (`--check-claims`). @default true */
  readonly checkClaims?: boolean;
  /** How a model directory is matched to the subjects (`--model-dir`). */
  readonly modelDirectory?: {
    /** Files no subject names are allowed (`--allow-extra-files`). @default false */
    readonly allowExtraFiles?: boolean;
    /** Subjects with no file are allowed (`--allow-missing-files`). @default false */
    readonly allowMissingFiles?: boolean;
  };
  /** The builder id (`--builder-id`). */
  readonly builderId?: string;
  /** Allowed build types (`--build-type`, repeatable). */
  readonly buildTypes?: readonly string[];
  /** `PipelineRun` or `TaskRun` (`--run-kind`). */
  readonly runKind?: RunKind;
  /** Which pipeline must have run. */
  readonly pipeline?: {
    /** A Pipeline file (e.g. dist/slsa-for-models.yaml): its name and param declarations (`--pipeline`). */
    readonly file?: string;
    /** The pipelineRef name (`--pipeline-name`). */
    readonly name?: string;
    /** The resolver; `none` for a Pipeline of the cluster (`--pipeline-resolver`). */
    readonly resolver?: string;
    /** A Pipeline of the cluster in this namespace: no resolver in the run's namespace, or the `cluster` resolver with this namespace (`--pipeline-namespace`). */
    readonly namespace?: string;
    /** The bundle digest, `sha256:HEX` (`--pipeline-bundle-digest`). */
    readonly bundleDigest?: string;
    /** The config source digest, `ALG:HEX` (`--pipeline-source-digest`). */
    readonly sourceDigest?: string;
    /** Refuse an embedded pipelineSpec (`--forbid-pipeline-spec`). */
    readonly forbidSpec?: boolean;
  };
  /** The build's source. */
  readonly source?: {
    /** The source repository URI (`--source-uri`). */
    readonly uri?: string;
    /** Its git commit (`--source-digest`). */
    readonly digest?: string;
    /** Every git source must be one of these (`--allowed-source`, repeatable). */
    readonly allowed?: readonly string[];
  };
  /** Params the run must have had: `name: value`, `name.key: value` for an object param's key, or `name: {k: v}` for a whole object (`--param`). */
  readonly params?: Readonly<Record<string, string | readonly string[] | Readonly<Record<string, string>>>>;
  /** Refuse a param whose name has a `.` (`--forbid-dotted-params`). */
  readonly forbidDottedParams?: boolean;
  /** Inputs the build must have used: `name: ALG:HEX`, e.g. `base-model: sha256:…` (the `<name>_ARTIFACT_INPUTS` result; `--dependency NAME=DIGEST`). */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Every type-hinted input must be a listed dependency or a source named by `source` (`--only-listed-dependencies`). */
  readonly onlyListedDependencies?: boolean;
  /** The subjects (the storage repository: `prefix`). */
  readonly subject?: {
    /** The matched subject's name (`--subject-name`). */
    readonly name?: string;
    /** ... or its prefix, e.g. the Artifact Registry repository (`--subject-prefix`). */
    readonly prefix?: string;
    /** The number of subjects (`--subject-count`). */
    readonly count?: number;
  };
  /** When the build happened. */
  readonly time?: {
    /** The build finished at most this long ago: `72h`, `30m`, `7d` (`--max-age`). */
    readonly maxAge?: string;
    /** The build started at or after this RFC 3339 time (`--not-before`). */
    readonly notBefore?: string;
  };
  /** The invocation id, Chains: the run's uid (`--invocation-id`). */
  readonly invocationId?: string;
  /** Refuse provenance without an invocation id (`--require-invocation-id`). */
  readonly requireInvocationId?: boolean;
  /** The run must have succeeded, read from the PipelineRun (`--require-succeeded`). */
  readonly requireSucceeded?: boolean;
}

/** What a {@link VerifyPolicy} resolves to: the library's options, files read. */
export interface ResolvedVerifyPolicy {
  readonly keys: readonly string[];
  readonly certificateIdentity?: { readonly identity?: string; readonly identityRegExp?: string; readonly oidcIssuer?: string };
  readonly requireTransparencyLog: boolean;
  readonly trustedRootPath?: string;
  readonly predicateType?: string;
  readonly checkClaims?: boolean;
  readonly modelDirectory: { readonly allowExtraFiles: boolean; readonly allowMissingFiles: boolean };
  readonly provenance: ProvenancePolicy;
}

type FieldType = 'string' | 'boolean' | 'strings' | 'count' | 'params' | 'digests' | { readonly [key: string]: FieldType };

/** The policy file's schema: one entry per field of {@link VerifyPolicy}. */
const SCHEMA: { readonly [key: string]: FieldType } = {
  apiVersion: 'string',
  kind: 'string',
  signer: { keys: 'strings', certificateIdentity: 'string', certificateIdentityRegexp: 'string', certificateOidcIssuer: 'string' },
  transparencyLog: { required: 'boolean', trustedRoot: 'string' },
  predicateType: 'string',
  checkClaims: 'boolean',
  modelDirectory: { allowExtraFiles: 'boolean', allowMissingFiles: 'boolean' },
  builderId: 'string',
  buildTypes: 'strings',
  runKind: 'string',
  pipeline: {
    file: 'string',
    name: 'string',
    resolver: 'string',
    namespace: 'string',
    bundleDigest: 'string',
    sourceDigest: 'string',
    forbidSpec: 'boolean',
  },
  source: { uri: 'string', digest: 'string', allowed: 'strings' },
  params: 'params',
  forbidDottedParams: 'boolean',
  dependencies: 'digests',
  onlyListedDependencies: 'boolean',
  subject: { name: 'string', prefix: 'string', count: 'count' },
  time: { maxAge: 'string', notBefore: 'string' },
  invocationId: 'string',
  requireInvocationId: 'boolean',
  requireSucceeded: 'boolean',
};

/**
 * Reads a policy file (YAML or JSON): `apiVersion: slsa-for-models.dev/v1alpha1`, `kind:
 * VerifyPolicy`, then the fields of {@link VerifyPolicy}. An unknown key, a key given twice or a
 * value of the wrong type is an error naming the field: a typo must not weaken a gate. Throws
 * {@link UnreadableInputError}.
 */
export function parseVerifyPolicy(text: string, source: string): VerifyPolicy {
  const what = `policy ${source}`;
  let document: unknown;
  try {
    assertYamlNesting(text);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- yaml costs startup time a policy-less verify does not need
    const yaml = require('yaml') as typeof import('yaml');
    // JSON is YAML; YAML refuses duplicate keys, so JSON with one is refused too.
    const documents = yaml.parseAllDocuments(text, { uniqueKeys: true });
    if (!Array.isArray(documents) || documents.length !== 1)
      throw new Error(`expected one document, found ${Array.isArray(documents) ? documents.length : 0}`);
    const error = documents[0].errors[0];
    if (error) throw new Error(error.message.split('\n')[0]);
    document = documents[0].toJS({ maxAliasCount: 0 });
  } catch (err) {
    throw new UnreadableInputError(`${what} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  assertFields(document, SCHEMA, what, '');
  const record = document as Record<string, unknown>;
  if (record.apiVersion !== VERIFY_POLICY_API_VERSION || record.kind !== VERIFY_POLICY_KIND) {
    throw new UnreadableInputError(`${what} must start with apiVersion: ${VERIFY_POLICY_API_VERSION} and kind: ${VERIFY_POLICY_KIND}`);
  }
  const { apiVersion: _a, kind: _k, ...policy } = record;
  void _a;
  void _k;
  assertValues(policy as VerifyPolicy, what);
  return policy as VerifyPolicy;
}

function assertFields(value: unknown, schema: { readonly [key: string]: FieldType }, what: string, prefix: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableInputError(`${what}${prefix ? ` field ${prefix.slice(0, -1)}` : ''} is not a mapping`);
  for (const [key, field] of Object.entries(value)) {
    const name = `${prefix}${key}`;
    const type = Object.prototype.hasOwnProperty.call(schema, key) ? schema[key] : undefined;
    if (type === undefined) {
      throw new UnreadableInputError(
        `${what} has an unknown field ${name} (known${prefix ? ` in ${prefix.slice(0, -1)}` : ''}: ${Object.keys(schema).join(', ')})`,
      );
    }
    const wrong = (expected: string): never => {
      throw new UnreadableInputError(`${what} field ${name} must be ${expected}`);
    };
    if (typeof type === 'object') assertFields(field, type, what, `${name}.`);
    else if (type === 'string' && typeof field !== 'string') wrong('a string');
    else if (type === 'boolean' && typeof field !== 'boolean') wrong('true or false');
    else if (type === 'count' && !(typeof field === 'number' && Number.isSafeInteger(field) && field >= 0)) wrong('a whole number');
    else if (type === 'strings' && !(Array.isArray(field) && field.every((item) => typeof item === 'string'))) wrong('a list of strings');
    else if (type === 'params') assertParams(field, what, name);
    else if (type === 'digests') assertDigests(field, what, name);
  }
}

function assertParams(value: unknown, what: string, name: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableInputError(`${what} field ${name} must map param names to values`);
  for (const [param, v] of Object.entries(value)) {
    const ok =
      typeof v === 'string' ||
      (Array.isArray(v) && v.every((item) => typeof item === 'string')) ||
      (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((item) => typeof item === 'string'));
    if (!ok)
      throw new UnreadableInputError(
        `${what} field ${name}.${param} must be a string, a list of strings or a mapping of strings (params are strings in Tekton: quote numbers and booleans)`,
      );
  }
}

function assertDigests(value: unknown, what: string, name: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableInputError(`${what} field ${name} must map dependency names to digests`);
  for (const [dependency, digest] of Object.entries(value)) {
    if (typeof digest !== 'string' || !isDependencyDigest(digest))
      throw new UnreadableInputError(`${what} field ${name}.${dependency} must be a digest ALG:HEX (sha256:<64 hex>, sha1:<40 hex>, ...)`);
  }
}

function assertValues(policy: VerifyPolicy, what: string): void {
  if (policy.runKind !== undefined && policy.runKind !== 'PipelineRun' && policy.runKind !== 'TaskRun')
    throw new UnreadableInputError(`${what} field runKind must be PipelineRun or TaskRun`);
  if (policy.time?.maxAge !== undefined && parseDurationSeconds(policy.time.maxAge) === undefined)
    throw new UnreadableInputError(`${what} field time.maxAge must be a duration such as 72h, 30m or 7d`);
  if (policy.time?.notBefore !== undefined && Number.isNaN(Date.parse(policy.time.notBefore)))
    throw new UnreadableInputError(`${what} field time.notBefore must be an RFC 3339 time`);
  if (policy.signer?.certificateIdentity !== undefined && policy.signer.certificateIdentityRegexp !== undefined) {
    throw new UnreadableInputError(`${what} gives signer.certificateIdentity and signer.certificateIdentityRegexp: give one`);
  }
  if (policy.signer?.certificateIdentityRegexp !== undefined) {
    try {
      new RegExp(policy.signer.certificateIdentityRegexp);
    } catch (err) {
      throw new UnreadableInputError(
        `${what} field signer.certificateIdentityRegexp is not a regular expression: ${(err as Error).message}`,
      );
    }
  }
}

/** `72h`, `30m`, `1h30m`, `7d`, `90s` (Go's units, plus `d` for days) in seconds; undefined when not a duration. */
export function parseDurationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(d|h|m|s))+$/.test(text)) return undefined;
  const unit: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(d|h|m|s)/g)) seconds += Number(match[1]) * unit[match[2]];
  return seconds;
}

/**
 * Joins two policies (the file's and the flags'): a field set in both is an error naming it,
 * since which should win is a guess a gate must not make; lists are not joined either.
 */
export function mergeVerifyPolicies(file: VerifyPolicy, flags: VerifyPolicy, fileSource: string): VerifyPolicy {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      if (value === undefined) continue;
      const existing = a[key];
      const nested = SCHEMA_AT(prefix ? `${prefix}.${key}` : key);
      if (existing !== undefined && nested && typeof existing === 'object' && typeof value === 'object') {
        out[key] = merge(existing as Record<string, unknown>, value as Record<string, unknown>, prefix ? `${prefix}.${key}` : key);
      } else if (existing !== undefined) {
        throw new UnreadableInputError(
          `${prefix ? `${prefix}.` : ''}${key} is set both by policy ${fileSource} and by a flag: set it in one place`,
        );
      } else {
        out[key] = value;
      }
    }
    return out;
  };
  return merge(file as Record<string, unknown>, flags as Record<string, unknown>, '') as VerifyPolicy;
}

/** Whether the schema field at a dotted path is a nested mapping (merged key by key); params merge by name too. */
function SCHEMA_AT(dotted: string): boolean {
  let type: FieldType | undefined = { ...SCHEMA };
  for (const part of dotted.split('.')) {
    type = typeof type === 'object' ? type[part] : undefined;
  }
  return typeof type === 'object' || type === 'params' || type === 'digests';
}

/**
 * The policy with its file paths (keys that are not `k8s://`, the trusted root, the pipeline file)
 * made absolute from `baseDir`: a policy file's paths are relative to the file.
 */
export function rebaseVerifyPolicyPaths(policy: VerifyPolicy, baseDir: string): VerifyPolicy {
  const at = (file: string): string => (file.startsWith('k8s://') ? file : path.resolve(baseDir, file));
  return {
    ...policy,
    ...(policy.signer?.keys ? { signer: { ...policy.signer, keys: policy.signer.keys.map(at) } } : {}),
    ...(policy.transparencyLog?.trustedRoot !== undefined
      ? { transparencyLog: { ...policy.transparencyLog, trustedRoot: at(policy.transparencyLog.trustedRoot) } }
      : {}),
    ...(policy.pipeline?.file !== undefined ? { pipeline: { ...policy.pipeline, file: at(policy.pipeline.file) } } : {}),
  };
}

/**
 * Resolves a policy into the library's options: reads the pipeline file (paths as given: see
 * {@link rebaseVerifyPolicyPaths}), turns params and durations into the typed {@link ProvenancePolicy}.
 */
export async function resolveVerifyPolicy(policy: VerifyPolicy): Promise<ResolvedVerifyPolicy> {
  let declared: { name: string; params: readonly DeclaredParam[] } | undefined;
  if (policy.pipeline?.file !== undefined) {
    const file = policy.pipeline.file;
    declared = readPipelineDeclarations((await readBoundedFile(file, 'pipeline')).toString('utf8'), file, policy.pipeline.name);
  }
  const pipelineName = policy.pipeline?.name ?? declared?.name;
  if (policy.pipeline?.namespace !== undefined) {
    if (policy.pipeline.resolver !== undefined)
      throw new UnreadableInputError(
        'pipeline: give the resolver (--pipeline-resolver) or the namespace (--pipeline-namespace), not both: the namespace allows a reference without resolver or through the cluster resolver',
      );
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(policy.pipeline.namespace))
      throw new UnreadableInputError(`pipeline: namespace "${policy.pipeline.namespace}" is not a Kubernetes namespace name`);
  }
  const pipeline: PipelinePolicy = {
    ...(pipelineName === undefined ? {} : { name: pipelineName }),
    ...(policy.pipeline?.resolver === undefined ? {} : { resolver: policy.pipeline.resolver === 'none' ? '' : policy.pipeline.resolver }),
    ...(policy.pipeline?.namespace === undefined ? {} : { clusterNamespace: policy.pipeline.namespace }),
    ...(policy.pipeline?.bundleDigest === undefined ? {} : { bundleDigest: policy.pipeline.bundleDigest }),
    ...(policy.pipeline?.sourceDigest === undefined ? {} : { configSourceDigest: policy.pipeline.sourceDigest }),
    ...(policy.pipeline?.forbidSpec ? { forbidInlineSpec: true } : {}),
    ...(declared === undefined ? {} : { params: declared.params }),
  };
  const params: RequiredParam[] = Object.entries(policy.params ?? {}).map(([name, value]) => ({
    name,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
  const dependencies: RequiredDependency[] = Object.entries(policy.dependencies ?? {}).map(([name, digest]) => {
    if (!isDependencyDigest(digest))
      throw new UnreadableInputError(`dependency ${name}: "${digest}" is not a digest ALG:HEX (e.g. sha256:<64 hex>)`);
    return { name, digest };
  });
  const subject: SubjectPolicy = {
    ...(policy.subject?.name === undefined ? {} : { name: policy.subject.name }),
    ...(policy.subject?.prefix === undefined ? {} : { namePrefix: policy.subject.prefix }),
    ...(policy.subject?.count === undefined ? {} : { count: policy.subject.count }),
  };
  const maxAgeSeconds = policy.time?.maxAge === undefined ? undefined : parseDurationSeconds(policy.time.maxAge);
  if (policy.time?.maxAge !== undefined && maxAgeSeconds === undefined)
    throw new UnreadableInputError(`--max-age takes a duration such as 72h, 30m or 7d, not "${policy.time.maxAge}"`);
  if (policy.time?.notBefore !== undefined && Number.isNaN(Date.parse(policy.time.notBefore)))
    throw new UnreadableInputError(`--not-before takes an RFC 3339 time, not "${policy.time.notBefore}"`);
  const time: TimePolicy = {
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(policy.time?.notBefore === undefined ? {} : { notBefore: policy.time.notBefore }),
  };
  const runKind = policy.runKind ?? (pipelineName !== undefined ? 'PipelineRun' : undefined);
  const provenance: ProvenancePolicy = {
    ...(policy.builderId === undefined ? {} : { builderId: policy.builderId }),
    ...(policy.buildTypes === undefined ? {} : { buildTypes: policy.buildTypes }),
    ...(runKind === undefined ? {} : { runKind }),
    ...(Object.keys(pipeline).length === 0 ? {} : { pipeline }),
    ...(policy.source?.uri === undefined ? {} : { sourceUri: policy.source.uri }),
    ...(policy.source?.digest === undefined ? {} : { sourceDigest: policy.source.digest }),
    ...(policy.source?.allowed === undefined ? {} : { allowedSourceUris: policy.source.allowed }),
    ...(params.length === 0 ? {} : { params }),
    ...(dependencies.length === 0 ? {} : { dependencies }),
    ...(policy.onlyListedDependencies ? { onlyListedDependencies: true } : {}),
    ...(policy.forbidDottedParams ? { forbidDottedParams: true } : {}),
    ...(Object.keys(subject).length === 0 ? {} : { subject }),
    ...(Object.keys(time).length === 0 ? {} : { time }),
    ...(policy.invocationId === undefined ? {} : { invocationId: policy.invocationId }),
    ...(policy.requireInvocationId ? { requireInvocationId: true } : {}),
    ...(policy.requireSucceeded ? { requireSucceeded: true } : {}),
  };
  const signer = policy.signer ?? {};
  const identity = {
    ...(signer.certificateIdentity === undefined ? {} : { identity: signer.certificateIdentity }),
    ...(signer.certificateIdentityRegexp === undefined ? {} : { identityRegExp: signer.certificateIdentityRegexp }),
    ...(signer.certificateOidcIssuer === undefined ? {} : { oidcIssuer: signer.certificateOidcIssuer }),
  };
  return {
    keys: signer.keys ?? [],
    ...(Object.keys(identity).length === 0 ? {} : { certificateIdentity: identity }),
    requireTransparencyLog: policy.transparencyLog?.required ?? true,
    ...(policy.transparencyLog?.trustedRoot === undefined ? {} : { trustedRootPath: policy.transparencyLog.trustedRoot }),
    ...(policy.predicateType === undefined ? {} : { predicateType: policy.predicateType }),
    ...(policy.checkClaims === undefined ? {} : { checkClaims: policy.checkClaims }),
    modelDirectory: {
      allowExtraFiles: policy.modelDirectory?.allowExtraFiles ?? false,
      allowMissingFiles: policy.modelDirectory?.allowMissingFiles ?? false,
    },
    provenance,
  };
}
