/** Go's `time.ParseDuration`, as the API server applies it to `metav1.Duration` fields (`timeout`, `timeouts.*`). */

const UNIT_NANOS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** The duration in nanoseconds, or undefined when Go would refuse the text (e.g. `1d`, `10`, `5 m`). */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const part = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * UNIT_NANOS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}
