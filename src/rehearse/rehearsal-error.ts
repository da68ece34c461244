/**
 * Why a rehearsal stopped: one lowercase line naming the task and step (when there is one) and what went
 * wrong, plus the failing script's own last output lines as `detail`.
 */
export class RehearsalError extends Error {
  /** The pipeline task, when the failure belongs to one. */
  public readonly task?: string;
  /** The step, when the failure belongs to one. */
  public readonly step?: string;
  /** The script's own last lines of stderr (or stdout), verbatim. */
  public readonly detail?: string;
  /** The temporary directory kept for inspection (step logs, workspaces), when one was kept. */
  public keptFiles?: string;
  /** True when this machine, not the step, is at fault (a missing program): a retry would fail the same way. */
  public machineProblem = false;

  public constructor(message: string, where: { task?: string; step?: string; detail?: string } = {}) {
    super(message);
    this.name = 'RehearsalError';
    this.task = where.task;
    this.step = where.step;
    this.detail = where.detail;
  }
}

/** Input the rehearsal cannot start with (a bad option value, an unreadable dist/): the command exits 2. */
export class RehearsalInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RehearsalInputError';
  }
}

/**
 * The user interrupted the rehearsal (Ctrl-C: the running step died of SIGINT). The rehearsal removes
 * what it created (temporary files, a generated model project, an `--out` it made) and the command exits 130.
 */
export class RehearsalInterruptedError extends Error {
  public constructor(public readonly signal: NodeJS.Signals) {
    super(`interrupted (${signal})`);
    this.name = 'RehearsalInterruptedError';
  }
}
