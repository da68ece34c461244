/**
 * `when` expressions that guard a pipeline task, in Tekton's wire names.
 */
import { ArrayExpression, StringValue } from './expression';

/** Runs the task only when `input` is (`in`) or is not (`notin`) one of `values`. */
export interface WhenInputExpression {
  /** The value to test, usually an expression: a param, a result, `$(workspaces.w.bound)`. */
  readonly input: StringValue;
  /** `in` or `notin`. */
  readonly operator: 'in' | 'notin';
  /** The values to compare with; a whole array param or result expands in place. */
  readonly values: readonly (StringValue | ArrayExpression)[];
}

/** Runs the task only when a CEL expression holds (feature flag `enable-cel-in-whenexpression`, alpha). */
export interface WhenCelExpression {
  /** The CEL expression, e.g. `"'$(params.branch)' == 'main'"`. */
  readonly cel: string;
}

/** A `when` expression. */
export type WhenExpression = WhenInputExpression | WhenCelExpression;

/** Builders that read like the YAML: `When.in(task.results.branch, ['main'])`. */
export const When = {
  /** `input` must be one of `values`. */
  in(input: StringValue, values: readonly (StringValue | ArrayExpression)[]): WhenInputExpression {
    return { input, operator: 'in', values };
  },
  /** `input` must be none of `values`. */
  notIn(input: StringValue, values: readonly (StringValue | ArrayExpression)[]): WhenInputExpression {
    return { input, operator: 'notin', values };
  },
  /** A CEL expression. */
  cel(expression: string): WhenCelExpression {
    return { cel: expression };
  },
} as const;

/** Renders `when` expressions as wire JSON. */
export function renderWhen(
  when: readonly WhenExpression[] | undefined,
): { input?: string; operator?: string; values?: string[]; cel?: string }[] | undefined {
  if (!when || when.length === 0) return undefined;
  return when.map((w) =>
    'cel' in w ? { cel: w.cel } : { input: String(w.input), operator: w.operator, values: w.values.map((v) => String(v)) },
  );
}
