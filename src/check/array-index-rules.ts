import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { JsonObject, quote } from '../tekton-model/json-shape';
import { ParamDeclaration } from '../tekton-model/param-declarations';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences } from '../tekton-model/variable-references';

/** One `$(params.x[N])` in a spec: the param and the highest index used. */
type IndexUses = ReadonlyMap<string, number>;

/** The highest index each array param is read at in `spec` (memoized per spec). */
function indexUses(r: ScopedReporter, spec: JsonObject): IndexUses {
  return r.remember(indexKey(spec), () => {
    const uses = new Map<string, number>();
    forEachString(spec, [], (text) => {
      for (const ref of findVariableReferences(text)) {
        if (ref.kind === 'params' && ref.name !== undefined && ref.index !== undefined) {
          uses.set(ref.name, Math.max(uses.get(ref.name) ?? -1, ref.index));
        }
      }
    });
    return uses;
  });
}

const INDEX_KEYS = new WeakMap<object, object>();
function indexKey(spec: object): object {
  let key = INDEX_KEYS.get(spec);
  if (!key) INDEX_KEYS.set(spec, (key = {}));
  return key;
}

/**
 * Judges `$(params.x[N])` in a callee's spec against the array each run will get (the value
 * supplied as a literal list, else the default), as Tekton's `ValidateOutOfBoundArrayParams`
 * does when it creates the run.
 */
export function checkArrayIndexes(
  r: ScopedReporter,
  callee: string,
  spec: JsonObject,
  declarations: readonly ParamDeclaration[],
  supplied: ReadonlyArray<{ readonly name: string; readonly value: unknown; readonly path: readonly FieldPathSegment[] }>,
  paramsPath: readonly FieldPathSegment[],
): void {
  const uses = indexUses(r, spec);
  if (uses.size === 0) return;
  const given = new Map(supplied.map((s) => [s.name, s]));
  for (const d of declarations) {
    if (d.type !== 'array') continue;
    const highest = uses.get(d.name);
    if (highest === undefined) continue;
    const s = given.get(d.name);
    const value = s ? s.value : d.default;
    if (!Array.isArray(value)) continue;
    // an item that is a whole array reference expands at run time: the length is not known here
    if (
      value.some(
        (item) =>
          typeof item === 'string' &&
          findVariableReferences(item).some(
            (r) => r.star || (r.key === undefined && r.index === undefined && (r.kind === 'params' || r.kind === 'tasks.results')),
          ),
      )
    )
      continue;
    if (highest >= value.length) {
      r.report(
        'param-index-out-of-range',
        s ? [...s.path, 'value'] : paramsPath,
        `$(params.${d.name}[${highest}]) in ${callee} indexes past the end of param ${quote(d.name)}, which ${s ? 'is given' : 'defaults to'} ${value.length} item${value.length === 1 ? '' : 's'}; supply at least ${highest + 1}`,
      );
    }
  }
}
