// The engine must judge any input without throwing: odd shapes are findings, never crashes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDocuments } from '../src/check';
import { listSourceFiles, readSourceFile } from '../src/tekton-model/yaml-sources';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fc = require('fast-check') as typeof import('fast-check');

const FIXTURES = path.join(__dirname, 'fixtures', 'check');
const SEEDS: unknown[] = [...listSourceFiles(path.join(FIXTURES, 'valid')), ...listSourceFiles(path.join(FIXTURES, 'invalid'))]
  .flatMap((file) => readSourceFile(file))
  .map((s) => s.value);

/** Every path to a node of a JSON value. */
function paths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function replaceAt(value: unknown, at: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[at[0]] = replaceAt(copy[at[0]], at.slice(1), replacement);
  return copy;
}

const odd = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.string(),
  fc.constantFrom('$(params.', '$(tasks.a.results.', '$(params["x"])', '$(params.a.b.c)', '$(tasks.status)', '[*]', ''),
  fc.constant([]),
  fc.constant({}),
  fc.constant(Object.create(null)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

describe('checkDocuments robustness', () => {
  test('random replacements anywhere in real documents never throw, and every message is one line', () => {
    const all = SEEDS.map((doc) => paths(doc));
    fc.assert(
      fc.property(fc.nat(), fc.nat(), odd, fc.nat(), odd, (d, p1, v1, p2, v2) => {
        const docIndex = d % SEEDS.length;
        const ps = all[docIndex];
        let doc = replaceAt(SEEDS[docIndex], ps[p1 % ps.length], v1);
        const ps2 = paths(doc);
        doc = replaceAt(doc, ps2[p2 % ps2.length], v2);
        const documents = [...SEEDS];
        documents[docIndex] = doc;
        for (const f of checkDocuments(documents)) {
          expect(f.message).not.toContain('\n');
          expect(['error', 'warning', 'note']).toContain(f.severity);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a tekton.dev kind named like an Object method (valueOf, constructor) is an unserved kind, not a crash', () => {
    const findings = checkDocuments(
      ['valueOf', 'constructor', '__proto__'].map((kind) => ({ apiVersion: 'tekton.dev/v1', kind, metadata: { name: 'x' } })),
    );
    expect(findings.map((f) => f.rule)).toEqual(['api-version-unserved', 'api-version-unserved', 'api-version-unserved']);
    expect(findings[0].message).toContain('the tekton.dev kinds are Task, Pipeline');
  });

  test('non-objects and half-objects are ignored or reported, never thrown on', () => {
    const docs: unknown[] = [
      undefined,
      42,
      [],
      { kind: 'Task' },
      { kind: 'Pipeline', spec: [] },
      { kind: 'PipelineRun', metadata: 'x', spec: { params: 'x', workspaces: 5 } },
      { kind: 'TaskRun', spec: { taskSpec: { steps: 'x' } } },
      { kind: 'StepAction', spec: { params: [null, 1, { name: 2 }] } },
      {
        kind: 'Pipeline',
        metadata: { name: 'p' },
        spec: { tasks: [null, { name: 3, runAfter: 'x', params: [{ name: 'a', value: 1 }], when: 'x', matrix: [] }] },
      },
    ];
    expect(() => checkDocuments(docs)).not.toThrow();
    expect(fs.existsSync(FIXTURES)).toBe(true);
  });
});
