/**
 * The model's PipelineRun for Pipelines-as-Code (PaC): a file for a repository's `.tekton/` folder
 * that PaC runs on every push to one branch (`pipelinesascode.tekton.dev/on-event: "[push]"`,
 * `on-target-branch`, and `on-path-change` where given), with PaC's `{{ revision }}` (the pushed
 * commit) and `{{ repo_url }}` as the model source. PaC inlines a Pipeline or Task it finds by name
 * in `.tekton/` (or names in a `pipelinesascode.tekton.dev/pipeline`/`task` annotation) and leaves
 * resolver references alone, so the Pipeline and its Tasks go into the same folder; the PipelineRun
 * PaC creates then carries the Pipeline as an embedded `pipelineSpec`, and Chains records that
 * embedded spec, not a reference to the Pipeline.
 */
import { Construct } from 'constructs';
import { SlsaForModelsPipeline } from './slsa-for-models-pipeline';
import { SlsaForModelsRun, SlsaForModelsRunProps } from './slsa-for-models-run';

/** PaC's annotation prefix. */
export const PAC_ANNOTATION = 'pipelinesascode.tekton.dev';

/** Props of the `SlsaForModelsPacRun`. */
export interface SlsaForModelsPacRunProps {
  /** The Pipeline to run (its Tasks and it must be in the same `.tekton/` folder). */
  readonly pipeline: SlsaForModelsPipeline;
  /** The service account of the run's pods. */
  readonly serviceAccountName: string;
  /** The branch whose pushes start the run. @default 'main' */
  readonly branch?: string;
  /** Run only when a push changes one of these paths (PaC globs such as `workloads/tiny-cnn/**`). @default - any change */
  readonly paths?: readonly string[];
  /** The pip requirements file in the repository. @default 'workloads/tiny-cnn/requirements.txt' */
  readonly requirementsPath?: string;
  /** The training entry point in the repository. @default 'workloads/tiny-cnn/train.py' */
  readonly mainPath?: string;
  /** More settings of the run (model, storage, timeouts, accelerator). @default - the defaults of SlsaForModelsRun */
  readonly run?: Omit<SlsaForModelsRunProps, 'pipeline' | 'serviceAccountName' | 'modelSource' | 'generateName' | 'annotations'>;
  /** The `generateName` prefix. @default 'slsa-for-models-push-' */
  readonly generateName?: string;
}

/** PaC's list syntax for an annotation value: `[a, b]`. */
function pacList(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

/** The model's PipelineRun as a Pipelines-as-Code `.tekton/` file. */
export class SlsaForModelsPacRun extends Construct {
  /** The run. */
  public readonly run: SlsaForModelsRun;

  public constructor(scope: Construct, id: string, props: SlsaForModelsPacRunProps) {
    super(scope, id);
    const branch = props.branch ?? 'main';
    const annotations: Record<string, string> = {
      [`${PAC_ANNOTATION}/on-event`]: pacList(['push']),
      [`${PAC_ANNOTATION}/on-target-branch`]: pacList([branch]),
    };
    if (props.paths?.length) annotations[`${PAC_ANNOTATION}/on-path-change`] = pacList(props.paths);
    this.run = new SlsaForModelsRun(this, 'Run', {
      ...props.run,
      pipeline: props.pipeline,
      serviceAccountName: props.serviceAccountName,
      generateName: props.generateName ?? 'slsa-for-models-push-',
      annotations,
      modelSource: {
        url: '{{ repo_url }}',
        revision: '{{ revision }}',
        requirementsPath: props.requirementsPath ?? 'workloads/tiny-cnn/requirements.txt',
        mainPath: props.mainPath ?? 'workloads/tiny-cnn/train.py',
      },
    });
    this.node.addValidation({
      validate: () =>
        [branch, ...(props.paths ?? [])]
          .filter((v) => v === '' || /[[\],\s]/.test(v))
          .map((v) => `pipelines-as-code value "${v}" cannot stand in an annotation list (no brackets, commas or spaces)`),
    });
  }
}
