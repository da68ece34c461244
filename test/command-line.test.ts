import { parseCommandLine } from '../src/cli/command-line';
import { UsageError } from '../src/cli/usage-error';

const SPECS = {
  key: { type: 'string' },
  json: { type: 'boolean' },
  'check-claims': { type: 'boolean' },
  param: { type: 'string', repeatable: true },
} as const;

describe('parseCommandLine', () => {
  test('reads values, booleans, repeated options and positionals', () => {
    const parsed = parseCommandLine(
      ['--key', 'k.pub', '--json', '--param', 'a=1', '--param=b=2', '--check-claims=false', 'model.pth'],
      SPECS,
    );
    expect(parsed.options).toEqual({ key: 'k.pub', json: true, param: ['a=1', 'b=2'], 'check-claims': false });
    expect(parsed.positionals).toEqual(['model.pth']);
  });

  test('-- ends the options', () => {
    expect(parseCommandLine(['--', '--json'], SPECS).positionals).toEqual(['--json']);
  });

  test.each([
    [['--nope'], 'unknown option --nope'],
    [['-x'], 'unknown option -x'],
    [['--key'], '--key needs a value'],
    [['--json=yes'], '--json takes true or false, not "yes"'],
    [['--key', 'a', '--key', 'b'], '--key is given more than once'],
    [['--toString'], 'unknown option --toString'],
    [['--constructor'], 'unknown option --constructor'],
    [['--__proto__'], 'unknown option --__proto__'],
    [['--valueOf=1'], 'unknown option --valueOf'],
    [['--hasOwnProperty', 'x'], 'unknown option --hasOwnProperty'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCommandLine(argv, SPECS)).toThrow(new UsageError(message));
  });
});

test('options are typed by their declarations: string, boolean, list', () => {
  const { options } = parseCommandLine(['--key=k'], SPECS);
  const key: string | undefined = options.key;
  const json: boolean | undefined = options.json;
  const params: string[] | undefined = options.param;
  expect([key, json, params]).toEqual(['k', undefined, undefined]);
  expect(Object.getPrototypeOf(options)).toBeNull();
});
