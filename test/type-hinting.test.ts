import * as fs from 'fs';
import * as path from 'path';
import {
  byproductResults,
  CHAINS_CONVENTIONS,
  isBuildArtifact,
  materialsFromParamsAndResults,
  parseChainsDigest,
  ResultWithValue,
  subjectsFromResults,
  typeHintRole,
  typeHintsOfDeclaredResults,
} from '../src/chains/type-hinting';
import { parseOciDigestReference } from '../src/chains/oci-reference';

const SHA = '827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7';
const SHA_B = '33e7e52645f4859622e282167d9200da9861b3d0a6e9c93b85e9cae5526ffc0a';
const COMMIT = 'd56521f123fa0ad14127f40ed831334cd47a80e8';

describe('parseChainsDigest', () => {
  test('accepts alg:hex for sha1, sha256, sha384, sha512, lower-casing the algorithm', () => {
    expect(parseChainsDigest(`sha256:${SHA}`)).toEqual({ algorithm: 'sha256', hex: SHA });
    expect(parseChainsDigest(`SHA256:${SHA}`)).toEqual({ algorithm: 'sha256', hex: SHA });
    expect(parseChainsDigest(`sha1:${COMMIT}`)).toEqual({ algorithm: 'sha1', hex: COMMIT });
    expect(parseChainsDigest(`sha512:${'a'.repeat(128)}`)).toBeDefined();
  });
  test('refuses a bare hex, a wrong length, upper-case hex, md5 and a second colon', () => {
    expect(parseChainsDigest(SHA)).toBeUndefined();
    expect(parseChainsDigest('sha256:')).toBeUndefined();
    expect(parseChainsDigest(`sha256:${SHA.slice(1)}`)).toBeUndefined();
    expect(parseChainsDigest(`sha256:${SHA.toUpperCase()}`)).toBeUndefined();
    expect(parseChainsDigest(`md5:${'a'.repeat(32)}`)).toBeUndefined();
    expect(parseChainsDigest(`sha256:${SHA}:x`)).toBeUndefined();
    // the upstream example labelled a git commit as sha256: Chains refuses it
    expect(parseChainsDigest(`sha256:${COMMIT}`)).toBeUndefined();
  });
});

describe('parseOciDigestReference', () => {
  test('normalises docker hub names and drops a tag, as go-containerregistry does', () => {
    expect(parseOciDigestReference(`abc@sha256:${SHA}`)).toEqual({ repository: 'index.docker.io/library/abc', sha256: SHA });
    expect(parseOciDigestReference(`gcr.io/foo/bar:v1@sha256:${SHA}`)).toEqual({ repository: 'gcr.io/foo/bar', sha256: SHA });
    expect(parseOciDigestReference(`localhost:5000/x/y@sha256:${SHA}`)).toEqual({ repository: 'localhost:5000/x/y', sha256: SHA });
  });
  test('refuses non-sha256 digests, urls and upper case repositories', () => {
    expect(parseOciDigestReference(`gcr.io/foo/bar@sha512:${'a'.repeat(128)}`)).toBeUndefined();
    expect(parseOciDigestReference(`https://example.com/x@sha256:${SHA}`)).toBeUndefined();
    expect(parseOciDigestReference(`gcr.io/Foo/bar@sha256:${SHA}`)).toBeUndefined();
    expect(parseOciDigestReference('gcr.io/foo/bar')).toBeUndefined();
  });
});

