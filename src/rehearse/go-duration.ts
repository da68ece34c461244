/**
 * Go's `Duration.String()`, which is how a Tekton timeout reads after the API server stored it
 * (`2h` → `2h0m0s`). Parsing is the check engine's `parseGoDuration` (`src/check/go-duration.ts`).
 */

/** Go's `Duration.String()` for a duration in nanoseconds, to millisecond precision: `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
export function formatGoDuration(nanos: number): string {
  const ms = Math.round(nanos / 1e6);
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
