// What a model was trained from: the policy that requires inputs by name and digest (issue 17,
// part 4), judged on statements shaped as Chains v0.29.2 slsa/v2alpha4 writes them (resolved
// dependencies named inputs/result, the results' names kept only in the byproducts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inputResultsOfByproducts } from '../src/chains/chains-byproducts';
import { InTotoStatement } from '../src/verify/in-toto-statement';
import { readProvenanceFacts } from '../src/verify/provenance-facts';
import { enforceProvenancePolicy, ProvenancePolicy } from '../src/verify/provenance-policy';
import { AttestationRejectedError } from '../src/verify/verification-errors';
import { parseVerifyPolicy, resolveVerifyPolicy } from '../src/verify/verify-policy';

const COMMIT = 'd56521f123fa0ad14127f40ed831334cd47a80e8';
const SOURCE = 'git+file:///tmp/model-project.git';
const BASE = 'b'.repeat(64);
const DATA = 'd'.repeat(64);
const BASE_URI = 'https://models.example/base-model';
const DATA_URI = 'https://data.example/digits.npz';

const byproduct = (result: string, value: unknown) => ({
  name: `pipelineRunResults/train-abc12/${result}`,
  content: Buffer.from(JSON.stringify(value)).toString('base64'),
  mediaType: 'application/json',
});

function statement(
  inputs: Record<string, { uri: string; digest: string }>,
  options: { byproducts?: boolean; extraDependency?: Record<string, unknown> } = {},
): InTotoStatement {
  const dependencies = [
    { uri: 'oci://python', digest: { sha256: 'a'.repeat(64) } },
    ...Object.values(inputs).map((input) => {
      const [algorithm, hex] = input.digest.split(':');
      return { uri: input.uri, digest: { [algorithm]: hex }, name: 'inputs/result' };
    }),
    ...(options.extraDependency ? [options.extraDependency] : []),
  ];
  const runDetails: Record<string, unknown> = { builder: { id: 'https://tekton.dev/chains/v2' } };
  if (options.byproducts ?? true)
    runDetails.byproducts = Object.entries(inputs).map(([name, value]) => byproduct(`${name}_ARTIFACT_INPUTS`, value));
  return {
    type: 'https://in-toto.io/Statement/v1',
    subjects: [],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { buildDefinition: { resolvedDependencies: dependencies, externalParameters: { runSpec: {} } }, runDetails },
  } as unknown as InTotoStatement;
}

const GENUINE = {
  source: { uri: SOURCE, digest: `sha1:${COMMIT}` },
  'base-model': { uri: BASE_URI, digest: `sha256:${BASE}` },
  dataset: { uri: DATA_URI, digest: `sha256:${DATA}` },
};
const BOTH: ProvenancePolicy = {
  dependencies: [
    { name: 'base-model', digest: `sha256:${BASE}` },
    { name: 'dataset', digest: `sha256:${DATA}` },
  ],
};

function judge(s: InTotoStatement, policy: ProvenancePolicy): string {
  try {
    enforceProvenancePolicy(readProvenanceFacts(s), policy);
    return 'ok';
  } catch (err) {
    if (!(err instanceof AttestationRejectedError)) throw err;
    return err.message;
  }
}

describe('inputResultsOfByproducts', () => {
  test('reads *ARTIFACT_INPUTS results of the PipelineRun by name (v2alpha4 and v2alpha3 names)', () => {
    const value = { uri: DATA_URI, digest: `sha256:${DATA}` };
    expect(
      inputResultsOfByproducts([
        byproduct('dataset_ARTIFACT_INPUTS', value),
        { ...byproduct('x', value), name: 'pipelineRunResults/base-model-ARTIFACT_INPUTS' },
        byproduct('model_ARTIFACT_OUTPUTS', value),
        { ...byproduct('x', value), name: 'taskRunResults/build-model/other_ARTIFACT_INPUTS' },
      ]),
    ).toEqual([
      { result: 'dataset_ARTIFACT_INPUTS', name: 'dataset', uri: DATA_URI, digest: { sha256: DATA } },
      { result: 'base-model-ARTIFACT_INPUTS', name: 'base-model', uri: DATA_URI, digest: { sha256: DATA } },
    ]);
    expect(inputResultsOfByproducts(undefined)).toBeUndefined();
  });
});

