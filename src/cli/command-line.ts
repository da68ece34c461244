import { UsageError } from './usage-error';

/** How one option of a command is spelled and read. */
export interface OptionSpec {
  /** `string` takes a value (`--key VALUE` or `--key=VALUE`); `boolean` takes none (`--json`, `--check-claims=false`). */
  readonly type: 'string' | 'boolean';
  /** The option may be given more than once; its values are collected in order. */
  readonly repeatable?: boolean;
}

/** The options a command declares, by name (without the leading `--`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value an option of spec `S` reads to: a list for a repeatable option, else one value or `undefined` when absent. */
export type OptionValue<S extends OptionSpec> = S extends { readonly repeatable: true }
  ? string[] | undefined
  : S extends { readonly type: 'boolean' }
    ? boolean | undefined
    : string | undefined;

/** Options and positional arguments of one command, as parsed, typed by the command's declarations. */
export interface ParsedCommandLine<S extends OptionSpecs = OptionSpecs> {
  readonly options: { readonly [K in keyof S]: OptionValue<S[K]> };
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` (without the command name) against the options a command declares (declare them
 * `as const` so that each option's type follows its spec). Unknown options (names inherited from
 * `Object.prototype` such as `--toString` included) and missing values are usage errors; `--` ends
 * the options. (Not node:util `parseArgs`: it refuses `--check-claims=false`, cosign's spelling.)
 */
export function parseCommandLine<S extends OptionSpecs>(argv: readonly string[], specs: S): ParsedCommandLine<S> {
  const options: Record<string, string | boolean | string[] | undefined> = Object.create(null);
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option --${name}`);
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
  return { options: options as ParsedCommandLine<S>['options'], positionals };
}
