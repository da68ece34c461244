import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asObject, asString, objectsOf, quote } from '../tekton-model/json-shape';
import { isDns1123Label, RESULT_NAME } from '../tekton-model/names';
import { findVariableReferences } from '../tekton-model/variable-references';

/** Judges a Task or step results list (names, types, duplicates). */
export function checkResultDeclarations(r: ScopedReporter, results: unknown, at: readonly FieldPathSegment[]): void {
  const seen = new Set<string>();
  for (const [result, i] of objectsOf(results)) {
    const name = asString(result.name) ?? '';
    const p = [...at, i];
    if (!RESULT_NAME.test(name)) {
      r.report(
        'result-name-invalid',
        [...p, 'name'],
        name === ''
          ? 'result has no name, or a name that is not a string; give it a quoted name'
          : `result name ${quote(name)} must hold only letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      );
    }
    if (seen.has(name))
      r.report(
        'result-name-duplicate',
        [...p, 'name'],
        `result ${quote(name)} is declared more than once; give each result a distinct name`,
      );
    seen.add(name);
    if (result.value !== undefined && result.value !== null) checkResultValue(r, name, result.value, [...p, 'value']);
    const props = asObject(result.properties);
    const type = asString(result.type) ?? '';
    if (type !== '' && type !== 'string' && type !== 'array' && type !== 'object') {
      r.report('result-type-invalid', [...p, 'type'], `result ${quote(name)} has type ${quote(type)}; use string, array or object`);
    } else if (type === 'object') {
      if (!props) r.report('result-type-invalid', p, `object result ${quote(name)} declares no properties; list its keys under properties`);
      else {
        for (const [key, prop] of Object.entries(props)) {
          const t = asString(asObject(prop)?.type);
          if (t !== undefined && t !== '' && t !== 'string')
            r.report(
              'result-type-invalid',
              [...p, 'properties', key, 'type'],
              `key ${quote(key)} of object result ${quote(name)} has type ${quote(t)}; object keys must be strings`,
            );
        }
      }
    }
  }
}

/**
 * A Task result's `value` (a result a StepAction step produced) must be a string naming
 * `$(steps.<step>.results.<result>)`, the step name a DNS-1123 label and the result name a result
 * name (result_validation.go TaskResult.validateValue, ExtractStepResultName).
 */
function checkResultValue(r: ScopedReporter, name: string, value: unknown, at: readonly FieldPathSegment[]): void {
  if (typeof value !== 'string') {
    r.report(
      'result-value-invalid',
      at,
      `result ${quote(name)} has a ${Array.isArray(value) ? 'list' : typeof value === 'object' ? 'mapping' : typeof value} as value; Tekton wants a string $(steps.<step>.results.<result>)`,
    );
    return;
  }
  if (value === '') return;
  const ref = findVariableReferences(value).find((x) => x.kind === 'steps.results');
  if (!ref || ref.owner === undefined || ref.name === undefined) {
    r.report('result-value-invalid', at, `result ${quote(name)} has value ${quote(value)}; expected $(steps.<step>.results.<result>)`);
    return;
  }
  if (!isDns1123Label(ref.owner))
    r.report(
      'result-value-invalid',
      at,
      `result ${quote(name)} reads ${ref.text}, whose step name ${quote(ref.owner)} is not a DNS-1123 label`,
    );
  if (!RESULT_NAME.test(ref.name))
    r.report(
      'result-value-invalid',
      at,
      `result ${quote(name)} reads ${ref.text}, whose result name ${quote(ref.name)} must hold only letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
    );
}
