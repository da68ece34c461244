/**
 * What the deploy gate requires of a model's provenance, as a typed construct prop: rendered at
 * synth into the verify step (as JSON the bundled gate reads, deploy-gate-program.ts), checked at
 * synth so that a policy naming nothing never reaches a cluster.
 */
import { createPublicKey } from 'node:crypto';
import { DeployGatePolicyJson, omsPublisherProblem } from './deploy-gate-program';

/** A publisher whose OpenSSF Model Signing (OMS) signature of the model the gate also requires. */
export interface DeployGateOmsPublisher {
  /** The publisher's public key, PEM (model_signing `verify key`). Give this, or `identity` with `oidcIssuer`. */
  readonly publicKeyPem?: string;
  /** The signer's certificate identity (model_signing `verify sigstore --identity`), checked against the trusted root. */
  readonly identity?: string;
  /** The OIDC issuer of that identity (model_signing `--identity_provider`). */
  readonly oidcIssuer?: string;
  /** The signature's file name in the model's Artifact Registry package version (uploaded beside the model). @default 'model.sig' */
  readonly signatureFile?: string;
}

/** The policy of the deploy gate. */
export interface DeployGatePolicy {
  /** The builder id the provenance must name (Chains: `https://tekton.dev/chains/v2`, or its `builder.id`). */
  readonly builderId: string;
  /** The source repository the model was trained from, e.g. `git+https://github.com/org/repo`. */
  readonly sourceUri: string;
  /** The git commit of that source (40 hex, or 64 for sha256 repositories). */
  readonly sourceDigest: string;
  /** Params the training run must have had, by name (`name.key` for a key of an object param). @default - none */
  readonly params?: Readonly<Record<string, string>>;
  /** The oldest attestation accepted, as a Go duration of hours, minutes and seconds (`720h`). */
  readonly maxAge: string;
  /** The predicate type (cosign `--type`). @default 'slsaprovenance1' */
  readonly predicateType?: string;
  /** The Pipeline the training run must have run (its `pipelineRef.name`, a Pipeline of the cluster). @default 'slsa-for-models' */
  readonly pipelineName?: string;
  /**
   * Require the run's Rekor entry to verify against Sigstore's trusted root and to be this envelope,
   * signature and key, as `slsa-for-models verify` does; `false` skips it, as cosign's `--insecure-ignore-tlog`. @default true
   */
  readonly transparencyLog?: boolean;
  /**
   * Also require an OMS signature of the model by this publisher (a key or a Sigstore identity), in
   * addition to the provenance. @default - no OMS signature is required
   */
  readonly omsPublisher?: DeployGateOmsPublisher;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** Seconds in a Go duration made of h, m and s parts (`720h`, `1h30m`); undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?[hms])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) total += Number(amount) * UNIT_SECONDS[unit];
  return total > 0 ? total : undefined;
}

/** What is wrong with a policy, one lowercase line each (empty when it can be rendered). */
export function deployGatePolicyProblems(policy: DeployGatePolicy): string[] {
  const problems: string[] = [];
  for (const field of ['builderId', 'sourceUri', 'sourceDigest'] as const) {
    if (typeof policy[field] !== 'string' || policy[field].trim() === '')
      problems.push(`deploy gate policy names no ${field}: a gate that requires nothing would pass any signed model`);
  }
  if (policy.sourceDigest && !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(policy.sourceDigest)) {
    problems.push(`deploy gate policy sourceDigest "${policy.sourceDigest}" is not a full lowercase git commit (40 or 64 hex)`);
  }
  if (durationSeconds(policy.maxAge ?? '') === undefined) {
    problems.push(`deploy gate policy maxAge "${policy.maxAge}" is not a positive duration of h, m and s (for example 720h)`);
  }
  if (policy.omsPublisher !== undefined) {
    const { signatureFile, ...publisher } = policy.omsPublisher;
    const problem = omsPublisherProblem(publisher);
    if (problem !== undefined) problems.push(`deploy gate policy ${problem}`);
    else if (publisher.publicKeyPem !== undefined) {
      try {
        createPublicKey(publisher.publicKeyPem);
      } catch {
        problems.push('deploy gate policy omsPublisher publicKeyPem is not a public key node:crypto can read');
      }
    }
    if (signatureFile !== undefined && !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(signatureFile))
      problems.push(`deploy gate policy omsPublisher signatureFile "${signatureFile}" is not a plain file name`);
  }
  for (const [name, value] of Object.entries(policy.params ?? {})) {
    if (name.trim() === '' || typeof value !== 'string')
      problems.push(`deploy gate policy param "${name}" needs a name and a string value`);
  }
  return problems;
}

/** The policy as the gate reads it; throws the first problem. */
export function renderDeployGatePolicy(policy: DeployGatePolicy): DeployGatePolicyJson {
  const problems = deployGatePolicyProblems(policy);
  if (problems.length > 0) throw new Error(problems[0]);
  return {
    builderId: policy.builderId,
    // the training run: a PipelineRun of the named Pipeline of the cluster in the gate's own namespace (no embedded
    // spec), that succeeded. Tekton puts the namespace in when the step starts; the run is fetched from that namespace,
    // so a pipelineRef without resolver (Triggers, kubectl create) passes, and so does one through the cluster
    // resolver naming it (Pipelines-as-Code leaves a resolver reference alone)
    runKind: 'PipelineRun',
    pipeline: { name: policy.pipelineName ?? 'slsa-for-models', clusterNamespace: '$(context.taskRun.namespace)', forbidInlineSpec: true },
    sourceUri: policy.sourceUri,
    sourceDigest: policy.sourceDigest,
    params: Object.entries(policy.params ?? {}).map(([name, value]) => ({ name, value })),
    time: { maxAgeSeconds: durationSeconds(policy.maxAge)! },
    requireSucceeded: true,
    ...(policy.predicateType === undefined ? {} : { predicateType: policy.predicateType }),
    ...(policy.transparencyLog === false ? { insecureIgnoreTlog: true } : {}),
    ...(policy.omsPublisher === undefined ? {} : { omsPublisher: omsPublisherJson(policy.omsPublisher) }),
  };
}

/** The publisher as the gate reads it (the signature's file name goes to the download step instead). */
function omsPublisherJson(publisher: DeployGateOmsPublisher): NonNullable<DeployGatePolicyJson['omsPublisher']> {
  return publisher.publicKeyPem !== undefined
    ? { publicKeyPem: publisher.publicKeyPem }
    : { identity: publisher.identity!, oidcIssuer: publisher.oidcIssuer! };
}
