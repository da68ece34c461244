/**
 * `ClusterResolvedPipeline`: a `Pipeline` of the cluster, reached through Tekton's `cluster` resolver
 * (`pipelineRef: {resolver: cluster, params: [kind: pipeline, name, namespace]}`) instead of by name.
 * The Pipeline is the same object; only the run's reference differs. It is what a run writes when a
 * tool between it and Tekton would take a plain `pipelineRef` by name for its own: Pipelines-as-Code
 * inlines a Pipeline it finds by name in `.tekton/` and leaves a resolver reference alone, so the run
 * keeps referring to the installed Pipeline and Chains records that reference, not an embedded spec.
 * Tekton's cluster resolver needs `enable-cluster-resolver` (on by default) and beta API fields.
 */
import { Construct } from 'constructs';
import { ParamSpecs } from './param-spec';
import { Pipeline } from './pipeline';
import { IPipeline, PipelineDeclarations, PipelineReference } from './pipeline-interface';
import { PipelineWorkspaceSpecs } from './workspace-spec';

/** Props of a `ClusterResolvedPipeline`. */
export interface ClusterResolvedPipelineProps<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> {
  /** The Pipeline, as installed in the cluster. */
  readonly pipeline: Pipeline<P, W>;
  /**
   * The namespace it is installed in. Always written: left out, the resolver would take its
   * `default-namespace` setting, which no provenance records. Pipelines-as-Code's
   * `{{ target_namespace }}` names the namespace its run is created in.
   */
  readonly namespace: string;
}

/** A run of this refers to `pipeline` through the cluster resolver, in `namespace`. */
export class ClusterResolvedPipeline<
  const P extends ParamSpecs = ParamSpecs,
  const W extends PipelineWorkspaceSpecs = PipelineWorkspaceSpecs,
>
  extends Construct
  implements IPipeline<P, W>
{
  /** The Pipeline's declarations (a run is typed against them as against the Pipeline itself). */
  public readonly declared: PipelineDeclarations<P, W>;
  /** The namespace the resolver reads the Pipeline from. */
  public readonly namespace: string;
  private readonly pipeline: Pipeline<P, W>;

  /** Defines the reference. */
  public constructor(scope: Construct, id: string, props: ClusterResolvedPipelineProps<P, W>) {
    super(scope, id);
    if (props.namespace.trim() === '')
      throw new Error(`[${this.node.path}] namespace is empty; the cluster resolver would read its default-namespace setting`);
    this.pipeline = props.pipeline;
    this.declared = props.pipeline.declared;
    this.namespace = props.namespace;
  }

  /** The Pipeline's name. */
  public get pipelineName(): string {
    return this.pipeline.pipelineName;
  }

  /** `pipelineRef` through the cluster resolver: kind, name and namespace. */
  public reference(): PipelineReference {
    return {
      pipelineRef: {
        resolver: 'cluster',
        params: [
          { name: 'kind', value: 'pipeline' },
          { name: 'name', value: this.pipeline.name },
          { name: 'namespace', value: this.namespace },
        ],
      },
    };
  }

  /** At synth the run is judged as a run of the Pipeline by name: this construct knows it is the one the resolver reads. */
  public referenceForCheck(): PipelineReference {
    return this.pipeline.reference();
  }

  /** The Pipeline and its Tasks. */
  public documentsForCheck(): unknown[] {
    return this.pipeline.documentsForCheck();
  }
}
