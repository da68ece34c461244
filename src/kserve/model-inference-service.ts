/**
 * A KServe `InferenceService` (serving.kserve.io/v1beta1, KServe v0.20.0) that serves one model with a
 * stock serving runtime, in `Standard` deployment mode (plain Deployments: no Knative), hardened for the
 * Pod Security "restricted" profile. An L2 over the class `cdk8s import` generated from the KServe CRDs
 * (imports/serving.kserve.io.ts); `ModelInferenceService.manifest(props)` gives the same object as
 * plain JSON without a construct (what the deploy gate's last step applies).
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  InferenceService,
  InferenceServiceProps,
  InferenceServiceSpecPredictorModelResourcesLimits,
  InferenceServiceSpecPredictorModelResourcesRequests,
} from '../../imports/serving.kserve.io';

/** KServe's annotation that picks the deployment mode of one InferenceService. */
export const KSERVE_DEPLOYMENT_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';

/** The model formats the stock KServe v0.20.0 runtimes serve that this project can train. */
export type ServedModelFormat = 'pytorch' | 'tensorflow';

/** The stock ClusterServingRuntime for each format (`config/runtimes/` of KServe v0.20.0). */
export const KSERVE_RUNTIMES: Record<ServedModelFormat, string> = {
  pytorch: 'kserve-torchserve',
  tensorflow: 'kserve-tensorflow-serving',
};

/** Props of a `ModelInferenceService`. */
export interface ModelInferenceServiceProps {
  /** The InferenceService's name (a DNS-1035 label). */
  readonly name: string;
  /** The namespace. @default - none (the namespace it is applied to) */
  readonly namespace?: string;
  /** The model format; picks the runtime. */
  readonly modelFormat: ServedModelFormat;
  /** Where the runtime reads the model (`pvc://CLAIM/PATH`, `gs://...`). @default - none (set by whoever applies it) */
  readonly storageUri?: string;
  /** The serving runtime. @default - the stock runtime of the format (KSERVE_RUNTIMES) */
  readonly runtime?: string;
  /** `Standard` (Deployments; KServe's `RawDeployment`) or `Knative` (serverless). @default 'Standard' */
  readonly deploymentMode?: 'Standard' | 'Knative';
  /** The inference protocol. @default 'v1' */
  readonly protocolVersion?: 'v1' | 'v2';
  /** CPU and memory of the model server. @default - 1 CPU, 2Gi (the runtime's own) */
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  /** Extra annotations. @default - none */
  readonly annotations?: Record<string, string>;
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with the props, one lowercase line each. */
export function inferenceServiceProblems(props: ModelInferenceServiceProps): string[] {
  const problems: string[] = [];
  if (!DNS_1035_LABEL.test(props.name) || props.name.length > 63) {
    problems.push(
      `InferenceService name "${props.name}" is not a DNS-1035 label (lowercase letters, digits and hyphens, starting with a letter, at most 63 characters)`,
    );
  }
  if (props.storageUri !== undefined && !/^(pvc|gs|s3|https?|hf|oci):\/\/\S+$/.test(props.storageUri)) {
    problems.push(
      `InferenceService/${props.name}: storageUri "${props.storageUri}" is not a pvc://, gs://, s3://, https://, hf:// or oci:// uri`,
    );
  }
  return problems;
}

function quantities<T>(map: Record<string, string> | undefined, make: (value: string) => T): Record<string, T> | undefined {
  return map === undefined ? undefined : Object.fromEntries(Object.entries(map).map(([k, v]) => [k, make(v)]));
}

/** The InferenceService as the generated L1 class takes it. */
function inferenceServiceProps(props: ModelInferenceServiceProps): InferenceServiceProps {
  const annotations = { ...props.annotations, [KSERVE_DEPLOYMENT_MODE_ANNOTATION]: props.deploymentMode ?? 'Standard' };
  return {
    metadata: { name: props.name, namespace: props.namespace, annotations },
    spec: {
      predictor: {
        // the serving pod needs no Kubernetes API access
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        model: {
          modelFormat: { name: props.modelFormat },
          runtime: props.runtime ?? KSERVE_RUNTIMES[props.modelFormat],
          protocolVersion: props.protocolVersion ?? 'v1',
          storageUri: props.storageUri,
          resources:
            props.resources === undefined
              ? undefined
              : {
                  requests: quantities(props.resources.requests, InferenceServiceSpecPredictorModelResourcesRequests.fromString),
                  limits: quantities(props.resources.limits, InferenceServiceSpecPredictorModelResourcesLimits.fromString),
                },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
      },
    },
  };
}

/** An InferenceService for one model, in Standard mode, with restricted pod security. */
export class ModelInferenceService extends Construct {
  /** The object as plain JSON (undefined fields dropped), without a construct. */
  public static manifest(props: ModelInferenceServiceProps): Record<string, any> {
    const problems = inferenceServiceProblems(props);
    if (problems.length > 0) throw new Error(problems[0]);
    return JSON.parse(JSON.stringify(InferenceService.manifest(inferenceServiceProps(props))));
  }

  /** The generated L1 object. */
  public readonly apiObject: ApiObject;
  /** The InferenceService's name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: ModelInferenceServiceProps) {
    super(scope, id);
    this.name = props.name;
    const rendered = inferenceServiceProps(props);
    this.apiObject = new InferenceService(this, 'Resource', {
      metadata: rendered.metadata,
      spec: Lazy.any({ produce: () => rendered.spec }),
    });
    this.node.addValidation({ validate: () => inferenceServiceProblems(props) });
  }
}
