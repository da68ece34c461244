import { CheckContext } from './check-context';
import { FieldPathSegment } from './finding';
import { FindingTarget } from './finding-collector';
import { asObject, asString, objectsOf, quote } from '../tekton-model/json-shape';
import { RESULT_NAME } from '../tekton-model/names';

/** Judges a Task or step results list (names, types, duplicates). */
export function checkResultDeclarations(context: CheckContext, target: FindingTarget, results: unknown, at: readonly FieldPathSegment[]): void {
  const seen = new Set<string>();
  for (const [r, i] of objectsOf(results)) {
    const name = asString(r.name) ?? '';
    const p = [...at, i];
    if (!RESULT_NAME.test(name)) {
      context.report(target, 'result-name-invalid', [...p, 'name'], name === '' ? 'result has no name, or a name that is not a string; give it a quoted name' : `result name ${quote(name)} must hold only letters, digits, "-", "_" and ".", starting and ending with a letter or digit`);
    }
    if (seen.has(name)) context.report(target, 'result-name-duplicate', [...p, 'name'], `result ${quote(name)} is declared more than once; give each result a distinct name`);
    seen.add(name);
    const props = asObject(r.properties);
    const type = asString(r.type) ?? '';
    if (type !== '' && type !== 'string' && type !== 'array' && type !== 'object') {
      context.report(target, 'result-type-invalid', [...p, 'type'], `result ${quote(name)} has type ${quote(type)}; use string, array or object`);
    } else if (type === 'object') {
      if (!props) context.report(target, 'result-type-invalid', p, `object result ${quote(name)} declares no properties; list its keys under properties`);
      else {
        for (const [key, prop] of Object.entries(props)) {
          const t = asString(asObject(prop)?.type);
          if (t !== undefined && t !== '' && t !== 'string') context.report(target, 'result-type-invalid', [...p, 'properties', key, 'type'], `key ${quote(key)} of object result ${quote(name)} has type ${quote(t)}; object keys must be strings`);
        }
      }
    }
  }
}
