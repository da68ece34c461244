/**
 * `EmbeddedTask`: a Task spec that lives inside the pipeline task that runs it (`taskSpec`).
 */
import { Construct } from 'constructs';
import { ParamSpecs } from './param-spec';
import { ResultSpecs } from './result-spec';
import { TaskBase, TaskBaseProps } from './task-base';
import { TaskReference } from './task-interface';
import { TaskWorkspaceSpecs } from './workspace-spec';

/** Props of an `EmbeddedTask`. */
export type EmbeddedTaskProps<P extends ParamSpecs, R extends ResultSpecs, W extends TaskWorkspaceSpecs> = TaskBaseProps<P, R, W>;

/**
 * A Task that is not an object of its own: every pipeline task that runs it embeds its spec as
 * `taskSpec`. Typed exactly like `Task`; it is judged as part of the Pipeline that embeds it.
 */
export class EmbeddedTask<
  const P extends ParamSpecs = {},
  const R extends ResultSpecs = {},
  const W extends TaskWorkspaceSpecs = {},
> extends TaskBase<P, R, W> {
  /** Defines an embedded Task. */
  public constructor(scope: Construct, id: string, props: EmbeddedTaskProps<P, R, W> = {}) {
    super(scope, id, props);
  }

  /** The construct id. */
  public get taskName(): string {
    return this.node.id;
  }

  /** A pipeline task embeds this Task's spec. */
  public reference(): TaskReference {
    return { taskSpec: this.specJson() };
  }

  /** Nothing: the spec is inside the Pipeline. */
  public documentForCheck(): undefined {
    return undefined;
  }
}
