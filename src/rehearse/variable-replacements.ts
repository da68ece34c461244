import { findVariableReferences, VariableReference } from '../tekton-model/variable-references';
import { Param, ParamDeclarationSpec, TektonValue, typeOfValue } from '../tekton-model/tekton-objects';

/**
 * Tekton v1.15.0's variable substitution (`pkg/substitution`, `ParamValue.ApplyReplacements`): three maps
 * keyed by the expression inside `$(...)` — strings, arrays, objects — applied by literal replacement in one
 * pass (Go's `strings.Replacer`), with `$(x[*])` or `$(x)` expanding a whole array when it is an entire
 * array element, and a whole-value reference turning a param value into an array or object.
 * Which references exist is read with the check engine's parser, so that what is left over after
 * substitution can be reported as Tekton's validation would.
 */
export class Replacements {
  /** `params.x` → value, `params.x[0]`, `params.x.key`, `results.x.path`, `context.taskRun.name` ... */
  public readonly strings = new Map<string, string>();
  /** `params.x` → array value (for `$(params.x[*])`). */
  public readonly arrays = new Map<string, string[]>();
  /** `params.x` → object value (for `$(params.x[*])`). */
  public readonly objects = new Map<string, Record<string, string>>();

  /** Adds every entry of `other` (later wins). */
  public merge(other: Replacements): this {
    for (const [k, v] of other.strings) this.strings.set(k, v);
    for (const [k, v] of other.arrays) this.arrays.set(k, v);
    for (const [k, v] of other.objects) this.objects.set(k, v);
    return this;
  }

  /** Go's `substitution.ApplyReplacements`: every `$(key)` with a string replacement, in one pass. */
  public apply(text: string): string {
    if (this.strings.size === 0 || !text.includes('$(')) return text;
    let out = '';
    let at = 0;
    for (;;) {
      const open = text.indexOf('$(', at);
      if (open === -1) break;
      const close = text.indexOf(')', open + 2);
      if (close === -1) break;
      const key = text.slice(open + 2, close);
      const value = this.strings.get(key);
      if (value === undefined) {
        out += text.slice(at, open + 2);
        at = open + 2;
        continue;
      }
      out += text.slice(at, open) + value;
      at = close + 1;
    }
    return out + text.slice(at);
  }

  /** Go's `substitution.ApplyArrayReplacements`: an element that is exactly `$(array)` or `$(array[*])` expands. */
  public applyToArrayElement(element: string): string[] {
    for (const [key, value] of this.arrays) {
      if (element === `$(${key})` || element === `$(${key}[*])`) return [...value];
    }
    return [this.apply(element)];
  }

  /** `ParamValue.ApplyReplacements`: arrays expand per element, objects per value, a whole-value string may change type. */
  public applyToValue(value: TektonValue): TektonValue {
    if (Array.isArray(value)) return value.flatMap((v) => this.applyToArrayElement(v));
    if (typeof value === 'object') {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.apply(v);
      return out;
    }
    const whole = /^\$\(([^()]+)\)$/.exec(value);
    if (whole) {
      const key = whole[1].endsWith('[*]') ? whole[1].slice(0, -3) : whole[1];
      if (this.arrays.has(key)) return [...this.arrays.get(key)!];
      if (this.objects.has(key)) return { ...this.objects.get(key)! };
    }
    return this.apply(value);
  }
}

/** The spellings Tekton accepts for a param name: `params.x`, `params["x"]`, `params['x']`. */
function paramKeys(name: string): string[] {
  return [`params.${name}`, `params["${name}"]`, `params['${name}']`];
}

function addParam(into: Replacements, name: string, value: TektonValue): void {
  const type = typeOfValue(value);
  for (const key of paramKeys(name)) {
    if (type === 'array') {
      (value as string[]).forEach((v, i) => into.strings.set(`${key}[${i}]`, v));
      into.arrays.set(key, [...(value as string[])]);
    } else if (type === 'object') {
      into.objects.set(key, { ...(value as Record<string, string>) });
    } else {
      into.strings.set(key, value as string);
    }
  }
  if (type === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, string>)) into.strings.set(`params.${name}.${k}`, v);
  }
}

/**
 * Param replacements as Tekton builds them for a TaskRun or PipelineRun (`getTaskParameters`,
 * `replacementsFromDefaultParams`): declared defaults first (a default that refers to another param is
 * resolved against the other defaults), then the given values; an object value given for an object param is
 * merged key by key over its default.
 */
export function paramReplacements(specs: readonly ParamDeclarationSpec[], given: readonly Param[]): Replacements {
  const out = new Replacements();
  const referencing: ParamDeclarationSpec[] = [];
  for (const spec of specs) {
    if (spec.default === undefined) continue;
    if (typeof spec.default === 'string' && spec.default.includes('$(params.')) {
      referencing.push(spec);
      continue;
    }
    addParam(out, spec.name, spec.default);
  }
  for (const spec of referencing) {
    let resolved = spec.default as string;
    for (const ref of findVariableReferences(resolved)) {
      if (ref.kind !== 'params' || ref.name === undefined) continue;
      const value = out.strings.get(`params.${ref.name}`);
      if (value !== undefined) resolved = resolved.split(ref.text).join(value);
    }
    addParam(out, spec.name, resolved);
  }
  for (const param of given) {
    const spec = specs.find((s) => s.name === param.name);
    if (typeOfValue(param.value) === 'object' && spec?.default !== undefined && typeOfValue(spec.default) === 'object') {
      addParam(out, param.name, { ...(spec.default as Record<string, string>), ...(param.value as Record<string, string>) });
    } else {
      addParam(out, param.name, param.value);
    }
  }
  return out;
}

/** The values params end up with (defaults, given values, object merge), by name. */
export function effectiveParamValues(specs: readonly ParamDeclarationSpec[], given: readonly Param[]): Map<string, TektonValue> {
  const values = new Map<string, TektonValue>();
  for (const spec of specs) if (spec.default !== undefined) values.set(spec.name, spec.default);
  for (const param of given) {
    const previous = values.get(param.name);
    if (previous !== undefined && typeOfValue(previous) === 'object' && typeOfValue(param.value) === 'object') {
      values.set(param.name, { ...(previous as Record<string, string>), ...(param.value as Record<string, string>) });
    } else {
      values.set(param.name, param.value);
    }
  }
  return values;
}

/** Kinds of references that Tekton resolves; one left in a field after substitution is an error. */
const RESOLVED_KINDS = new Set<VariableReference['kind']>([
  'params',
  'results',
  'tasks.results',
  'tasks.status',
  'tasks.reason',
  'tasks.aggregate-status',
  'tasks.matrix',
  'workspaces',
  'context',
  'steps.results',
  'steps.exitCode',
  'step.results',
  'credentials',
]);

/** The first Tekton reference in `text` that substitution did not resolve, if any. */
export function firstUnresolvedReference(text: string): VariableReference | undefined {
  return findVariableReferences(text).find((ref) => ref.valid && RESOLVED_KINDS.has(ref.kind));
}
