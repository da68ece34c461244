/**
 * Every real KFP v2 IR file of kubeflow/pipelines' test data (../shared/kfp/ir) either compiles to
 * objects that pass `check` and the Tekton CRD schemas with nothing pruned, or is refused with one line
 * naming the task and the feature. The counts are the README's figure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDocuments } from '../src/check';
import { compileKfp, KfpIrError, KfpUnsupportedError } from '../src/kfp';
import { crdSchemaSkipReason, schemaProblemsWithEmbeddedSpecs } from './support/crd-schema';

const CORPUS = path.resolve(__dirname, '..', '..', 'shared', 'kfp', 'ir');
const available = fs.existsSync(CORPUS);
if (!available) console.log(`skipping the KFP corpus tests: ${CORPUS} is absent (only the team machine and CI have it)`);
const schemaSkip = crdSchemaSkipReason();
if (available && schemaSkip) console.log(schemaSkip);
const describeIfCorpus = available ? describe : describe.skip;

function irFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.yaml')) out.push(path.relative(CORPUS, p));
    }
  };
  walk(CORPUS);
  return out.sort();
}

/** The figure recorded in the README. */
const EXPECTED = { files: 100, compiled: 68, refused: 30, notYaml: 2 };

describeIfCorpus('the KFP v2 IR corpus', () => {
  const outcomes = available
    ? irFiles().map((file) => {
        try {
          return { file, compiled: compileKfp(fs.readFileSync(path.join(CORPUS, file), 'utf8'), { fileName: file }) };
        } catch (err) {
          return { file, error: err as Error };
        }
      })
    : [];

  test('each file compiles or is refused with one line naming the task and the feature', () => {
    for (const o of outcomes) {
      if (!o.error) continue;
      expect([o.file, o.error instanceof KfpUnsupportedError || o.error instanceof KfpIrError]).toEqual([o.file, true]);
      expect(o.error.message).not.toContain('\n');
      if (o.error instanceof KfpUnsupportedError) expect(o.error.message).toMatch(/^(task \S+|pipeline): .+/);
    }
  });

  test(`${EXPECTED.compiled} of ${EXPECTED.files} compile; ${EXPECTED.refused} are refused; ${EXPECTED.notYaml} are not YAML`, () => {
    expect(outcomes.length).toBe(EXPECTED.files);
    expect(outcomes.filter((o) => !o.error).length).toBe(EXPECTED.compiled);
    expect(outcomes.filter((o) => o.error instanceof KfpUnsupportedError).length).toBe(EXPECTED.refused);
    expect(outcomes.filter((o) => o.error instanceof KfpIrError).length).toBe(EXPECTED.notYaml);
  });

  test('compiled objects (and runs) give no check error', () => {
    for (const o of outcomes) {
      if (!o.compiled) continue;
      const all = o.compiled.run ? [...o.compiled.objects, o.compiled.run] : o.compiled.objects;
      const errors = checkDocuments(all)
        .filter((f) => f.severity === 'error')
        .map((f) => `${f.rule}: ${f.message}`);
      expect([o.file, errors]).toEqual([o.file, []]);
    }
  });

  (schemaSkip ? test.skip : test)('compiled objects pass the Tekton CRD schemas with nothing pruned', () => {
    for (const o of outcomes) {
      if (!o.compiled) continue;
      const all = o.compiled.run ? [...o.compiled.objects, o.compiled.run] : o.compiled.objects;
      expect([o.file, schemaProblemsWithEmbeddedSpecs(all)]).toEqual([o.file, '']);
    }
  });

  test('the failing/ pipelines compile and keep what makes them fail at run time', () => {
    const fail = outcomes.find((o) => o.file === 'failing/fail_v2.yaml')!;
    expect(fail.compiled).toBeDefined();
    expect(JSON.stringify(fail.compiled!.objects)).toContain('sys.exit(1)');
  });

  test('refusals name the feature', () => {
    const byFile = new Map(outcomes.map((o) => [o.file, o.error?.message]));
    expect(byFile.get('pipeline_with_importer.yaml')).toBe('task importer: importer (an artifact from a remote URI) is not supported');
    expect(byFile.get('pipeline_with_parallelfor_parallelism.yaml')).toMatch(/^task for-loop-1: iteratorPolicy.parallelismLimit/);
    expect(byFile.get('if_else_with_oneof_parameters.yaml')).toMatch(/dsl\.OneOf/);
  });
});
