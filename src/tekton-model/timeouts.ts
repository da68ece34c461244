/**
 * Tekton v1.15.0's timeouts of runs: the default of `default-timeout-minutes` (config-defaults as
 * shipped) and the timeout the PipelineRun reconciler gives each child TaskRun. `check` judges against
 * the first, the rehearsal writes the second.
 */
import { formatGoDuration, parseGoDuration } from './go-duration';

/** Tekton's default run timeout, `default-timeout-minutes` of config-defaults left as shipped (60), in nanoseconds. */
export const DEFAULT_TIMEOUT_NANOS = 60 * 60e9;

/**
 * The `timeout` Tekton v1.15.0 writes on a child TaskRun (`pipelineRunTimeout` in the PipelineRun reconciler,
 * then the TaskRun defaults): the pipeline task's own, else the run's `timeouts.tasks` (or `finally`, or
 * pipeline minus the other) when it exceeds `default-timeout-minutes` (60) or is 0, else 60 minutes.
 */
export function childTaskRunTimeout(
  timeouts: { pipeline?: string; tasks?: string; finally?: string } | undefined,
  own: string | undefined,
  isFinally: boolean,
): string {
  if (own !== undefined) return own;
  const nanos = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseGoDuration(text));
  const pipeline = nanos(timeouts?.pipeline);
  const tasks = nanos(timeouts?.tasks);
  const fin = nanos(timeouts?.finally);
  let limit: number | undefined;
  if (!isFinally)
    limit = tasks ?? (pipeline !== undefined && fin !== undefined && pipeline !== 0 && fin !== 0 ? pipeline - fin : undefined);
  else limit = fin ?? (pipeline !== undefined && tasks !== undefined && pipeline !== 0 && tasks !== 0 ? pipeline - tasks : undefined);
  if (limit !== undefined && (limit === 0 || limit > DEFAULT_TIMEOUT_NANOS)) return formatGoDuration(limit);
  return formatGoDuration(DEFAULT_TIMEOUT_NANOS);
}
