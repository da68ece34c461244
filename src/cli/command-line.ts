import { UsageError } from './usage-error';

/** How one option of a command is spelled and read. */
export interface OptionSpec {
  /** `string` takes a value (`--key VALUE` or `--key=VALUE`); `boolean` takes none (`--json`, `--check-claims=false`). */
  readonly type: 'string' | 'boolean';
  /** The option may be given more than once; its values are collected in order. */
  readonly repeatable?: boolean;
}

/** Options and positional arguments of one command, as parsed. */
export interface ParsedCommandLine {
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` (without the command name) against the options a command declares.
 * Unknown options and missing values are usage errors; `--` ends the options.
 */
export function parseCommandLine(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedCommandLine {
  const options: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (eq === -1) {
        value = true;
      } else {
        const text = arg.slice(eq + 1);
        if (text !== 'true' && text !== 'false') throw new UsageError(`--${name} takes true or false, not "${text}"`);
        value = text === 'true';
      }
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (spec.repeatable) {
      const list = (options[name] as string[] | undefined) ?? [];
      list.push(String(value));
      options[name] = list;
    } else {
      if (options[name] !== undefined) throw new UsageError(`--${name} is given more than once`);
      options[name] = value;
    }
  }
  return { options, positionals };
}
