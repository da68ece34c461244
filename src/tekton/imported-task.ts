/**
 * `ImportedTask`: an existing Task written in YAML (for example from the Tekton catalog),
 * brought into an app and run by pipeline tasks like any other Task.
 */
import * as fs from 'node:fs';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { addFindingsValidation, ConstructFinding, ICheckedConstruct, judge } from './construct-findings';
import { ParamSpec, ParamSpecs } from './param-spec';
import { ResultSpec, ResultSpecs, StringResultSpec } from './result-spec';
import { ITask, TaskDeclarations, TaskReference } from './task-interface';
import { TaskWorkspaceSpec, TaskWorkspaceSpecs } from './workspace-spec';

/** Options of an `ImportedTask`. */
export interface ImportedTaskOptions {
  /**
   * Put the Task into the synthesized output. Say `false` when the cluster gets it some other
   * way (a catalog install); pipelines still refer to it by name and are checked against it.
   * @default true
   */
  readonly include?: boolean;
}

type Json = Record<string, unknown>;

/**
 * What the compiler assumes of an imported Task's results when no type argument says more:
 * strings (the usual case), so they can feed string params; array and object results need a
 * type argument for `.at()`/`.key()`, and the rule engine checks every use at synth.
 */
export type ImportedResultSpecs = { readonly [name: string]: StringResultSpec };

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Converts a tekton.dev/v1beta1 Task to v1 the way Tekton's conversion does for the fields a
 * Task can carry: container `resources` become `computeResources`. PipelineResources have no
 * v1 form and are refused.
 */
function toV1(task: Json, source: string): Json {
  if (task.apiVersion !== 'tekton.dev/v1beta1') return task;
  const spec = isObject(task.spec) ? task.spec : {};
  if (spec.resources !== undefined) {
    throw new Error(`${source}: task uses spec.resources (PipelineResources), which tekton v1 removed: use params and workspaces instead`);
  }
  const container = (c: unknown) => {
    if (!isObject(c) || c.resources === undefined) return c;
    const { resources, ...rest } = c;
    return { ...rest, computeResources: resources };
  };
  const converted: Json = { ...spec };
  if (Array.isArray(spec.steps)) converted.steps = spec.steps.map(container);
  if (Array.isArray(spec.sidecars)) converted.sidecars = spec.sidecars.map(container);
  if (spec.stepTemplate !== undefined) converted.stepTemplate = container(spec.stepTemplate);
  return { ...task, apiVersion: 'tekton.dev/v1', spec: converted };
}

function named(list: unknown): [string, Json][] {
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, Json>();
  for (const entry of list) {
    if (isObject(entry) && typeof entry.name === 'string' && !seen.has(entry.name)) seen.set(entry.name, entry);
  }
  return [...seen.entries()];
}

/**
 * A Task read from YAML or JSON (tekton.dev/v1, or v1beta1 converted to v1). Its params,
 * results and workspaces come from data, so the compiler cannot check pipeline tasks that run
 * it unless you state them as type arguments (`ImportedTask.fromFile<{ url: {} }>(...)`); the
 * rule engine checks them at synth in any case, exactly as for `Task`.
 */
export class ImportedTask<
  P extends ParamSpecs = ParamSpecs,
  R extends ResultSpecs = ImportedResultSpecs,
  W extends TaskWorkspaceSpecs = TaskWorkspaceSpecs,
>
  extends Construct
  implements ITask<P, R, W>, ICheckedConstruct
{
  /** Reads the Task from a YAML file with exactly one Task document. */
  public static fromFile<
    P extends ParamSpecs = ParamSpecs,
    R extends ResultSpecs = ImportedResultSpecs,
    W extends TaskWorkspaceSpecs = TaskWorkspaceSpecs,
  >(scope: Construct, id: string, file: string, options: ImportedTaskOptions = {}): ImportedTask<P, R, W> {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read task file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    return ImportedTask.fromYaml<P, R, W>(scope, id, text, options, file);
  }

  /** Reads the Task from YAML text with exactly one Task document. */
  public static fromYaml<
    P extends ParamSpecs = ParamSpecs,
    R extends ResultSpecs = ImportedResultSpecs,
    W extends TaskWorkspaceSpecs = TaskWorkspaceSpecs,
  >(scope: Construct, id: string, text: string, options: ImportedTaskOptions = {}, source = 'task yaml'): ImportedTask<P, R, W> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    const documents = YAML.parseAllDocuments(text);
    const errors = documents.flatMap((d) => d.errors);
    if (errors.length > 0) throw new Error(`${source}: not valid yaml: ${errors[0].message.split('\n')[0]}`);
    const objects = documents.map((d) => d.toJSON() as unknown).filter((o) => o !== null && o !== undefined);
    const tasks = objects.filter((o) => isObject(o) && o.kind === 'Task');
    if (tasks.length !== 1) throw new Error(`${source}: expected exactly one Task document, found ${tasks.length}`);
    return new ImportedTask<P, R, W>(scope, id, tasks[0] as Json, options, source);
  }

  /** The Task's declared params, results and workspaces, as read. */
  public readonly declared: TaskDeclarations<P, R, W>;
  /** Always true: the declarations come from the YAML. */
  public readonly declaredFromData = true;
  /** The Task object, converted to tekton.dev/v1. */
  public readonly object: Readonly<Json>;
  /** The generated object, when included in the output. */
  public readonly apiObject?: ApiObject;
  private readonly name: string;

  /** Brings in a Task given as a parsed object. */
  public constructor(scope: Construct, id: string, task: Json, options: ImportedTaskOptions = {}, source = 'task') {
    super(scope, id);
    if (
      !isObject(task) ||
      task.kind !== 'Task' ||
      typeof task.apiVersion !== 'string' ||
      !/^tekton\.dev\/v1(beta1)?$/.test(task.apiVersion)
    ) {
      throw new Error(`${source}: not a tekton.dev/v1 or v1beta1 Task`);
    }
    const metadata = isObject(task.metadata) ? task.metadata : {};
    if (typeof metadata.name !== 'string' || metadata.name === '') {
      throw new Error(`${source}: task has no metadata.name, which pipelines need to refer to it`);
    }
    this.name = metadata.name;
    this.object = toV1(task, source);
    const spec = isObject(this.object.spec) ? this.object.spec : {};
    this.declared = {
      params: Object.fromEntries(named(spec.params).map(([n, p]) => [n, p as unknown as ParamSpec])) as unknown as P,
      results: Object.fromEntries(named(spec.results).map(([n, r]) => [n, r as unknown as ResultSpec])) as unknown as R,
      workspaces: Object.fromEntries(named(spec.workspaces).map(([n, w]) => [n, w as unknown as TaskWorkspaceSpec])) as unknown as W,
    };
    if (options.include ?? true) {
      const { apiVersion, kind, metadata: objectMetadata, ...rest } = this.object;
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: apiVersion as string,
        kind: kind as string,
        metadata: objectMetadata as Json,
        ...rest,
      });
    }
    addFindingsValidation(this);
  }

  /** The Task's `metadata.name`. */
  public get taskName(): string {
    return this.name;
  }

  /** Pipeline tasks refer to it by name. */
  public reference(): TaskReference {
    return { taskRef: { name: this.name } };
  }

  /** The Task object. */
  public documentForCheck(): unknown {
    return this.object;
  }

  /** The rule engine's findings about this Task. */
  public findings(): readonly ConstructFinding[] {
    return judge(this, () => [this.object]);
  }
}
