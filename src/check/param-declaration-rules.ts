import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { listNames, quote } from '../tekton-model/json-shape';
import { OBJECT_PARAM_NAME, STRING_PARAM_NAME } from '../tekton-model/names';
import { ParamDeclaration, paramValueType } from '../tekton-model/param-declarations';

const TYPES = new Set(['string', 'array', 'object']);

/**
 * Judges the `params` declarations of a Task, Pipeline or StepAction at `path` (e.g. `['params']`):
 * names, duplicates, types, defaults, properties and enums (Tekton `ValidateParameterTypes`,
 * `ValidateNoDuplicateNames`, `validateParamEnums`, `ValidateNameFormat`).
 */
export function checkParamDeclarations(r: ScopedReporter, params: readonly ParamDeclaration[], path: readonly FieldPathSegment[]): void {
  const seen = new Set<string>();
  for (const p of params) {
    const at = [...path, p.index];
    if (seen.has(p.name)) {
      r.report(
        'param-name-duplicate',
        [...at, 'name'],
        `param ${quote(p.name)} is declared more than once; give each param a distinct name`,
      );
    }
    seen.add(p.name);
    const pattern = p.type === 'object' ? OBJECT_PARAM_NAME : STRING_PARAM_NAME;
    if (!pattern.test(p.name)) {
      r.report(
        'param-name-invalid',
        [...at, 'name'],
        p.name === ''
          ? 'param has no name, or a name that is not a string; give it a quoted name that starts with a letter or "_"'
          : p.type === 'object'
            ? `object param name ${quote(p.name)} must start with a letter or "_" and hold only letters, digits, "_" and "-"`
            : `param name ${quote(p.name)} must start with a letter or "_" and hold only letters, digits, "_", "-" and "."`,
      );
    }
    if (!TYPES.has(p.type)) {
      r.report('param-type-invalid', [...at, 'type'], `param ${quote(p.name)} has type ${quote(p.type)}; use string, array or object`);
      continue;
    }
    if (p.type === 'object') {
      if (!p.properties) {
        r.report('param-properties-missing', at, `object param ${quote(p.name)} declares no properties; list its keys under properties`);
      } else {
        for (const [key, type] of p.properties) {
          if (type !== 'string') {
            r.report(
              'param-type-invalid',
              [...at, 'properties', key, 'type'],
              `key ${quote(key)} of object param ${quote(p.name)} has type ${quote(type)}; object keys must be strings`,
            );
          }
          if (!OBJECT_PARAM_NAME.test(key)) {
            r.report(
              'param-name-invalid',
              [...at, 'properties', key],
              `key ${quote(key)} of object param ${quote(p.name)} must start with a letter or "_" and hold only letters, digits, "_" and "-"`,
            );
          }
        }
      }
    }
    if (p.hasDefault) {
      const defaultType = paramValueType(p.default);
      if (defaultType !== p.type) {
        r.report(
          'param-default-type-mismatch',
          [...at, 'default'],
          `param ${quote(p.name)} is of type ${p.type} but its default is ${article(defaultType)} ${defaultType}`,
        );
      }
    }
    if (p.enum !== undefined && p.enum.length > 0) {
      if (r.featureFlags && !r.featureFlags.enableParamEnum) {
        r.report(
          'feature-disabled',
          [...at, 'enum'],
          `param ${quote(p.name)} uses enum, which needs feature flag enable-param-enum: "true"`,
        );
      }
      if (p.type !== 'string') {
        r.report(
          'param-enum-invalid',
          [...at, 'enum'],
          `param ${quote(p.name)} is of type ${p.type}; enum is only allowed on string params`,
        );
      }
      const values = new Set<string>();
      for (const v of p.enum) {
        if (values.has(v))
          r.report('param-enum-invalid', [...at, 'enum'], `enum of param ${quote(p.name)} lists ${quote(v)} more than once`);
        values.add(v);
      }
      if (p.hasDefault && typeof p.default === 'string' && p.default !== '' && !values.has(p.default)) {
        r.report(
          'param-enum-invalid',
          [...at, 'default'],
          `default ${quote(p.default)} of param ${quote(p.name)} is not in its enum (${listNames(p.enum)})`,
        );
      }
    }
  }
}

/** `a` or `an` for a type name. */
export function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
