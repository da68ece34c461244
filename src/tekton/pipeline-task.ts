/**
 * A task in a Pipeline (`spec.tasks[]` or `spec.finally[]`): its options, typed so that the
 * compiler checks the params and workspaces against the Task it runs, and the references it
 * gives back (`$(tasks.t.results.r)`, `$(tasks.t.status)`).
 */
import { StringExpression } from './expression';
import { renderTimeout, Timeout } from './go-duration';
import { ArrayParamValue, ParamSpecs, ParamValues, renderParamValues, StringParamValue } from './param-spec';
import { pipelineTaskResultRef, PipelineTaskResultRefs, ResultSpecs } from './result-spec';
import { ITask } from './task-interface';
import { renderWhen, WhenExpression } from './when-expression';
import { renderWorkspaceBindings, TaskWorkspaceBindings, TaskWorkspaceSpecs } from './workspace-spec';

/** Property names that tools probe on any object (promises, jest, JSON); never result names. */
const NOT_RESULT_NAMES = new Set(['then', 'toJSON', 'asymmetricMatch', 'nodeType', 'tagName', 'inspect']);

/** Names of the string params of `P` (the ones a matrix can fan out). */
export type StringParamNames<P> = { [K in keyof P]: P[K] extends { readonly type: 'array' | 'object' } ? never : K }[keyof P] & string;

/** A `matrix`: the task runs once per combination of the `params` values, plus the `include` rows. */
export interface MatrixOptions<P, M extends string> {
  /** Values to fan out, by string param name (each an array, or a whole array param/result). @default - none */
  readonly params?: { readonly [K in M]: ArrayParamValue };
  /** Extra combinations, each with a name and some string param values. @default - none */
  readonly include?: readonly MatrixInclude<P>[];
}

/** An explicit combination of a matrix. */
export interface MatrixInclude<P> {
  /** The combination's name. @default - none */
  readonly name?: string;
  /** String param values of this combination. */
  readonly params: { readonly [K in StringParamNames<P>]?: StringParamValue<P[K]> };
}

/** Options of a pipeline task that do not depend on the Task's params. */
export interface PipelineTaskCommonOptions {
  /** Tasks that must finish first. @default - only what result references imply */
  readonly runAfter?: readonly PipelineTask<any>[];
  /** Run only when these hold. @default - always */
  readonly when?: readonly WhenExpression[];
  /** How long one attempt may run. @default - the run's `timeouts.tasks` */
  readonly timeout?: Timeout;
  /** How often to retry a failed attempt. @default 0 */
  readonly retries?: number;
  /** `continue` lets the pipeline go on when this task fails. @default 'stopAndFail' */
  readonly onError?: 'continue' | 'stopAndFail';
  /** A name for UIs. @default - none */
  readonly displayName?: string;
  /** What the task does here. @default - none */
  readonly description?: string;
}

/** All options of a pipeline task that runs a Task with params `P` and workspaces `W`; `M` are the matrix params. */
export interface PipelineTaskOptions<P, W, M extends string = never> extends PipelineTaskCommonOptions {
  /** Param values, by name: every param without a default, no unknown name, values of the declared type. @default - none */
  readonly params?: ParamValues<Omit<P, M>>;
  /** Bindings of the Task's workspaces to the Pipeline's: every required one, no unknown name. @default - none */
  readonly workspaces?: TaskWorkspaceBindings<W>;
  /** Fan-out. @default - none */
  readonly matrix?: MatrixOptions<P, M>;
}

/** Options of a `finally` task: those of a pipeline task but `runAfter` (finally tasks run after all `tasks`). */
export type FinallyTaskOptions<P, W, M extends string = never> = Omit<PipelineTaskOptions<P, W, M>, 'runAfter'>;

/** What the compiler insists on: `params` when the Task has required params, `workspaces` when it has required workspaces. */
export type RequiredTaskOptions<P, W, M extends string> = ({} extends ParamValues<Omit<P, M>>
  ? {}
  : { readonly params: ParamValues<Omit<P, M>> }) &
  ({} extends TaskWorkspaceBindings<W> ? {} : { readonly workspaces: TaskWorkspaceBindings<W> });

