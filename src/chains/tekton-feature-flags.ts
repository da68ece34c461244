/**
 * The `feature-flags` ConfigMap of Tekton Pipelines v1.15.0 (namespace `tekton-pipelines`), with a typed
 * prop for every key of `config/config-feature-flags.yaml` and `pkg/apis/config/feature_flags.go`.
 * Values Tekton's controller would refuse to load are reported at synth.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Which gated API fields Tekton admits (`enable-api-fields`). */
export type EnableApiFields = 'stable' | 'beta' | 'alpha';

/** Where Tekton reads task results from (`results-from`). */
export type ResultsFrom = 'termination-message' | 'sidecar-logs';

/** How the affinity assistant schedules a PipelineRun's pods (`coschedule`). */
export type Coschedule = 'workspaces' | 'pipelineruns' | 'isolate-pipelinerun' | 'disabled';

/** Non-falsifiable provenance (`enforce-nonfalsifiability`). */
export type EnforceNonfalsifiability = 'none' | 'spire';

/** What happens to runs no VerificationPolicy matches (`trusted-resources-verification-no-match-policy`). */
export type VerificationNoMatchPolicy = 'ignore' | 'warn' | 'fail';

/** Kinds whose embedded specs `disable-inline-spec` can refuse. */
export type InlineSpecKind = 'pipeline' | 'pipelinerun' | 'taskrun';

/** Settings of Tekton Pipelines v1.15.0's `feature-flags`; every key Tekton documents, with its wire name. */
export interface TektonFeatureFlagsProps {
  /** `enable-api-fields`: the stability level of API fields Tekton admits. @default 'beta' */
  readonly enableApiFields?: EnableApiFields;
  /** `enable-param-enum` (alpha, per-feature; `enable-api-fields: alpha` does not turn it on). @default true (the model pipeline's `model-name` is an enum) */
  readonly enableParamEnum?: boolean;
  /** `results-from`. @default 'termination-message' */
  readonly resultsFrom?: ResultsFrom;
  /** `max-result-size` in bytes, used only with `results-from: sidecar-logs`; below 1572864 (the CRD limit). @default - unset (Tekton uses 4096) */
  readonly maxResultSize?: number;
  /** `enable-step-actions` (a no-op since StepActions are stable). @default true */
  readonly enableStepActions?: boolean;
  /** `enable-cel-in-whenexpression` (alpha). @default false */
  readonly enableCelInWhenExpression?: boolean;
  /** `enable-artifacts` (alpha, preview). @default false */
  readonly enableArtifacts?: boolean;
  /** `enable-concise-resolver-syntax` (alpha). @default false */
  readonly enableConciseResolverSyntax?: boolean;
  /** `enable-termination-message-compression` (alpha). @default false */
  readonly enableTerminationMessageCompression?: boolean;
  /** `keep-pod-on-cancel` (beta). @default false */
  readonly keepPodOnCancel?: boolean;
  /** `enable-tekton-oci-bundles` (alpha, deprecated). @default false */
  readonly enableTektonOciBundles?: boolean;
  /** `enable-provenance-in-status`: fills `status.provenance`, which Chains reads. @default true */
  readonly enableProvenanceInStatus?: boolean;
  /** `enforce-nonfalsifiability`. @default 'none' */
  readonly enforceNonfalsifiability?: EnforceNonfalsifiability;
  /** `trusted-resources-verification-no-match-policy`. @default 'ignore' */
  readonly trustedResourcesVerificationNoMatchPolicy?: VerificationNoMatchPolicy;
  /** `coschedule`. @default 'workspaces' */
  readonly coschedule?: Coschedule;
  /** `disable-creds-init`. @default false */
  readonly disableCredsInit?: boolean;
  /** `await-sidecar-readiness`. @default true */
  readonly awaitSidecarReadiness?: boolean;
  /** `running-in-environment-with-injected-sidecars`. @default true */
  readonly runningInEnvironmentWithInjectedSidecars?: boolean;
  /** `require-git-ssh-secret-known-hosts`. @default false */
  readonly requireGitSshSecretKnownHosts?: boolean;
  /** `send-cloudevents-for-runs` (deprecated; CustomRuns only). @default true */
  readonly sendCloudeventsForRuns?: boolean;
  /** `set-security-context`: restricted security context for the containers Tekton injects. @default false */
  readonly setSecurityContext?: boolean;
  /** `set-security-context-read-only-root-filesystem`. @default false */
  readonly setSecurityContextReadOnlyRootFilesystem?: boolean;
  /** `disable-inline-spec`: kinds whose embedded specs are refused. @default - none */
  readonly disableInlineSpec?: readonly InlineSpecKind[];
  /** `enable-kubernetes-sidecar` (needs Kubernetes 1.29 or later). @default false */
  readonly enableKubernetesSidecar?: boolean;
  /** `enable-wait-exponential-backoff`. @default false */
  readonly enableWaitExponentialBackoff?: boolean;
  /** `enable-informer-cache-transforms`. @default true */
  readonly enableInformerCacheTransforms?: boolean;
  /** Namespace of the ConfigMap. @default 'tekton-pipelines' */
  readonly namespace?: string;
}

