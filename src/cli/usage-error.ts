/**
 * A mistake in how the command was called, or input it cannot read.
 * The command prints its message on one line and exits 2.
 */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
