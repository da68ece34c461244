/**
 * Tekton Pipelines v1.15.0's `feature-flags` ConfigMap, the one reader of it for the rules (only
 * consulted when the caller passes the flags: `check` cannot know a cluster's flags otherwise) and
 * for the rehearsal. Read as the controller reads it
 * (`pkg/apis/config/feature_flags.go`, `NewFeatureFlagsFromMap`), and written as the JSON of its
 * `FeatureFlags` struct, which is what a PipelineRun's `status.provenance.featureFlags` holds and what
 * Chains copies to `internalParameters["tekton-pipelines-feature-flags"]` (json tags, false and empty
 * values omitted).
 */

/** API stability levels, in order. */
export type ApiFieldsLevel = 'stable' | 'beta' | 'alpha';

const LEVELS: readonly ApiFieldsLevel[] = ['stable', 'beta', 'alpha'];

/**
 * The parsed flags the rules and the rehearsal consult, plus the status JSON. (The construct that
 * writes the ConfigMap is `TektonFeatureFlags` in `src/chains`.)
 */
export interface FeatureFlagSettings {
  /** `enable-api-fields`: stable, beta or alpha. */
  readonly enableApiFields: ApiFieldsLevel;
  /** `enable-param-enum`: enforce `enum` on params. */
  readonly enableParamEnum: boolean;
  /** `results-from`: termination-message or sidecar-logs. */
  readonly resultsFrom: 'termination-message' | 'sidecar-logs';
  /** `max-result-size` (bytes, for sidecar-logs). */
  readonly maxResultSize: number;
  /** `enable-termination-message-compression`. */
  readonly compressTerminationMessage: boolean;
  /** `enable-cel-in-whenexpression`. */
  readonly enableCelInWhenExpression: boolean;
  /** `enable-artifacts`. */
  readonly enableArtifacts: boolean;
  /** `enable-concise-resolver-syntax`. */
  readonly enableConciseResolverSyntax: boolean;
  /** `disable-inline-spec`: the kinds (`pipeline`, `pipelinerun`, `taskrun`) whose embedded specs are refused. */
  readonly disableInlineSpec: ReadonlySet<string>;
  /** `status.provenance.featureFlags` as the controller writes it. */
  readonly statusJson: Readonly<Record<string, string | number | boolean>>;
}

/** A feature-flags value Tekton would refuse; the message is one lowercase line. */
export class FeatureFlagsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'FeatureFlagsError';
  }
}

function goParseBool(key: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new FeatureFlagsError(`feature-flags ${key}: "${text}" is not a boolean (true or false)`);
}

/**
 * Reads the `data` of the `feature-flags` ConfigMap (empty for the defaults) as Tekton v1.15.0 does,
 * refusing values the controller would refuse.
 */
export function readTektonFeatureFlags(data: Readonly<Record<string, string>> = {}): FeatureFlagSettings {
  const bool = (key: string, fallback: boolean): boolean => (key in data ? goParseBool(key, data[key]) : fallback);
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    if (!(key in data)) return fallback;
    const value = data[key];
    if (!(allowed as readonly string[]).includes(value)) {
      throw new FeatureFlagsError(`feature-flags ${key}: "${value}" is not one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
  const apiFields = (data['enable-api-fields'] ?? 'beta').toLowerCase();
  if (apiFields !== 'stable' && apiFields !== 'beta' && apiFields !== 'alpha') {
    throw new FeatureFlagsError(`feature-flags enable-api-fields: "${data['enable-api-fields']}" is not one of stable, beta, alpha`);
  }
  const enableApiFields: ApiFieldsLevel = apiFields;
  let maxResultSize = 4096;
  if ('max-result-size' in data) {
    const n = Number(data['max-result-size']);
    if (!/^[+-]?[0-9]+$/.test(data['max-result-size'])) {
      throw new FeatureFlagsError(`feature-flags max-result-size: "${data['max-result-size']}" is not a whole number of bytes`);
    }
    if (n >= 1572864) throw new FeatureFlagsError(`feature-flags max-result-size: ${n} must be less than 1572864 bytes`);
    maxResultSize = n;
  }
  const enforce = oneOf('enforce-nonfalsifiability', ['none', 'spire'] as const, 'none');
  if (enforce === 'spire' && enableApiFields !== 'alpha') {
    throw new FeatureFlagsError('feature-flags enforce-nonfalsifiability: "spire" needs enable-api-fields "alpha"');
  }
  const flags = {
    disableCredsInit: bool('disable-creds-init', false),
    runningInEnvWithInjectedSidecars: bool('running-in-environment-with-injected-sidecars', true),
    requireGitSSHSecretKnownHosts: bool('require-git-ssh-secret-known-hosts', false),
    enableAPIFields: enableApiFields,
    sendCloudEventsForRuns: bool('send-cloudevents-for-runs', true),
    awaitSidecarReadiness: bool('await-sidecar-readiness', true),
    enforceNonfalsifiability: enforce,
    enableKeepPodOnCancel: bool('keep-pod-on-cancel', false),
    verificationNoMatchPolicy: oneOf('trusted-resources-verification-no-match-policy', ['ignore', 'warn', 'fail'] as const, 'ignore'),
    enableProvenanceInStatus: bool('enable-provenance-in-status', true),
    resultExtractionMethod: oneOf('results-from', ['termination-message', 'sidecar-logs'] as const, 'termination-message'),
    maxResultSize,
    setSecurityContext: bool('set-security-context', false),
    setSecurityContextReadOnlyRootFilesystem: bool('set-security-context-read-only-root-filesystem', false),
    coschedule: oneOf('coschedule', ['workspaces', 'pipelineruns', 'isolate-pipelinerun', 'disabled'] as const, 'workspaces'),
    enableCELInWhenExpression: bool('enable-cel-in-whenexpression', false),
    enableParamEnum: bool('enable-param-enum', false),
    enableArtifacts: bool('enable-artifacts', false),
    disableInlineSpec: data['disable-inline-spec'] ?? '',
    enableConciseResolverSyntax: bool('enable-concise-resolver-syntax', false),
    enableKubernetesSidecar: bool('enable-kubernetes-sidecar', false),
    enableWaitExponentialBackoff: bool('enable-wait-exponential-backoff', false),
    enableTerminationMessageCompression: bool('enable-termination-message-compression', false),
  };
  const statusJson: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === false || value === '' || value === 0) continue;
    statusJson[key] = value;
  }
  return {
    enableApiFields,
    enableParamEnum: flags.enableParamEnum,
    resultsFrom: flags.resultExtractionMethod,
    maxResultSize,
    compressTerminationMessage: flags.enableTerminationMessageCompression,
    enableCelInWhenExpression: flags.enableCELInWhenExpression,
    enableArtifacts: flags.enableArtifacts,
    enableConciseResolverSyntax: flags.enableConciseResolverSyntax,
    disableInlineSpec: new Set(
      flags.disableInlineSpec
        .split(',')
        .map((kind) => kind.trim())
        .filter((kind) => kind !== ''),
    ),
    statusJson,
  };
}

/** True when `enable-api-fields` admits fields of stability `needed`. */
export function apiFieldsEnabled(flags: FeatureFlagSettings, needed: ApiFieldsLevel): boolean {
  return LEVELS.indexOf(flags.enableApiFields) >= LEVELS.indexOf(needed);
}
