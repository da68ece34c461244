/**
 * A ValidatingAdmissionPolicy (built into Kubernetes since 1.30, CEL) that refuses, in the serving
 * namespace, every InferenceService whose model does not come from a copy the deploy gate promoted:
 * `spec.predictor.model.storageUri` must be `pvc://<store claim>/sha256-<hex>` (or
 * `gs://<bucket>/sha256-<hex>`), and no other way to bring storage in may be used: `storageUris`,
 * `storage`, `storageContainerName`, the framework shortcuts (`pytorch`, `sklearn`, ...), custom
 * `containers` or `initContainers`, a transformer, an explainer, or a canary. Cluster-scoped: an
 * administrator applies it (`kubectl apply -f dist/admission`), not the gate.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** The predictor fields that name a model of their own (KServe v0.20.0's InferenceService CRD), besides `model`. */
export const PREDICTOR_FRAMEWORK_FIELDS = [
  'huggingface',
  'lightgbm',
  'onnx',
  'paddle',
  'pmml',
  'pytorch',
  'sklearn',
  'tensorflow',
  'triton',
  'xgboost',
] as const;

/** Props of `VerifiedStorageAdmission`. */
export interface VerifiedStorageAdmissionProps {
  /** The namespace the gate serves in (the binding applies there only). @default 'default' */
  readonly namespace?: string;
  /** The store claim the gate promotes to. @default 'slsa-for-models-models' */
  readonly storeClaimName?: string;
  /** The GCS bucket the gate promotes to, when it does. @default - none: only pvc:// copies */
  readonly gcsBucket?: string;
  /** The policy's (and its binding's) name. @default 'slsa-for-models-verified-storage' */
  readonly name?: string;
}

/** The RE2 pattern a promoted copy's storage URI matches. */
export function promotedStorageUriPattern(storeClaimName: string, gcsBucket?: string): string {
  const quote = (text: string) => text.replace(/[.]/g, '\\.');
  const roots = [`pvc://${quote(storeClaimName)}`, ...(gcsBucket === undefined ? [] : [`gs://${quote(gcsBucket)}`])];
  return `^(${roots.join('|')})/sha256-[0-9a-f]{64}$`;
}

/** One CEL validation: the expression and the message when it is false. */
export interface CelValidation {
  readonly expression: string;
  readonly message: string;
}

/** The validations, in the order the policy lists them. */
export function verifiedStorageValidations(storeClaimName: string, gcsBucket?: string): CelValidation[] {
  const pattern = promotedStorageUriPattern(storeClaimName, gcsBucket);
  const where =
    gcsBucket === undefined
      ? `pvc://${storeClaimName}/sha256-<hex>`
      : `pvc://${storeClaimName}/sha256-<hex> or gs://${gcsBucket}/sha256-<hex>`;
  return [
    {
      expression: `has(object.spec.predictor.model) && has(object.spec.predictor.model.storageUri) && object.spec.predictor.model.storageUri.matches('${pattern}')`,
      message: `spec.predictor.model.storageUri must name a copy the deploy gate promoted (${where})`,
    },
    {
      expression:
        '!has(object.spec.predictor.model) || (!has(object.spec.predictor.model.storage) && !has(object.spec.predictor.model.storageUris))',
      message: 'spec.predictor.model may bring no storage but its storageUri (no storage, no storageUris)',
    },
    {
      expression: '!has(object.spec.predictor.storageUris) && !has(object.spec.predictor.storageContainerName)',
      message:
        'spec.predictor may not set storageUris or storageContainerName (a storage container other than the one the gate serves through)',
    },
    {
      // has() on each field: a CRD's objects are typed in Kubernetes CEL, where `in` applies to maps and lists only
      expression: PREDICTOR_FRAMEWORK_FIELDS.map((f) => `!has(object.spec.predictor.${f})`).join(' && '),
      message: `spec.predictor may not use a framework field (${PREDICTOR_FRAMEWORK_FIELDS.join(', ')}): use model with the promoted storageUri`,
    },
    {
      expression: '!has(object.spec.predictor.containers) && !has(object.spec.predictor.initContainers)',
      message: 'spec.predictor may not run containers or initContainers of its own (they could fetch any model)',
    },
    {
      expression: '!has(object.spec.transformer) && !has(object.spec.explainer) && !has(object.spec.canary)',
      message: 'a transformer, an explainer or a canary is not allowed: each can bring storage the gate did not verify',
    },
  ];
}

/** The ValidatingAdmissionPolicy and its binding to the serving namespace. */
export class VerifiedStorageAdmission extends Construct {
  /** The policy. */
  public readonly policy: ApiObject;
  /** Its binding (Deny, in the serving namespace). */
  public readonly binding: ApiObject;

  public constructor(scope: Construct, id: string, props: VerifiedStorageAdmissionProps = {}) {
    super(scope, id);
    const name = props.name ?? 'slsa-for-models-verified-storage';
    const namespace = props.namespace ?? 'default';
    this.policy = new ApiObject(this, 'Policy', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: ['serving.kserve.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['inferenceservices'] },
          ],
        },
        validations: verifiedStorageValidations(props.storeClaimName ?? 'slsa-for-models-models', props.gcsBucket),
      },
    });
    this.binding = new ApiObject(this, 'Binding', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
      },
    });
  }
}
