/**
 * Tekton Triggers v0.37.0's wire language as plain data (`triggers.tekton.dev/v1beta1`): how a
 * Trigger pairs its bindings with a template, how a binding's `$(body...)`/`$(header...)`/
 * `$(extensions...)` values are read from an event (`pkg/template/event.go`, `jsonpath.go`), and
 * how a TriggerTemplate's resource templates are rendered with `$(tt.params.x)` and `$(uid)`
 * (`pkg/template/resource.go`). No findings, no terminal: `check` and the rehearsal share it.
 */
import { randomUUID } from 'node:crypto';
import { asObject, asString, JsonObject, objectsOf } from './json-shape';
import { canonicalHeaderKey } from './cel-expressions';

/** The API group of the Triggers kinds. */
export const TRIGGERS_GROUP = 'triggers.tekton.dev';

/** The Triggers kinds, served in `triggers.tekton.dev` (the Triggers CRDs). */
export const TRIGGERS_KINDS: ReadonlySet<string> = new Set([
  'EventListener',
  'Trigger',
  'TriggerBinding',
  'ClusterTriggerBinding',
  'TriggerTemplate',
  'Interceptor',
  'ClusterInterceptor',
]);

/** True for an object of a Triggers kind in `triggers.tekton.dev`. */
export function isTriggersObject(object: JsonObject): boolean {
  const apiVersion = asString(object.apiVersion);
  const kind = asString(object.kind);
  return apiVersion !== undefined && apiVersion.startsWith(`${TRIGGERS_GROUP}/`) && kind !== undefined && TRIGGERS_KINDS.has(kind);
}

/**
 * The variables Triggers fills in in a resource template before anything else sees it: `$(uid)`
 * and `$(tt.params.NAME)`, NAME as Triggers' `paramsRegexp` (trigger_template_validation.go) reads
 * it, the pattern its validation refuses an undeclared param by. The one home of this fact: the
 * rehearsal renders with it, `check` recognises and reads templated values with it.
 */
const TRIGGERS_VARIABLE = /\$\((?:tt\.params\.([_a-zA-Z][_a-zA-Z0-9.-]*)|uid)\)/g;

/** `$(uid)`: one random id per event, the same in every resource template of it. */
const UID_VARIABLE = '$(uid)';

/** One variable Triggers fills in: a template param (`param` set) or the event's `$(uid)`. */
export interface TriggersVariable {
  /** The template param a `$(tt.params.NAME)` names; undefined for `$(uid)`. */
  readonly param?: string;
  /** The variable as written. */
  readonly text: string;
  /** Its offset in the text. */
  readonly index: number;
}

/** Every variable Triggers fills in in `text` (`$(tt.params.NAME)`, `$(uid)`), in order. */
export function findTriggersVariables(text: string): TriggersVariable[] {
  if (!text.includes('$(')) return [];
  return [...text.matchAll(TRIGGERS_VARIABLE)].map((m) =>
    m[1] === undefined ? { text: m[0], index: m.index } : { param: m[1], text: m[0], index: m.index },
  );
}

/** True when `text` holds a variable Triggers fills in (`$(tt.params.NAME)`, `$(uid)`). */
export function holdsTriggersVariable(text: string): boolean {
  return findTriggersVariables(text).length > 0;
}

/** Every `$(tt.params.NAME)` in `text`, with its offset. */
export function findTriggerTemplateParams(text: string): { readonly name: string; readonly text: string; readonly index: number }[] {
  return findTriggersVariables(text).flatMap((v) => (v.param === undefined ? [] : [{ name: v.param, text: v.text, index: v.index }]));
}

/**
 * `text` filled in as Triggers' `ResolveResources` fills in a resource template's JSON text: each
 * `$(tt.params.NAME)` of `params` replaced by its value, param by param in order, then every
 * `$(uid)` by `uid`. Values go in as given (escaping them is the caller's: see
 * {@link renderResourceTemplates}); a variable of a param not in `params` stays as written.
 */
export function fillInTriggersVariables(text: string, params: Iterable<readonly [string, string]>, uid: string): string {
  let out = text;
  for (const [name, value] of params) out = out.split(`$(tt.params.${name})`).join(value);
  return out.split(UID_VARIABLE).join(uid);
}

/**
 * `text` with every variable Triggers fills in read as an unknown string: each `$(tt.params.NAME)`
 * as `paramValue(NAME)`, `$(uid)` as `uid`; what `check` judges in place of a value only the event
 * gives (e.g. the name a templated `generateName` makes).
 */
export function readTriggersVariables(text: string, paramValue: (name: string) => string, uid: string): string {
  const params = new Map<string, string>();
  for (const v of findTriggersVariables(text)) if (v.param !== undefined) params.set(v.param, paramValue(v.param));
  return fillInTriggersVariables(text, params, uid);
}

