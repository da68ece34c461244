/**
 * Go's encoders, where Tekton Chains v0.29.2 uses them and JavaScript's differ. One home for:
 * - `encoding/json` text: map keys sorted, `<` `>` `&` U+2028 U+2029 escaped (`goJsonMarshal`,
 *   `goJsonText`);
 * - the round trip `json.Unmarshal` into a Go struct then `json.Marshal` (`goRoundTrip`): unknown keys
 *   dropped, keys matched case-insensitively, structs never omitted, fields without `omitempty` always
 *   written, nil (`null`) versus empty lists, custom marshalers (`ParamValue`, `metav1.Duration`,
 *   `metav1.Time`, `resource.Quantity`, `runtime.RawExtension`);
 * - the three timestamp formats (`metav1.Time`, Go `time.Time` RFC3339Nano, protojson `Timestamp`);
 * - Kubernetes quantities in canonical form.
 * The Tekton and Kubernetes struct shapes themselves live in `tekton-go-types.ts`.
 */
import { formatGoDuration, parseGoDuration } from '../tekton-model/go-duration';

/** Escapes what Go's `encoding/json` escapes beyond `JSON.stringify`. */
function escapeHtml(text: string): string {
  return text
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JSON text as Go's `encoding/json` writes a value made of maps, slices and strings: object keys in sorted
 * order and `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` ... . Tekton and Chains marshal results and
 * termination messages this way, so byte counts and byte contents (e.g. byproduct `content`) must match it.
 */
export function goJsonMarshal(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeys(value)));
}

/**
 * JSON text as Go's `encoding/json` writes it, keeping the key order of `value` (the output of
 * `goRoundTrip` has Go's struct field order, with map keys already sorted).
 */
export function goJsonText(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}

/** A deep copy of `value` with every object's keys in sorted order (how protojson writes a `Struct`). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Thrown where Go's decoder or a Go marshaler would fail; the message names the field. */
export class GoJsonError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

// ------------------------------------------------------------------ time

