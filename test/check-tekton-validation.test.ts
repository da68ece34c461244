/**
 * Tekton v1.15.0's own table-driven validation tests (tektoncd/pipeline `pkg/apis/pipeline/v1/
 * *_validation_test.go`, `*_types_test.go`), transcribed by hand into manifests under
 * test/fixtures/tekton-validation/ (one YAML file per Tekton test file), each with the feature flags
 * of its test's context and the verdict re-derived with defaulting applied (admission runs
 * SetDefaults before Validate). `check` must accept every valid case and refuse the invalid ones
 * naming the fault; what it still misses is listed, with the reason, in allow-list.yaml (and in
 * docs/check.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { checkDocuments, Finding, RULES } from '../src/check';

const DIR = path.join(__dirname, 'fixtures', 'tekton-validation');
const MIN_REFUSED_FRACTION = 0.97;

/** One transcribed case. */
interface TranscribedCase {
  /** Short unique id of ours. */
  readonly name: string;
  /** The Tekton test it comes from: `TestFunction/case name`. */
  readonly source: string;
  /** The `feature-flags` data of the test's context (absent: Tekton's defaults). */
  readonly flags?: Record<string, string>;
  readonly verdict: 'valid' | 'invalid';
  /** For an invalid case, the rule id (or ids, any of which) that names the fault. */
  readonly fault?: string | string[];
  /** One document, or several (a referenced Task beside the object judged). */
  readonly manifest: object | object[];
}

interface CaseFile {
  /** The Tekton test file, relative to tektoncd/pipeline at v1.15.0. */
  readonly file: string;
  readonly cases: TranscribedCase[];
}

interface AllowListEntry {
  readonly case: string;
  readonly reason: string;
  /** `run-time`, `schema`, `expected-missed-until-checkrules` or `expected-missed-until-cel` (the rules branches checkrules and cel add). */
  readonly kind: string;
}

const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && f !== 'allow-list.yaml')
  .sort();
const caseFiles: Array<{ fixture: string; content: CaseFile }> = files.map((fixture) => ({
  fixture,
  content: parse(fs.readFileSync(path.join(DIR, fixture), 'utf-8')) as CaseFile,
}));
const allowList = (parse(fs.readFileSync(path.join(DIR, 'allow-list.yaml'), 'utf-8')) as { missed: AllowListEntry[] | null }).missed ?? [];
const allowed = new Map(allowList.map((entry) => [entry.case, entry]));
const allCases = caseFiles.flatMap(({ fixture, content }) => content.cases.map((c) => ({ fixture, file: content.file, c })));

function judge(c: TranscribedCase): Finding[] {
  const documents = Array.isArray(c.manifest) ? c.manifest : [c.manifest];
  return checkDocuments(documents, { featureFlags: c.flags ?? {} });
}

const describeErrors = (findings: Finding[]): string =>
  findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule} ${f.path}: ${f.message}`)
    .join('\n  ') || '(no error)';

describe('the transcription of Tekton v1.15.0 validation tests', () => {
  test('every case is well formed, named once, and its fault names a rule of the catalog', () => {
    const names = new Set<string>();
    for (const { fixture, c } of allCases) {
      expect({ fixture, name: c.name, dup: names.has(c.name) }).toEqual({ fixture, name: c.name, dup: false });
      names.add(c.name);
      expect(c.source).toMatch(/^Test\w+/);
      expect(['valid', 'invalid']).toContain(c.verdict);
      if (c.verdict === 'invalid') {
        const faults = Array.isArray(c.fault) ? c.fault : [c.fault];
        for (const fault of faults)
          expect({ name: c.name, fault, known: fault !== undefined && fault in RULES }).toMatchObject({ known: true });
      }
    }
    for (const entry of allowList) {
      expect({ entry: entry.case, exists: names.has(entry.case) }).toEqual({ entry: entry.case, exists: true });
      expect(['run-time', 'schema', 'expected-missed-until-checkrules', 'expected-missed-until-cel']).toContain(entry.kind);
      expect(entry.reason.length).toBeGreaterThan(10);
    }
    expect(allCases.length).toBeGreaterThanOrEqual(150);
  });

  describe.each(caseFiles.map(({ fixture, content }) => [fixture, content] as const))('%s', (_fixture, content) => {
    const valid = content.cases.filter((c) => c.verdict === 'valid');
    const invalid = content.cases.filter((c) => c.verdict === 'invalid');
    if (valid.length > 0) {
      test.each(valid.map((c) => [c.name, c] as const))('valid: %s passes with no error', (_name, c) => {
        const errors = judge(c).filter((f) => f.severity === 'error');
        expect(describeErrors(errors)).toBe('(no error)');
      });
    }
    if (invalid.length > 0) {
      test.each(invalid.map((c) => [c.name, c] as const))('invalid: %s is refused naming the fault (or allow-listed)', (name, c) => {
        const faults = Array.isArray(c.fault) ? c.fault : [c.fault];
        const findings = judge(c);
        const named = findings.some((f) => f.severity === 'error' && faults.includes(f.rule));
        const entry = allowed.get(name);
        if (entry) {
          // a miss we know of: when check starts refusing it, the allow-list entry goes
          expect({ name, refusedNow: named, allowListed: entry.kind }).toEqual({ name, refusedNow: false, allowListed: entry.kind });
        } else {
          expect({ name, expected: faults, got: describeErrors(findings) }).toEqual({
            name,
            expected: faults,
            got: expect.stringMatching(new RegExp(`(^|\\n  )(${faults.join('|')}) `)),
          });
        }
      });
    }
  });

  test('docs/check.md lists every allow-listed case', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'check.md'), 'utf8');
    for (const entry of allowList)
      expect({ case: entry.case, listed: doc.includes(`\`${entry.case}\``) }).toEqual({ case: entry.case, listed: true });
  });

  test(`at least ${MIN_REFUSED_FRACTION * 100}% of the invalid cases are refused naming the fault`, () => {
    const invalid = allCases.filter(({ c }) => c.verdict === 'invalid');
    const refused = invalid.filter(({ c }) => !allowed.has(c.name));
    const fraction = refused.length / invalid.length;
    // printed so the number can be quoted
    console.log(
      `tekton-validation: ${allCases.length} cases, ${invalid.length} invalid, ${refused.length} refused (${(fraction * 100).toFixed(1)}%)`,
    );
    expect(fraction).toBeGreaterThanOrEqual(MIN_REFUSED_FRACTION);
  });
});
