import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment, Severity } from './finding';
import { listNames, quote } from '../tekton-model/json-shape';
import { ParamDeclaration } from '../tekton-model/param-declarations';
import { VariableReference } from '../tekton-model/variable-references';

/**
 * Where a `$(params...)` reference sits, which decides whether a whole array or object may be used:
 * - `string`: a field that only takes a string (image, script, env value, ...): no whole arrays or objects;
 * - `array-item`: an item of `command`, `args` or an array param value: a whole array fits when the
 *   reference is the whole item;
 * - `param-value`: a string param value of a pipeline task: a whole array or object fits as an
 *   isolated `$(params.x[*])`;
 * - `when-value`: an item of a when expression's `values`: a whole array fits only as the whole
 *   item `$(params.x[*])`, a whole object never (`WhenExpressions.validatePipelineParametersVariables`
 *   takes an item as an array reference only when `ArrayReference` strips it to an array's name);
 * - `step-param-value`: a string param value of a step that refers to a StepAction: admission does
 *   not validate step params, and at run time an isolated `$(params.x)` or `$(params.x[*])` becomes
 *   the whole array or object (`ParamValue.applyOrCorrect`), so either form fits.
 */
export type ReferencePlacement = 'string' | 'array-item' | 'param-value' | 'when-value' | 'step-param-value';

/**
 * How hard Tekton is on a reference where it sits: `error` where admission validates the field
 * (Task steps, a Pipeline's task params), `warning` where Tekton only leaves an unknown variable
 * unreplaced (sidecars, volumes, embedded specs of runs, ...).
 */
export interface ReferenceStrictness {
  /** Severity of an undeclared param, key or malformed reference. */
  readonly usage: Severity;
  /** Severity of a whole array or object where it does not fit. */
  readonly shape: Severity;
}

/** Admission validates the field: every finding is an error. */
export const STRICT: ReferenceStrictness = { usage: 'error', shape: 'error' };
/** Tekton does not validate the field: every finding is a warning. */
export const LENIENT: ReferenceStrictness = { usage: 'warning', shape: 'warning' };

/** One `$(...)` where it was found: the field's path, the field's whole string and the reference in it. */
export interface FoundReference {
  /** Path of the string field (relative to the judged spec). */
  readonly path: readonly FieldPathSegment[];
  /** The field's whole string. */
  readonly text: string;
  /** The reference, as the variable language reads it. */
  readonly reference: VariableReference;
}

/** What a `$(params...)` reference is judged against, and how hard. */
export interface ParamReferenceScope {
  /** The params in scope, by name. */
  readonly params: ReadonlyMap<string, ParamDeclaration>;
  /** Where the reference sits. */
  readonly placement: ReferencePlacement;
  /** @default STRICT */
  readonly strictness?: ReferenceStrictness;
  /** Params Tekton's admission counts as declared although they do not reach this spec at run time. */
  readonly admissionParams?: ReadonlyMap<string, unknown>;
}

/** Judges one `$(params...)` reference against the declarations in scope. */
export function judgeParamReference(r: ScopedReporter, found: FoundReference, scope: ParamReferenceScope): void {
  const { path, reference } = found;
  const { params, admissionParams } = scope;
  const usage = (scope.strictness ?? STRICT).usage;
  if (!reference.valid || reference.problem || reference.name === undefined) {
    r.report(
      'param-reference-malformed',
      path,
      `${reference.text} cannot be read: ${reference.problem ?? 'bad syntax'} (write $(params.name), $(params.name.key), $(params.name[N]) or $(params["dotted.name"]))`,
      usage,
    );
    return;
  }
  const declaration = params.get(reference.name);
  if (!declaration) {
    if (admissionParams?.has(reference.name)) {
      r.report(
        'param-reference-undeclared',
        path,
        `${reference.text} refers to param ${quote(reference.name)}, which Tekton's admission accepts (another task has it) but does not propagate here, so it stays unreplaced (in scope: ${listNames(params.keys())})`,
        'warning',
      );
    } else {
      r.report(
        'param-reference-undeclared',
        path,
        `${reference.text} refers to param ${quote(reference.name)}, which is not declared (declared: ${listNames(params.keys())})`,
        usage,
      );
    }
    return;
  }
  switch (declaration.type) {
    case 'object':
      judgeObjectParamUse(r, found, declaration, scope);
      return;
    case 'array':
      judgeArrayParamUse(r, found, scope);
      return;
    default:
      judgeStringParamUse(r, found);
  }
}