describe('subjectsFromResults', () => {
  const buildArtifact = (uri: string, extra: Record<string, string> = {}): ResultWithValue => ({
    name: 'model-ARTIFACT_OUTPUTS',
    value: { uri, digest: `sha256:${SHA}`, ...extra },
  });

  test('IMAGE_URL + IMAGE_DIGEST (bare and prefixed) become subjects in every format', () => {
    const results = [
      { name: 'IMAGE_URL', value: 'gcr.io/foo/bar\n' },
      { name: 'IMAGE_DIGEST', value: `sha256:${SHA}\n` },
      { name: 'second-IMAGE_URL', value: 'gcr.io/foo/baz' },
      { name: 'second-IMAGE_DIGEST', value: `sha256:${SHA_B}` },
    ];
    for (const format of ['in-toto', 'slsa/v1', 'slsa/v2alpha3', 'slsa/v2alpha4'] as const) {
      expect(subjectsFromResults(results, format)).toEqual([
        { uri: 'gcr.io/foo/bar', digest: { sha256: SHA } },
        { uri: 'gcr.io/foo/baz', digest: { sha256: SHA_B } },
      ]);
    }
  });
  test('an IMAGE_URL whose IMAGE_DIGEST has another prefix does not pair', () => {
    expect(
      subjectsFromResults(
        [
          { name: 'a-IMAGE_URL', value: 'gcr.io/foo/bar' },
          { name: 'b-IMAGE_DIGEST', value: `sha256:${SHA}` },
        ],
        'slsa/v2alpha4',
      ),
    ).toEqual([]);
  });
  test('IMAGES splits on commas and newlines and skips duplicates', () => {
    expect(
      subjectsFromResults(
        [{ name: 'IMAGES', value: `gcr.io/aa@sha256:${SHA}, gcr.io/bb@sha256:${SHA_B}\ngcr.io/aa@sha256:${SHA}\n` }],
        'slsa/v2alpha4',
      ),
    ).toEqual([
      { uri: 'gcr.io/aa', digest: { sha256: SHA } },
      { uri: 'gcr.io/bb', digest: { sha256: SHA_B } },
    ]);
  });
  test('only a result named exactly IMAGES is read as a list', () => {
    expect(subjectsFromResults([{ name: 'MY_IMAGES', value: `gcr.io/aa@sha256:${SHA}` }], 'slsa/v2alpha4')).toEqual([]);
  });
  test('under v2alpha4 an ARTIFACT_OUTPUTS object becomes a subject only with isBuildArtifact "true"', () => {
    const uri = 'https://us-generic.pkg.dev/p/r/model';
    expect(subjectsFromResults([buildArtifact(uri, { isBuildArtifact: 'true' })], 'slsa/v2alpha4')).toEqual([
      { uri, digest: { sha256: SHA } },
    ]);
    expect(subjectsFromResults([buildArtifact(uri)], 'slsa/v2alpha4')).toEqual([]);
    expect(subjectsFromResults([buildArtifact(uri, { isBuildArtifact: 'True' })], 'slsa/v2alpha4')).toEqual([]);
  });
  test('under v2alpha3 and in-toto any valid ARTIFACT_OUTPUTS object is a subject', () => {
    const uri = 'https://us-generic.pkg.dev/p/r/model';
    expect(subjectsFromResults([buildArtifact(uri)], 'slsa/v2alpha3')).toEqual([{ uri, digest: { sha256: SHA } }]);
    expect(subjectsFromResults([buildArtifact(uri)], 'in-toto')).toEqual([{ uri, digest: { sha256: SHA } }]);
    expect(subjectsFromResults([{ name: 'x-ARTIFACT_OUTPUTS', value: { uri } }], 'slsa/v2alpha3')).toEqual([]);
    expect(subjectsFromResults([{ name: 'x-ARTIFACT_OUTPUTS', value: `${uri}@sha256:${SHA}` }], 'slsa/v2alpha3')).toEqual([]);
  });
  test('ARTIFACT_URI + ARTIFACT_DIGEST are subjects except under v2alpha4', () => {
    const results = [
      { name: 'pkg-ARTIFACT_URI', value: 'pkg:pypi/x@1' },
      { name: 'pkg-ARTIFACT_DIGEST', value: `sha256:${SHA}` },
    ];
    expect(subjectsFromResults(results, 'slsa/v2alpha3')).toEqual([{ uri: 'pkg:pypi/x@1', digest: { sha256: SHA } }]);
    expect(subjectsFromResults(results, 'slsa/v1')).toEqual([{ uri: 'pkg:pypi/x@1', digest: { sha256: SHA } }]);
    expect(subjectsFromResults(results, 'slsa/v2alpha4')).toEqual([]);
    expect(subjectsFromResults([results[0], { name: 'pkg-ARTIFACT_DIGEST', value: SHA }], 'slsa/v2alpha3')).toEqual([]);
  });
  test('a build artifact that is also an image reference is added twice under its repository name (as Chains does)', () => {
    expect(subjectsFromResults([buildArtifact('abc', { isBuildArtifact: 'true' })], 'slsa/v2alpha4')).toEqual([
      { uri: 'abc', digest: { sha256: SHA } },
      { uri: 'index.docker.io/library/abc', digest: { sha256: SHA } },
    ]);
  });
});

