/**
 * Declared params of a Task or a Pipeline: the specs a user writes, the typed references they
 * give back, and the types of the values a caller must supply for them.
 */
import { ArrayExpression, ObjectExpression, StringExpression, StringValue, variableSegment } from './expression';

/** A string param (Tekton's default type). */
export interface StringParamSpec {
  /** The param type. @default 'string' */
  readonly type?: 'string';
  /** What the param is for. @default - none */
  readonly description?: string;
  /** Value used when the caller supplies none; makes the param optional. @default - required */
  readonly default?: string;
  /** The only values allowed (Tekton's `enum`, feature flag `enable-param-enum`). @default - any string */
  readonly enum?: readonly string[];
}

/** An array-of-strings param. */
export interface ArrayParamSpec {
  /** The param type. */
  readonly type: 'array';
  /** What the param is for. @default - none */
  readonly description?: string;
  /** Value used when the caller supplies none; makes the param optional. @default - required */
  readonly default?: readonly string[];
}

/** The declaration of one key of an object param or result; Tekton supports string keys only. */
export interface ObjectPropertySpec {
  /** The key's type. @default 'string' */
  readonly type?: 'string';
}

/** An object param with declared keys. */
export interface ObjectParamSpec {
  /** The param type. */
  readonly type: 'object';
  /** What the param is for. @default - none */
  readonly description?: string;
  /** The keys of the object. */
  readonly properties: { readonly [key: string]: ObjectPropertySpec };
  /** Value used when the caller supplies none; makes the param optional. @default - required */
  readonly default?: { readonly [key: string]: string };
}

/** Any param declaration. */
export type ParamSpec = StringParamSpec | ArrayParamSpec | ObjectParamSpec;

/** Params by name. */
export type ParamSpecs = { readonly [name: string]: ParamSpec };

/** The keys of an object spec. */
export type PropertyKeys<S> = S extends { readonly properties: infer Pr } ? Extract<keyof Pr, string> : string;

/** The typed reference a declared param gives back. */
export type ParamRef<S extends ParamSpec> = S extends { readonly type: 'array' }
  ? ArrayExpression
  : S extends { readonly type: 'object' }
    ? ObjectExpression<PropertyKeys<S>>
    : StringExpression;

/** The typed references of declared params, by name. */
export type ParamRefs<P extends ParamSpecs> = { readonly [K in keyof P]: ParamRef<P[K]> };

/** A value a caller may supply for a string param of spec `S` (an enum narrows literals). */
export type StringParamValue<S> = S extends { readonly enum: readonly (infer E)[] } ? E | StringExpression : StringValue;

/** A value a caller may supply for an array param. */
export type ArrayParamValue = readonly StringValue[] | ArrayExpression;

/** A value a caller may supply for an object param with keys `K`. */
export type ObjectParamValue<K extends string> = { readonly [key in K]: StringValue } | ObjectExpression<K>;

/** A value a caller may supply for a param of spec `S`. */
export type ParamValue<S> = S extends { readonly type: 'array' }
  ? ArrayParamValue
  : S extends { readonly type: 'object' }
    ? S extends { readonly default: object }
      ? Partial<{ readonly [key in PropertyKeys<S>]: StringValue }> | ObjectExpression<PropertyKeys<S>>
      : ObjectParamValue<PropertyKeys<S>>
    : StringParamValue<S>;

/** Names of the params of `P` that have a default (the caller may leave them out). */
export type OptionalParamNames<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

/** Names of the params of `P` that have no default (the caller must supply them). */
export type RequiredParamNames<P> = Exclude<keyof P, OptionalParamNames<P>>;

/** The values a caller supplies for params `P`: every param without a default, and no unknown name. */
export type ParamValues<P> = { readonly [K in RequiredParamNames<P>]: ParamValue<P[K]> } & {
  readonly [K in OptionalParamNames<P>]?: ParamValue<P[K]>;
};

/** The wire type Tekton infers for a spec. */
export function paramType(spec: ParamSpec): 'string' | 'array' | 'object' {
  if (spec.type) return spec.type;
  return 'properties' in spec && spec.properties ? 'object' : 'string';
}

/** The typed reference for param `name` of spec `spec` (the same text in a Task and in a Pipeline). */
export function paramRef<S extends ParamSpec>(name: string, spec: S): ParamRef<S> {
  const text = variableSegment('params', name);
  switch (paramType(spec)) {
    case 'array':
      return new ArrayExpression(text) as ParamRef<S>;
    case 'object':
      return new ObjectExpression(text, Object.keys((spec as ObjectParamSpec).properties ?? {})) as ParamRef<S>;
    default:
      return new StringExpression(text) as ParamRef<S>;
  }
}

/** References for every declared param. */
export function paramRefs<P extends ParamSpecs>(specs: P): ParamRefs<P> {
  const refs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) refs[name] = paramRef(name, spec);
  return refs as ParamRefs<P>;
}

/** The wire form of a param declaration (`spec.params[]` of a Task or Pipeline). */
export interface ParamDeclarationJson {
  readonly name: string;
  readonly type: 'string' | 'array' | 'object';
  readonly description?: string;
  readonly properties?: { [key: string]: { type: 'string' } };
  readonly default?: unknown;
  readonly enum?: string[];
}

/** Renders declared params in declaration order. */
export function renderParamDeclarations(specs: ParamSpecs): ParamDeclarationJson[] {
  return Object.entries(specs).map(([name, spec]) => {
    const type = paramType(spec);
    const properties =
      type === 'object'
        ? Object.fromEntries(Object.keys((spec as ObjectParamSpec).properties).map((key) => [key, { type: 'string' as const }]))
        : undefined;
    return {
      name,
      type,
      description: spec.description,
      properties,
      default: spec.default === undefined ? undefined : renderValue(spec.default),
      enum: 'enum' in spec && spec.enum ? [...spec.enum] : undefined,
    };
  });
}

/** Renders a supplied value (strings, expressions, arrays and objects of them) to its wire form. */
export function renderValue(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => renderValue(v));
  if (typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return String(value);
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renderValue(v)]));
  }
  return String(value);
}

/** Renders supplied param values as the wire list `[{name, value}]`, in the caller's order. */
export function renderParamValues(values: object | undefined): { name: string; value: unknown }[] | undefined {
  if (!values) return undefined;
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : entries.map(([name, value]) => ({ name, value: renderValue(value) }));
}
