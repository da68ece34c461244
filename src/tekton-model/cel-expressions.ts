/**
 * The Common Expression Language (CEL) as Tekton uses it, in one place: `cel` in a `when`
 * expression (Tekton Pipelines v1.15.0, `pkg/apis/pipeline/v1/when_validation.go`: compiled at
 * admission in an empty `cel.NewEnv()`, so `$(params.x)` must be quoted) and the filter and overlays
 * of a Tekton Triggers v0.37.0 `cel` interceptor (`pkg/interceptors/cel/cel.go` `makeCelEnv`:
 * `body`, `header`, `extensions` as `map(string, dyn)`, `requestURL` a string, Triggers' own
 * functions from `triggers.go` and cel-go's string, encoder, set and math extensions).
 *
 * Backed by `@marcbachmann/cel-js` (see README, "CEL"): its type checker refuses what cel-go's
 * `Compile` (parse then check) refuses — undeclared identifiers, no matching overload (`'a' > 1`),
 * syntax errors. Differences from cel-go that remain: `matches` and `translate` use JavaScript
 * regular expressions, not RE2 (a pattern RE2 refuses, such as a lookahead, is accepted here); the
 * Tekton `when` environment also knows the string extension functions (`split`, `join`,
 * `indexOf`, ...) that cel-go's plain environment lacks.
 */
import type { Environment } from '@marcbachmann/cel-js';
import * as YAML from 'yaml';

/** Which environment an expression is compiled in. */
export type CelEnvironmentKind = 'tekton-when' | 'triggers';

/** A compiled expression, or why it does not compile. */
export type CelCompilation =
  | { readonly ok: true; readonly type: string }
  | {
      readonly ok: false;
      /** One line: the fault, or why the expression could not be judged. */
      readonly message: string;
      /**
       * True when the expression uses a cel-go extension the library does not implement (the
       * namespaced `base64.*`, `sets.*`, `math.*`, `strings.*`, `lists.*` functions): not a fault,
       * but the expression was neither checked nor can be evaluated.
       */
      readonly unsupported?: boolean;
    };

