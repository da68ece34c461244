/**
 * The error `synthesizeAtomically` throws when constructs did not validate.
 */
import { formatProblem, SynthesisProblem } from './synthesis-problem';

/** Synthesis stopped: every error of every construct, and the output directory left as it was. */
export class SynthesisError extends Error {
  /** Every problem found (errors and warnings), in construct order. */
  public readonly problems: readonly SynthesisProblem[];

  /** @param problems every problem found; at least one is an error */
  public constructor(problems: readonly SynthesisProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`synthesis failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatProblem).join('\n')}`);
    this.name = 'SynthesisError';
    this.problems = problems;
  }
}
