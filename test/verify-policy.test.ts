import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { UnreadableInputError } from '../src/verify/verification-errors';
import {
  mergeVerifyPolicies,
  parseDurationSeconds,
  parseVerifyPolicy,
  rebaseVerifyPolicyPaths,
  resolveVerifyPolicy,
} from '../src/verify/verify-policy';

const HEADER = 'apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\n';
const FULL = `${HEADER}signer:
  keys: [cosign.pub, k8s://tekton-chains/signing-secrets]
transparencyLog:
  required: true
  trustedRoot: trusted_root.json
predicateType: slsaprovenance1
builderId: https://tekton.dev/chains/v2
buildTypes: [https://tekton.dev/chains/v2/slsa]
pipeline:
  name: slsa-for-models
  resolver: none
source:
  uri: git+https://github.com/acme/model
  digest: ${'a'.repeat(40)}
  allowed: [git+https://github.com/acme/model]
params:
  model-source.url: https://github.com/acme/model
  model-storage: {location: us, repository: ml-artifacts}
subject:
  prefix: us-docker.pkg.dev/p/ml-artifacts/
  count: 1
time:
  maxAge: 72h
requireSucceeded: true
`;

describe('parseVerifyPolicy', () => {
  test('a full policy reads into the typed object, and resolves to the library options', async () => {
    const policy = parseVerifyPolicy(FULL, 'policy.yaml');
    expect(policy.signer?.keys).toEqual(['cosign.pub', 'k8s://tekton-chains/signing-secrets']);
    const resolved = await resolveVerifyPolicy(rebaseVerifyPolicyPaths(policy, '/etc/gate'));
    expect(resolved).toMatchObject({
      keys: ['/etc/gate/cosign.pub', 'k8s://tekton-chains/signing-secrets'],
      requireTransparencyLog: true,
      trustedRootPath: '/etc/gate/trusted_root.json',
      provenance: {
        builderId: 'https://tekton.dev/chains/v2',
        runKind: 'PipelineRun',
        pipeline: { name: 'slsa-for-models', resolver: '' },
        sourceUri: 'git+https://github.com/acme/model',
        params: [
          { name: 'model-source.url', value: 'https://github.com/acme/model' },
          { name: 'model-storage', value: '{"location":"us","repository":"ml-artifacts"}' },
        ],
        subject: { namePrefix: 'us-docker.pkg.dev/p/ml-artifacts/', count: 1 },
        time: { maxAgeSeconds: 72 * 3600 },
        requireSucceeded: true,
      },
    });
  });

  test('JSON is read too', () => {
    expect(
      parseVerifyPolicy(JSON.stringify({ apiVersion: 'slsa-for-models.dev/v1alpha1', kind: 'VerifyPolicy', builderId: 'b' }), 'p.json'),
    ).toEqual({ builderId: 'b' });
  });

  test.each([
    ['an unknown key', `${HEADER}builderID: x\n`, /unknown field builderID/],
    ['an unknown nested key', `${HEADER}transparencyLog:\n  requird: false\n`, /unknown field transparencyLog.requird/],
    ['a key given twice', `${HEADER}builderId: a\nbuilderId: b\n`, /not valid YAML or JSON/],
    [
      'a key given twice in JSON',
      '{"apiVersion":"slsa-for-models.dev/v1alpha1","kind":"VerifyPolicy","builderId":"a","builderId":"b"}',
      /not valid YAML or JSON/,
    ],
    ['a wrong type', `${HEADER}checkClaims: "false"\n`, /checkClaims must be true or false/],
    ['a number param', `${HEADER}params:\n  epochs: 3\n`, /params.epochs must be a string/],
    ['a bad duration', `${HEADER}time:\n  maxAge: 3 days\n`, /time.maxAge must be a duration/],
    ['no header', 'builderId: x\n', /must start with apiVersion/],
    ['a wrong run kind', `${HEADER}runKind: Job\n`, /runKind must be PipelineRun or TaskRun/],
    ['both identity forms', `${HEADER}signer:\n  certificateIdentity: a\n  certificateIdentityRegexp: b\n`, /give one/],
    ['a prototype key', `${HEADER}__proto__: {builderId: x}\n`, /unknown field __proto__/],
    ['two documents', `${HEADER}---\n${HEADER}`, /expected one document/],
    [
      '200k nested flow collections (refused in one linear pass)',
      `${HEADER}params: ${'['.repeat(200_000)}`,
      /nests flow collections deeper than 512/,
    ],
  ])('%s is refused', (_, text, message) => {
    expect(() => parseVerifyPolicy(text, 'p.yaml')).toThrow(message);
  });

  test('the near cases are read', () => {
    expect(parseVerifyPolicy(`${HEADER}checkClaims: false\nparams:\n  epochs: "3"\ntime:\n  maxAge: 1h30m\n`, 'p.yaml')).toEqual({
      checkClaims: false,
      params: { epochs: '3' },
      time: { maxAge: '1h30m' },
    });
  });

  test('arbitrary text and JSON: a policy or a one-line error, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.jsonValue().map((v) => `${HEADER}${JSON.stringify(v)}`),
          fc.jsonValue().map((v) =>
            JSON.stringify({
              apiVersion: 'slsa-for-models.dev/v1alpha1',
              kind: 'VerifyPolicy',
              ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { params: v }),
            }),
          ),
        ),
        (text) => {
          try {
            parseVerifyPolicy(text, 'p');
          } catch (err) {
            if (!(err instanceof UnreadableInputError)) throw err;
            expect(err.message).not.toMatch(/\n/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('mergeVerifyPolicies', () => {
  test('fields from both places join; params by name', () => {
    expect(
      mergeVerifyPolicies(
        { builderId: 'b', params: { a: '1' }, transparencyLog: { trustedRoot: 'r' } },
        { params: { b: '2' }, transparencyLog: { required: false } },
        'p.yaml',
      ),
    ).toEqual({ builderId: 'b', params: { a: '1', b: '2' }, transparencyLog: { trustedRoot: 'r', required: false } });
  });

  test('a field set in both places is an error, even with the same value', () => {
    expect(() => mergeVerifyPolicies({ builderId: 'b' }, { builderId: 'b' }, 'p.yaml')).toThrow(
      'builderId is set both by policy p.yaml and by a flag',
    );
    expect(() => mergeVerifyPolicies({ transparencyLog: { required: true } }, { transparencyLog: { required: false } }, 'p.yaml')).toThrow(
      'transparencyLog.required is set both',
    );
    expect(() => mergeVerifyPolicies({ params: { a: '1' } }, { params: { a: '2' } }, 'p.yaml')).toThrow('params.a is set both');
  });
});

describe('resolveVerifyPolicy', () => {
  test('a pipeline file gives the name and param declarations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
    try {
      writeFileSync(
        path.join(dir, 'pipeline.yaml'),
        'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: train}\nspec:\n  params:\n  - {name: epochs, default: "3"}\n',
      );
      const resolved = await resolveVerifyPolicy(
        rebaseVerifyPolicyPaths(parseVerifyPolicy(`${HEADER}pipeline:\n  file: pipeline.yaml\n`, 'p.yaml'), dir),
      );
      expect(resolved.provenance).toMatchObject({
        runKind: 'PipelineRun',
        pipeline: { name: 'train', params: [{ name: 'epochs', default: '3' }] },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('defaults: the log is required, directories match exactly', async () => {
    expect(await resolveVerifyPolicy({})).toEqual({
      keys: [],
      requireTransparencyLog: true,
      modelDirectory: { allowExtraFiles: false, allowMissingFiles: false },
      provenance: {},
    });
  });

  test('pipeline.namespace: a Pipeline of the cluster in that namespace; not with a resolver, and a namespace name', async () => {
    const policy = parseVerifyPolicy(`${HEADER}pipeline:\n  name: slsa-for-models\n  namespace: ml\n`, 'policy.yaml');
    expect((await resolveVerifyPolicy(policy)).provenance.pipeline).toEqual({ name: 'slsa-for-models', clusterNamespace: 'ml' });
    await expect(resolveVerifyPolicy({ pipeline: { namespace: 'ml', resolver: 'none' } })).rejects.toThrow(
      /^pipeline: give the resolver \(--pipeline-resolver\) or the namespace \(--pipeline-namespace\), not both/,
    );
    await expect(resolveVerifyPolicy({ pipeline: { namespace: 'ML_team' } })).rejects.toThrow(
      'pipeline: namespace "ML_team" is not a Kubernetes namespace name',
    );
  });

  test('durations', () => {
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('7d')).toBe(7 * 86400);
    expect(parseDurationSeconds('7 d')).toBeUndefined();
  });
});