/** A TriggerTemplate param: name, and its default when it has one (Triggers' ParamSpec: strings only). */
export interface TriggerTemplateParam {
  readonly name: string;
  readonly default?: string;
  /** Index in `spec.params`. */
  readonly index: number;
}

/** The params a TriggerTemplate spec declares. */
export function readTriggerTemplateParams(spec: JsonObject | undefined): TriggerTemplateParam[] {
  return objectsOf(spec?.params).map(([p, index]) => ({ name: asString(p.name) ?? '', default: asString(p.default), index }));
}

/** A binding param: name and value (a string with `$(...)` JSONPath expressions). */
export interface BindingParam {
  readonly name: string;
  readonly value: string;
}

/** The params of a TriggerBinding or ClusterTriggerBinding spec. */
export function readBindingParams(spec: JsonObject | undefined): BindingParam[] {
  return objectsOf(spec?.params).map(([p]) => ({ name: asString(p.name) ?? '', value: asString(p.value) ?? '' }));
}

/**
 * One entry of a Trigger's `bindings` (TriggerSpecBinding): a reference to a TriggerBinding or
 * ClusterTriggerBinding (`ref`, `kind`; kind defaults to TriggerBinding), or an inline param
 * (`name`, `value`).
 */
export type TriggerBindingEntry =
  | { readonly ref: string; readonly kind: 'TriggerBinding' | 'ClusterTriggerBinding'; readonly index: number }
  | { readonly param: BindingParam; readonly index: number };

/** The `bindings` of a Trigger spec (or of an EventListener's inline trigger). */
export function readTriggerBindings(triggerSpec: JsonObject): TriggerBindingEntry[] {
  const out: TriggerBindingEntry[] = [];
  for (const [b, index] of objectsOf(triggerSpec.bindings)) {
    const ref = asString(b.ref);
    if (ref) out.push({ ref, kind: b.kind === 'ClusterTriggerBinding' ? 'ClusterTriggerBinding' : 'TriggerBinding', index });
    else if (asString(b.name) !== undefined) out.push({ param: { name: asString(b.name)!, value: asString(b.value) ?? '' }, index });
  }
  return out;
}

/** The template of a Trigger spec: a reference by name, or an inline TriggerTemplate spec. */
export function readTriggerTemplateRef(triggerSpec: JsonObject): { readonly ref?: string; readonly spec?: JsonObject } {
  const template = asObject(triggerSpec.template);
  return { ref: asString(template?.ref), spec: asObject(template?.spec) };
}

/** An HTTP event as Triggers reads it. */
export interface TriggerEvent {
  /** The decoded JSON body. */
  readonly body: unknown;
  /** The headers, by canonical key (Go's http.Header), each with its values. */
  readonly header: Readonly<Record<string, readonly string[]>>;
  /** What interceptors added (their `extensions`). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** The event id (`$(context.eventID)`). */
  readonly eventId?: string;
}

/**
 * The `$(...)` expressions of a binding value, as Triggers' `findTektonExpressions` finds them
 * (each `$(` up to its first unbalanced `)`), with `header.` keys made canonical.
 */
export function findBindingExpressions(value: string): { readonly original: string; readonly path: string }[] {
  const out: { original: string; path: string }[] = [];
  const parts = value.split('$(');
  for (const part of parts.slice(1)) {
    let depth = 0;
    for (let i = 0; i < part.length; i++) {
      if (part[i] === '(') depth++;
      else if (part[i] === ')' && --depth < 0) {
        let raw = part.slice(0, i);
        const original = `$(${raw})`;
        if (raw.startsWith('header.')) raw = `header.${canonicalHeaderKey(raw.slice('header.'.length))}`;
        out.push({ original, path: raw });
        break;
      }
    }
  }
  return out;
}

/** A binding value that does not terminate a `$(` (Triggers' `validateParamValue`), else undefined. */
export function unterminatedBindingExpression(value: string): boolean {
  if (!value.includes('$(')) return false;
  const parts = value.split('$(').slice(1);
  return parts.slice(0, -1).some((part) => {
    let depth = 0;
    for (const ch of part) {
      if (ch === '(') depth++;
      else if (ch === ')' && --depth < 0) return false;
    }
    return true;
  });
}