const API_FIELDS: readonly EnableApiFields[] = ['stable', 'beta', 'alpha'];
const RESULTS_FROM: readonly ResultsFrom[] = ['termination-message', 'sidecar-logs'];
const COSCHEDULE: readonly Coschedule[] = ['workspaces', 'pipelineruns', 'isolate-pipelinerun', 'disabled'];
const NONFALSIFIABILITY: readonly EnforceNonfalsifiability[] = ['none', 'spire'];
const NO_MATCH_POLICIES: readonly VerificationNoMatchPolicy[] = ['ignore', 'warn', 'fail'];
const INLINE_SPEC_KINDS: readonly InlineSpecKind[] = ['pipeline', 'pipelinerun', 'taskrun'];
/** Tekton refuses a `max-result-size` at or above 1.5 MiB, the CRD size limit. */
const MAX_RESULT_SIZE_LIMIT = 1572864;

/** The rendered `data`, key by key, in the order of Tekton's own ConfigMap. */
function renderData(props: TektonFeatureFlagsProps): Record<string, string> {
  const bool = (value: boolean | undefined, fallback: boolean): string => String(value ?? fallback);
  const data: Record<string, string> = {
    coschedule: props.coschedule ?? 'workspaces',
    'disable-creds-init': bool(props.disableCredsInit, false),
    'await-sidecar-readiness': bool(props.awaitSidecarReadiness, true),
    'running-in-environment-with-injected-sidecars': bool(props.runningInEnvironmentWithInjectedSidecars, true),
    'require-git-ssh-secret-known-hosts': bool(props.requireGitSshSecretKnownHosts, false),
    'enable-tekton-oci-bundles': bool(props.enableTektonOciBundles, false),
    'enable-api-fields': props.enableApiFields ?? 'beta',
    'send-cloudevents-for-runs': bool(props.sendCloudeventsForRuns, true),
    'trusted-resources-verification-no-match-policy': props.trustedResourcesVerificationNoMatchPolicy ?? 'ignore',
    'enable-provenance-in-status': bool(props.enableProvenanceInStatus, true),
    'enforce-nonfalsifiability': props.enforceNonfalsifiability ?? 'none',
    'results-from': props.resultsFrom ?? 'termination-message',
  };
  if (props.maxResultSize !== undefined) data['max-result-size'] = String(props.maxResultSize);
  Object.assign(data, {
    'set-security-context': bool(props.setSecurityContext, false),
    'set-security-context-read-only-root-filesystem': bool(props.setSecurityContextReadOnlyRootFilesystem, false),
    'keep-pod-on-cancel': bool(props.keepPodOnCancel, false),
    'enable-cel-in-whenexpression': bool(props.enableCelInWhenExpression, false),
    'enable-artifacts': bool(props.enableArtifacts, false),
    'enable-param-enum': bool(props.enableParamEnum, true),
    'disable-inline-spec': (props.disableInlineSpec ?? []).join(','),
    'enable-concise-resolver-syntax': bool(props.enableConciseResolverSyntax, false),
    'enable-kubernetes-sidecar': bool(props.enableKubernetesSidecar, false),
    'enable-step-actions': bool(props.enableStepActions, true),
    'enable-wait-exponential-backoff': bool(props.enableWaitExponentialBackoff, false),
    'enable-termination-message-compression': bool(props.enableTerminationMessageCompression, false),
    'enable-informer-cache-transforms': bool(props.enableInformerCacheTransforms, true),
  });
  return data;
}

