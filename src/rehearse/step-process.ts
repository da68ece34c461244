import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RehearsalInterruptedError } from './rehearsal-error';

/**
 * Runs one Tekton step on this machine the way the entrypoint runs it in its container: a `script`
 * that starts with `#!` is executed as it is (its interpreter must exist here); any other script gets
 * Tekton's preamble `#!/bin/sh` + `set -e`; otherwise `command` + `args`. Output goes to log files;
 * stdout is also copied to `stdoutConfig.path` when given.
 */

/** What to run, after variable substitution. */
export interface StepInvocation {
  /** The step's script, if any. */
  readonly script?: string;
  /** The step's command, if any. */
  readonly command?: readonly string[];
  /** The step's args. */
  readonly args?: readonly string[];
  /** Where to run. */
  readonly workingDir: string;
  /** The environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the script file is written and logs go. */
  readonly stepDir: string;
  /** Kill after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Also write stdout here (Tekton `stdoutConfig.path`). */
  readonly stdoutPath?: string;
  /** Also write stderr here (Tekton `stderrConfig.path`). */
  readonly stderrPath?: string;
  /**
   * Preempt the step: kill it (SIGKILL to its whole process group, as a node that goes away) as soon as a
   * file whose name does not start with `.` appears in this directory (a checkpoint).
   */
  readonly preemptWhenFileIn?: string;
}

/** How a step ended. */
export interface StepOutcome {
  /** The exit code (128+n for a signal; 127 when a program could not be started). */
  readonly exitCode: number;
  /** The last lines of stderr (or of stdout when stderr is empty), for messages. */
  readonly errorTail: string;
  /** A program the step needed that this machine lacks, when that is why it failed. */
  readonly missingTool?: string;
  /** True when the timeout killed it. */
  readonly timedOut: boolean;
  /** True when `preemptWhenFileIn` killed it. */
  readonly preempted?: boolean;
  /** Full stdout log. */
  readonly stdoutLog: string;
  /** Full stderr log. */
  readonly stderrLog: string;
}

/** Tekton's script preamble for scripts without a shebang (`pkg/pod/script.go`). */
export const DEFAULT_SCRIPT_PREAMBLE = '#!/bin/sh\nset -e\n';

function tail(text: string, lines = 8): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

/** Finds the program a shell said it could not find. */
export function toolNotFound(stderr: string): string | undefined {
  const patterns = [
    /(?:^|\n)[^\n]*?:\s*(?:line \d+:\s*)?([^\s:'"]+): (?:command )?not found/,
    /(?:^|\n)env: ['‘]?([^'’\s:]+)['’]?: No such file or directory/,
    /(?:^|\n)[^\n]*?: (?:\d+: )?exec: ([^\s:]+): not found/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(stderr);
    if (match) return match[1];
  }
  return undefined;
}

function interpreterOf(script: string): string | undefined {
  const line = script.split('\n', 1)[0];
  if (!line.startsWith('#!')) return undefined;
  const parts = line.slice(2).trim().split(/\s+/);
  if (parts[0] === '/usr/bin/env' || parts[0] === '/bin/env') return parts.find((p, i) => i > 0 && !p.startsWith('-'));
  return parts[0];
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes('/')) return fs.existsSync(program);
  return (env.PATH ?? '').split(':').some((dir) => dir !== '' && fs.existsSync(path.join(dir, program)));
}

/**
 * Runs a program in its own process group and kills the group once a file appears in a directory; exits
 * 137 (128 + SIGKILL) then, and writes the marker file named by $3. Args: DIR MARKER PROGRAM ARGS...
 */
const PREEMPT_WATCH = `set -m
dir=$1; marker=$2; shift 2
"$@" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  if [ -n "$(find "$dir" -maxdepth 1 -type f ! -name '.*' -print -quit 2>/dev/null)" ]; then
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    : > "$marker"
    echo "rehearse: preempted: the step was killed (SIGKILL) once a checkpoint appeared in $dir" >&2
    exit 137
  fi
  sleep 0.1
done
wait "$pid"
`;

/** Runs the step and reports how it ended; throws {@link RehearsalInterruptedError} when the step died of SIGINT (Ctrl-C). */
export function runStepProcess(step: StepInvocation): StepOutcome {
  fs.mkdirSync(step.stepDir, { recursive: true });
  const stdoutLog = path.join(step.stepDir, 'stdout.log');
  const stderrLog = path.join(step.stepDir, 'stderr.log');
  let file: string;
  let argv: string[];
  let needs: string | undefined;
  if (step.script !== undefined && step.script !== '') {
    const text = step.script.startsWith('#!') ? step.script : DEFAULT_SCRIPT_PREAMBLE + step.script;
    file = path.join(step.stepDir, 'script');
    fs.writeFileSync(file, text, { mode: 0o755 });
    argv = [...(step.args ?? [])];
    needs = interpreterOf(text);
  } else {
    const [program, ...rest] = [...(step.command ?? [])];
    file = program;
    argv = [...rest, ...(step.args ?? [])];
    needs = program;
  }
  if (needs && !onPath(needs, step.env)) {
    fs.writeFileSync(stdoutLog, '');
    fs.writeFileSync(stderrLog, `${needs}: not found\n`);
    return { exitCode: 127, errorTail: `${needs}: not found`, missingTool: needs, timedOut: false, stdoutLog, stderrLog };
  }
  const out = fs.openSync(stdoutLog, 'w');
  const err = fs.openSync(stderrLog, 'w');
  const marker = path.join(step.stepDir, 'preempted');
  if (step.preemptWhenFileIn !== undefined) {
    fs.mkdirSync(step.preemptWhenFileIn, { recursive: true });
    argv = ['-c', PREEMPT_WATCH, 'preempt-watch', step.preemptWhenFileIn, marker, file, ...argv];
    file = 'bash';
  }
  let result;
  try {
    result = spawnSync(file, argv, {
      cwd: step.workingDir,
      env: step.env,
      stdio: ['ignore', out, err],
      timeout: step.timeoutMs,
      killSignal: 'SIGKILL',
    });
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
  // Ctrl-C reaches the whole foreground process group: the step died of it, and the rehearsal stops.
  if (result.signal === 'SIGINT') throw new RehearsalInterruptedError('SIGINT');
  const stdout = fs.readFileSync(stdoutLog, 'utf8');
  const stderr = fs.readFileSync(stderrLog, 'utf8');
  if (step.stdoutPath) fs.writeFileSync(step.stdoutPath, stdout);
  if (step.stderrPath) fs.writeFileSync(step.stderrPath, stderr);
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${needs ?? file}: not found` : result.error.message;
    return {
      exitCode: 127,
      errorTail: message,
      missingTool: code === 'ENOENT' ? (needs ?? file) : undefined,
      timedOut,
      stdoutLog,
      stderrLog,
    };
  }
  const exitCode = result.status ?? (result.signal ? 128 + (signalNumber(result.signal) ?? 9) : 1);
  const errorTail = tail(stderr) || tail(stdout);
  const preempted = step.preemptWhenFileIn !== undefined && fs.existsSync(marker);
  return {
    exitCode,
    errorTail,
    missingTool: exitCode === 127 ? toolNotFound(stderr) : undefined,
    timedOut,
    preempted,
    stdoutLog,
    stderrLog,
  };
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal];
}