describe('isBuildArtifact', () => {
  test('needs the suffix, an object, "true", a uri and a valid digest', () => {
    const value = { uri: 'u', digest: `sha256:${SHA}`, isBuildArtifact: 'true' };
    expect(isBuildArtifact({ name: 'm-ARTIFACT_OUTPUTS', value })).toBe(true);
    expect(isBuildArtifact({ name: 'm-ARTIFACT_INPUTS', value })).toBe(false);
    expect(isBuildArtifact({ name: 'm-ARTIFACT_OUTPUTS', value: { ...value, digest: 'sha256:' } })).toBe(false);
    expect(isBuildArtifact({ name: 'm-ARTIFACT_OUTPUTS', value: { ...value, uri: '' } })).toBe(false);
  });
});

describe('materialsFromParamsAndResults', () => {
  test('CHAINS-GIT_URL + CHAINS-GIT_COMMIT become a git+ uri with a sha1 digest; results override params override defaults', () => {
    expect(
      materialsFromParamsAndResults({
        paramDefaults: [
          { name: 'CHAINS-GIT_URL', default: 'https://default' },
          { name: 'CHAINS-GIT_COMMIT', default: 'zzz' },
        ],
        params: [{ name: 'CHAINS-GIT_URL', value: 'https://github.com/org/repo' }],
        results: [{ name: 'CHAINS-GIT_COMMIT', value: COMMIT }],
      }),
    ).toEqual([{ uri: 'git+https://github.com/org/repo.git', digest: { sha1: COMMIT } }]);
  });
  test('a url without a commit gives no material', () => {
    expect(materialsFromParamsAndResults({ results: [{ name: 'CHAINS-GIT_URL', value: 'https://github.com/org/repo' }] })).toEqual([]);
  });
  test('ARTIFACT_INPUTS objects with a valid digest come first; an invalid digest is skipped', () => {
    expect(
      materialsFromParamsAndResults({
        results: [
          { name: 'CHAINS-GIT_URL', value: 'git+https://x.git' },
          { name: 'CHAINS-GIT_COMMIT', value: COMMIT },
          { name: 'source-ARTIFACT_INPUTS', value: { uri: 'git+https://github.com/org/repo', digest: `sha1:${COMMIT}` } },
          { name: 'bad-ARTIFACT_INPUTS', value: { uri: 'git+https://github.com/org/repo', digest: `sha256:${COMMIT}` } },
        ],
      }),
    ).toEqual([
      { uri: 'git+https://github.com/org/repo', digest: { sha1: COMMIT } },
      { uri: 'git+https://x.git', digest: { sha1: COMMIT } },
    ]);
  });
});

describe('byproductResults', () => {
  const results: ResultWithValue[] = [
    { name: 'CHAINS-GIT_COMMIT', value: COMMIT },
    { name: 'IMAGE_URL', value: 'gcr.io/x' },
    { name: 'built-ARTIFACT_OUTPUTS', value: { uri: 'u', digest: `sha256:${SHA}`, isBuildArtifact: 'true' } },
    { name: 'broken-ARTIFACT_OUTPUTS', value: { uri: 'u', digest: 'sha256:', isBuildArtifact: 'true' } },
    { name: 'other-ARTIFACT_OUTPUTS', value: { uri: 'u', digest: `sha256:${SHA}` } },
  ];
  test('v2alpha4 leaves out build artifacts (valid or not) and image results', () => {
    expect(byproductResults(results, 'slsa/v2alpha4').map((r) => r.name)).toEqual(['CHAINS-GIT_COMMIT', 'other-ARTIFACT_OUTPUTS']);
  });
  test('v2alpha3 keeps every result; v0.2 formats have none', () => {
    expect(byproductResults(results, 'slsa/v2alpha3')).toHaveLength(5);
    expect(byproductResults(results, 'in-toto')).toEqual([]);
  });
});

