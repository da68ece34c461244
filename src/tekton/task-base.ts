/**
 * What `Task` and `EmbeddedTask` share: declarations, typed references, steps and rendering.
 */
import { Construct } from 'constructs';
import { TaskSpec, toJson_TaskSpec } from '../../imports/tekton.dev';
import { ParamRefs, ParamSpecs, paramRefs, renderParamDeclarations } from './param-spec';
import { renderResultDeclarations, ResultSpecs, TaskResultPath, TaskResultPaths } from './result-spec';
import { renderTimeout } from './go-duration';
import { renderSidecar, renderStep, renderStepTemplate, SidecarProps, StepProps, StepTemplateProps } from './step';
import { ITask, TaskDeclarations, TaskReference } from './task-interface';
import { assertVolumeSource, TaskVolume } from './task-volume';
import { TaskWorkspace, TaskWorkspaces, TaskWorkspaceSpecs } from './workspace-spec';

/** Props shared by `Task` and `EmbeddedTask`. */
export interface TaskBaseProps<P extends ParamSpecs, R extends ResultSpecs, W extends TaskWorkspaceSpecs> {
  /** What the Task does. @default - none */
  readonly description?: string;
  /** A name for UIs. @default - none */
  readonly displayName?: string;
  /** Params by name (string, array or object; defaults make them optional; enums restrict strings). @default - none */
  readonly params?: P;
  /** Results by name. @default - none */
  readonly results?: R;
  /** Workspaces by name. @default - none */
  readonly workspaces?: W;
  /** Steps, in order; more can be added with `addStep`. @default - none */
  readonly steps?: readonly StepProps[];
  /** Sidecars; more can be added with `addSidecar`. @default - none */
  readonly sidecars?: readonly SidecarProps[];
  /** Defaults for every step. @default - none */
  readonly stepTemplate?: StepTemplateProps;
  /** Volumes steps and sidecars can mount; more can be added with `addVolume`. @default - none */
  readonly volumes?: readonly TaskVolume[];
}

/** A Task's declarations, typed references and steps; subclasses decide how it is emitted. */
export abstract class TaskBase<P extends ParamSpecs, R extends ResultSpecs, W extends TaskWorkspaceSpecs>
  extends Construct
  implements ITask<P, R, W>
{
  /** The declared params, results and workspaces. */
  public readonly declared: TaskDeclarations<P, R, W>;
  /** Typed references to the params, e.g. `task.params.url` renders `$(params.url)`. */
  public readonly params: ParamRefs<P>;
  /** Where steps write results, e.g. `task.results.commit` renders `$(results.commit.path)`. */
  public readonly results: TaskResultPaths<R>;
  /** Typed references to the workspaces, e.g. `task.workspaces.source` renders `$(workspaces.source.path)`. */
  public readonly workspaces: TaskWorkspaces<W>;
  /** A name for messages. */
  public abstract readonly taskName: string;

  private readonly steps: StepProps[] = [];
  private readonly stepNames = new Set<string>();
  private readonly sidecars: SidecarProps[] = [];
  private readonly sidecarNames = new Set<string>();
  private readonly volumes: TaskVolume[] = [];
  private readonly volumeNames = new Set<string>();
  private readonly props: TaskBaseProps<P, R, W>;

  protected constructor(scope: Construct, id: string, props: TaskBaseProps<P, R, W>) {
    super(scope, id);
    this.props = props;
    this.declared = {
      params: props.params ?? ({} as P),
      results: props.results ?? ({} as R),
      workspaces: props.workspaces ?? ({} as W),
    };
    this.params = paramRefs(this.declared.params);
    this.results = Object.fromEntries(Object.keys(this.declared.results).map((n) => [n, new TaskResultPath(n)])) as TaskResultPaths<R>;
    this.workspaces = Object.fromEntries(Object.keys(this.declared.workspaces).map((n) => [n, new TaskWorkspace(n)])) as TaskWorkspaces<W>;
    for (const step of props.steps ?? []) this.addStep(step);
    for (const sidecar of props.sidecars ?? []) this.addSidecar(sidecar);
    for (const volume of props.volumes ?? []) this.addVolume(volume);
  }

  /** Adds a volume. Throws at once on a duplicate name or unless it has exactly one source. */
  public addVolume(volume: TaskVolume): TaskVolume {
    if (this.volumeNames.has(volume.name)) {
      throw new Error(`[${this.node.path}] volume "${volume.name}" is declared twice: volume names must be unique in a task`);
    }
    assertVolumeSource(volume, `[${this.node.path}]`);
    this.volumeNames.add(volume.name);
    this.volumes.push(volume);
    return volume;
  }

  /** Appends a step. Throws at once when the Task already has a step of that name or the timeout is not a Go duration. */
  public addStep(step: StepProps): StepProps {
    if (this.stepNames.has(step.name)) {
      throw new Error(`[${this.node.path}] step "${step.name}" is declared twice: step names must be unique in a task`);
    }
    renderTimeout(step.timeout, `[${this.node.path}] step "${step.name}" timeout`);
    this.stepNames.add(step.name);
    this.steps.push(step);
    return step;
  }

  /** Adds a sidecar. Throws at once when the Task already has a sidecar of that name. */
  public addSidecar(sidecar: SidecarProps): SidecarProps {
    if (this.sidecarNames.has(sidecar.name)) {
      throw new Error(`[${this.node.path}] sidecar "${sidecar.name}" is declared twice: sidecar names must be unique in a task`);
    }
    this.sidecarNames.add(sidecar.name);
    this.sidecars.push(sidecar);
    return sidecar;
  }

  /** The Task spec in the generated L1 shape. */
  protected renderSpec(): TaskSpec {
    const params = renderParamDeclarations(this.declared.params);
    const results = renderResultDeclarations(this.declared.results);
    const workspaces = Object.entries(this.declared.workspaces).map(([name, w]) => ({
      name,
      description: w.description,
      optional: w.optional,
      readOnly: w.readOnly,
      mountPath: w.mountPath,
    }));
    return {
      description: this.props.description,
      displayName: this.props.displayName,
      params: params.length ? params : undefined,
      results: results.length ? results : undefined,
      workspaces: workspaces.length ? workspaces : undefined,
      stepTemplate: this.props.stepTemplate ? renderStepTemplate(this.props.stepTemplate) : undefined,
      steps: this.steps.map(renderStep),
      sidecars: this.sidecars.length ? this.sidecars.map(renderSidecar) : undefined,
      volumes: this.volumes.length ? this.volumes.map((v) => JSON.parse(JSON.stringify(v))) : undefined,
    };
  }

  /** The Task spec as Tekton JSON (what `taskSpec` embeds). */
  public specJson(): Record<string, unknown> {
    return toJson_TaskSpec(this.renderSpec()) as Record<string, unknown>;
  }

  /** The `taskRef` or `taskSpec` of a pipeline task that runs this Task. */
  public abstract reference(): TaskReference;

  /** The Task object a Pipeline using it must be judged with. */
  public abstract documentForCheck(): unknown | undefined;
}