/** Problems Tekton v1.15.0 would have loading these flags (its controller refuses the ConfigMap). */
function problemsOf(props: TektonFeatureFlagsProps): string[] {
  const problems: string[] = [];
  const oneOf = <T extends string>(key: string, value: T | undefined, allowed: readonly T[]): void => {
    if (value !== undefined && !allowed.includes(value)) {
      problems.push(`${key} is "${value}", expected one of ${allowed.join(', ')}`);
    }
  };
  oneOf('enable-api-fields', props.enableApiFields, API_FIELDS);
  oneOf('results-from', props.resultsFrom, RESULTS_FROM);
  oneOf('coschedule', props.coschedule, COSCHEDULE);
  oneOf('enforce-nonfalsifiability', props.enforceNonfalsifiability, NONFALSIFIABILITY);
  oneOf('trusted-resources-verification-no-match-policy', props.trustedResourcesVerificationNoMatchPolicy, NO_MATCH_POLICIES);
  for (const kind of props.disableInlineSpec ?? []) oneOf('disable-inline-spec', kind, INLINE_SPEC_KINDS);
  const size = props.maxResultSize;
  if (size !== undefined) {
    if (!Number.isInteger(size) || size <= 0) {
      problems.push(`max-result-size is ${size}, expected a positive whole number of bytes`);
    } else if (size >= MAX_RESULT_SIZE_LIMIT) {
      problems.push(`max-result-size is ${size}, which reaches the 1.5 MiB CRD limit; use less than ${MAX_RESULT_SIZE_LIMIT}`);
    } else if ((props.resultsFrom ?? 'termination-message') !== 'sidecar-logs') {
      problems.push(
        'max-result-size is set but results-from is not "sidecar-logs", so tekton ignores it; set resultsFrom: \'sidecar-logs\' or drop maxResultSize',
      );
    }
  }
  return problems;
}

/**
 * Tekton Pipelines' `feature-flags` ConfigMap. Renders every key, with Tekton's defaults except
 * `enable-param-enum`, which is on (the model pipeline uses a param `enum`).
 */
export class TektonFeatureFlags extends Construct {
  /** The ConfigMap object. */
  public readonly apiObject: ApiObject;
  /** The `data` the ConfigMap carries. */
  public readonly data: Readonly<Record<string, string>>;
  /** `enable-api-fields` as rendered. */
  public readonly enableApiFields: EnableApiFields;
  /** `enable-param-enum` as rendered. */
  public readonly enableParamEnum: boolean;

  public constructor(scope: Construct, id: string, props: TektonFeatureFlagsProps = {}) {
    super(scope, id);
    this.data = renderData(props);
    this.enableApiFields = props.enableApiFields ?? 'beta';
    this.enableParamEnum = props.enableParamEnum ?? true;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'feature-flags',
        namespace: props.namespace ?? 'tekton-pipelines',
        labels: { 'app.kubernetes.io/instance': 'default', 'app.kubernetes.io/part-of': 'tekton-pipelines' },
      },
      data: { ...this.data },
    });
    this.node.addValidation({ validate: () => problemsOf(props).map((p) => `feature-flags: ${p}`) });
  }
}
