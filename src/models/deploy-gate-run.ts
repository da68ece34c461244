/**
 * A PipelineRun of the deploy gate, for `scripts/deploy-model.sh RUN` (which sets `training-run`):
 * the gate's ServiceAccount, the serving store, and the restricted pod
 * security context of the training runs.
 */
import { Construct } from 'constructs';
import { PipelineRun } from '../tekton/pipeline-run';
import { WorkspaceBinding } from '../tekton/workspace-binding';
import { SlsaForModelsDeployPipeline } from './deploy-gate-pipeline';
import { RESTRICTED_POD_SECURITY_CONTEXT } from './hardening';

/** Props of the `SlsaForModelsDeployRun`. */
export interface SlsaForModelsDeployRunProps {
  /** The deploy Pipeline. */
  readonly pipeline: SlsaForModelsDeployPipeline;
  /** The gate's ServiceAccount. */
  readonly serviceAccountName: string;
  /** The training run to deploy. @default '' (scripts/deploy-model.sh sets it; an empty name fails the fetch) */
  readonly trainingRun?: string;
}

/** A PipelineRun of the deploy gate. */
export class SlsaForModelsDeployRun extends Construct {
  /** The typed PipelineRun. */
  public readonly pipelineRun: PipelineRun<any, any>;

  public constructor(scope: Construct, id: string, props: SlsaForModelsDeployRunProps) {
    super(scope, id);
    this.pipelineRun = new PipelineRun(this, 'Resource', {
      metadata: { generateName: 'slsa-for-models-deploy-' },
      pipeline: props.pipeline,
      params: { 'training-run': props.trainingRun ?? '' },
      workspaces: {
        store: WorkspaceBinding.persistentVolumeClaim(props.pipeline.storeClaimName),
      },
      taskRunTemplate: {
        serviceAccountName: props.serviceAccountName,
        podTemplate: {
          securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
        },
      },
      timeouts: { pipeline: '1h30m', tasks: '1h30m' },
    });
  }
}
