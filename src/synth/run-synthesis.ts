/**
 * The entry point an app's `main` uses: build the constructs, synthesize them atomically,
 * print problems as one line each, and return the exit code (never a stack trace).
 */
import { App } from 'cdk8s';
import { formatProblem } from './synthesis-problem';
import { SynthesisError } from './synthesis-error';
import { synthesizeAtomically, SynthesisUnit, SynthesizeOptions } from './synthesize-atomically';

/** Where `runSynthesis` prints. */
export interface SynthesisOutput {
  /** Progress (one summary line). @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** Warnings and errors, one line each. @default process.stderr */
  readonly stderr?: (text: string) => void;
}

/**
 * Calls `build` to make the apps, synthesizes them with `synthesizeAtomically`, prints
 * warnings, and on failure every error (one line each: `[construct/path] error rule: message`).
 * Returns 0 on success, 1 on any error (a construct that threw while being built counts too).
 *
 * @example process.exitCode = runSynthesis(() => { const app = new App(); new MyChart(app, 'x'); return [app]; });
 */
export function runSynthesis(
  build: () => readonly (App | SynthesisUnit)[],
  options: SynthesizeOptions = {},
  output: SynthesisOutput = {},
): number {
  const stdout = output.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = output.stderr ?? ((t: string) => process.stderr.write(t));
  try {
    const report = synthesizeAtomically(build(), options);
    for (const problem of report.problems) stderr(`${formatProblem(problem)}\n`);
    stdout(`synthesized ${report.files.length} file${report.files.length === 1 ? '' : 's'} into ${report.outdir}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SynthesisError) {
      for (const problem of e.problems) stderr(`${formatProblem(problem)}\n`);
      const errors = e.problems.filter((p) => p.severity === 'error').length;
      stderr(`synthesis failed: ${errors} error${errors === 1 ? '' : 's'}; the output directory was left as it was\n`);
    } else {
      const message = e instanceof Error ? e.message : String(e);
      stderr(`error: ${message.split('\n')[0]}\n`);
    }
    return 1;
  }
}