/** The options argument of `addTask`: optional when the Task needs nothing, else with the required fields. */
export type PipelineTaskOptionsArg<P, W, M extends string> =
  {} extends RequiredTaskOptions<P, W, M>
    ? [options?: PipelineTaskOptions<P, W, M>]
    : [options: PipelineTaskOptions<P, W, M> & RequiredTaskOptions<P, W, M>];

/** The options argument of `addFinally`: like `addTask`'s, without `runAfter`. */
export type FinallyTaskOptionsArg<P, W, M extends string> =
  {} extends RequiredTaskOptions<P, W, M>
    ? [options?: FinallyTaskOptions<P, W, M>]
    : [options: FinallyTaskOptions<P, W, M> & RequiredTaskOptions<P, W, M>];

/** A task of a Pipeline. Keep it to wire later tasks: its results, its status. */
export class PipelineTask<R extends ResultSpecs = ResultSpecs> {
  /** Typed references to the Task's results, e.g. `clone.results.commit` renders `$(tasks.clone.results.commit)`. */
  public readonly results: PipelineTaskResultRefs<R>;
  /** `$(tasks.<name>.status)`: `Succeeded`, `Failed` or `None`; only `finally` tasks may read it. */
  public readonly status: StringExpression;
  /** `$(tasks.<name>.reason)`: why the task ended as it did; only `finally` tasks may read it. */
  public readonly reason: StringExpression;

  /**
   * @param name the pipeline task name
   * @param task the Task it runs
   * @param options its options
   * @param isFinally whether it is in `finally`
   */
  public constructor(
    public readonly name: string,
    public readonly task: ITask<ParamSpecs, R, TaskWorkspaceSpecs>,
    private readonly options: PipelineTaskOptions<any, any, any>,
    public readonly isFinally: boolean,
  ) {
    const results = Object.fromEntries(
      Object.entries(task.declared.results).map(([result, spec]) => [result, pipelineTaskResultRef(name, result, spec)]),
    );
    // For a Task read from data an unknown result name still renders, so that the rule engine
    // reports it at synth instead of the YAML silently saying "undefined".
    this.results = (
      task.declaredFromData
        ? new Proxy(results, {
            get: (target, key) =>
              typeof key === 'string' && !(key in target) && /^[A-Za-z_][-\w]*$/.test(key) && !NOT_RESULT_NAMES.has(key)
                ? new StringExpression(`tasks.${name}.results.${key}`)
                : Reflect.get(target, key),
          })
        : results
    ) as PipelineTaskResultRefs<R>;
    renderTimeout(options.timeout, `pipeline task "${name}" timeout`);
    this.status = new StringExpression(`tasks.${name}.status`);
    this.reason = new StringExpression(`tasks.${name}.reason`);
  }

  /** The wire JSON of this pipeline task. */
  public toJson(): Record<string, unknown> {
    const o = this.options;
    const matrixParams = o.matrix?.params ? renderParamValues(o.matrix.params) : undefined;
    const include = o.matrix?.include?.map((row) => ({ name: row.name, params: renderParamValues(row.params) ?? [] }));
    const matrix = matrixParams || include?.length ? { params: matrixParams, include: include?.length ? include : undefined } : undefined;
    return {
      name: this.name,
      displayName: o.displayName,
      description: o.description,
      ...this.task.reference(),
      params: renderParamValues(o.params),
      matrix,
      workspaces: renderWorkspaceBindings(o.workspaces),
      runAfter: o.runAfter?.length ? o.runAfter.map((t) => t.name) : undefined,
      when: renderWhen(o.when),
      timeout: renderTimeout(o.timeout, `pipeline task "${this.name}" timeout`),
      retries: o.retries,
      onError: o.onError,
    };
  }
}

/** The pipeline task type `addTask` returns for Task `T`, e.g. `PipelineTaskOf<typeof build>` for a field. */
export type PipelineTaskOf<T extends ITask<any, any, any>> = PipelineTask<T['declared']['results']>;
