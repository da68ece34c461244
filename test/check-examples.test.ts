// Tekton's own v1.15.0 examples and the upstream SLSA-for-models seed, as `check` judges them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDocuments, Finding, SourceRepository } from '../src/check';
import { listSourceFiles, readSourceFile, SourceDocument } from '../src/tekton-model/yaml-sources';

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const EXAMPLES = path.join(SHARED, 'tekton', 'examples-v1');
const SEED = path.join(SHARED, 'seed-gcp');
const present = fs.existsSync(EXAMPLES) && fs.existsSync(SEED);
if (!present) console.log(`check examples tests: skipped, ${SHARED} (Tekton examples and the upstream seed) is absent`);
const maybe = present ? test : test.skip;

function judge(sources: readonly SourceDocument[], documentRepositories?: readonly SourceRepository[]): Array<Finding & { file: string }> {
  return checkDocuments(
    sources.map((s) => s.value),
    { documentSources: sources.map((s) => s.file), documentRepositories },
  ).map((f) => ({ ...f, file: path.relative(SHARED, sources[f.documentIndex].file) }));
}

describe('Tekton v1.15.0 examples', () => {
  maybe('each example file on its own: no error', () => {
    const errors: string[] = [];
    const files = listSourceFiles(EXAMPLES);
    expect(files.length).toBeGreaterThan(150);
    for (const file of files) {
      for (const f of judge(readSourceFile(file))) if (f.severity === 'error') errors.push(`${f.file}: ${f.rule}: ${f.message}`);
    }
    expect(errors).toEqual([]);
  });

  maybe('all examples at once: no error (same-named objects of other files do not mix)', () => {
    const sources = listSourceFiles(EXAMPLES).flatMap((file) => readSourceFile(file));
    const errors = judge(sources)
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.file}: ${f.rule}: ${f.message}`);
    expect(errors).toEqual([]);
  });
});

describe('Tekton v1.15.0 examples under feature flags', () => {
  const judgeWith = (featureFlags: Record<string, string>): Array<Finding & { file: string }> => {
    const sources = listSourceFiles(EXAMPLES).flatMap((file) => readSourceFile(file));
    return checkDocuments(
      sources.map((s) => s.value),
      { featureFlags, documentSources: sources.map((s) => s.file) },
    ).map((f) => ({ ...f, file: path.relative(EXAMPLES, sources[f.documentIndex].file) }));
  };

  maybe('with every flag on, no error', () => {
    const all = {
      'enable-api-fields': 'alpha',
      'enable-param-enum': 'true',
      'enable-cel-in-whenexpression': 'true',
      'enable-concise-resolver-syntax': 'true',
      'enable-artifacts': 'true',
    };
    expect(
      judgeWith(all)
        .filter((f) => f.severity === 'error')
        .map((f) => `${f.file}: ${f.message}`),
    ).toEqual([]);
  });

  maybe('with the defaults (enable-api-fields beta), only the alpha/ examples need more', () => {
    const errors = judgeWith({}).filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.filter((f) => f.rule !== 'feature-disabled' || !f.file.includes(`alpha${path.sep}`)).map((f) => `${f.file}: ${f.message}`),
    ).toEqual([]);
  });
});

describe('the upstream SLSA-for-models seed', () => {
  maybe('warns of the python-version param build-model never declared, notes the git-resolver taskRefs, no error', () => {
    const sources = listSourceFiles(SEED).flatMap((file) => readSourceFile(file));
    // the seed is slsa_for_models/gcp/ of github.com/sigstore/model-transparency (its README), the repository its git resolver references name
    const findings = judge(
      sources,
      sources.map((s) => ({
        remotes: ['github.com/sigstore/model-transparency'],
        pathInRepo: `slsa_for_models/gcp/${path.relative(SEED, s.file).split(path.sep).join('/')}`,
      })),
    );
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const warnings = findings.filter((f) => f.severity === 'warning');
    expect(warnings).toEqual([
      expect.objectContaining({
        rule: 'param-undeclared',
        file: path.join('seed-gcp', 'pipeline.yml'),
        object: 'Pipeline/slsa-for-models',
        path: ['spec', 'tasks', 1, 'params', 2, 'name'],
      }),
    ]);
    expect(warnings[0].message).toContain('param "python-version" is not declared by Task/build-model');
    const notes = findings.filter((f) => f.severity === 'note' && f.rule === 'remote-reference');
    expect(notes.map((f) => f.path.join('.'))).toEqual(['spec.tasks.0.taskRef', 'spec.tasks.1.taskRef', 'spec.tasks.2.taskRef']);
    for (const n of notes) expect(n.message).toMatch(/fetched through the "git" resolver at run time/);
  });
});