/** Whether the reference is the field's whole string. */
function isolated(found: FoundReference): boolean {
  return found.reference.start === 0 && found.reference.end === found.text.length;
}

/** A reference to an object param: a declared key, or the whole object as an entire object param value. */
function judgeObjectParamUse(r: ScopedReporter, found: FoundReference, declaration: ParamDeclaration, scope: ParamReferenceScope): void {
  const { path, reference } = found;
  const name = reference.name!;
  const strictness = scope.strictness ?? STRICT;
  if (reference.key !== undefined) {
    if (declaration.properties && !declaration.properties.has(reference.key)) {
      r.report(
        'param-key-undeclared',
        path,
        `${reference.text} reads key ${quote(reference.key)}, which object param ${quote(name)} does not declare (keys: ${listNames(declaration.properties.keys())})`,
        strictness.usage,
      );
    }
    return;
  }
  if (reference.index !== undefined) {
    r.report(
      'param-key-undeclared',
      path,
      `${reference.text} indexes object param ${quote(name)}; read a key instead, e.g. $(params.${name}.${[...(declaration.properties?.keys() ?? ['key'])][0]})`,
      'warning',
    );
    return;
  }
  const fits = isolated(found) && ((scope.placement === 'param-value' && reference.star) || scope.placement === 'step-param-value');
  if (!fits) {
    r.report(
      'param-whole-value-misplaced',
      path,
      `${reference.text} uses object param ${quote(name)} whole, which only fits as the entire value of an object param ($(params.${name}[*])); read one key, e.g. $(params.${name}.${[...(declaration.properties?.keys() ?? ['key'])][0]})`,
      strictness.shape,
    );
  }
}

/** A reference to an array param: an index, or the whole array where an array fits. */
function judgeArrayParamUse(r: ScopedReporter, found: FoundReference, scope: ParamReferenceScope): void {
  const { path, reference } = found;
  const name = reference.name!;
  const placement = scope.placement;
  if (reference.key !== undefined) {
    r.report(
      'param-key-undeclared',
      path,
      `${reference.text} reads key ${quote(reference.key)} of array param ${quote(name)}, which has no keys; use $(params.${name}[N])`,
      'warning',
    );
    return;
  }
  const whole = reference.index === undefined;
  if (!whole) return;
  const fits =
    ((placement === 'array-item' || placement === 'step-param-value') && isolated(found)) ||
    ((placement === 'param-value' || placement === 'when-value') && isolated(found) && reference.star);
  if (!fits) {
    const where =
      placement === 'string'
        ? 'a field that takes a string'
        : placement === 'step-param-value'
          ? 'a string value with other text around it (an array fits only as the entire value)'
          : placement === 'param-value'
            ? 'a string value (an array fits only as the entire value, written $(params.' + name + '[*]))'
            : placement === 'when-value'
              ? 'a when value (an array fits only as the entire item, written $(params.' + name + '[*]))'
              : 'an item with other text around it (an array fits only as the entire item)';
    r.report(
      'param-whole-value-misplaced',
      path,
      `${reference.text} uses array param ${quote(name)} whole in ${where}; index it ($(params.${name}[0])) or move it`,
      (scope.strictness ?? STRICT).shape,
    );
  }
}

/** A reference to a string param: no keys, no index (Tekton leaves those unreplaced). */
function judgeStringParamUse(r: ScopedReporter, found: FoundReference): void {
  const { path, reference } = found;
  const name = reference.name!;
  if (reference.key !== undefined) {
    r.report(
      'param-key-undeclared',
      path,
      `${reference.text} reads key ${quote(reference.key)} of string param ${quote(name)}, which has no keys: Tekton leaves it unreplaced (for a param named "${name}.${reference.key}" write $(params["${name}.${reference.key}"]))`,
      'warning',
    );
  } else if (reference.index !== undefined || reference.star) {
    r.report(
      'param-whole-value-misplaced',
      path,
      `${reference.text} indexes string param ${quote(name)}: Tekton leaves it unreplaced; write $(params.${name})`,
      'warning',
    );
  }
}
