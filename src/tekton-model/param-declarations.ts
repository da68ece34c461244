import { asArray, asObject, asString, JsonObject, textOf } from './json-shape';

/** Tekton's param (and result) types. */
export type ParamType = 'string' | 'array' | 'object';

/** A param declaration after Tekton's defaulting (`ParamSpec.SetDefaults`). */
export interface ParamDeclaration {
  /** The declared name. */
  readonly name: string;
  /** The type: as written, else object when `properties` is set, else the default's type, else string. */
  readonly type: string;
  /** True when `type` was written. */
  readonly typeWritten: boolean;
  /** Declared object keys and their types (`string` when unwritten). */
  readonly properties: ReadonlyMap<string, string> | undefined;
  /** The default value, if any. */
  readonly default: unknown;
  /** True when a default is declared: the param is then optional. */
  readonly hasDefault: boolean;
  /** The enum, if any. */
  readonly enum: readonly string[] | undefined;
  /** Index in the `params` list. */
  readonly index: number;
}

/**
 * The type Tekton gives a param value (`ParamValue.UnmarshalJSON`): an array of strings is an array,
 * an object of strings an object, anything else (numbers and booleans too) a string.
 */
export function paramValueType(value: unknown): ParamType {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return 'array';
  const o = asObject(value);
  if (o && Object.values(o).every((v) => typeof v === 'string')) return 'object';
  return 'string';
}

/** Reads one `params[]` entry of a Task, Pipeline or StepAction, applying Tekton's defaulting. */
export function readParamDeclaration(spec: JsonObject, index: number): ParamDeclaration {
  const name = asString(spec.name) ?? '';
  const written = asString(spec.type);
  const propertiesObject = asObject(spec.properties);
  let properties: Map<string, string> | undefined;
  if (propertiesObject) {
    properties = new Map();
    for (const [key, prop] of Object.entries(propertiesObject)) {
      properties.set(key, asString(asObject(prop)?.type) || 'string');
    }
  }
  const hasDefault = spec.default !== undefined && spec.default !== null;
  let type: string;
  if (written) type = written;
  else if (properties) type = 'object';
  else if (!hasDefault) type = 'string';
  else type = paramValueType(spec.default);
  const enumList = Array.isArray(spec.enum) ? asArray(spec.enum).map((v) => textOf(v)) : undefined;
  return { name, type, typeWritten: Boolean(written), properties, default: spec.default, hasDefault, enum: enumList, index };
}

/** Reads all `params[]` of a spec. */
export function readParamDeclarations(params: unknown): ParamDeclaration[] {
  const out: ParamDeclaration[] = [];
  asArray(params).forEach((p, i) => {
    const o = asObject(p);
    if (o) out.push(readParamDeclaration(o, i));
  });
  return out;
}

const BY_NAME = new WeakMap<object, ReadonlyMap<string, unknown>>();

/**
 * Declarations by name (the first wins when a name repeats). Memoized per list: a Task used by
 * 2000 pipeline tasks is indexed once. The map must not be changed.
 */
export function indexByName<T extends { readonly name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  const cached = BY_NAME.get(items);
  if (cached) return cached as ReadonlyMap<string, T>;
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.name)) map.set(item.name, item);
  BY_NAME.set(items, map);
  return map;
}
