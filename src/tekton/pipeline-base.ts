/**
 * What `Pipeline` and `EmbeddedPipeline` share: declarations, typed references, tasks,
 * finally tasks, results and rendering.
 */
import { Construct } from 'constructs';
import { PipelineSpec, toJson_PipelineSpec } from '../../imports/tekton.dev';
import { ArrayExpression, Expression, ObjectExpression, StringExpression, StringValue } from './expression';
import { ParamRefs, ParamSpecs, paramRefs, renderParamDeclarations, renderValue } from './param-spec';
import { IPipeline, PipelineDeclarations, PipelineReference } from './pipeline-interface';
import { FinallyTaskOptionsArg, PipelineTask, PipelineTaskOptionsArg, StringParamNames } from './pipeline-task';
import { ResultSpecs } from './result-spec';
import { ITask } from './task-interface';
import { PipelineWorkspace, PipelineWorkspaces, PipelineWorkspaceSpecs, TaskWorkspaceSpecs } from './workspace-spec';

/** Props shared by `Pipeline` and `EmbeddedPipeline`. */
export interface PipelineBaseProps<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> {
  /** What the Pipeline does. @default - none */
  readonly description?: string;
  /** A name for UIs. @default - none */
  readonly displayName?: string;
  /** Params by name. @default - none */
  readonly params?: P;
  /** Workspaces by name. @default - none */
  readonly workspaces?: W;
}

/** A value a pipeline result can take: a string, an array or an object, of literals and expressions. */
export type PipelineResultValue =
  StringValue | ArrayExpression | readonly StringValue[] | ObjectExpression<string> | { readonly [key: string]: StringValue };

/** Options of a pipeline result. */
export interface PipelineResultOptions {
  /** What the result holds. @default - none */
  readonly description?: string;
}

/** A result of a Pipeline (what Chains reads for type hints such as `*_ARTIFACT_OUTPUTS`). */
export interface PipelineResult {
  /** The result name. */
  readonly name: string;
  /** Its type, inferred from the value. */
  readonly type: 'string' | 'array' | 'object';
  /** Its value. */
  readonly value: PipelineResultValue;
  /** What it holds. */
  readonly description?: string;
}

function resultTypeOf(value: PipelineResultValue): 'string' | 'array' | 'object' {
  if (typeof value === 'string' || value instanceof StringExpression) return 'string';
  if (value instanceof ArrayExpression || Array.isArray(value)) return 'array';
  if (value instanceof Expression) return value.kind;
  return 'object';
}

/** A Pipeline's declarations, typed references, tasks and results; subclasses decide how it is emitted. */
export abstract class PipelineBase<P extends ParamSpecs, W extends PipelineWorkspaceSpecs> extends Construct implements IPipeline<P, W> {
  /** The declared params and workspaces. */
  public readonly declared: PipelineDeclarations<P, W>;
  /** Typed references to the params, e.g. `pipeline.params['model-name']` renders `$(params.model-name)`. */
  public readonly params: ParamRefs<P>;
  /** The workspaces, to bind to pipeline tasks. */
  public readonly workspaces: PipelineWorkspaces<W>;
  /** `$(tasks.status)`: the aggregate status of the `tasks` (`Succeeded`, `Failed`, `Completed`, `None`); finally only. */
  public readonly tasksStatus = new StringExpression('tasks.status');
  /** A name for messages. */
  public abstract readonly pipelineName: string;

  private readonly tasks: PipelineTask<any>[] = [];
  private readonly finallyTasks: PipelineTask<any>[] = [];
  private readonly taskNames = new Set<string>();
  private readonly results: PipelineResult[] = [];
  private readonly resultNames = new Set<string>();
  private readonly usedTasks = new Set<ITask<any, any, any>>();
  private readonly baseProps: PipelineBaseProps<P, W>;

  protected constructor(scope: Construct, id: string, props: PipelineBaseProps<P, W>) {
    super(scope, id);
    this.baseProps = props;
    this.declared = { params: props.params ?? ({} as P), workspaces: props.workspaces ?? ({} as W) };
    this.params = paramRefs(this.declared.params);
    this.workspaces = Object.fromEntries(
      Object.keys(this.declared.workspaces).map((n) => [n, new PipelineWorkspace(n)]),
    ) as PipelineWorkspaces<W>;
  }