/** A point in time to the nanosecond, as Go keeps it. */
export interface GoInstant {
  /** Seconds since the Unix epoch (UTC). */
  readonly seconds: number;
  /** 0..999999999. */
  readonly nanos: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses RFC 3339 text as Go's `time.Parse(time.RFC3339, …)` accepts it; undefined when Go would refuse it. */
export function parseRfc3339(text: string): GoInstant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (
    Number.isNaN(base) ||
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return undefined;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  return { seconds: base / 1000 - offset, nanos: fraction ? Number(fraction.padEnd(9, '0')) : 0 };
}

function utcSeconds(instant: GoInstant): string {
  return new Date(instant.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
}

function requireInstant(text: unknown, what: string): GoInstant {
  const instant = typeof text === 'string' ? parseRfc3339(text) : undefined;
  if (!instant) throw new GoJsonError(`${what} is ${JSON.stringify(text)}, not an RFC 3339 time`);
  return instant;
}

/** `metav1.Time` as Kubernetes writes it: RFC 3339 in UTC, whole seconds (the fraction is dropped). */
export function formatMetav1Time(text: unknown, what = 'time'): string {
  return `${utcSeconds(requireInstant(text, what))}Z`;
}

/** Go's `time.Time` JSON (RFC3339Nano) of a UTC time: fraction digits only when non-zero, trailing zeros cut. */
export function formatGoTime(text: unknown, what = 'time'): string {
  const instant = requireInstant(text, what);
  const fraction = instant.nanos === 0 ? '' : `.${String(instant.nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${utcSeconds(instant)}${fraction}Z`;
}

/** protojson's `google.protobuf.Timestamp`: UTC, with 0, 3, 6 or 9 fraction digits. */
export function formatProtoTimestamp(text: unknown, what = 'time'): string {
  const instant = requireInstant(text, what);
  const digits = String(instant.nanos).padStart(9, '0');
  let fraction = '';
  if (instant.nanos !== 0)
    fraction = `.${digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits}`;
  return `${utcSeconds(instant)}${fraction}Z`;
}

// ------------------------------------------------------------------ durations

/** `metav1.Duration` as the API server writes it back: Go's `Duration.String()` (`90m` → `1h30m0s`). */
export function canonicalGoDuration(text: unknown, what = 'duration'): string {
  const nanos = typeof text === 'string' ? parseGoDuration(text) : undefined;
  if (nanos === undefined) throw new GoJsonError(`${what} is ${JSON.stringify(text)}, not a Go duration (e.g. "1h30m")`);
  return formatGoDuration(nanos);
}

// ------------------------------------------------------------------ quantities

const BINARY_SUFFIXES: readonly [string, number][] = [
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
];
const DECIMAL_SUFFIXES: readonly [string, number][] = [
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
];

/** |value| as an exact rational: numerator/denominator in bigints. */
interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function parseDecimal(text: string): Rational | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}` || '0';
  const den = 10n ** BigInt((m[3] ?? '').length);
  const num = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  return { num, den };
}

/**
 * A Kubernetes `resource.Quantity` in the canonical form `MarshalJSON` writes (k8s.io/apimachinery
 * `pkg/api/resource/quantity.go`): `1024Mi` → `1Gi`, `1000m` → `1`, `2000` → `2k`, `1.5Gi` → `1536Mi`;
 * a number in JSON is read as its decimal text; exponent forms (`1e3`) stay exponent forms (`1e3`, `15e2`).
 */
export function canonicalQuantity(input: unknown, what = 'quantity'): string {
  const text = typeof input === 'number' ? String(input) : input;
  if (typeof text !== 'string') throw new GoJsonError(`${what} is ${JSON.stringify(input)}, not a quantity`);
  const m = /^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(text.trim());
  const number = m ? parseDecimal(m[1]) : undefined;
  if (!m || !number) throw new GoJsonError(`${what} is ${JSON.stringify(input)}, not a Kubernetes quantity`);
  const suffix = m[2] ?? '';
  const binary = BINARY_SUFFIXES.find(([s]) => s === suffix);
  let value: Rational;
  if (binary) value = { num: number.num * 2n ** BigInt(binary[1]), den: number.den };
  else if (/^[eE]/.test(suffix)) {
    const exp = Number(suffix.slice(1));
    value =
      exp >= 0 ? { num: number.num * 10n ** BigInt(exp), den: number.den } : { num: number.num, den: number.den * 10n ** BigInt(-exp) };
  } else {
    const exp = DECIMAL_SUFFIXES.find(([s]) => s === suffix)![1];
    value =
      exp >= 0 ? { num: number.num * 10n ** BigInt(exp), den: number.den } : { num: number.num, den: number.den * 10n ** BigInt(-exp) };
  }
  if (value.num === 0n) return '0';
  const negative = value.num < 0n;
  const abs: Rational = { num: negative ? -value.num : value.num, den: value.den };
  const sign = negative ? '-' : '';
  // Binary stays binary for a whole value of at least 1024 (Go's CanonicalizeBytes), divided by 1024 while it divides.
  if (binary && abs.num % abs.den === 0n && abs.num / abs.den >= 1024n) {
    let whole = abs.num / abs.den;
    let index = -1;
    while (whole % 1024n === 0n && index < BINARY_SUFFIXES.length - 1) {
      whole /= 1024n;
      index++;
    }
    return `${sign}${whole}${index === -1 ? '' : BINARY_SUFFIXES[index][0]}`;
  }
  // Decimal SI: the value rounded up to nano units, written with the largest exponent (multiple of 3) that keeps it whole.
  let nanos = (abs.num * 1_000_000_000n + abs.den - 1n) / abs.den;
  let exponent = -9;
  while (nanos % 1000n === 0n && exponent < 18) {
    nanos /= 1000n;
    exponent += 3;
  }
  if (/^[eE]/.test(suffix)) return `${sign}${nanos}${exponent === 0 ? '' : `e${exponent}`}`;
  const unit = DECIMAL_SUFFIXES.find(([, e]) => e === exponent)![0];
  return `${sign}${nanos}${unit}`;
}

// ------------------------------------------------------------------ the struct round trip

/** A Go type, as far as `encoding/json` can see it. */
export type GoType =
  | { readonly kind: 'string' | 'bool' | 'number' }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: () => readonly GoField[] }
  | { readonly kind: 'pointer'; readonly to: GoType }
  | { readonly kind: 'slice'; readonly of: GoType }
  | { readonly kind: 'map'; readonly of: GoType }
  /** `metav1.Duration`: Go duration text, written as `Duration.String()`. */
  | { readonly kind: 'duration' }
  /** `metav1.Time`: RFC 3339 in, whole seconds UTC out, `null` when zero. */
  | { readonly kind: 'time' }
  /** `resource.Quantity`: written in canonical form. */
  | { readonly kind: 'quantity' }
  /** Tekton's `ParamValue` / `ResultValue`: string, []string or map[string]string. */
  | { readonly kind: 'paramValue' }
  /** `runtime.RawExtension`: the value as given, `null` when absent (a struct: never omitted). */
  | { readonly kind: 'rawExtension' }
  /** A type not modelled here: the value as given (see docs/provenance.md for what this cannot see). */
  | { readonly kind: 'any' };

/** A struct field: its json name and options. `inline` embeds a struct's fields (Go's anonymous field). */
export interface GoField {
  readonly json: string;
  readonly type: GoType;
  readonly omitempty?: boolean;
  readonly omitzero?: boolean;
  readonly inline?: boolean;
}

interface Encoded {
  readonly value: unknown;
  readonly empty: boolean;
  readonly zero: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FIELDS = new WeakMap<object, readonly GoField[]>();

/** A struct's fields, built once (field identity matters when assigning values). */
function fieldsOf(type: Extract<GoType, { kind: 'struct' }>): readonly GoField[] {
  let fields = FIELDS.get(type);
  if (!fields) {
    fields = type.fields();
    FIELDS.set(type, fields);
  }
  return fields;
}

/** Go's case folding for field names (ASCII and simple Unicode folds). */
function foldEqual(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The fields a JSON object's keys may name, with embedded structs' fields promoted. */
function visibleFields(type: Extract<GoType, { kind: 'struct' }>): { field: GoField; via?: GoField }[] {
  const out: { field: GoField; via?: GoField }[] = [];
  for (const field of fieldsOf(type)) {
    if (field.inline && field.type.kind === 'struct') {
      for (const inner of visibleFields(field.type)) out.push({ field: inner.field, via: inner.via ?? field });
    } else {
      out.push({ field });
    }
  }
  return out;
}

/** Splits a JSON object into the values of each field (exact name first, else case-insensitive, later keys win). */
function assignFields(type: Extract<GoType, { kind: 'struct' }>, input: Record<string, unknown>): Map<GoField, unknown> {
  const fields = visibleFields(type).map((entry) => entry.field);
  const assigned = new Map<GoField, unknown>();
  for (const [key, value] of Object.entries(input)) {
    const field = fields.find((f) => f.json === key) ?? fields.find((f) => foldEqual(f.json, key));
    if (field) assigned.set(field, value);
  }
  return assigned;
}

function encodeStruct(type: Extract<GoType, { kind: 'struct' }>, assigned: Map<GoField, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let zero = true;
  for (const field of fieldsOf(type)) {
    if (field.inline && field.type.kind === 'struct') {
      Object.assign(out, encodeStruct(field.type, assigned, path));
      continue;
    }
    const given = assigned.get(field);
    const encoded = encode(field.type, given, `${path}.${field.json}`);
    if (!encoded.zero) zero = false;
    if (field.omitempty && encoded.empty) continue;
    if (field.omitzero && encoded.zero) continue;
    out[field.json] = encoded.value;
  }
  Object.defineProperty(out, ZERO, { value: zero, enumerable: false });
  return out;
}

const ZERO = Symbol('zero struct');

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function encode(type: GoType, input: unknown, path: string): Encoded {
  const absent = input === undefined || input === null;
  switch (type.kind) {
    case 'string': {
      if (absent) return { value: '', empty: true, zero: true };
      if (typeof input !== 'string') throw new GoJsonError(`${path} is ${describe(input)}, expected a string`);
      return { value: input, empty: input === '', zero: input === '' };
    }
    case 'bool': {
      if (absent) return { value: false, empty: true, zero: true };
      if (typeof input !== 'boolean') throw new GoJsonError(`${path} is ${describe(input)}, expected true or false`);
      return { value: input, empty: !input, zero: !input };
    }
    case 'number': {
      if (absent) return { value: 0, empty: true, zero: true };
      if (typeof input !== 'number') throw new GoJsonError(`${path} is ${describe(input)}, expected a number`);
      return { value: input, empty: input === 0, zero: input === 0 };
    }
    case 'pointer': {
      if (absent) return { value: null, empty: true, zero: true };
      return { value: encode(type.to, input, path).value, empty: false, zero: false };
    }
    case 'slice': {
      if (absent) return { value: null, empty: true, zero: true };
      if (!Array.isArray(input)) throw new GoJsonError(`${path} is ${describe(input)}, expected a list`);
      return { value: input.map((item, i) => encode(type.of, item, `${path}[${i}]`).value), empty: input.length === 0, zero: false };
    }
    case 'map': {
      if (absent) return { value: null, empty: true, zero: true };
      if (!isPlainObject(input)) throw new GoJsonError(`${path} is ${describe(input)}, expected an object`);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(input).sort()) out[key] = encode(type.of, input[key], `${path}.${key}`).value;
      return { value: out, empty: Object.keys(input).length === 0, zero: false };
    }
    case 'struct': {
      if (!absent && !isPlainObject(input)) throw new GoJsonError(`${path} is ${describe(input)}, expected an object`);
      const value = encodeStruct(type, absent ? new Map() : assignFields(type, input as Record<string, unknown>), path);
      return { value, empty: false, zero: (value as Record<symbol, boolean>)[ZERO] };
    }
    case 'duration': {
      if (absent) return { value: '0s', empty: false, zero: true };
      return { value: canonicalGoDuration(input, path), empty: false, zero: false };
    }
    case 'time': {
      if (absent) return { value: null, empty: false, zero: true };
      return { value: formatMetav1Time(input, path), empty: false, zero: false };
    }
    case 'quantity': {
      if (absent) return { value: '0', empty: false, zero: true };
      return { value: canonicalQuantity(input, path), empty: false, zero: false };
    }
    case 'paramValue': {
      if (input === undefined) throw new GoJsonError(`${path} is missing; Go cannot marshal a ParamValue without a type`);
      return { value: paramValueOf(input), empty: false, zero: false };
    }
    case 'rawExtension':
      return { value: absent ? null : input, empty: false, zero: absent };
    case 'any':
      return { value: input === undefined ? null : input, empty: absent, zero: absent };
  }
}

/**
 * A Tekton `ParamValue` as Go reads and writes it (tektoncd/pipeline `pkg/apis/pipeline/v1/param_types.go`):
 * a list of strings stays a list, an object of strings stays an object, `null` is the empty string, and
 * any other JSON becomes a string holding its JSON text.
 */
export function paramValueOf(input: unknown): string | string[] | Record<string, string> {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string') return input;
  if (Array.isArray(input) && input.every((item) => typeof item === 'string' || item === null)) return input.map((item) => item ?? '');
  if (isPlainObject(input) && Object.values(input).every((item) => typeof item === 'string' || item === null)) {
    const out: Record<string, string> = {};
    for (const key of Object.keys(input).sort()) out[key] = (input[key] as string | null) ?? '';
    return out;
  }
  return JSON.stringify(input);
}

/**
 * `json.Unmarshal` of `input` into a value of Go type `type`, then `json.Marshal` of it: what Chains writes
 * for a Go struct it read from a cluster. Object keys follow Go's struct field order; maps are sorted.
 * Throws GoJsonError (naming `path` and the field) where Go's decoder or a marshaler would fail.
 */
export function goRoundTrip(type: GoType, input: unknown, path: string): unknown {
  return encode(type, input, path).value;
}
