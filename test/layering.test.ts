/**
 * The floors of the house hold: `src/tekton-model/` is the ground floor (it imports nothing of the
 * project above it, and no cdk8s); `graph` and the rehearsal's executor import nothing from
 * `src/check`; the two places that reach the rule engine use only its public entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', 'src');

/** Every module specifier a file imports or requires. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^']+)'/g)].map((m) => m[1]);
}

function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(path.join(SRC, folder))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(SRC, folder, f));
}

describe('layering', () => {
  test('src/tekton-model imports only its own files, node, yaml, the generated field tree and (in cel-expressions.ts) the CEL library', () => {
    const outside = filesUnder('tekton-model').flatMap((file) =>
      importsOf(file)
        .filter((s) => !s.startsWith('./') && !s.startsWith('node:') && s !== 'yaml' && s !== '../../imports/tekton-fields')
        .filter((s) => !(s === '@marcbachmann/cel-js' && path.basename(file) === 'cel-expressions.ts'))
        .map((s) => `${path.basename(file)} -> ${s}`),
    );
    expect(outside).toEqual([]);
  });

  test('CEL has one home: only src/tekton-model/cel-expressions.ts imports the CEL library', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory());
    const importers = folders
      .flatMap((d) => filesUnder(d.name))
      .filter((file) => importsOf(file).some((s) => s.includes('cel-js')))
      .map((file) => path.relative(SRC, file));
    expect(importers).toEqual([path.join('tekton-model', 'cel-expressions.ts')]);
  });

  test("graph and the rehearsal import nothing from src/check but the orchestrator's admission judge; the constructs only the public entry", () => {
    const intoCheck = ['graph', 'rehearse', 'tekton'].flatMap((folder) =>
      filesUnder(folder).flatMap((file) =>
        importsOf(file)
          .filter((s) => /^\.\.\/check(\/|$)/.test(s))
          .map((s) => `${folder}/${path.basename(file)} -> ${s}`),
      ),
    );
    expect([...new Set(intoCheck)].sort()).toEqual(['rehearse/rehearsal.ts -> ../check', 'tekton/construct-findings.ts -> ../check']);
  });
});
