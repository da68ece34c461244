/** Where a command writes; the tests pass their own to capture output. */
export interface CommandOutput {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** One subcommand of `slsa-for-models`. */
export interface Command {
  /** One line for the command list of `--help`. */
  readonly summary: string;
  /** The full help text of `slsa-for-models NAME --help`. */
  readonly help: string;
  /** Runs the command and resolves to its exit code (0 success, 1 a negative verdict, 2 bad usage or unreadable input). */
  run(argv: readonly string[], output: CommandOutput): Promise<number>;
}
