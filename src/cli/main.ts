#!/usr/bin/env node
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { Command, CommandOutput } from './command';
import { UsageError } from './usage-error';

/** Subcommands, loaded only when called so that `verify` never loads cdk8s. */
const COMMANDS: Readonly<Record<string, () => Command>> = {
  check: () => require('./check-command').checkCommand,
  verify: () => require('./verify-command').verifyCommand,
  graph: () => require('./graph-command').graphCommand,
  rehearse: () => require('./rehearse-command').rehearseCommand,
  provenance: () => require('./provenance-command').provenanceCommand,
  kfp: () => require('./kfp-command').kfpCommand,
  digest: () => require('./digest-command').digestCommand,
};

function loadCommand(name: string): Command | undefined {
  const load = COMMANDS[name];
  if (!load) return undefined;
  try {
    return load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

function usage(): string {
  const lines = ['usage: slsa-for-models COMMAND [options]', '', 'commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const command = loadCommand(name);
    if (command) lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run "slsa-for-models COMMAND --help" for the options of one command.');
  return lines.join('\n') + '\n';
}

/** Runs the command line and resolves to the process exit code. */
export async function main(argv: readonly string[], output: CommandOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    output.stdout.write(`${require(path.join(PACKAGE_ROOT, 'package.json')).version}\n`);
    return 0;
  }
  const command = loadCommand(name);
  if (!command) {
    output.stderr.write(`slsa-for-models: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    output.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, output);
  } catch (err) {
    if (err instanceof UsageError) {
      output.stderr.write(`slsa-for-models ${name}: ${err.message}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    output.stderr.write(`slsa-for-models ${name}: internal error: ${message.split('\n')[0]}\n`);
    if (process.env.SLSA_FOR_MODELS_DEBUG) output.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
