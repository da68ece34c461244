/**
 * The model's PipelineRun for Pipelines-as-Code (PaC): a file for a repository's `.tekton/` folder
 * that PaC runs on every push to one branch (`pipelinesascode.tekton.dev/on-event: "[push]"`,
 * `on-target-branch`, and `on-path-change` where given), with PaC's `{{ revision }}` (the pushed
 * commit) and `{{ repo_url }}` as the model source. PaC inlines a Pipeline or Task it finds by name
 * in `.tekton/` (or names in a `pipelinesascode.tekton.dev/pipeline`/`task` annotation) and leaves
 * resolver references alone (openshift-pipelines/pipelines-as-code `pkg/resolve/resolve.go`). So the
 * run can take its Pipeline from one of two places:
 *
 * - `cluster` (the default): the Pipeline installed by `kubectl apply -f dist`, through Tekton's
 *   cluster resolver in PaC's `{{ target_namespace }}`. `.tekton/` holds only the run; a push cannot
 *   change how the model is built, Chains records the reference, and `verify --pipeline-namespace`
 *   and the deploy gate accept the run as they accept one started by Triggers.
 * - `repository`: the Pipeline and its Tasks in `.tekton/` beside the run. The PipelineRun PaC creates
 *   carries the Pipeline as an embedded `pipelineSpec`, Chains records that embedded spec, and
 *   `--forbid-pipeline-spec` and the deploy gate refuse it.
 */
import { Construct } from 'constructs';
import { SlsaForModelsPipeline } from './slsa-for-models-pipeline';
import { SlsaForModelsRun, SlsaForModelsRunProps } from './slsa-for-models-run';

/** PaC's annotation prefix. */
export const PAC_ANNOTATION = 'pipelinesascode.tekton.dev';

/** Where a PaC run takes its Pipeline from (see the module comment). */
export type PacPipelineSource = 'cluster' | 'repository';

/** Props of the `SlsaForModelsPacRun`. */
export interface SlsaForModelsPacRunProps {
  /** The Pipeline to run: installed in the cluster, or (with `pipelineFrom: 'repository'`) in the same `.tekton/` folder with its Tasks. */
  readonly pipeline: SlsaForModelsPipeline;
  /** Where the run takes its Pipeline from. @default 'cluster' */
  readonly pipelineFrom?: PacPipelineSource;
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
  readonly run?: Omit<
    SlsaForModelsRunProps,
    'pipeline' | 'pipelineNamespace' | 'serviceAccountName' | 'modelSource' | 'generateName' | 'annotations'
  >;
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
      // PaC fills in the namespace its run is created in, where `kubectl apply -f dist` installed the Pipeline
      ...((props.pipelineFrom ?? 'cluster') === 'cluster' ? { pipelineNamespace: '{{ target_namespace }}' } : {}),
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
