/**
 * What the rules report. One engine judges both the constructs (at synth) and YAML files
 * (the `check` command); both speak in findings.
 */
import type { FieldPathSegment } from '../tekton-model/field-path';

/** `error`: Tekton would reject the object or fail the run. `warning`: Tekton accepts it, but it is almost surely a bug. `note`: something that was not checked (remote references). */
export type Severity = 'error' | 'warning' | 'note';

export type { FieldPathSegment } from '../tekton-model/field-path';

/** One thing a rule found wrong with one Tekton object. */
export interface Finding {
  /** How bad it is. */
  readonly severity: Severity;
  /** Stable id of the rule, kebab-case, e.g. `param-undeclared`. */
  readonly rule: string;
  /** One lowercase line naming `kind/name`, the field, what is wrong and what would be right. */
  readonly message: string;
  /** `Kind/name` of the object the finding is about, e.g. `Pipeline/slsa-for-models`. */
  readonly object: string;
  /** Path from the object's root to the offending field, e.g. `['spec', 'tasks', 2, 'params', 0, 'name']`. */
  readonly path: readonly FieldPathSegment[];
  /** Index of the object among the documents passed to the checker. */
  readonly documentIndex: number;
}
