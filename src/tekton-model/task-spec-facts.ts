/**
 * The facts of a Task spec that the Pipeline and run judges and the rehearsal's wiring read: its
 * declared params, results and workspaces, read without judging.
 */
import { asObject, asString, JsonObject, objectsOf } from './json-shape';
import { ParamDeclaration, readParamDeclarations } from './param-declarations';

/** Facts about a Task spec that the Pipeline and run rules use. */
export interface TaskSpecFacts {
  /** The declared params, after defaulting. */
  readonly params: readonly ParamDeclaration[];
  /** The declared results: name → type and object keys. */
  readonly results: ReadonlyMap<string, ResultDeclaration>;
  /** The declared workspaces: name → optional. */
  readonly workspaces: ReadonlyMap<string, { readonly optional: boolean }>;
}

/** A declared result. */
export interface ResultDeclaration {
  /** `string`, `array` or `object`. */
  readonly type: string;
  /** Declared keys of an object result. */
  readonly properties: ReadonlySet<string> | undefined;
}

/** Reads the facts of a Task spec without judging it. */
export function readTaskSpecFacts(spec: JsonObject): TaskSpecFacts {
  const results = new Map<string, ResultDeclaration>();
  for (const [result] of objectsOf(spec.results)) {
    const name = asString(result.name);
    if (name === undefined || results.has(name)) continue;
    const props = asObject(result.properties);
    const type = asString(result.type) || (props ? 'object' : 'string');
    results.set(name, { type, properties: props ? new Set(Object.keys(props)) : undefined });
  }
  const workspaces = new Map<string, { optional: boolean }>();
  for (const [w] of objectsOf(spec.workspaces)) {
    const name = asString(w.name);
    if (name !== undefined && !workspaces.has(name)) workspaces.set(name, { optional: w.optional === true });
  }
  return { params: readParamDeclarations(spec.params), results, workspaces };
}
