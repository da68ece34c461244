/**
 * The `slsa-for-models-deploy` Pipeline: the `gate` task fetches the training run and its model,
 * verifies the model against the run's signed provenance and the policy, and promotes only the
 * verified bytes under their digest (DeployGateTask: four steps in one pod); `deploy-model` then
 * applies the KServe InferenceService that serves exactly that copy. `deploy-model` consumes the
 * gate's results, so any failure stops the run before it.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelInferenceService, ServedModelFormat } from '../kserve/model-inference-service';
import { Pipeline } from '../tekton/pipeline';
import { PipelineTask } from '../tekton/pipeline-task';
import { DeployGatePolicy, renderDeployGatePolicy } from './deploy-gate-policy';
import { DeployGateTask, DeployModelTask, GateTaskProps } from './deploy-gate-tasks';

const PARAMS = {
  'training-run': { description: 'The name of the training PipelineRun whose model to deploy (signed by Tekton Chains).' },
} as const;

const WORKSPACES = {
  store: { description: 'The serving store: a PersistentVolumeClaim KServe reads with pvc://; only the promote task writes it.' },
  'training-run': {
    description:
      'Optional: the training PipelineRun as JSON (key pipelinerun.json, e.g. a ConfigMap), read instead of asking the Kubernetes API.',
    optional: true,
  },
} as const;

/** The model formats the gate can package for a stock KServe runtime, by file name. */
export const SERVABLE_MODELS: Record<string, ServedModelFormat> = { 'pytorch_jitted_model.pt': 'pytorch' };

/** Props of the `SlsaForModelsDeployPipeline`. */
export interface SlsaForModelsDeployPipelineProps {
  /** What the provenance must say. */
  readonly policy: DeployGatePolicy;
  /** The bundled verifier in its ConfigMaps (the entry's sha256, the part names; see verifier-config-maps.ts). */
  readonly bundle: GateTaskProps['bundle'];
  /** The Rekor the training runs' log entries are fetched from (Chains' `transparency.url`). @default 'https://rekor.sigstore.dev' */
  readonly rekorUrl?: string;
  /**
   * A Secret holding the gate's own OMS signing key (`gate.key`, ECDSA PEM): the promoted copy is
   * then signed in OMS (`model.sig` inside it), for OMS verifiers at serving time. @default - not signed
   */
  readonly omsSigningKeySecret?: string;
  /**
   * A GCS bucket: the promoted copy is also copied to `gs://BUCKET/sha256-<hex>/` (no object
   * overwritten; one that differs fails the gate) and the InferenceService serves it from there. The
   * gate's Google service account needs object create and read on the bucket, the predictor's read.
   * @default - served from the store claim (pvc://)
   */
  readonly gcsBucket?: string;
  /** The PersistentVolumeClaim of the serving store. @default 'slsa-for-models-models' */
  readonly storeClaimName?: string;
  /** The InferenceService's name, also the name TorchServe serves the model under. @default 'slsa-for-models' */
  readonly inferenceServiceName?: string;
  /** The model file the training run uploads (must be one of SERVABLE_MODELS). @default 'pytorch_jitted_model.pt' */
  readonly modelName?: string;
  /** CPU and memory of the model server. @default - the runtime's own */
  readonly servingResources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  /** Metadata of the Pipeline. @default - name `slsa-for-models-deploy` */
  readonly metadata?: ApiObjectMetadata;
}

/** The deploy gate Pipeline. */
export class SlsaForModelsDeployPipeline extends Pipeline<typeof PARAMS, typeof WORKSPACES> {
  /** The pipeline task `gate`: fetch, download, verify, promote. */
  public readonly gate: PipelineTask<DeployGateTask['declared']['results']>;
  /** The pipeline task `deploy-model`. */
  public readonly deployModel: PipelineTask<DeployModelTask['declared']['results']>;
  /** The PersistentVolumeClaim of the serving store. */
  public readonly storeClaimName: string;
  /** The InferenceService's name. */
  public readonly inferenceServiceName: string;

  public constructor(scope: Construct, id: string, props: SlsaForModelsDeployPipelineProps) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-deploy', ...props.metadata },
      description:
        'Verifies a trained model against its signed SLSA provenance and a policy, then serves exactly the verified bytes with KServe.',
      params: PARAMS,
      workspaces: WORKSPACES,
    });
    const modelName = props.modelName ?? 'pytorch_jitted_model.pt';
    const format = SERVABLE_MODELS[modelName];
    if (format === undefined) {
      throw new Error(
        `[${this.node.path}] model "${modelName}" cannot be served by a stock KServe runtime without code the gate does not verify (servable: ${Object.keys(SERVABLE_MODELS).join(', ')}: TorchScript needs no model class)`,
      );
    }
    this.storeClaimName = props.storeClaimName ?? 'slsa-for-models-models';
    if (props.gcsBucket !== undefined && !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(props.gcsBucket))
      throw new Error(
        `[${this.node.path}] gcsBucket "${props.gcsBucket}" is not a bucket name (lowercase letters, digits, -, _ and .; no gs://)`,
      );
    this.inferenceServiceName = props.inferenceServiceName ?? 'slsa-for-models';
    const gate = { bundle: props.bundle };
    const inferenceService = ModelInferenceService.manifest({
      name: this.inferenceServiceName,
      modelFormat: format,
      resources: props.servingResources,
    });

    const gateTask = new DeployGateTask(this, 'DeployGateTask', {
      ...gate,
      policy: renderDeployGatePolicy(props.policy),
      rekorUrl: props.rekorUrl,
      omsSignatureFile: props.policy.omsPublisher?.signatureFile,
      omsSigningKeySecret: props.omsSigningKeySecret,
      gcsBucket: props.gcsBucket,
    });
    const deployTask = new DeployModelTask(this, 'DeployModelTask', {
      ...gate,
      inferenceService,
      storeClaimName: this.storeClaimName,
      gcsBucket: props.gcsBucket,
    });

    this.gate = this.addTask('gate', gateTask, {
      params: { 'training-run': this.params['training-run'], 'served-model-name': this.inferenceServiceName },
      workspaces: { store: this.workspaces.store, 'training-run': this.workspaces['training-run'] },
      timeout: '1h',
    });
    const gated = this.gate.results;
    this.deployModel = this.addTask('deploy-model', deployTask, {
      params: { directory: gated.directory, sha256: gated.sha256 },
      timeout: '5m',
    });

    this.addResult(
      'model_ARTIFACT_INPUTS',
      { uri: gated['model-uri'], digest: `sha256:${gated.sha256}` },
      {
        description: 'The verified model (Chains: a resolved dependency of the deploy run).',
      },
    );
    this.addResult(
      'served-model_ARTIFACT_OUTPUTS',
      {
        uri: `${props.gcsBucket === undefined ? `pvc://${this.storeClaimName}` : `gs://${props.gcsBucket}`}/${gated.directory}/model-store/${this.inferenceServiceName}.mar`,
        digest: `sha256:${gated['package-sha256']}`,
        isBuildArtifact: 'true',
      },
      { description: "The TorchServe archive made from the verified bytes (Chains: the subject of the deploy run's provenance)." },
    );
  }
}
