/**
 * The expressions the constructs render and the rule engine's reading of them agree: for any
 * name Tekton allows, a reference to a declared param, object key, result or workspace is
 * accepted, and the same reference to an undeclared one is reported.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Task } from '../src/tekton';

const stringParamName = fc.stringMatching(/^[_a-zA-Z][_a-zA-Z0-9.-]{0,20}$/).filter((n) => !n.endsWith('.'));
const objectParamName = fc.stringMatching(/^[_a-zA-Z][_a-zA-Z0-9-]{0,20}$/);
const resultName = fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9_]{0,20}[A-Za-z0-9]$/);

function rules(task: Task<any, any, any>): string[] {
  return task.findings().map((f) => f.rule);
}

describe('rendered expressions agree with the rule engine', () => {
  test('string and array params, by any valid name', () => {
    fc.assert(
      fc.property(stringParamName, objectParamName, (name, arrayName) => {
        fc.pre(name !== arrayName);
        const task = new Task(Testing.chart(), 't', {
          metadata: { name: 't' },
          params: { [name]: {}, [arrayName]: { type: 'array' as const } },
        });
        const refs = task.params as Record<string, any>;
        task.addStep({ name: 's', image: 'busybox', script: `echo "${refs[name]}" "${refs[arrayName].at(0)}"`, args: [refs[arrayName]] });
        return rules(task).length === 0;
      }),
      { numRuns: 60 },
    );
  });

  test('object param keys, results and workspaces, by any valid name', () => {
    fc.assert(
      fc.property(objectParamName, objectParamName, resultName, objectParamName, (param, key, result, workspace) => {
        const task = new Task(Testing.chart(), 't', {
          metadata: { name: 't' },
          params: { [param]: { type: 'object' as const, properties: { [key]: {} } } },
          results: { [result]: {} },
          workspaces: { [workspace]: {} },
        });
        const p = (task.params as Record<string, any>)[param];
        const r = (task.results as Record<string, any>)[result];
        const w = (task.workspaces as Record<string, any>)[workspace];
        task.addStep({ name: 's', image: 'busybox', script: `echo "${p.key(key)}" > "${w}/x" && cp "${w}/x" ${r}` });
        return rules(task).length === 0;
      }),
      { numRuns: 60 },
    );
  });

  test('the same references to undeclared names are reported', () => {
    fc.assert(
      fc.property(objectParamName, resultName, (param, result) => {
        const declared = new Task(Testing.chart(), 'd', { metadata: { name: 'd' }, params: { [param]: {} }, results: { [result]: {} } });
        const other = new Task(Testing.chart(), 'o', {
          metadata: { name: 'o' },
          params: { [`${param}x`]: {} },
          results: { [`${result}x`]: {} },
        });
        const refs = declared.params as Record<string, any>;
        const results = declared.results as Record<string, any>;
        other.addStep({ name: 's', image: 'busybox', script: `echo "${refs[param]}" > ${results[result]}` });
        const found = rules(other);
        return found.includes('param-reference-undeclared') && found.includes('result-reference-undeclared');
      }),
      { numRuns: 40 },
    );
  });
});
