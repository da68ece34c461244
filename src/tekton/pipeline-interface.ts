/**
 * What a PipelineRun needs of the Pipeline it runs, whether a `Pipeline` object or an
 * `EmbeddedPipeline`.
 */
import { IConstruct } from 'constructs';
import { ParamSpecs } from './param-spec';
import { PipelineWorkspaceSpecs } from './workspace-spec';

/** The declared interface of a Pipeline: its params and workspaces by name. */
export interface PipelineDeclarations<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> {
  /** Declared params. */
  readonly params: P;
  /** Declared workspaces. */
  readonly workspaces: W;
}

/** How a PipelineRun names its Pipeline: by name, through a resolver (with its params), or embedded. */
export type PipelineReference =
  | { readonly pipelineRef: { readonly name: string } }
  | { readonly pipelineRef: { readonly resolver: string; readonly params: { readonly name: string; readonly value: string }[] } }
  | { readonly pipelineSpec: Record<string, unknown> };

/** A Pipeline a PipelineRun can run; its type carries its declarations so the compiler can check the run. */
export interface IPipeline<
  P extends ParamSpecs = ParamSpecs,
  W extends PipelineWorkspaceSpecs = PipelineWorkspaceSpecs,
> extends IConstruct {
  /** The Pipeline's declared params and workspaces. */
  readonly declared: PipelineDeclarations<P, W>;
  /** A name for messages. */
  readonly pipelineName: string;
  /** The `pipelineRef` or `pipelineSpec` of a run of this Pipeline. */
  reference(): PipelineReference;
  /**
   * The reference a run is judged with at synth, when it is not {@link reference}: a reference
   * resolved at run time to a Pipeline this construct knows is the one (the cluster resolver naming
   * the installed Pipeline) is judged as a reference by name, with that Pipeline among the documents.
   * @default - reference()
   */
  referenceForCheck?(): PipelineReference;
  /** The objects a run must be judged with: the Pipeline (unless embedded) and the Tasks it refers to. */
  documentsForCheck(): unknown[];
}
