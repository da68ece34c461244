/**
 * Tekton timeouts are Go durations (`1h30m0s`). Props accept a cdk8s `Duration` or the Go text.
 */
import { Duration } from 'cdk8s';

/** A timeout: a cdk8s `Duration`, or Go duration text such as `"1h30m"` (`"0"` means no timeout). */
export type Timeout = Duration | string;

const GO_DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Renders a timeout as Go duration text; throws at once on text Go would not parse. */
export function renderTimeout(timeout: Timeout | undefined, what: string): string | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout === 'string') {
    if (!GO_DURATION.test(timeout)) {
      throw new Error(`${what} "${timeout}" is not a go duration (e.g. "1h30m", "45s", "0" for none)`);
    }
    return timeout;
  }
  let seconds = Math.round(timeout.toSeconds());
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}
