/**
 * Tekton's context variables (`$(context.pipelineRun.name)` ...), as typed string expressions.
 * Which ones exist where follows Tekton v1.15.0's variables documentation: the `pipelineRun`,
 * `pipeline` and `pipelineTask` ones in a Pipeline, the `taskRun` and `task` ones in a Task.
 */
import { StringExpression } from './expression';

function variable(text: string): StringExpression {
  return new StringExpression(text);
}

/** Context variables usable in a Pipeline (in pipeline task params, when expressions, results). */
export const PipelineContext = {
  /** `$(context.pipelineRun.name)`: the name of the PipelineRun. */
  pipelineRunName: variable('context.pipelineRun.name'),
  /** `$(context.pipelineRun.namespace)`: the namespace of the PipelineRun. */
  pipelineRunNamespace: variable('context.pipelineRun.namespace'),
  /** `$(context.pipelineRun.uid)`: the uid of the PipelineRun. */
  pipelineRunUid: variable('context.pipelineRun.uid'),
  /** `$(context.pipeline.name)`: the name of the Pipeline. */
  pipelineName: variable('context.pipeline.name'),
  /** `$(context.pipelineTask.retries)`: the retries of this pipeline task. */
  pipelineTaskRetries: variable('context.pipelineTask.retries'),
} as const;

/** Context variables usable in a Task (in steps, sidecars and the step template). */
export const TaskContext = {
  /** `$(context.taskRun.name)`: the name of the TaskRun. */
  taskRunName: variable('context.taskRun.name'),
  /** `$(context.taskRun.namespace)`: the namespace of the TaskRun. */
  taskRunNamespace: variable('context.taskRun.namespace'),
  /** `$(context.taskRun.uid)`: the uid of the TaskRun. */
  taskRunUid: variable('context.taskRun.uid'),
  /** `$(context.task.name)`: the name of the Task. */
  taskName: variable('context.task.name'),
  /** `$(context.task.retry-count)`: how many times this TaskRun has been retried. */
  taskRetryCount: variable('context.task.retry-count'),
} as const;