describe('typeHintsOfDeclaredResults', () => {
  test('an ARTIFACT_OUTPUTS object with isBuildArtifact "true" is a certain subject under v2alpha4', () => {
    const report = typeHintsOfDeclaredResults(
      [{ name: 'model-ARTIFACT_OUTPUTS', type: 'object', keys: { uri: undefined, digest: undefined, isBuildArtifact: 'true' } }],
      'slsa/v2alpha4',
    );
    expect(report.hints).toEqual([{ convention: 'ARTIFACT_OUTPUTS', role: 'subject', results: ['model-ARTIFACT_OUTPUTS'], certain: true }]);
    expect(report.misses).toEqual([]);
  });
  test('without isBuildArtifact it is a miss under v2alpha4 that names the fix, and a subject under v2alpha3', () => {
    const declared = [{ name: 'model-ARTIFACT_OUTPUTS', type: 'object' as const, keys: { uri: undefined, digest: undefined } }];
    const v4 = typeHintsOfDeclaredResults(declared, 'slsa/v2alpha4');
    expect(v4.hints).toEqual([]);
    expect(v4.misses[0].reason).toMatch(/model-ARTIFACT_OUTPUTS.*byproduct.*set isBuildArtifact: "true"/);
    expect(typeHintsOfDeclaredResults(declared, 'slsa/v2alpha3').hints.map((h) => h.role)).toEqual(['subject']);
  });
  test('isBuildArtifact from a run-time reference is an uncertain subject; "false" is a miss', () => {
    const uncertain = typeHintsOfDeclaredResults(
      [{ name: 'm-ARTIFACT_OUTPUTS', type: 'object', keys: { uri: undefined, digest: undefined, isBuildArtifact: undefined } }],
      'slsa/v2alpha4',
    );
    expect(uncertain.hints[0]).toMatchObject({ role: 'subject', certain: false });
    const no = typeHintsOfDeclaredResults(
      [{ name: 'm-ARTIFACT_OUTPUTS', type: 'object', keys: { uri: undefined, digest: undefined, isBuildArtifact: 'false' } }],
      'slsa/v2alpha4',
    );
    expect(no.hints).toEqual([]);
    expect(no.misses[0].reason).toMatch(/sets isBuildArtifact to "false"/);
  });
  test('a whole-object reference with unknown keys counts as an uncertain subject', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'm-ARTIFACT_OUTPUTS', type: 'object' }], 'slsa/v2alpha4').hints[0]).toMatchObject({
      role: 'subject',
      certain: false,
    });
  });
  test('a string ARTIFACT_OUTPUTS or one without a digest key is a miss', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'm-ARTIFACT_OUTPUTS' }], 'slsa/v2alpha3').misses[0].reason).toMatch(
      /of type string.*object results/,
    );
    expect(
      typeHintsOfDeclaredResults([{ name: 'm-ARTIFACT_OUTPUTS', type: 'object', keys: { uri: 'x' } }], 'slsa/v2alpha3').misses[0].reason,
    ).toMatch(/does not set digest/);
  });
  test('a literal digest labelling a commit as sha256 is a miss', () => {
    const report = typeHintsOfDeclaredResults(
      [{ name: 'src-ARTIFACT_INPUTS', type: 'object', keys: { uri: 'git+x', digest: `sha256:${COMMIT}` } }],
      'slsa/v2alpha4',
    );
    expect(report.hints).toEqual([]);
    expect(report.misses[0].reason).toMatch(/cannot parse/);
  });
  test('IMAGE_URL needs its IMAGE_DIGEST partner', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'IMAGE_URL' }, { name: 'IMAGE_DIGEST' }], 'slsa/v2alpha4').hints).toEqual([
      { convention: 'IMAGE_URL/IMAGE_DIGEST', role: 'subject', results: ['IMAGE_URL', 'IMAGE_DIGEST'], certain: true },
    ]);
    const lone = typeHintsOfDeclaredResults([{ name: 'IMAGE_URL' }], 'slsa/v2alpha4');
    expect(lone.hints).toEqual([]);
    expect(lone.misses[0].reason).toMatch(/"IMAGE_DIGEST", which is not declared/);
  });
  test('ARTIFACT_URI/ARTIFACT_DIGEST under v2alpha4 is a miss pointing to ARTIFACT_OUTPUTS', () => {
    const declared = [{ name: 'm-ARTIFACT_URI' }, { name: 'm-ARTIFACT_DIGEST' }];
    expect(typeHintsOfDeclaredResults(declared, 'slsa/v2alpha4').misses[0].reason).toMatch(/m-ARTIFACT_OUTPUTS/);
    expect(typeHintsOfDeclaredResults(declared, 'slsa/v2alpha3').hints[0]).toMatchObject({ role: 'subject' });
  });
  test('IMAGES must be a string', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'IMAGES' }], 'slsa/v2alpha4').hints[0]).toMatchObject({ convention: 'IMAGES' });
    expect(typeHintsOfDeclaredResults([{ name: 'IMAGES', type: 'array' }], 'slsa/v2alpha4').misses).toHaveLength(1);
  });
  test('CHAINS-GIT_URL and CHAINS-GIT_COMMIT together are a material; alone a miss', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'CHAINS-GIT_URL' }, { name: 'CHAINS-GIT_COMMIT' }], 'slsa/v2alpha4').hints).toEqual([
      { convention: 'CHAINS-GIT_URL/CHAINS-GIT_COMMIT', role: 'material', results: ['CHAINS-GIT_URL', 'CHAINS-GIT_COMMIT'], certain: true },
    ]);
    expect(typeHintsOfDeclaredResults([{ name: 'CHAINS-GIT_COMMIT' }], 'slsa/v2alpha4').misses[0].reason).toMatch(/CHAINS-GIT_URL/);
  });
  test('ordinary results produce neither hints nor misses', () => {
    expect(typeHintsOfDeclaredResults([{ name: 'model-digest' }, { name: 'upload', type: 'object' }], 'slsa/v2alpha4')).toEqual({
      hints: [],
      misses: [],
    });
  });
});