describe('required dependencies', () => {
  test('both inputs recorded with their digests: met', () => {
    expect(judge(statement(GENUINE), BOTH)).toBe('ok');
  });

  test('a base model with another digest is refused, naming it', () => {
    const other = { ...GENUINE, 'base-model': { uri: BASE_URI, digest: `sha256:${'c'.repeat(64)}` } };
    expect(judge(statement(other), BOTH)).toBe(`input base-model (${BASE_URI}) has digest sha256:${'c'.repeat(64)}, not sha256:${BASE}`);
  });

  test('a dataset with another digest is refused, naming it', () => {
    const other = { ...GENUINE, dataset: { uri: DATA_URI, digest: `sha256:${'e'.repeat(64)}` } };
    expect(judge(statement(other), BOTH)).toMatch(/^input dataset \(https:\/\/data.example\/digits.npz\) has digest sha256:e{64}, not/);
  });

  test('a missing input is refused, listing what is recorded', () => {
    const { dataset: _dropped, ...rest } = GENUINE;
    void _dropped;
    expect(judge(statement(rest), BOTH)).toBe(
      'the provenance records no input named dataset (a dataset_ARTIFACT_INPUTS result; recorded: source, base-model)',
    );
  });

  test('a byproduct naming a digest that Chains did not resolve is refused', () => {
    const s = statement(GENUINE);
    (s.predicate as any).buildDefinition.resolvedDependencies = (s.predicate as any).buildDefinition.resolvedDependencies.filter(
      (d: any) => d.uri !== DATA_URI,
    );
    expect(judge(s, BOTH)).toBe(`input dataset (${DATA_URI} sha256:${DATA}) is not among the provenance's resolved dependencies`);
  });

  test('without byproducts (a SLSA v0.2 format) no input can be told by name', () => {
    expect(judge(statement(GENUINE, { byproducts: false }), BOTH)).toMatch(/^the provenance does not record its inputs by name/);
  });
});

describe('only listed dependencies', () => {
  const policy: ProvenancePolicy = { ...BOTH, onlyListedDependencies: true, sourceUri: SOURCE };

  test('the listed inputs and the named source: met (images are not inputs)', () => {
    expect(judge(statement(GENUINE), policy)).toBe('ok');
  });

  test('an unlisted input is refused', () => {
    const extra = { uri: 'https://evil.example/poison', digest: { sha256: 'f'.repeat(64) }, name: 'inputs/result' };
    expect(judge(statement(GENUINE, { extraDependency: extra }), policy)).toBe(
      `input https://evil.example/poison sha256:${'f'.repeat(64)} is not listed by the policy (listed: base-model, dataset, ${SOURCE})`,
    );
  });

  test('the git source needs a source uri or an allowed source to count as listed', () => {
    expect(judge(statement(GENUINE), { ...BOTH, onlyListedDependencies: true })).toMatch(
      /^input git\+file:\/\/\/tmp\/model-project.git sha1:/,
    );
    expect(judge(statement(GENUINE), { ...BOTH, onlyListedDependencies: true, allowedSourceUris: [SOURCE] })).toBe('ok');
  });
});

describe('the policy file and flags', () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(path.join(tmpdir(), 'dependency-policy-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('dependencies map names to digests; onlyListedDependencies is a boolean', async () => {
    const text = `apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\ndependencies:\n  base-model: sha256:${BASE}\n  dataset: sha256:${DATA}\nonlyListedDependencies: true\n`;
    const file = path.join(work, 'policy.yaml');
    writeFileSync(file, text);
    const resolved = await resolveVerifyPolicy(parseVerifyPolicy(text, file));
    expect(resolved.provenance).toMatchObject({ ...BOTH, onlyListedDependencies: true });
  });

  test('a digest that is not ALG:HEX is refused, naming the field', () => {
    const text = `apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\ndependencies:\n  dataset: ${DATA}\n`;
    expect(() => parseVerifyPolicy(text, 'p.yaml')).toThrow(
      'policy p.yaml field dependencies.dataset must be a digest ALG:HEX (sha256:<64 hex>, sha1:<40 hex>, ...)',
    );
  });
});
