import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '..', 'lib', 'src', 'cli', 'main.js');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

describe('slsa-for-models', () => {
  test('--help lists the commands and exits 0', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: slsa-for-models COMMAND/);
  });

  test('no command prints the usage and exits 2', () => {
    const result = cli();
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('usage: slsa-for-models');
  });

  test('an unknown command is one line on stderr and exit 2', () => {
    const result = cli('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  test('--version prints the package version', () => {
    expect(cli('--version').stdout.trim()).toBe(require('../package.json').version);
  });
});
