/**
 * Everything `kubectl apply -f dist` installs for the model pipeline, as one construct: Tekton's
 * feature flags, Chains' configuration, the run's service account, the Pipeline with its Tasks, and
 * the ConfigMaps of the bundled verifier (the training task's input check and the deploy gate run it).
 * Cross-checks them at synth: Chains must find an attestation subject among the Pipeline's results;
 * the Tekton rules judge the Pipeline and Tasks under the feature flags rendered here (so turning
 * `enable-param-enum` off fails the synth, as the `model-name` enum needs it).
 */
import { Construct } from 'constructs';
import { addAttestationSubjectValidation } from '../chains/attestation-subject-validation';
import { ChainsConfig, ChainsConfigProps } from '../chains/chains-config';
import { TektonFeatureFlags, TektonFeatureFlagsProps } from '../chains/tekton-feature-flags';
import { RunServiceAccount } from './run-service-account';
import { SlsaForModelsPipeline, SlsaForModelsPipelineProps } from './slsa-for-models-pipeline';
import { VerifierConfigMaps } from './verifier-config-maps';

/** Props of `SlsaForModels`. */
export interface SlsaForModelsProps {
  /** Tekton's `feature-flags`. @default - Tekton's defaults with `enable-param-enum` on */
  readonly featureFlags?: TektonFeatureFlagsProps;
  /** Chains' `chains-config`. @default - slsa/v2alpha4, tekton storage, transparency on */
  readonly chains?: ChainsConfigProps;
  /** The Pipeline. @default - sigstore/model-transparency v1.0.1, pinned images */
  readonly pipeline?: SlsaForModelsPipelineProps;
  /** The name of the run's ServiceAccount. @default 'slsa-for-models' */
  readonly serviceAccountName?: string;
  /** A Google service account for the runs to impersonate (`iam.gke.io/gcp-service-account`). @default - none */
  readonly googleServiceAccount?: string;
}

/** The model pipeline and the cluster configuration it needs. */
export class SlsaForModels extends Construct {
  /** Tekton Pipelines' feature flags. */
  public readonly featureFlags: TektonFeatureFlags;
  /** Tekton Chains' configuration. */
  public readonly chainsConfig: ChainsConfig;
  /** The service account runs use. */
  public readonly serviceAccount: RunServiceAccount;
  /** The Pipeline (its Tasks are its children). */
  public readonly pipeline: SlsaForModelsPipeline;
  /** The ConfigMaps of the bundled verifier: the training task's input check (its `train-inputs-verifier` workspace) and the deploy gate's steps run it. */
  public readonly verifierConfigMaps: VerifierConfigMaps;

  public constructor(scope: Construct, id: string, props: SlsaForModelsProps = {}) {
    super(scope, id);
    this.featureFlags = new TektonFeatureFlags(this, 'FeatureFlags', props.featureFlags);
    this.chainsConfig = new ChainsConfig(this, 'ChainsConfig', props.chains);
    this.serviceAccount = new RunServiceAccount(this, 'ServiceAccount', {
      name: props.serviceAccountName,
      googleServiceAccount: props.googleServiceAccount,
    });
    this.pipeline = new SlsaForModelsPipeline(this, 'Pipeline', props.pipeline);
    this.verifierConfigMaps = new VerifierConfigMaps(this, 'Verifier');
    addAttestationSubjectValidation(this.pipeline, this.chainsConfig);
  }
}
