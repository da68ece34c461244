/**
 * What a judge of Tekton documents is, to the code that asks for one. The constructs (at synth) and
 * the rehearsal (at admission) take a {@link DocumentJudge} as an input and import no rule engine;
 * `src/check` provides the one the project uses (`checkDocuments`), and the layers that compose
 * (the package entry through `src/synth`, `src/main.ts`, the CLI) hand it in.
 */
import type { FieldPathSegment } from './field-path';

/** `error`: Tekton would reject the object or fail the run. `warning`: Tekton accepts it, but it is almost surely a bug. `note`: something that was not checked (remote references). */
export type Severity = 'error' | 'warning' | 'note';

/** One thing a judge found wrong with one Tekton object. */
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
  /** Index of the object among the documents passed to the judge. */
  readonly documentIndex: number;
}

/** How to judge. */
export interface DocumentJudgeOptions {
  /**
   * The `data` of the cluster's Tekton `feature-flags` ConfigMap. When given, fields that need a
   * flag the map does not enable (param `enum`, matrix, pipelines in pipelines, ...) are errors,
   * as Tekton would judge them; when absent, no finding depends on feature flags.
   */
  readonly featureFlags?: Readonly<Record<string, string>>;
  /**
   * Where each document came from (e.g. its file name), index for index. A `taskRef`,
   * `pipelineRef` or step `ref` resolves first among documents of the referrer's own source, so
   * same-named objects in different files do not mix. Without it, the first of a name wins.
   */
  readonly documentSources?: readonly string[];
}

/**
 * Judges Tekton documents (plain JSON) as Tekton would at admission and at run time, references
 * resolved among them; returns the findings sorted by document, path, rule and message. Throws
 * only when `options.featureFlags` holds a value Tekton would refuse.
 */
export type DocumentJudge = (documents: readonly unknown[], options?: DocumentJudgeOptions) => Finding[];
