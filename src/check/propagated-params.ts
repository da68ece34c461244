import { asObject } from '../tekton-model/json-shape';
import { ParamDeclaration, paramValueType } from '../tekton-model/param-declarations';
import { findVariableReferences } from '../tekton-model/variable-references';

/** A param handed down to an embedded spec: its name and value as written. */
export interface HandedParam {
  /** The param name. */
  readonly name: string;
  /** The value as written. */
  readonly value: unknown;
  /** True for a matrix param: each run gets one item of it. */
  readonly matrix?: boolean;
}

/**
 * The params an embedded spec can read without declaring them (Tekton's propagated params):
 * `outer` (e.g. the Pipeline's params) overlaid with the params handed to it, typed by value.
 * An isolated `$(params.x[*])` takes the type of `x`; an isolated `$(tasks.t.results.r[*])` is an array;
 * an object value adds its keys to the keys already known.
 */
export function propagatedParams(
  handed: readonly HandedParam[],
  outer?: ReadonlyMap<string, ParamDeclaration>,
): Map<string, ParamDeclaration> {
  const out = new Map<string, ParamDeclaration>(outer ?? []);
  handed.forEach((h, index) => {
    let type: string = h.matrix ? 'string' : paramValueType(h.value);
    if (!h.matrix && typeof h.value === 'string') {
      const refs = findVariableReferences(h.value);
      const r = refs[0];
      if (refs.length === 1 && r.start === 0 && r.end === h.value.length && r.star) {
        type = r.kind === 'params' && r.name !== undefined ? (outer?.get(r.name)?.type ?? 'array') : 'array';
      }
    }
    const previous = out.get(h.name);
    const keys = new Set<string>(previous?.properties?.keys() ?? []);
    const o = asObject(h.value);
    if (o) for (const k of Object.keys(o)) keys.add(k);
    out.set(h.name, {
      name: h.name,
      type: previous && type === 'string' && typeof h.value === 'string' && h.value.includes('$(') ? previous.type : type,
      typeWritten: false,
      properties: keys.size > 0 ? new Map([...keys].map((k) => [k, 'string'])) : previous?.properties,
      default: h.value,
      hasDefault: true,
      enum: undefined,
      index,
    });
  });
  return out;
}
