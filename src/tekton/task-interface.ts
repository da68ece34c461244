/**
 * What a Pipeline needs of a Task it runs, whatever made the Task: a `Task` construct, an
 * `EmbeddedTask` or an `ImportedTask` read from YAML.
 */
import { IConstruct } from 'constructs';
import { ParamSpecs } from './param-spec';
import { ResultSpecs } from './result-spec';
import { TaskWorkspaceSpecs } from './workspace-spec';

/** The declared interface of a Task: its params, results and workspaces by name. */
export interface TaskDeclarations<P extends ParamSpecs, R extends ResultSpecs, W extends TaskWorkspaceSpecs> {
  /** Declared params. */
  readonly params: P;
  /** Declared results. */
  readonly results: R;
  /** Declared workspaces. */
  readonly workspaces: W;
}

/** How a pipeline task names its Task: by reference or embedded. */
export type TaskReference =
  { readonly taskRef: { readonly name: string; readonly kind?: 'Task' } } | { readonly taskSpec: Record<string, unknown> };

/** A Task that pipeline tasks can run; its type carries its declarations so the compiler can check callers. */
export interface ITask<
  P extends ParamSpecs = ParamSpecs,
  R extends ResultSpecs = ResultSpecs,
  W extends TaskWorkspaceSpecs = TaskWorkspaceSpecs,
> extends IConstruct {
  /** The Task's declared params, results and workspaces. */
  readonly declared: TaskDeclarations<P, R, W>;
  /** A name for messages: the Task's `metadata.name`, or the construct id of an embedded Task. */
  readonly taskName: string;
  /** The `taskRef` or `taskSpec` of a pipeline task that runs this Task. */
  reference(): TaskReference;
  /**
   * True when the declarations come from data (an imported YAML Task): the compiler cannot see
   * them, so a pipeline task hands out a reference for any result name and the rule engine
   * judges it at synth.
   */
  readonly declaredFromData?: boolean;
  /** The Task object a Pipeline using it must be judged with (none for an embedded Task). */
  documentForCheck(): unknown | undefined;
}
