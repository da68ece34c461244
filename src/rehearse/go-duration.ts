/**
 * Go `time.Duration` text as Kubernetes uses it in Tekton timeouts: parsed from `1h30m`, `90s`, `1.5h`,
 * `500ms` ..., and written back as Go's `Duration.String()` does (`1h30m0s`), which is how a Tekton object
 * reads after the API server has stored it.
 */

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string, or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([+-]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of match[2].matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNITS[part[2]];
  return match[1] === '-' ? -total : total;
}

/** Go's `Duration.String()` for whole milliseconds: `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = (rest / 1000).toString();
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
