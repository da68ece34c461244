/**
 * Tekton timeouts are Go durations (`1h30m0s`). Props accept a cdk8s `Duration` or the Go text.
 */
import { Duration } from 'cdk8s';
import { formatGoDuration, parseGoDuration } from '../tekton-model/go-duration';

/** A timeout: a cdk8s `Duration`, or Go duration text such as `"1h30m"` (`"0"` means no timeout). */
export type Timeout = Duration | string;

/** Renders a timeout as Go duration text; throws at once on text Go would not parse. */
export function renderTimeout(timeout: Timeout | undefined, what: string): string | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout === 'string') {
    const nanos = parseGoDuration(timeout);
    if (nanos === undefined || nanos < 0) {
      throw new Error(`${what} "${timeout}" is not a go duration (e.g. "1h30m", "45s", "0" for none)`);
    }
    return timeout;
  }
  return formatGoDuration(Math.round(timeout.toSeconds()) * 1e9);
}
