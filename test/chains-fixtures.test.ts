import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chainsProvenance } from '../src/chains/chains-provenance';
import {
  CHAINS_FIXTURE_CASES,
  CHAINS_FIXTURES,
  ChainsFixtureCase,
  decodeContents,
  fixtureExpected,
  fixtureInput,
} from './support/chains-fixture-cases';

/**
 * The formatter against the expected statements of Tekton Chains v0.29.2's own unit tests, compared as
 * parsed JSON (protojson's bytes are not reproducible: it adds random spaces), field by field, byproduct and
 * dependency contents decoded first, through the library and through `slsa-for-models provenance`.
 */

const describeShared = CHAINS_FIXTURES ? describe : describe.skip;
if (!CHAINS_FIXTURES) console.log('skipping the Chains v0.29.2 expected-statement tests: ../shared/tekton/chains-fixtures is absent');

const CLI = path.resolve(__dirname, '..', 'lib', 'src', 'cli', 'main.js');

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function viaLibrary(c: ChainsFixtureCase): any {
  return chainsProvenance(readJson(fixtureInput(c.run)), {
    kind: c.kind,
    taskRuns: (c.taskRuns ?? []).map((f) => readJson(fixtureInput(f))),
    format: c.format,
    builderId: c.builderId,
    deepInspection: c.deepInspection,
    ignoreMissingTaskRuns: c.partial,
  });
}

function viaCommand(c: ChainsFixtureCase): any {
  const args = [CLI, 'provenance', fixtureInput(c.run), '--kind', c.kind, '--format', c.format];
  for (const tr of c.taskRuns ?? []) args.push('--taskruns', fixtureInput(tr));
  if (c.builderId !== undefined) args.push('--builder-id', c.builderId);
  if (c.deepInspection) args.push('--deep-inspection');
  if (c.partial) args.push('--ignore-missing-taskruns');
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

/** Compares each top-level and predicate field on its own, so that a failure names the field. */
function expectSameStatement(actual: any, expected: any): void {
  const a = decodeContents(actual);
  const e = decodeContents(expected);
  expect(Object.keys(a)).toEqual(Object.keys(e));
  for (const key of ['_type', 'predicateType', 'subject']) expect([key, a[key]]).toEqual([key, e[key]]);
  expect(Object.keys(a.predicate).sort()).toEqual(Object.keys(e.predicate).sort());
  for (const key of Object.keys(e.predicate)) {
    const value = e.predicate[key];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      expect([key, Object.keys(a.predicate[key] ?? {}).sort()]).toEqual([key, Object.keys(value).sort()]);
      for (const inner of Object.keys(value))
        expect([`${key}.${inner}`, a.predicate[key][inner]]).toEqual([`${key}.${inner}`, value[inner]]);
    } else {
      expect([key, a.predicate[key]]).toEqual([key, value]);
    }
  }
  expect(a).toEqual(e);
}

describeShared('chainsProvenance equals Chains v0.29.2 unit-test statements', () => {
  for (const c of CHAINS_FIXTURE_CASES) {
    test(`${c.expected} (library)`, () => {
      const statement = viaLibrary(c);
      if (c.partial) expect(statement.predicate.buildDefinition.externalParameters).toEqual(fixtureExpected(c));
      else expectSameStatement(statement, fixtureExpected(c));
    });
  }
});

describeShared('slsa-for-models provenance equals Chains v0.29.2 unit-test statements', () => {
  for (const c of CHAINS_FIXTURE_CASES) {
    test(`${c.expected} (command)`, () => {
      const statement = viaCommand(c);
      if (c.partial) expect(statement.predicate.buildDefinition.externalParameters).toEqual(fixtureExpected(c));
      else expectSameStatement(statement, fixtureExpected(c));
    });
  }
});