const chainsTestdata = path.resolve(
  __dirname,
  '..',
  '..',
  'shared',
  'tekton',
  'chains-fixtures',
  'pkg',
  'chains',
  'formats',
  'slsa',
  'testdata',
  'slsa-v2alpha4',
);
const describeShared = fs.existsSync(chainsTestdata) ? describe : describe.skip;
if (!fs.existsSync(chainsTestdata)) console.log(`skipping Chains fixture tests: ${chainsTestdata} does not exist`);

describeShared('Chains v0.29.2 unit-test PipelineRuns', () => {
  const load = (file: string): ResultWithValue[] => JSON.parse(fs.readFileSync(path.join(chainsTestdata, file), 'utf8')).status.results;
  test('pipelinerun1.json gives the subjects of pipelinerun_test.go (no deep inspection)', () => {
    expect(subjectsFromResults(load('pipelinerun1.json'), 'slsa/v2alpha4')).toEqual([
      { uri: 'abc', digest: { sha256: SHA } },
      { uri: 'test.io/test/image', digest: { sha256: SHA } },
      { uri: 'index.docker.io/library/abc', digest: { sha256: SHA } },
    ]);
  });
  test('pipelinerun1.json gives the byproducts of pipelinerun_test.go', () => {
    expect(byproductResults(load('pipelinerun1.json'), 'slsa/v2alpha4').map((r) => r.name)).toEqual([
      'CHAINS-GIT_COMMIT',
      'CHAINS-GIT_URL',
      'img-ARTIFACT_INPUTS',
      'img_no_uri-ARTIFACT_OUTPUTS',
    ]);
  });
  test('pipelinerun2.json adds the common image once', () => {
    expect(subjectsFromResults(load('pipelinerun2.json'), 'slsa/v2alpha4').map((s) => s.uri)).toEqual([
      'abc',
      'gcr.io/common/image',
      'test.io/test/image',
      'index.docker.io/library/abc',
    ]);
  });
});

describe('CHAINS_CONVENTIONS', () => {
  test('one row per convention, and the role under each format is what extraction and prediction both do', () => {
    expect(CHAINS_CONVENTIONS.map((c) => c.convention)).toEqual([
      'IMAGE_URL/IMAGE_DIGEST',
      'IMAGES',
      'ARTIFACT_URI/ARTIFACT_DIGEST',
      'ARTIFACT_OUTPUTS',
      'ARTIFACT_INPUTS',
      'CHAINS-GIT_URL/CHAINS-GIT_COMMIT',
    ]);
    const pair = [
      { name: 'modelARTIFACT_URI', value: 'https://x/m' },
      { name: 'modelARTIFACT_DIGEST', value: `sha256:${SHA}` },
    ];
    for (const format of ['in-toto', 'slsa/v1', 'slsa/v2alpha3', 'slsa/v2alpha4'] as const) {
      const subject = typeHintRole('ARTIFACT_URI/ARTIFACT_DIGEST', format) === 'subject';
      expect(subjectsFromResults(pair, format).length > 0).toBe(subject);
      expect(
        typeHintsOfDeclaredResults(
          pair.map((r) => ({ name: r.name })),
          format,
        ).hints.some((h) => h.role === 'subject'),
      ).toBe(subject);
    }
    expect(typeHintRole('ARTIFACT_URI/ARTIFACT_DIGEST', 'slsa/v2alpha4')).toBe('ignored');
    expect(typeHintRole('ARTIFACT_OUTPUTS', 'slsa/v2alpha4')).toBe('subject-if-build-artifact');
  });
});
