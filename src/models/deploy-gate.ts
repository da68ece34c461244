/**
 * Everything `kubectl apply -f dist/deploy` installs for the deploy gate: the ServiceAccount with a namespaced Role that may only get pipelineruns and write the
 * one InferenceService, the serving store's PersistentVolumeClaim, and the `slsa-for-models-deploy`
 * Pipeline with its Tasks. No ClusterRole, no Secret: the Chains public key comes from the
 * ConfigMap `scripts/generate-signing-key.sh` publishes. The gate's steps run the bundled verifier
 * from the ConfigMaps `kubectl apply -f dist` installs with the training pipeline (`SlsaForModels`
 * makes them; an app without it adds `VerifierConfigMaps`), in the namespace of the training runs.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeployGatePolicy } from './deploy-gate-policy';
import { SlsaForModelsDeployPipeline, SlsaForModelsDeployPipelineProps } from './deploy-gate-pipeline';
import { verifierBundle, VerifierBundle } from './verifier-bundle';
import { RunServiceAccount } from './run-service-account';

/** Props of `SlsaForModelsDeploy`. */
export interface SlsaForModelsDeployProps extends Omit<SlsaForModelsDeployPipelineProps, 'bundle' | 'metadata'> {
  /** What the provenance must say. */
  readonly policy: DeployGatePolicy;
  /** The name of the gate's ServiceAccount (and its Role). @default 'slsa-for-models-deploy' */
  readonly serviceAccountName?: string;
  /** A Google service account for the download to impersonate (`iam.gke.io/gcp-service-account`). @default - none */
  readonly googleServiceAccount?: string;
  /** Size of the serving store. @default '2Gi' */
  readonly storeSize?: string;
  /** Storage class of the serving store. @default - the cluster's default */
  readonly storageClassName?: string;
  /** The bundled verifier whose ConfigMaps the gate's steps mount (its entry's sha256 is pinned in them). @default - bundled from the compiled sources */
  readonly bundle?: VerifierBundle;
}

/** The deploy gate and the namespaced objects it needs. */
export class SlsaForModelsDeploy extends Construct {
  /** The gate's ServiceAccount. */
  public readonly serviceAccount: RunServiceAccount;
  /** The Role: get pipelineruns; create, get and patch the one InferenceService. */
  public readonly role: ApiObject;
  /** The serving store. */
  public readonly storeClaim: ApiObject;
  /** The Pipeline. */
  public readonly pipeline: SlsaForModelsDeployPipeline;

  public constructor(scope: Construct, id: string, props: SlsaForModelsDeployProps) {
    super(scope, id);
    const bundle = props.bundle ?? verifierBundle();
    const name = props.serviceAccountName ?? 'slsa-for-models-deploy';
    this.pipeline = new SlsaForModelsDeployPipeline(this, 'Pipeline', { ...props, bundle });
    this.serviceAccount = new RunServiceAccount(this, 'ServiceAccount', { name, googleServiceAccount: props.googleServiceAccount });
    this.role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name },
      rules: [
        { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['get'] },
        // server-side apply creates the object the first time (create cannot be limited by name) and patches it after
        { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'], verbs: ['create'] },
        {
          apiGroups: ['serving.kserve.io'],
          resources: ['inferenceservices'],
          resourceNames: [this.pipeline.inferenceServiceName],
          verbs: ['get', 'patch'],
        },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    });
    this.storeClaim = new ApiObject(this, 'StoreClaim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: this.pipeline.storeClaimName },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: props.storeSize ?? '2Gi' } },
        storageClassName: props.storageClassName,
      },
    });
  }
}
