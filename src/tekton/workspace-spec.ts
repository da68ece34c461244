/**
 * Declared workspaces of a Task or a Pipeline and their typed references.
 */
import { StringExpression, variableSegment } from './expression';

/** A workspace a Task declares. */
export interface TaskWorkspaceSpec {
  /** What the workspace is for. @default - none */
  readonly description?: string;
  /** A run may leave it unbound. @default false */
  readonly optional?: boolean;
  /** Mounted read-only. @default false */
  readonly readOnly?: boolean;
  /** Where it is mounted. @default /workspace/<name> */
  readonly mountPath?: string;
}

/** Task workspaces by name. */
export type TaskWorkspaceSpecs = { readonly [name: string]: TaskWorkspaceSpec };

/** A workspace a Pipeline declares. */
export interface PipelineWorkspaceSpec {
  /** What the workspace is for. @default - none */
  readonly description?: string;
  /** A run may leave it unbound. @default false */
  readonly optional?: boolean;
}

/** Pipeline workspaces by name. */
export type PipelineWorkspaceSpecs = { readonly [name: string]: PipelineWorkspaceSpec };

/** Names of the workspaces of `W` that are optional. */
export type OptionalWorkspaceNames<W> = { [K in keyof W]: W[K] extends { readonly optional: true } ? K : never }[keyof W];

/** Names of the workspaces of `W` that must be bound. */
export type RequiredWorkspaceNames<W> = Exclude<keyof W, OptionalWorkspaceNames<W>>;

/** A workspace as seen from inside its Task. `toString()` renders its path. */
export class TaskWorkspace {
  /** `$(workspaces.<name>.path)`: where the workspace is mounted. */
  public readonly path: StringExpression;
  /** `$(workspaces.<name>.bound)`: `"true"` when the run bound it (for optional workspaces). */
  public readonly bound: StringExpression;
  /** `$(workspaces.<name>.claim)`: the PersistentVolumeClaim name, or empty. */
  public readonly claim: StringExpression;
  /** `$(workspaces.<name>.volume)`: the volume name. */
  public readonly volume: StringExpression;

  /** @param name the workspace name */
  public constructor(public readonly name: string) {
    const base = variableSegment('workspaces', name);
    this.path = new StringExpression(`${base}.path`);
    this.bound = new StringExpression(`${base}.bound`);
    this.claim = new StringExpression(`${base}.claim`);
    this.volume = new StringExpression(`${base}.volume`);
  }

  /** The path expression `$(workspaces.<name>.path)`. */
  public toString(): string {
    return this.path.toString();
  }
}

/** References to a Task's workspaces, by name. */
export type TaskWorkspaces<W extends TaskWorkspaceSpecs> = { readonly [K in keyof W]: TaskWorkspace };

/** A workspace of a Pipeline, to bind to pipeline tasks' workspaces. */
export class PipelineWorkspace {
  /** `$(workspaces.<name>.bound)`: usable in `when` expressions. */
  public readonly bound: StringExpression;

  /** @param name the workspace name */
  public constructor(public readonly name: string) {
    this.bound = new StringExpression(`${variableSegment('workspaces', name)}.bound`);
  }

  /** This workspace narrowed to a sub-directory for one pipeline task. */
  public withSubPath(subPath: string): PipelineWorkspaceBinding {
    return { workspace: this, subPath };
  }
}

/** A pipeline workspace bound to a task workspace, optionally narrowed to a sub-directory. */
export interface PipelineWorkspaceBinding {
  /** The pipeline workspace. */
  readonly workspace: PipelineWorkspace;
  /** Sub-directory of the pipeline workspace the task sees. @default - the whole workspace */
  readonly subPath?: string;
}

/** References to a Pipeline's workspaces, by name. */
export type PipelineWorkspaces<W extends PipelineWorkspaceSpecs> = { readonly [K in keyof W]: PipelineWorkspace };

/** What a pipeline task binds to each of its Task's workspaces: every required one, no unknown name. */
export type TaskWorkspaceBindings<W> = { readonly [K in RequiredWorkspaceNames<W>]: PipelineWorkspace | PipelineWorkspaceBinding } & {
  readonly [K in OptionalWorkspaceNames<W>]?: PipelineWorkspace | PipelineWorkspaceBinding;
};

/** Renders pipeline-task workspace bindings as the wire list `[{name, workspace, subPath}]`. */
export function renderWorkspaceBindings(bindings: object | undefined): { name: string; workspace: string; subPath?: string }[] | undefined {
  if (!bindings) return undefined;
  const entries = Object.entries(bindings as Record<string, PipelineWorkspace | PipelineWorkspaceBinding | undefined>).filter(
    (e): e is [string, PipelineWorkspace | PipelineWorkspaceBinding] => e[1] !== undefined,
  );
  if (entries.length === 0) return undefined;
  return entries.map(([name, binding]) =>
    binding instanceof PipelineWorkspace
      ? { name, workspace: binding.name }
      : { name, workspace: binding.workspace.name, subPath: binding.subPath },
  );
}
