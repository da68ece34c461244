import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { quote } from '../tekton-model/json-shape';
import { parseGoDuration } from '../tekton-model/go-duration';

/**
 * Judges one `timeout` field: the API server decodes it as a Go duration (`metav1.Duration`),
 * and Tekton refuses a negative one. Returns the duration in nanoseconds when it is valid; a value
 * filled in before Tekton sees it is unknown (undefined, not judged).
 */
export function checkTimeout(r: ScopedReporter, value: unknown, at: readonly FieldPathSegment[], what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  // filled in before Tekton sees it (a Pipelines-as-Code placeholder): the duration is unknown here
  if (typeof value === 'string' && r.filledInBeforeTekton(value)) return undefined;
  const nanos = typeof value === 'string' ? parseGoDuration(value) : undefined;
  if (nanos === undefined) {
    r.report('timeout-invalid', at, `${what} ${quote(value)} is not a duration; write e.g. "1h30m", "45m" or "0" (no timeout)`);
    return undefined;
  }
  if (nanos < 0) {
    r.report('timeout-invalid', at, `${what} ${quote(value)} is negative; use a duration >= 0`);
    return undefined;
  }
  return nanos;
}
