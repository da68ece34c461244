/**
 * `EmbeddedPipeline`: a Pipeline spec that lives inside the PipelineRun that runs it (`pipelineSpec`).
 */
import { Construct } from 'constructs';
import { ParamSpecs } from './param-spec';
import { PipelineBase, PipelineBaseProps } from './pipeline-base';
import { PipelineReference } from './pipeline-interface';
import { PipelineWorkspaceSpecs } from './workspace-spec';

/** Props of an `EmbeddedPipeline`. */
export type EmbeddedPipelineProps<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> = PipelineBaseProps<P, W>;

/**
 * A Pipeline that is not an object of its own: the PipelineRun that runs it embeds its spec as
 * `pipelineSpec`. Typed like `Pipeline`; it is judged as part of that PipelineRun.
 */
export class EmbeddedPipeline<const P extends ParamSpecs = {}, const W extends PipelineWorkspaceSpecs = {}> extends PipelineBase<P, W> {
  /** Defines an embedded Pipeline. */
  public constructor(scope: Construct, id: string, props: EmbeddedPipelineProps<P, W> = {}) {
    super(scope, id, props);
  }

  /** The construct id. */
  public get pipelineName(): string {
    return this.node.id;
  }

  /** A run embeds this Pipeline's spec. */
  public reference(): PipelineReference {
    return { pipelineSpec: this.specJson() };
  }

  /** The Tasks it refers to (the spec itself is inside the run). */
  public documentsForCheck(): unknown[] {
    return this.taskDocuments();
  }
}
