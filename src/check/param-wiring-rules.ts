import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asObject, listNames, quote } from '../tekton-model/json-shape';
import { article } from './param-declaration-rules';
import { indexByName, ParamDeclaration, paramValueType } from '../tekton-model/param-declarations';
import { findVariableReferences, isPlainSubstitution } from '../tekton-model/variable-references';

/** One param value handed to a Task, Pipeline or StepAction. */
export interface SuppliedParam {
  /** The param name. */
  readonly name: string;
  /** The value as written. */
  readonly value: unknown;
  /** Path of the entry (relative to the finding target). */
  readonly path: readonly FieldPathSegment[];
  /** True for a `matrix.params` entry: each run gets one string item of the array. */
  readonly matrix?: boolean;
  /** True for a `matrix.include[].params` entry. */
  readonly include?: boolean;
}

/** How to judge the supplied params. */
export interface WiringOptions {
  /** `Kind/name` of what receives the params, for messages, e.g. `Task/build-model`. */
  readonly callee: string;
  /** Path where a missing param would be added (the `params` list). */
  readonly paramsPath: readonly FieldPathSegment[];
  /** Report params the callee does not declare (Tekton drops them silently). */
  readonly warnUndeclared: boolean;
  /** Params of the caller, to type isolated whole references such as `$(params.x[*])`. */
  readonly callerParams?: ReadonlyMap<string, ParamDeclaration>;
  /** PipelineRun rules: a value's type must match as written (no `$(...)` leniency). */
  readonly strictTypes?: boolean;
  /** Severity of a type mismatch: `error` (default) or `warning` (StepAction params, which Tekton leaves at their defaults). */
  readonly typeMismatchSeverity?: 'error' | 'warning';
}

/** The type a supplied value will have, or undefined when it is only known at run time. */
function suppliedType(value: unknown, needed: string, options: WiringOptions): string | undefined {
  const written = paramValueType(value);
  if (written !== 'string' || typeof value !== 'string' || options.strictTypes) return written;
  const refs = findVariableReferences(value);
  if (
    refs.length === 1 &&
    refs[0].start === 0 &&
    refs[0].end === value.length &&
    refs[0].kind === 'params' &&
    refs[0].name !== undefined &&
    refs[0].key === undefined &&
    refs[0].index === undefined &&
    options.callerParams
  ) {
    const declared = options.callerParams.get(refs[0].name);
    if (declared) return declared.type;
  }
  if ((needed === 'array' || needed === 'object') && refs.some(isPlainSubstitution)) return undefined;
  return 'string';
}

/**
 * Judges params handed to a callee against its declarations, as Tekton's TaskRun reconciler
 * (`validateParams`, `ValidateEnumParam`, `MissingKeysObjectParamNames`) and PipelineRun
 * reconciler (`ValidateRequiredParametersProvided`, `ValidateParamTypesMatching`) do; params the
 * callee does not declare are warnings.
 */
export function checkParamWiring(
  r: ScopedReporter,
  declarations: readonly ParamDeclaration[],
  supplied: readonly SuppliedParam[],
  options: WiringOptions,
): void {
  const declared = indexByName(declarations);
  const given = new Set(supplied.map((s) => s.name));
  const missing = declarations.filter((d) => !d.hasDefault && !given.has(d.name)).map((d) => d.name);
  if (missing.length > 0) {
    r.report(
      'param-missing',
      options.paramsPath,
      `${options.callee} requires param${missing.length > 1 ? 's' : ''} ${missing.map(quote).join(', ')} (no default), which ${missing.length > 1 ? 'are' : 'is'} not supplied; supply ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  for (const d of declarations) {
    if (given.has(d.name) || d.type !== 'object' || !d.properties) continue;
    const defaults = asObject(d.default);
    if (!defaults) continue;
    const lacking = [...d.properties.keys()].filter((k) => !(k in defaults));
    if (lacking.length > 0) {
      r.report(
        'param-value-key-missing',
        options.paramsPath,
        `object param ${quote(d.name)} of ${options.callee} is not supplied and its default lacks key${lacking.length > 1 ? 's' : ''} ${lacking.map(quote).join(', ')}; supply the param or complete the default`,
      );
    }
  }
  for (const s of supplied) {
    const d = declared.get(s.name);
    if (!d) {
      if (options.warnUndeclared && !s.include) {
        r.report(
          'param-undeclared',
          [...s.path, 'name'],
          `param ${quote(s.name)} is not declared by ${options.callee}, so Tekton ignores it (declared: ${listNames(declared.keys())})`,
        );
      }
      continue;
    }
    if (s.matrix || s.include) {
      if (d.type !== 'string') {
        r.report(
          'param-value-type-mismatch',
          [...s.path, 'name'],
          `matrix param ${quote(s.name)} fans out string values, but ${options.callee} declares it as ${article(d.type)} ${d.type}`,
        );
      }
      continue;
    }
    const type = suppliedType(s.value, d.type, options);
    if (type !== undefined && type !== d.type) {
      r.report(
        'param-value-type-mismatch',
        [...s.path, 'value'],
        `param ${quote(s.name)} of ${options.callee} is ${article(d.type)} ${d.type}, but the value given is ${article(type)} ${type}${options.typeMismatchSeverity === 'warning' ? ' (Tekton ignores it and uses the default)' : ''}`,
        options.typeMismatchSeverity,
      );
      continue;
    }
    if (d.type === 'object' && d.properties) {
      const value = asObject(s.value);
      if (value) {
        const defaults = asObject(d.default) ?? {};
        const lacking = [...d.properties.keys()].filter((k) => !(k in value) && !(k in defaults));
        if (lacking.length > 0) {
          r.report(
            'param-value-key-missing',
            [...s.path, 'value'],
            `object param ${quote(s.name)} of ${options.callee} needs key${lacking.length > 1 ? 's' : ''} ${lacking.map(quote).join(', ')}, which the value lacks`,
          );
        }
      }
    }
    if (
      d.enum &&
      d.enum.length > 0 &&
      typeof s.value === 'string' &&
      s.value !== '' &&
      !s.value.includes('$(') &&
      !r.filledInBeforeTekton(s.value) &&
      !d.enum.includes(s.value)
    ) {
      r.report(
        'param-value-not-in-enum',
        [...s.path, 'value'],
        `value ${quote(s.value)} of param ${quote(s.name)} is not in the enum of ${options.callee} (${listNames(d.enum)})`,
      );
    }
  }
}
