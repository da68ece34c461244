import { CheckContext } from './check-context';
import { FieldPathSegment, Severity } from './finding';
import { FindingTarget } from './finding-collector';
import { listNames, quote } from '../tekton-model/json-shape';
import { ParamDeclaration } from '../tekton-model/param-declarations';
import { VariableReference } from '../tekton-model/variable-references';

/**
 * Where a `$(params...)` reference sits, which decides whether a whole array or object may be used:
 * - `string`: a field that only takes a string (image, script, env value, ...): no whole arrays or objects;
 * - `array-item`: an item of `command`, `args`, an array param value or when `values`: a whole array
 *   fits when the reference is the whole item;
 * - `param-value`: a string param value of a pipeline task: a whole array or object fits as an
 *   isolated `$(params.x[*])`;
 * - `step-param-value`: a string param value of a step that refers to a StepAction: admission does
 *   not validate step params, and at run time an isolated `$(params.x)` or `$(params.x[*])` becomes
 *   the whole array or object (`ParamValue.applyOrCorrect`), so either form fits.
 */
export type ReferencePlacement = 'string' | 'array-item' | 'param-value' | 'step-param-value';

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

/** Judges one `$(params...)` reference against the declarations in scope. */
export function judgeParamReference(
  context: CheckContext,
  target: FindingTarget,
  path: readonly FieldPathSegment[],
  text: string,
  reference: VariableReference,
  params: ReadonlyMap<string, ParamDeclaration>,
  placement: ReferencePlacement,
  strictness: ReferenceStrictness = STRICT,
  admissionParams?: ReadonlyMap<string, unknown>,
): void {
  const usage = strictness.usage;
  const shape = strictness.shape;
  if (!reference.valid || reference.problem || reference.name === undefined) {
    context.report(
      target,
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
      context.report(
        target,
        'param-reference-undeclared',
        path,
        `${reference.text} refers to param ${quote(reference.name)}, which Tekton's admission accepts (another task has it) but does not propagate here, so it stays unreplaced (in scope: ${listNames(params.keys())})`,
        'warning',
      );
    } else {
      context.report(
        target,
        'param-reference-undeclared',
        path,
        `${reference.text} refers to param ${quote(reference.name)}, which is not declared (declared: ${listNames(params.keys())})`,
        usage,
      );
    }
    return;
  }
  const isolated = reference.start === 0 && reference.end === text.length;
  const whole = reference.key === undefined && reference.index === undefined;
  switch (declaration.type) {
    case 'object': {
      if (reference.key !== undefined) {
        if (declaration.properties && !declaration.properties.has(reference.key)) {
          context.report(
            target,
            'param-key-undeclared',
            path,
            `${reference.text} reads key ${quote(reference.key)}, which object param ${quote(reference.name)} does not declare (keys: ${listNames(declaration.properties.keys())})`,
            usage,
          );
        }
        return;
      }
      if (reference.index !== undefined) {
        context.report(
          target,
          'param-key-undeclared',
          path,
          `${reference.text} indexes object param ${quote(reference.name)}; read a key instead, e.g. $(params.${reference.name}.${[...(declaration.properties?.keys() ?? ['key'])][0]})`,
          'warning',
        );
        return;
      }
      if (!(placement === 'step-param-value' && isolated) && (placement !== 'param-value' || !reference.star || !isolated)) {
        context.report(
          target,
          'param-whole-value-misplaced',
          path,
          `${reference.text} uses object param ${quote(reference.name)} whole, which only fits as the entire value of an object param ($(params.${reference.name}[*])); read one key, e.g. $(params.${reference.name}.${[...(declaration.properties?.keys() ?? ['key'])][0]})`,
          shape,
        );
      }
      return;
    }
    case 'array': {
      if (reference.key !== undefined) {
        context.report(
          target,
          'param-key-undeclared',
          path,
          `${reference.text} reads key ${quote(reference.key)} of array param ${quote(reference.name)}, which has no keys; use $(params.${reference.name}[N])`,
          'warning',
        );
        return;
      }
      if (!whole) return;
      const fits =
        (placement === 'array-item' && isolated) ||
        (placement === 'step-param-value' && isolated) ||
        (placement === 'param-value' && isolated && reference.star);
      if (!fits) {
        const where =
          placement === 'string'
            ? 'a field that takes a string'
            : placement === 'step-param-value'
              ? 'a string value with other text around it (an array fits only as the entire value)'
              : placement === 'param-value'
                ? 'a string value (an array fits only as the entire value, written $(params.' + reference.name + '[*]))'
                : 'an item with other text around it (an array fits only as the entire item)';
        context.report(
          target,
          'param-whole-value-misplaced',
          path,
          `${reference.text} uses array param ${quote(reference.name)} whole in ${where}; index it ($(params.${reference.name}[0])) or move it`,
          shape,
        );
      }
      return;
    }
    default: {
      if (reference.key !== undefined) {
        context.report(
          target,
          'param-key-undeclared',
          path,
          `${reference.text} reads key ${quote(reference.key)} of string param ${quote(reference.name)}, which has no keys: Tekton leaves it unreplaced (for a param named "${reference.name}.${reference.key}" write $(params["${reference.name}.${reference.key}"]))`,
          'warning',
        );
      } else if (reference.index !== undefined || reference.star) {
        context.report(
          target,
          'param-whole-value-misplaced',
          path,
          `${reference.text} indexes string param ${quote(reference.name)}: Tekton leaves it unreplaced; write $(params.${reference.name})`,
          'warning',
        );
      }
    }
  }
}
