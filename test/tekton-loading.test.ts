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