/** Splits a relaxed JSONPath (`body.a.b`, `{.body.a[0]}`, `body['x.y']`) into keys and indexes. */
function jsonPathSegments(path: string): (string | number | '*')[] {
  const relaxed = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!relaxed) throw new Error(`unexpected path string ${JSON.stringify(path)}, expected a 'name1.name2' or '{.name1.name2}'`);
  const spec = relaxed[1] ?? relaxed[2];
  const out: (string | number | '*')[] = [];
  const re = /\.?([^.[\]]+)|\[(\d+|\*|'[^']*'|"[^"]*")\]/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < spec.length && (m = re.exec(spec))) {
    at = re.lastIndex;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] === '*') out.push('*');
    else if (/^\d+$/.test(m[2])) out.push(Number(m[2]));
    else out.push(m[2].slice(1, -1));
  }
  if (at !== spec.length) throw new Error(`unsupported JSONPath ${JSON.stringify(path)}`);
  return out;
}

/** Go's encoding/json rendering of a decoded JSON value (numbers as float64). */
function goJson(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Reads one `$(...)` path from the event as Triggers' `parseJSONPath` does (Kubernetes JSONPath,
 * missing keys an error): a string as it is, anything else as JSON, several results (`[*]`) as a
 * JSON list. Throws with one line when the path does not resolve.
 */
export function readEventPath(event: TriggerEvent, path: string): string {
  const root: Record<string, unknown> = {
    body: event.body,
    header: Object.fromEntries(Object.entries(event.header).map(([k, v]) => [k, v.join(',')])),
    extensions: event.extensions ?? {},
    context: { eventID: event.eventId ?? '' },
  };
  let values: unknown[] = [root];
  for (const segment of jsonPathSegments(path)) {
    const next: unknown[] = [];
    for (const v of values) {
      if (segment === '*') {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
        else if (v && typeof v === 'object') next.push(...Object.values(v));
        else throw new Error(`${path}: ${JSON.stringify(segment)} is not found`);
      } else if (typeof segment === 'number') {
        if (!Array.isArray(v) || segment >= v.length) throw new Error(`array index out of bounds: index ${segment} in ${path}`);
        next.push(v[segment]);
      } else {
        if (!v || typeof v !== 'object' || Array.isArray(v) || !(segment in v)) throw new Error(`${segment} is not found (in ${path})`);
        next.push((v as Record<string, unknown>)[segment]);
      }
    }
    values = next;
  }
  if (values.length === 1) {
    const only = values[0];
    if (only === null || only === undefined) return 'null';
    return typeof only === 'string' ? only : goJson(only);
  }
  return goJson(values);
}

/**
 * Triggers' `applyEventValuesToParams`: the template's defaults, then each binding param with its
 * `$(...)` expressions read from the event; a path that does not resolve takes the param's
 * default when the template has one, else the whole event is refused (thrown, one line).
 */
export function resolveBindingParams(
  bindings: readonly BindingParam[],
  templateParams: readonly TriggerTemplateParam[],
  event: TriggerEvent,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const p of templateParams) if (p.default !== undefined) values.set(p.name, p.default);
  for (const p of bindings) {
    let value = p.value;
    for (const expression of findBindingExpressions(p.value)) {
      let read: string;
      try {
        read = readEventPath(event, expression.path);
      } catch (error) {
        const fallback = values.get(p.name);
        if (fallback === undefined)
          throw new Error(
            `failed to replace JSONPath value for param ${p.name}: ${p.value}: ${error instanceof Error ? error.message : String(error)}`,
          );
        read = fallback;
      }
      value = value.split(expression.original).join(read);
    }
    values.set(p.name, value);
  }
  return values;
}

/**
 * Renders a TriggerTemplate's resource templates as Triggers' `ResolveResources` does: each
 * `$(tt.params.NAME)` replaced in the JSON text by the value with `$(` escaped to `$$(` (since
 * v0.34), every `$(uid)` by one UUID for the whole template. A value holding a `"` breaks the JSON
 * unless the template has the `triggers.tekton.dev/old-escape-quotes` annotation; that is thrown.
 */
export function renderResourceTemplates(
  template: JsonObject,
  params: ReadonlyMap<string, string>,
  uid: string = randomUUID(),
): JsonObject[] {
  const spec = asObject(template.spec);
  const annotations = asObject(asObject(template.metadata)?.annotations);
  const oldEscape = annotations !== undefined && 'triggers.tekton.dev/old-escape-quotes' in annotations;
  return objectsOf(spec?.resourcetemplates).map(([resource, i]) => {
    const escaped = [...params].map(([name, raw]): [string, string] => {
      const value = oldEscape ? raw.split('"').join('\\"') : raw;
      return [name, value.split('$(').join('$$(')];
    });
    const text = fillInTriggersVariables(JSON.stringify(resource), escaped, uid);
    try {
      return JSON.parse(text) as JsonObject;
    } catch {
      throw new Error(
        `resourcetemplates[${i}] is not valid JSON once its params are filled in (a param value holds a quote or a backslash)`,
      );
    }
  });
}
