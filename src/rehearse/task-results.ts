import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { goJsonMarshal } from '../chains/go-json';
import { FeatureFlagSettings } from '../tekton-model/feature-flags';
import { TaskResultSpec, TektonValue, TektonValueType, typeOfValue } from '../tekton-model/tekton-objects';

/**
 * Task results as Tekton v1.15.0 collects them. After every step the entrypoint reads the file of each
 * declared result that exists in the results directory (raw bytes, nothing trimmed) and writes them with a
 * `StartedAt` entry as JSON to the step's termination message, which Kubernetes caps at 4096 bytes
 * (`pkg/termination/write.go`; flate+base64 when termination-message compression is on). With
 * `results-from: sidecar-logs` each result is limited to `max-result-size` instead. The controller then
 * types each value (`pkg/pod/status.go` `filterResults`, `ParamValue.UnmarshalJSON`) and the TaskRun fails
 * when a type differs from the declaration or an object lacks a declared property
 * (`validate_taskrun.go`).
 */

/** The termination message limit of one container. */
export const TERMINATION_MESSAGE_LIMIT = 4096;

/** A result problem: the message is one lowercase line. */
export class TaskResultError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TaskResultError';
  }
}

/** Raw result file contents by result name, for the declared results whose file exists. */
export function readResultFiles(resultsDir: string, declared: readonly TaskResultSpec[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const result of declared) {
    const file = path.join(resultsDir, result.name);
    if (!fs.existsSync(file)) continue;
    try {
      out.set(result.name, fs.readFileSync(file).toString('utf8'));
    } catch (err) {
      throw new TaskResultError(
        `result "${result.name}" cannot be read from its path (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); write the value into the file $(results.${result.name}.path)`,
      );
    }
  }
  return out;
}

/** RFC 3339 with nanoseconds, as Go's time.RFC3339Nano writes the `StartedAt` entry. */
function startedAtValue(startedAt: Date): string {
  return startedAt.toISOString().replace(/\.?0*Z$/, 'Z');
}

/** The bytes the entrypoint would write to a step's termination message for these results. */
export function terminationMessageSize(raw: ReadonlyMap<string, string>, startedAt: Date, compress: boolean): number {
  const entries: string[] = [];
  const entry = (key: string, value: string, type: number): string =>
    `{"key":${goJsonMarshal(key)},"value":${goJsonMarshal(value)},"type":${type}}`;
  for (const [key, value] of raw) entries.push(entry(key, value, 1));
  entries.push(entry('StartedAt', startedAtValue(startedAt), 3));
  const json = Buffer.from(`[${entries.join(',')}]`);
  if (!compress) return json.length;
  const compressed = 'tknz:'.length + zlib.deflateRawSync(json, { level: 9 }).toString('base64').replace(/=+$/, '').length;
  return Math.min(compressed, json.length);
}

/**
 * Checks that the results a step leaves behind fit where Tekton carries them; throws with the sizes when
 * they do not (Tekton fails the step: "Termination message is above max allowed size 4096, caused by
 * large task result.").
 */
export function assertResultBudget(raw: ReadonlyMap<string, string>, flags: FeatureFlagSettings, startedAt: Date): void {
  if (flags.resultsFrom === 'sidecar-logs') {
    for (const [name, value] of raw) {
      const size = Buffer.byteLength(value);
      if (size > flags.maxResultSize) {
        throw new TaskResultError(
          `result "${name}" has ${size} bytes, more than max-result-size ${flags.maxResultSize} of the feature-flags`,
        );
      }
    }
    return;
  }
  const size = terminationMessageSize(raw, startedAt, flags.compressTerminationMessage);
  if (size > TERMINATION_MESSAGE_LIMIT) {
    const sizes = [...raw].map(([n, v]) => `${n} ${Buffer.byteLength(v)} bytes`).join(', ');
    throw new TaskResultError(
      `termination message is above max allowed size 4096, caused by large task result (${size} bytes with ${sizes}); write less, or use results-from: sidecar-logs`,
    );
  }
}

function parseAs<T>(text: string, check: (v: unknown) => v is T): T | undefined {
  try {
    const parsed = JSON.parse(text);
    return check(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * Types a raw result value as the controller does: a result declared `string` keeps its raw text; any
 * other is read with `ParamValue.UnmarshalJSON` — `[` → array of strings, `{` → object of strings, else a
 * JSON string literal, else the raw text — so a malformed array or object comes back as a string.
 */
export function typeResultValue(raw: string, declaredType: TektonValueType): TektonValue {
  if (declaredType === 'string') return raw;
  if (raw === '') return '';
  if (raw.startsWith('[')) {
    const array = parseAs(raw, isStringArray);
    if (array) return array;
  }
  if (raw.startsWith('{')) {
    const object = parseAs(raw, isStringMap);
    if (object) return object;
  }
  const literal = parseAs(raw, (v): v is string => typeof v === 'string');
  return literal ?? raw;
}

/**
 * Types every result and checks it against its declaration (type, object properties), as the TaskRun
 * reconciler does; throws naming the result, the declared type and what was written.
 */
export function typedTaskResults(
  raw: ReadonlyMap<string, string>,
  declared: readonly TaskResultSpec[],
): { name: string; type: TektonValueType; value: TektonValue }[] {
  const out: { name: string; type: TektonValueType; value: TektonValue }[] = [];
  for (const spec of declared) {
    const text = raw.get(spec.name);
    if (text === undefined) continue;
    const declaredType = spec.type ?? 'string';
    const value = typeResultValue(text, declaredType);
    const actual = typeOfValue(value);
    if (actual !== declaredType) {
      const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
      throw new TaskResultError(
        `result "${spec.name}" is expected to be "${declaredType}" type but was initialized to a different type "${actual}" (wrote ${JSON.stringify(shown)}); write ${declaredType === 'object' ? 'a JSON object of strings' : 'a JSON array of strings'}`,
      );
    }
    if (declaredType === 'object' && spec.properties) {
      const missing = Object.keys(spec.properties).filter((k) => !(k in (value as Record<string, string>)));
      if (missing.length > 0) {
        throw new TaskResultError(
          `result "${spec.name}" misses the declared propert${missing.length === 1 ? 'y' : 'ies'} ${missing.map((m) => `"${m}"`).join(', ')}`,
        );
      }
    }
    out.push({ name: spec.name, type: declaredType, value });
  }
  return out;
}