/** cel-go extension namespaces (ext.Encoders, ext.Sets, ext.Math, ext.Strings, ext.Lists) that Triggers enables. */
const UNSUPPORTED_NAMESPACES = /(?<![\w.])(base64|sets|math|strings|lists)\.\w+\s*\(/;

/** The outcome of evaluating an expression. */
export type CelEvaluation = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const environments = new Map<CelEnvironmentKind, Environment>();

function environment(kind: CelEnvironmentKind): Environment {
  let env = environments.get(kind);
  if (!env) environments.set(kind, (env = kind === 'triggers' ? triggersEnvironment() : tektonWhenEnvironment()));
  return env;
}

/**
 * cel-go's defaults: list and map literals may mix types (they become `dyn`). The library is
 * loaded on first use, so `check` over files without CEL does not pay for it.
 */
function baseEnvironment(): Environment {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cel = require('@marcbachmann/cel-js') as typeof import('@marcbachmann/cel-js');
  return new cel.Environment({ homogeneousAggregateLiterals: false });
}

/** `cel.NewEnv()`: the standard library, no variables. */
function tektonWhenEnvironment(): Environment {
  return baseEnvironment();
}

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` → `X-Github-Event`. */
export function canonicalHeaderKey(key: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return key;
  return key
    .split('-')
    .map((part) => (part === '' ? part : part[0].toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}

/** `http.Header.Get`: the first value of the canonical key, or "". */
function headerGet(header: unknown, key: string): string {
  const values = mapGet(header, canonicalHeaderKey(key));
  if (Array.isArray(values)) return typeof values[0] === 'string' ? values[0] : '';
  return typeof values === 'string' ? values : '';
}

function mapGet(map: unknown, key: string): unknown {
  if (map instanceof Map) return map.get(key);
  if (map && typeof map === 'object') return (map as Record<string, unknown>)[key];
  return undefined;
}

function toPlain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** The environment of a Triggers `cel` interceptor (Triggers v0.37.0 `makeCelEnv` and `Triggers()`). */
function triggersEnvironment(): Environment {
  const env = baseEnvironment()
    .registerVariable('body', 'map')
    .registerVariable('header', 'map')
    .registerVariable('extensions', 'map')
    .registerVariable('requestURL', 'string');
  // Triggers' own functions (pkg/interceptors/cel/triggers.go)
  env
    .registerFunction('map.match(string, string): bool', (h: unknown, key: string, value: string) => headerGet(h, key) === value)
    .registerFunction('map.canonical(string): string', (h: unknown, key: string) => headerGet(h, key))
    .registerFunction('string.truncate(int): string', (s: string, n: bigint) => s.slice(0, Math.max(0, Number(n))))
    .registerFunction('string.compareSecret(string, string, string): bool', () => {
      throw new Error('compareSecret reads a Kubernetes Secret, which is not available here');
    })
    .registerFunction('string.compareSecret(string, string): bool', () => {
      throw new Error('compareSecret reads a Kubernetes Secret, which is not available here');
    })
    .registerFunction('string.parseJSON(): map', (s: string) => JSON.parse(s) as unknown)
    .registerFunction('string.parseYAML(): map', (s: string) => YAML.parse(s) as unknown)
    .registerFunction('string.parseURL(): map', (s: string) => parseUrl(s))
    .registerFunction('map.marshalJSON(): string', (m: unknown) => JSON.stringify(toPlain(m)))
    .registerFunction('list.marshalJSON(): string', (l: unknown) => JSON.stringify(toPlain(l)))
    .registerFunction('list.first(): dyn', (l: unknown[]) => (l.length > 0 ? l[0] : null))
    .registerFunction('list.last(): dyn', (l: unknown[]) => (l.length > 0 ? l[l.length - 1] : null))
    .registerFunction('string.translate(string, string): string', (s: string, pattern: string, replacement: string) =>
      s.replace(new RegExp(pattern, 'g'), replacement.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{(\w+)\}/g, '$$<$1>')),
    );
  // cel-go ext.Strings() beyond what the library has built in
  env
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => [...s][Number(i)] ?? '')
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to))
    .registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => {
      const parts = s.split(from);
      const count = Number(n);
      if (count < 0 || count >= parts.length - 1) return parts.join(to);
      return parts.slice(0, count + 1).join(to) + from + parts.slice(count + 1).join(from);
    })
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  return env;
}

/** Go's `url.Parse` as Triggers' `parseURL` maps it. */
function parseUrl(text: string): Record<string, unknown> {
  const u = new URL(text);
  const queryStrings: Record<string, string[]> = {};
  for (const [k, v] of u.searchParams) (queryStrings[k] ??= []).push(v);
  const out: Record<string, unknown> = {
    scheme: u.protocol.replace(/:$/, ''),
    host: u.host,
    path: decodeURIComponent(u.pathname),
    rawQuery: u.search.replace(/^\?/, ''),
    fragment: decodeURIComponent(u.hash.replace(/^#/, '')),
    queryStrings,
    query: Object.fromEntries(Object.entries(queryStrings).map(([k, v]) => [k, v.join(',')])),
  };
  if (u.username || u.password) out.auth = { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  return out;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}

/**
 * Compiles (parses and type-checks) `expression` in the environment `kind`, as cel-go's
 * `env.Compile` does. Never throws.
 */
export function compileCelExpression(expression: string, kind: CelEnvironmentKind): CelCompilation {
  const namespaced = kind === 'triggers' ? UNSUPPORTED_NAMESPACES.exec(expression) : null;
  if (namespaced)
    return {
      ok: false,
      unsupported: true,
      message: `${namespaced[0].replace(/\s*\($/, '')} is a cel-go extension function that the CEL library (@marcbachmann/cel-js) does not implement`,
    };
  try {
    const result = environment(kind).check(expression);
    if (result.valid) return { ok: true, type: String(result.type) };
    return { ok: false, message: firstLine(result.error) };
  } catch (error) {
    return { ok: false, message: firstLine(error) };
  }
}

/**
 * Evaluates `expression` in the environment `kind` with `variables` (plain JSON: numbers are
 * CEL doubles, as Go's JSON decoder gives them to cel-go). Compiles first, as Triggers does.
 * Never throws; a result that is a JavaScript `bigint` (a CEL int) is returned as a number.
 */
export function evaluateCelExpression(expression: string, kind: CelEnvironmentKind, variables: Record<string, unknown>): CelEvaluation {
  const compiled = compileCelExpression(expression, kind);
  if (!compiled.ok) return compiled;
  try {
    const value: unknown = environment(kind).evaluate(expression, variables);
    return { ok: true, value: toPlain(value) };
  } catch (error) {
    return { ok: false, message: firstLine(error) };
  }
}
