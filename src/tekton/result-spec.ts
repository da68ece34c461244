/**
 * Declared results of a Task: the specs a user writes and the typed references they give back,
 * inside the Task (`$(results.r.path)`) and in a Pipeline (`$(tasks.t.results.r)`).
 */
import { ArrayExpression, ObjectExpression, StringExpression, variableSegment } from './expression';
import { ObjectPropertySpec, PropertyKeys } from './param-spec';

/** A string result (Tekton's default type). */
export interface StringResultSpec {
  /** The result type. @default 'string' */
  readonly type?: 'string';
  /** What the result holds. @default - none */
  readonly description?: string;
}

/** An array-of-strings result. */
export interface ArrayResultSpec {
  /** The result type. */
  readonly type: 'array';
  /** What the result holds. @default - none */
  readonly description?: string;
}

/** An object result with declared keys (how Chains type hints such as `*_ARTIFACT_OUTPUTS` are written). */
export interface ObjectResultSpec {
  /** The result type. */
  readonly type: 'object';
  /** What the result holds. @default - none */
  readonly description?: string;
  /** The keys of the object. */
  readonly properties: { readonly [key: string]: ObjectPropertySpec };
}

/** Any result declaration. */
export type ResultSpec = StringResultSpec | ArrayResultSpec | ObjectResultSpec;

/** Results by name. */
export type ResultSpecs = { readonly [name: string]: ResultSpec };

/** A result as seen from inside its Task: where a step writes it. */
export class TaskResultPath {
  /** `$(results.<name>.path)`: the file a step writes the result to. */
  public readonly path: StringExpression;

  /** @param name the result name */
  public constructor(public readonly name: string) {
    this.path = new StringExpression(`${variableSegment('results', name)}.path`);
  }

  /** The path expression, `$(results.<name>.path)`, so `> ${task.results.digest}` writes the result. */
  public toString(): string {
    return this.path.toString();
  }
}

/** References to a Task's results from inside the Task, by name. */
export type TaskResultPaths<R extends ResultSpecs> = { readonly [K in keyof R]: TaskResultPath };

/** The typed reference to result `S` of a pipeline task, as a Pipeline reads it. */
export type PipelineTaskResultRef<S extends ResultSpec> = S extends { readonly type: 'array' }
  ? ArrayExpression
  : S extends { readonly type: 'object' }
    ? ObjectExpression<PropertyKeys<S>>
    : StringExpression;

/** References to a pipeline task's results, by name. */
export type PipelineTaskResultRefs<R extends ResultSpecs> = { readonly [K in keyof R]: PipelineTaskResultRef<R[K]> };

/** The wire type of a result spec. */
export function resultType(spec: ResultSpec): 'string' | 'array' | 'object' {
  if (spec.type) return spec.type;
  return 'properties' in spec && spec.properties ? 'object' : 'string';
}

/** The reference to result `name` of pipeline task `task`: `$(tasks.<task>.results.<name>)`. */
export function pipelineTaskResultRef<S extends ResultSpec>(task: string, name: string, spec: S): PipelineTaskResultRef<S> {
  const text = `tasks.${task}.results.${name}`;
  switch (resultType(spec)) {
    case 'array':
      return new ArrayExpression(text) as PipelineTaskResultRef<S>;
    case 'object':
      return new ObjectExpression(text, Object.keys((spec as ObjectResultSpec).properties ?? {})) as PipelineTaskResultRef<S>;
    default:
      return new StringExpression(text) as PipelineTaskResultRef<S>;
  }
}

/** The wire form of a result declaration (`spec.results[]` of a Task). */
export interface ResultDeclarationJson {
  readonly name: string;
  readonly type: 'string' | 'array' | 'object';
  readonly description?: string;
  readonly properties?: { [key: string]: { type: 'string' } };
}

/** Renders declared results in declaration order. */
export function renderResultDeclarations(specs: ResultSpecs): ResultDeclarationJson[] {
  return Object.entries(specs).map(([name, spec]) => {
    const type = resultType(spec);
    return {
      name,
      type,
      description: spec.description,
      properties:
        type === 'object'
          ? Object.fromEntries(Object.keys((spec as ObjectResultSpec).properties).map((key) => [key, { type: 'string' as const }]))
          : undefined,
    };
  });
}
