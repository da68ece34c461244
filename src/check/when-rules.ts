import { ScopedReporter } from './scoped-reporter';
import { asArray, asString, objectsOf, quote } from '../tekton-model/json-shape';
import { FieldPathSegment } from './finding';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { compileCelExpression } from '../tekton-model/cel-expressions';

/** Judges a pipeline task's `when` expressions (Tekton's `when_validation.go`): in/notin, values, cel alone, behind its flag and compiled. */
export function checkWhenExpressions(r: ScopedReporter, entry: PipelineTaskEntry): void {
  checkWhenList(r, entry.task.when, [...entry.path, 'when']);
}

/**
 * Judges a list of `when` expressions at `path`, a pipeline task's or a step's: Tekton validates
 * both with the same `WhenExpressions.validate` (task_validation.go validateSteps calls it for
 * a step's `when`), so a step's `cel` is behind enable-cel-in-whenexpression too.
 */
export function checkWhenList(r: ScopedReporter, when: unknown, path: readonly FieldPathSegment[]): void {
  const flags = r.featureFlags;
  for (const [w, i] of objectsOf(when)) {
    const at = [...path, i];
    const cel = asString(w.cel);
    if (cel !== undefined && cel !== '') {
      if (flags && !flags.enableCelInWhenExpression)
        r.report('feature-disabled', [...at, 'cel'], 'cel in a when expression needs feature flag enable-cel-in-whenexpression: "true"');
      if (w.input !== undefined || w.operator !== undefined || asArray(w.values).length > 0) {
        r.report('when-expression-invalid', at, 'a when expression sets cel together with input/operator/values; use one form');
      }
      // admission compiles it in an empty CEL environment (when_validation.go), so `$(params.x)` must be quoted
      const compiled = compileCelExpression(cel, 'tekton-when');
      if (!compiled.ok)
        r.report('when-expression-invalid', [...at, 'cel'], `cel expression ${quote(cel)} does not compile: ${compiled.message}`);
      continue;
    }
    const operator = asString(w.operator);
    if (operator !== 'in' && operator !== 'notin') {
      r.report('when-expression-invalid', [...at, 'operator'], `when operator is ${quote(operator ?? '')}; use in or notin`);
    }
    if (asArray(w.values).length === 0) {
      r.report('when-expression-invalid', [...at, 'values'], 'when expression has no values; list at least one');
    }
  }
}