  /**
   * Adds a task to `tasks`. The compiler checks `options.params` and `options.workspaces`
   * against the Task's declarations; throws at once when the name is already taken.
   */
  public addTask<
    TP extends ParamSpecs,
    TR extends ResultSpecs,
    TW extends TaskWorkspaceSpecs,
    const M extends StringParamNames<TP> = never,
  >(name: string, task: ITask<TP, TR, TW>, ...options: PipelineTaskOptionsArg<TP, TW, M>): PipelineTask<TR> {
    const pipelineTask = new PipelineTask<TR>(name, task, options[0] ?? {}, false);
    this.register(pipelineTask);
    this.tasks.push(pipelineTask);
    return pipelineTask;
  }

  /** Adds a task to `finally` (runs after `tasks`, whatever their outcome); typed like `addTask`, without `runAfter`. */
  public addFinally<
    TP extends ParamSpecs,
    TR extends ResultSpecs,
    TW extends TaskWorkspaceSpecs,
    const M extends StringParamNames<TP> = never,
  >(name: string, task: ITask<TP, TR, TW>, ...options: FinallyTaskOptionsArg<TP, TW, M>): PipelineTask<TR> {
    const pipelineTask = new PipelineTask<TR>(name, task, options[0] ?? {}, true);
    this.register(pipelineTask);
    this.finallyTasks.push(pipelineTask);
    return pipelineTask;
  }

  /** Adds a pipeline result; its type follows the value. Throws at once when the name is taken. */
  public addResult(name: string, value: PipelineResultValue, options: PipelineResultOptions = {}): PipelineResult {
    if (this.resultNames.has(name)) {
      throw new Error(`[${this.node.path}] pipeline result "${name}" is declared twice: result names must be unique`);
    }
    this.resultNames.add(name);
    const result: PipelineResult = { name, type: resultTypeOf(value), value, description: options.description };
    this.results.push(result);
    return result;
  }

  private register(task: PipelineTask<any>): void {
    if (this.taskNames.has(task.name)) {
      throw new Error(`[${this.node.path}] pipeline task "${task.name}" is declared twice: names must be unique among tasks and finally`);
    }
    this.taskNames.add(task.name);
    this.usedTasks.add(task.task);
  }

  /** The Pipeline spec in the generated L1 shape. */
  protected renderSpec(): PipelineSpec {
    const params = renderParamDeclarations(this.declared.params);
    const workspaces = Object.entries(this.declared.workspaces).map(([name, w]) => ({
      name,
      description: w.description,
      optional: w.optional,
    }));
    return {
      description: this.baseProps.description,
      displayName: this.baseProps.displayName,
      params: params.length ? params : undefined,
      workspaces: workspaces.length ? workspaces : undefined,
      tasks: this.tasks.map((t) => t.toJson()),
      finally: this.finallyTasks.length ? this.finallyTasks.map((t) => t.toJson()) : undefined,
      results: this.results.length
        ? this.results.map((r) => ({ name: r.name, type: r.type, description: r.description, value: renderValue(r.value) }))
        : undefined,
    };
  }

  /** The Pipeline spec as Tekton JSON (what `pipelineSpec` embeds). */
  public specJson(): Record<string, unknown> {
    return toJson_PipelineSpec(this.renderSpec()) as Record<string, unknown>;
  }

  /** The Task objects this Pipeline refers to, each once. */
  protected taskDocuments(): unknown[] {
    const documents: unknown[] = [];
    for (const task of this.usedTasks) {
      const document = task.documentForCheck();
      if (document !== undefined) documents.push(document);
    }
    return documents;
  }

  /** The `pipelineRef` or `pipelineSpec` of a run of this Pipeline. */
  public abstract reference(): PipelineReference;

  /** The objects a run must be judged with. */
  public abstract documentsForCheck(): unknown[];
}
