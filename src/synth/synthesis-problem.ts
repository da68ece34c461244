/**
 * One line of synthesis output about a construct: an error that stops the synthesis, or a
 * warning or note that does not.
 */

/** A problem found while synthesizing, attributed to a construct. */
export interface SynthesisProblem {
  /** `error` stops the synthesis; `warning` and `note` are printed and the synthesis goes on. */
  readonly severity: 'error' | 'warning' | 'note';
  /** The construct path, e.g. `slsa-for-models/pipeline`. */
  readonly constructPath: string;
  /** The rule id when the rule engine found it. */
  readonly rule?: string;
  /** What is wrong, one lowercase line. */
  readonly message: string;
}

/** Renders a problem as one line: `[path] error rule-id: message`. */
export function formatProblem(problem: SynthesisProblem): string {
  const what = problem.rule ? `${problem.severity} ${problem.rule}` : problem.severity;
  return `[${problem.constructPath}] ${what}: ${problem.message.replace(/\s*\n\s*/g, ' ')}`;
}
