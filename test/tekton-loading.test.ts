/**
 * Loading the constructs stays cheap: the rule engine is required only when the first construct
 * is judged (compiled lib, as `npm run synth` runs it). The Go duration parser, a leaf module the
 * constructs share with the engine, does not count.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const LIB = path.resolve(__dirname, '..', 'lib', 'src');

function checkModulesLoaded(body: string): number {
  const script = `
    const { App, Chart } = require('cdk8s');
    const tekton = require(${JSON.stringify(path.join(LIB, 'tekton'))});
    require(${JSON.stringify(path.join(LIB, 'synth'))});
    ${body}
    process.stdout.write(String(Object.keys(require.cache).filter(k => k.includes(${JSON.stringify(path.join(LIB, 'check') + path.sep)}) && !k.endsWith('go-duration.js')).length));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return Number(result.stdout);
}

test('requiring the constructs and synth does not load the rule engine', () => {
  expect(checkModulesLoaded('')).toBe(0);
});

test('judging a construct loads it', () => {
  expect(
    checkModulesLoaded(`
    const task = new tekton.Task(new Chart(new App(), 'c'), 't', { steps: [{ name: 's', image: 'busybox', script: 'true' }] });
    task.findings();
  `),
  ).toBeGreaterThan(0);
});

/** Runs `body` in a fresh process that has required `modules` (under lib/src); returns its stdout and stderr. */
function runWith(modules: readonly string[], body: string): { stdout: string; stderr: string } {
  const script = `
    const { App, Chart } = require('cdk8s');
    ${modules.map((m) => `require(${JSON.stringify(path.join(LIB, m))});`).join('\n')}
    const tekton = require(${JSON.stringify(path.join(LIB, 'tekton'))});
    ${body}
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr };
}

const BAD_TASK = `
  const task = new tekton.Task(new Chart(new App(), 'c'), 't', { steps: [{ name: 's', image: 'busybox', script: 'echo $(params.nope)' }] });
`;

test("the package entry wires check's judge into the constructs: a plain judging finds the undeclared param", () => {
  const { stdout, stderr } = runWith(['index'], `${BAD_TASK} process.stdout.write(task.findings().map((f) => f.rule).join(','));`);
  expect(stderr).toBe('');
  expect(stdout).toContain('param-reference-undeclared');
});

test('the constructs alone have no judge: judging one throws, naming the construct', () => {
  const { stdout, stderr } = runWith([], `${BAD_TASK} try { task.findings(); } catch (e) { process.stdout.write(e.message); }`);
  expect(stderr).toBe('');
  expect(stdout).toMatch(/^\[c\/t\] no document judge to judge it with/);
});

test('a judge handed in is used instead of the default', () => {
  const { stdout, stderr } = runWith(
    ['synth'],
    `${BAD_TASK} tekton.judgeUnderFeatureFlags(task, { featureFlags: null, judge: () => [] }); process.stdout.write(String(task.findings().length));`,
  );
  expect(stderr).toBe('');
  expect(stdout).toBe('0');
});
