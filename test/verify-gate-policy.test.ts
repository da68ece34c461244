// The deploy gate's policy, tried as an attacker would: every envelope here is signed with the same
// key that signs the genuine run (Chains signs every run of the namespaces it watches), so only the
// policy can tell the wrong model from the right one. Each attack comes with the near case that must
// still verify.
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { main } from '../src/cli/main';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { readPipelineDeclarations } from '../src/verify/pipeline-declarations';
import { readProvenanceFacts } from '../src/verify/provenance-facts';
import { enforceProvenancePolicy, ProvenancePolicy } from '../src/verify/provenance-policy';
import { parseInTotoStatement } from '../src/verify/in-toto-statement';
import { AttestationRejectedError, MAX_REASON_LENGTH } from '../src/verify/verification-errors';
import { verifyModelAttestation as verifyWithLogCheck, VerifyModelAttestationOptions } from '../src/verify/verify-model-attestation';

// These cases predate the transparency-log check (now on by default) and judge everything else:
// they run as with --insecure-ignore-tlog. The log check has its own tests (verify-sigstore-*.test.ts).
const verifyModelAttestation = (options: Parameters<typeof verifyWithLogCheck>[0]) =>
  verifyWithLogCheck({ insecureIgnoreTlog: true, ...options });

const ROOT = path.resolve(__dirname, '..');
const IN_TOTO = 'application/vnd.in-toto+json';
const UID = '6d1f0c2e-3a7c-4f55-9a8e-0b6f6f9e9b11';
const OTHER_UID = '0b6f6f9e-9b11-4f55-9a8e-6d1f0c2e3a7c';
const COMMIT = 'd56521f123fa0ad14127f40ed831334cd47a80e8';
const EVIL_COMMIT = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const SOURCE = 'git+https://github.com/sigstore/model-transparency.git';
const EVIL_SOURCE = 'git+https://github.com/attacker/model-transparency.git';
const REPOSITORY = 'https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/ml-artifacts/files/';
const SUBJECT = `${REPOSITORY}pytorch-model:v1:pytorch_model.pth`;
const STORAGE = { location: 'us', package: 'pytorch-model', repository: 'ml-artifacts' };

let work: string;
let model: string;
let sha256: string;
let chainsKey: { publicKey: KeyObject; privateKey: KeyObject };
let pub: string;

/** DSSE over PAE with Chains' x509 signer shape (ECDSA P-256, SHA-256, DER). */
function envelopeOf(statement: unknown, privateKey: KeyObject = chainsKey.privateKey): string {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding(IN_TOTO, payload), privateKey).toString('base64');
  return JSON.stringify({ payloadType: IN_TOTO, payload: payload.toString('base64'), signatures: [{ keyid: 'SHA256:chains', sig }] });
}

interface RunShape {
  readonly kind?: 'PipelineRun' | 'TaskRun';
  readonly uid?: string;
  readonly params?: readonly { name: string; value: unknown }[];
  readonly runSpec?: Record<string, unknown>;
  readonly dependencies?: readonly Record<string, unknown>[];
  readonly subjects?: readonly { name: string; digest: Record<string, string> }[];
  readonly startedOn?: string;
  readonly finishedOn?: string;
  readonly buildType?: string;
}

/** What Chains v0.29.2 `slsa/v2alpha4` signs for a run of the slsa-for-models pipeline (or, with kind TaskRun, a TaskRun). */
function chainsStatement(shape: RunShape = {}): Record<string, unknown> {
  const ref =
    shape.kind === 'TaskRun' ? { taskRef: { name: 'slsa-for-models-upload-model' } } : { pipelineRef: { name: 'slsa-for-models' } };
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: shape.subjects ?? [{ name: SUBJECT, digest: { sha256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: shape.buildType ?? 'https://tekton.dev/chains/v2/slsa',
        externalParameters: {
          runSpec: shape.runSpec ?? {
            ...ref,
            params: shape.params ?? [
              { name: 'model-name', value: 'pytorch_model.pth' },
              { name: 'model-storage', value: STORAGE },
            ],
            taskRunTemplate: { serviceAccountName: 'slsa-for-models' },
          },
        },
        internalParameters: {},
        resolvedDependencies: shape.dependencies ?? [
          { uri: 'oci://docker.io/library/python', digest: { sha256: 'b'.repeat(64) } },
          { name: 'inputs/result', uri: SOURCE, digest: { sha1: COMMIT } },
        ],
      },
      runDetails: {
        builder: { id: 'https://tekton.dev/chains/v2' },
        metadata: {
          invocationId: shape.uid ?? UID,
          startedOn: shape.startedOn ?? '2026-11-20T10:00:00Z',
          finishedOn: shape.finishedOn ?? '2026-11-20T10:42:00Z',
        },
      },
    },
  };
}

/** The full policy docs/verify.md recommended before: builder, source, commit, a param. */
const OLD_FULL_POLICY: ProvenancePolicy = {
  builderId: 'https://tekton.dev/chains/v2',
  sourceUri: 'git+https://github.com/sigstore/model-transparency',
  sourceDigest: COMMIT,
  params: [{ name: 'model-name', value: 'pytorch_model.pth' }],
};

function file(name: string, content: string | Buffer): string {
  const target = path.join(work, name);
  fs.writeFileSync(target, content);
  return target;
}

async function verifyStatement(statement: unknown, policy: ProvenancePolicy, extra: Partial<VerifyModelAttestationOptions> = {}) {
  return verifyModelAttestation({
    key: chainsKey.publicKey,
    envelope: envelopeOf(statement),
    modelSha256: sha256,
    policy,
    ...extra,
  } as VerifyModelAttestationOptions);
}

class Capture extends Writable {
  public text = '';
  public override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  // Run as with --insecure-ignore-tlog (see above).
  const code = await main(['verify', '--insecure-ignore-tlog', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function pipelineRunFile(
  name: string,
  uid: string,
  envelope: string,
  succeeded: 'True' | 'False' | undefined = 'True',
  namespace?: string,
): string {
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: 'slsa-for-models-abc12',
      ...(namespace === undefined ? {} : { namespace }),
      uid,
      annotations: {
        [`chains.tekton.dev/signature-pipelinerun-${uid}`]: Buffer.from(envelope).toString('base64'),
        'chains.tekton.dev/signed': 'true',
      },
    },
    spec: { pipelineRef: { name: 'slsa-for-models' } },
    status:
      succeeded === undefined
        ? {}
        : { conditions: [{ type: 'Succeeded', status: succeeded, reason: succeeded === 'True' ? 'Succeeded' : 'Failed' }] },
  };
  return file(name, JSON.stringify(run));
}

let declared: ReturnType<typeof readPipelineDeclarations>;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-gate-'));
  model = file('pytorch_model.pth', 'the weights of a genuine model\n');
  sha256 = createHash('sha256').update(fs.readFileSync(model)).digest('hex');
  chainsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  pub = file('cosign.pub', chainsKey.publicKey.export({ type: 'spki', format: 'pem' }));
  declared = readPipelineDeclarations(fs.readFileSync(path.join(ROOT, 'dist/slsa-for-models.yaml'), 'utf8'), 'dist/slsa-for-models.yaml');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('readPipelineDeclarations: the shipped Pipeline', () => {
  test('names slsa-for-models and declares its params with their defaults', () => {
    expect(declared.name).toBe('slsa-for-models');
    expect(declared.params.map((param) => param.name)).toEqual([
      'model-name',
      'model-source',
      'model-storage',
      'tool-versions',
      'training-args',
      'base-model',
      'dataset',
    ]);
    expect(declared.params.find((param) => param.name === 'model-source')).toMatchObject({
      type: 'object',
      default: { url: 'https://github.com/sigstore/model-transparency', revision: COMMIT },
    });
  });
});

describe('a genuine run', () => {
  test('passes the whole recommended gate policy, defaults included', async () => {
    const policy: ProvenancePolicy = {
      ...OLD_FULL_POLICY,
      buildTypes: ['https://tekton.dev/chains/v2/slsa'],
      runKind: 'PipelineRun',
      pipeline: { name: 'slsa-for-models', resolver: '', forbidInlineSpec: true, params: declared.params },
      allowedSourceUris: ['git+https://github.com/sigstore/model-transparency'],
      params: [
        { name: 'model-name', value: 'pytorch_model.pth' },
        { name: 'model-storage.repository', value: 'ml-artifacts' },
        // not set by the run (dist/runs omits it): its default is what the run saw
        { name: 'model-source.url', value: 'https://github.com/sigstore/model-transparency' },
        { name: 'model-source.revision', value: COMMIT },
        { name: 'model-storage', value: JSON.stringify({ repository: 'ml-artifacts', package: 'pytorch-model', location: 'us' }) },
      ],
      forbidDottedParams: true,
      subject: { namePrefix: REPOSITORY, count: 1 },
      time: { maxAgeSeconds: 3600, notBefore: '2026-11-20T00:00:00Z', now: new Date('2026-11-20T11:00:00Z') },
      requireInvocationId: true,
      invocationId: UID,
    };
    const result = await verifyStatement(chainsStatement(), policy);
    expect(result).toMatchObject({
      verified: true,
      attestation: { runKind: 'PipelineRun', pipelineName: 'slsa-for-models', invocationId: UID, source: { uri: SOURCE, commit: COMMIT } },
    });
  });

  test('a run that overrides an object key is judged on the merged object (default keys kept)', async () => {
    const params = [
      { name: 'model-name', value: 'pytorch_model.pth' },
      { name: 'model-storage', value: STORAGE },
      { name: 'model-source', value: { revision: EVIL_COMMIT } },
    ];
    const policy: ProvenancePolicy = {
      pipeline: { params: declared.params },
      params: [{ name: 'model-source.url', value: 'https://github.com/sigstore/model-transparency' }],
    };
    expect(await verifyStatement(chainsStatement({ params }), policy)).toMatchObject({ verified: true });
    expect(
      (await verifyStatement(chainsStatement({ params }), { ...policy, params: [{ name: 'model-source.revision', value: COMMIT }] }))
        .reason,
    ).toBe(`param model-source.revision is "${EVIL_COMMIT}", not "${COMMIT}"`);
  });
});

describe('1. a dotted run param cannot stand in for a key of an object param', () => {
  const policy: ProvenancePolicy = { ...OLD_FULL_POLICY, params: [{ name: 'model-storage.repository', value: 'ml-artifacts' }] };
  const shadow = { name: 'model-storage.repository', value: 'ml-artifacts' };
  const attackerStorage = { name: 'model-storage', value: { ...STORAGE, repository: 'attacker-repo' } };
  const modelName = { name: 'model-name', value: 'pytorch_model.pth' };

  test('listed before the object (the object wins at substitution: the upload went to attacker-repo): refused', async () => {
    const result = await verifyStatement(chainsStatement({ params: [modelName, shadow, attackerStorage] }), policy);
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toBe(
      'the run sets param "model-storage.repository", which shadows key "repository" of object param model-storage (Tekton substitutes whichever comes later)',
    );
  });

  test('listed after the object (the string wins): refused all the same, whichever order', async () => {
    const result = await verifyStatement(chainsStatement({ params: [modelName, attackerStorage, shadow] }), policy);
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
  });

  test('model-source.url and .revision beside an object left to its default: refused without declarations, and by them', async () => {
    const params = [
      modelName,
      { name: 'model-storage', value: STORAGE },
      { name: 'model-source.url', value: 'https://github.com/acme/model' },
    ];
    const required = { params: [{ name: 'model-source.url', value: 'https://github.com/acme/model' }] };
    expect((await verifyStatement(chainsStatement({ params }), required)).reason).toMatch(
      /^param "model-source.url" is ambiguous: the run sets a param of that name, and a key of an object param left to its default could answer too/,
    );
    expect((await verifyStatement(chainsStatement({ params }), { ...required, pipeline: { params: declared.params } })).reason).toBe(
      'the run sets param "model-source.url", which the pipeline does not declare (declared: model-name, model-source, model-storage, tool-versions, training-args, base-model, dataset)',
    );
  });

  test('near case: the same policy on the genuine run verifies', async () => {
    expect(await verifyStatement(chainsStatement(), policy)).toMatchObject({ verified: true });
  });

  test('forbidDottedParams refuses any dotted name; undeclared params are refused with declarations', async () => {
    const params = [modelName, { name: 'model-storage', value: STORAGE }, { name: 'a.b', value: 'c' }];
    expect((await verifyStatement(chainsStatement({ params }), { forbidDottedParams: true })).reason).toBe(
      'the run sets param "a.b", whose name has a "." (refused by the policy)',
    );
    const extra = [modelName, { name: 'model-storage', value: STORAGE }, { name: 'epochs', value: '3' }];
    expect((await verifyStatement(chainsStatement({ params: extra }), { pipeline: { params: declared.params } })).reason).toMatch(
      /^the run sets param "epochs", which the pipeline does not declare/,
    );
  });
});

describe('2. which pipeline ran, and that it was a PipelineRun', () => {
  test('a run of another pipeline, signed by the same key, passes the old policy and is refused by name', async () => {
    const other = chainsStatement({
      runSpec: { pipelineRef: { name: 'exfiltrate' }, params: [{ name: 'model-name', value: 'pytorch_model.pth' }] },
    });
    expect(await verifyStatement(other, OLD_FULL_POLICY)).toMatchObject({ verified: true });
    expect(await verifyStatement(other, { ...OLD_FULL_POLICY, pipeline: { name: 'slsa-for-models' } })).toMatchObject({
      verified: false,
      reason: 'the run\'s pipelineRef names pipeline "exfiltrate", not "slsa-for-models"',
    });
  });

  test('an inline pipelineSpec is refused when the pipeline is named or inline specs are forbidden', async () => {
    const inline = chainsStatement({
      runSpec: { pipelineSpec: { tasks: [] }, params: [{ name: 'model-name', value: 'pytorch_model.pth' }] },
    });
    expect((await verifyStatement(inline, { pipeline: { name: 'slsa-for-models' } })).reason).toBe(
      'the run embeds its pipeline (runSpec.pipelineSpec); the policy names the pipeline that must run',
    );
    expect((await verifyStatement(inline, { pipeline: { forbidInlineSpec: true } })).reason).toBe(
      'the run embeds its pipeline (runSpec.pipelineSpec) instead of referring to one',
    );
    expect(await verifyStatement(inline, { runKind: 'PipelineRun' })).toMatchObject({ verified: true });
  });

  test("resolver, bundle digest and the digest of the pipeline's config source", async () => {
    const bundle = 'us-docker.pkg.dev/p/r/slsa-for-models@sha256:' + 'a'.repeat(64);
    const fromBundle = chainsStatement({
      runSpec: {
        pipelineRef: {
          resolver: 'bundles',
          params: [
            { name: 'bundle', value: bundle },
            { name: 'name', value: 'slsa-for-models' },
            { name: 'kind', value: 'pipeline' },
          ],
        },
      },
      dependencies: [
        { name: 'pipeline', uri: 'oci://us-docker.pkg.dev/p/r/slsa-for-models', digest: { sha256: 'a'.repeat(64) } },
        { name: 'inputs/result', uri: SOURCE, digest: { sha1: COMMIT } },
      ],
    });
    const good: ProvenancePolicy = {
      pipeline: {
        name: 'slsa-for-models',
        resolver: 'bundles',
        bundleDigest: `sha256:${'a'.repeat(64)}`,
        configSourceDigest: `sha256:${'a'.repeat(64)}`,
      },
    };
    expect(await verifyStatement(fromBundle, good)).toMatchObject({ verified: true });
    expect((await verifyStatement(fromBundle, { pipeline: { resolver: '' } })).reason).toBe(
      'the run\'s pipeline came through resolver "bundles", not from the cluster',
    );
    expect((await verifyStatement(fromBundle, { pipeline: { bundleDigest: `sha256:${'b'.repeat(64)}` } })).reason).toBe(
      `the run's pipeline bundle is ${bundle}, not pinned by @sha256:${'b'.repeat(64)}`,
    );
    expect((await verifyStatement(fromBundle, { pipeline: { configSourceDigest: `sha256:${'c'.repeat(64)}` } })).reason).toMatch(
      /^the pipeline's config source oci:\/\/us-docker.pkg.dev\/p\/r\/slsa-for-models has digest sha256:a+, not sha256:c+$/,
    );
    expect((await verifyStatement(chainsStatement(), { pipeline: { configSourceDigest: 'sha1:' + COMMIT } })).reason).toBe(
      `the provenance records no config source for the pipeline (required digest sha1:${COMMIT})`,
    );
  });

  test('a Pipeline of the cluster in a namespace: through the cluster resolver with that namespace, or no resolver in a run of it', async () => {
    const clusterRef = (params: { name: string; value: string }[]) =>
      chainsStatement({
        runSpec: { pipelineRef: { resolver: 'cluster', params }, params: [{ name: 'model-name', value: 'pytorch_model.pth' }] },
      });
    const kind = { name: 'kind', value: 'pipeline' };
    const name = { name: 'name', value: 'slsa-for-models' };
    const inNamespace = (ns: string) => ({ name: 'namespace', value: ns });
    const policy: ProvenancePolicy = { pipeline: { name: 'slsa-for-models', clusterNamespace: 'ml' } };
    // fires: the cluster resolver fetched it from the right namespace (as a Pipelines-as-Code run refers to it)
    expect(await verifyStatement(clusterRef([kind, name, inNamespace('ml')]), policy)).toMatchObject({ verified: true });
    // near cases: another namespace, a namespace or kind left to the resolver's defaults, a Task, another resolver
    expect((await verifyStatement(clusterRef([kind, name, inNamespace('attacker')]), policy)).reason).toBe(
      'the run\'s cluster resolver fetched its pipeline from namespace "attacker", not "ml"',
    );
    expect((await verifyStatement(clusterRef([kind, name]), policy)).reason).toBe(
      'the run\'s cluster resolver fetched its pipeline from a namespace it does not record (the resolver\'s default-namespace), not "ml"',
    );
    expect((await verifyStatement(clusterRef([name, inNamespace('ml')]), policy)).reason).toBe(
      "the run's cluster resolver fetched a kind it does not record (the resolver's default-kind), not a pipeline",
    );
    expect((await verifyStatement(clusterRef([{ name: 'kind', value: 'task' }, name, inNamespace('ml')]), policy)).reason).toBe(
      'the run\'s cluster resolver fetched kind "task", not a pipeline',
    );
    expect((await verifyStatement(clusterRef([kind, { name: 'name', value: 'other' }, inNamespace('ml')]), policy)).reason).toBe(
      'the run\'s pipelineRef names pipeline "other", not "slsa-for-models"',
    );
    const viaGit = chainsStatement({ runSpec: { pipelineRef: { resolver: 'git', params: [name] } } });
    expect((await verifyStatement(viaGit, policy)).reason).toBe(
      'the run\'s pipeline came through resolver "git", not from the cluster (namespace "ml")',
    );
    // no resolver: the run's own namespace, known from the PipelineRun given to the verifier
    expect((await verifyStatement(chainsStatement(), policy)).reason).toBe(
      'the run\'s pipelineRef has no resolver, so its pipeline is the one in the run\'s own namespace, which is not known here (give the PipelineRun), not shown to be "ml"',
    );
    const envelope = envelopeOf(chainsStatement());
    expect(
      await cli(
        '--key',
        pub,
        '--pipelinerun',
        pipelineRunFile('in-ml.json', UID, envelope, 'True', 'ml'),
        '--pipeline-namespace',
        'ml',
        model,
      ),
    ).toMatchObject({
      code: 0,
    });
    expect(
      (
        await cli(
          '--key',
          pub,
          '--pipelinerun',
          pipelineRunFile('in-dev.json', UID, envelope, 'True', 'dev'),
          '--pipeline-namespace',
          'ml',
          model,
        )
      ).stderr,
    ).toBe(
      'slsa-for-models verify: not verified: the run\'s pipelineRef has no resolver, so its pipeline is the one in the run\'s namespace "dev", not "ml"\n',
    );
    // the namespace goes without a resolver
    expect(
      (
        await cli(
          '--key',
          pub,
          '--pipelinerun',
          pipelineRunFile('in-ml2.json', UID, envelope, 'True', 'ml'),
          '--pipeline-namespace',
          'ml',
          '--pipeline-resolver',
          'none',
          model,
        )
      ).code,
    ).toBe(2);
  });

  test('a TaskRun whose Task records the git source passes the old policy, and is refused as not a PipelineRun', async () => {
    const taskRun = chainsStatement({ kind: 'TaskRun', uid: OTHER_UID });
    expect(await verifyStatement(taskRun, OLD_FULL_POLICY)).toMatchObject({ verified: true });
    expect(await verifyStatement(taskRun, { ...OLD_FULL_POLICY, runKind: 'PipelineRun' })).toMatchObject({
      verified: false,
      reason: 'the provenance describes a TaskRun, not a PipelineRun',
    });
    expect(await verifyStatement(taskRun, { ...OLD_FULL_POLICY, pipeline: { name: 'slsa-for-models' } })).toMatchObject({
      verified: false,
      reason: 'the provenance records no runSpec.pipelineRef (which pipeline ran is not known)',
    });
  });

  test('build type must be one of those allowed; v0.2 tells the run kind by its build type', async () => {
    expect(
      (
        await verifyStatement(chainsStatement({ buildType: 'https://example.com/other' }), {
          buildTypes: ['https://tekton.dev/chains/v2/slsa'],
        })
      ).reason,
    ).toBe('build type is https://example.com/other, not https://tekton.dev/chains/v2/slsa');
    const v02 = v02Statement('tekton.dev/v1beta1/TaskRun');
    expect((await verifyStatement(v02, { runKind: 'PipelineRun' }, { predicateType: 'slsaprovenance' })).reason).toBe(
      'the provenance describes a TaskRun, not a PipelineRun',
    );
    expect(
      await verifyStatement(
        v02Statement('tekton.dev/v1beta1/PipelineRun'),
        { runKind: 'PipelineRun' },
        { predicateType: 'slsaprovenance' },
      ),
    ).toMatchObject({ verified: true });
  });
});

/** What Chains' SLSA v0.2 format (`slsa/v1`) signs for a PipelineRun: configSource is the pipeline's own source. */
function v02Statement(buildType: string, materials: readonly unknown[] = [{ uri: SOURCE, digest: { sha1: COMMIT } }]): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: SUBJECT, digest: { sha256 } }],
    predicate: {
      builder: { id: 'https://tekton.dev/chains/v2' },
      buildType,
      invocation: {
        configSource: {
          uri: 'git+https://github.com/sigstore/model-transparency.git',
          digest: { sha1: COMMIT },
          entryPoint: 'pipeline.yaml',
        },
        parameters: {
          'model-name': 'pytorch_model.pth',
          'model-storage': STORAGE,
          'model-source': { url: 'https://github.com/sigstore/model-transparency', revision: COMMIT },
        },
      },
      metadata: { buildStartedOn: '2026-11-20T10:00:00Z', buildFinishedOn: '2026-11-20T10:42:00Z' },
      materials,
    },
  };
}

describe('3. the source is the dependency the pipeline records as its source', () => {
  test("the pipeline's own config source (name: pipeline) no longer stands in for the training source", async () => {
    const attack = chainsStatement({
      dependencies: [
        { name: 'pipeline', uri: SOURCE, digest: { sha1: COMMIT } },
        { name: 'pipelineTask', uri: SOURCE, digest: { sha1: COMMIT } },
        { name: 'stepAction/clone', uri: SOURCE, digest: { sha1: COMMIT } },
        { name: 'inputs/result', uri: EVIL_SOURCE, digest: { sha1: EVIL_COMMIT } },
      ],
    });
    const result = await verifyStatement(attack, OLD_FULL_POLICY);
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toBe(
      `no resolved dependency has source uri git+https://github.com/sigstore/model-transparency (recorded: ${EVIL_SOURCE}); ${SOURCE} is recorded as "pipeline" (a config source), not as the build's source`,
    );
    expect(result.attestation?.source).toEqual({ uri: EVIL_SOURCE, commit: EVIL_COMMIT });
  });

  test('v0.2: invocation.configSource does not stand in for the materials', async () => {
    const attack = v02Statement('tekton.dev/v1beta1/PipelineRun', [{ uri: EVIL_SOURCE, digest: { sha1: EVIL_COMMIT } }]);
    expect(await verifyStatement(attack, OLD_FULL_POLICY, { predicateType: 'slsaprovenance' })).toMatchObject({ verified: false });
    expect(
      await verifyStatement(v02Statement('tekton.dev/v1beta1/PipelineRun'), OLD_FULL_POLICY, { predicateType: 'slsaprovenance' }),
    ).toMatchObject({ verified: true });
  });

  test('every git input must be allowed', async () => {
    const two = chainsStatement({
      dependencies: [
        { name: 'inputs/result', uri: SOURCE, digest: { sha1: COMMIT } },
        { name: 'inputs/result', uri: EVIL_SOURCE, digest: { sha1: EVIL_COMMIT } },
      ],
    });
    expect(await verifyStatement(two, OLD_FULL_POLICY)).toMatchObject({ verified: true });
    expect(
      (await verifyStatement(two, { ...OLD_FULL_POLICY, allowedSourceUris: ['git+https://github.com/sigstore/model-transparency'] }))
        .reason,
    ).toBe(`git source ${EVIL_SOURCE} is not an allowed source (allowed: git+https://github.com/sigstore/model-transparency)`);
    expect(await verifyStatement(two, { allowedSourceUris: [SOURCE, 'https://github.com/attacker/model-transparency'] })).toMatchObject({
      verified: true,
    });
  });

  test('5. an @ inside the recorded path is not a ref', async () => {
    const at = chainsStatement({
      dependencies: [
        { name: 'inputs/result', uri: 'git+https://github.com/sigstore/model-transparency@evil.git', digest: { sha1: COMMIT } },
      ],
    });
    expect(await verifyStatement(at, OLD_FULL_POLICY)).toMatchObject({ verified: false });
    for (const recorded of [
      `${SOURCE}@refs/heads/main`,
      'git+https://github.com/sigstore/model-transparency@refs/heads/main',
      `git+https://github.com/sigstore/model-transparency@${COMMIT}`,
    ]) {
      const near = chainsStatement({ dependencies: [{ name: 'inputs/result', uri: recorded, digest: { sha1: COMMIT } }] });
      expect(await verifyStatement(near, OLD_FULL_POLICY)).toMatchObject({ verified: true });
    }
  });
});

describe('4. --pipelinerun binds the envelope to that run', () => {
  test("another run's envelope pasted under this run's annotation: refused (library, command, --json alike)", async () => {
    const pasted = pipelineRunFile('pasted.json', UID, envelopeOf(chainsStatement({ uid: OTHER_UID })));
    const result = await verifyModelAttestation({ key: pub, pipelineRunPath: pasted, modelPath: model });
    expect(result).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: `the statement is about run ${OTHER_UID}, not pipelinerun slsa-for-models-abc12 (uid ${UID})`,
    });
    expect(await cli('--key', pub, '--pipelinerun', pasted, model)).toMatchObject({ code: 1 });
    const json = await cli('--key', pub, '--pipelinerun', pasted, '--json', model);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: false, failure: 'rejected' });
  });

  test("a TaskRun's envelope under a PipelineRun annotation: refused", async () => {
    const taskRun = pipelineRunFile('taskrun.json', UID, envelopeOf(chainsStatement({ kind: 'TaskRun' })));
    expect(await cli('--key', pub, '--pipelinerun', taskRun, model)).toMatchObject({
      code: 1,
      stderr: `slsa-for-models verify: not verified: the statement describes a TaskRun, not pipelinerun slsa-for-models-abc12 (uid ${UID})\n`,
    });
  });

  test("near case: the run's own envelope verifies; v0.2 (no invocation id) binds by run kind", async () => {
    expect(await cli('--key', pub, '--pipelinerun', pipelineRunFile('own.json', UID, envelopeOf(chainsStatement())), model)).toMatchObject({
      code: 0,
    });
    const v02 = pipelineRunFile('v02.json', UID, envelopeOf(v02Statement('tekton.dev/v1beta1/PipelineRun')));
    expect(await cli('--key', pub, '--pipelinerun', v02, '--type', 'slsaprovenance', model)).toMatchObject({ code: 0 });
    const noId = chainsStatement();
    delete (noId.predicate as any).runDetails.metadata.invocationId;
    expect((await cli('--key', pub, '--pipelinerun', pipelineRunFile('noid.json', UID, envelopeOf(noId)), model)).stderr).toBe(
      `slsa-for-models verify: not verified: the statement records no invocation id, so it cannot be bound to pipelinerun slsa-for-models-abc12 (uid ${UID})\n`,
    );
  });

  test("--require-succeeded reads the run's Succeeded condition; without a run it cannot be known", async () => {
    const envelope = envelopeOf(chainsStatement());
    expect(await cli('--key', pub, '--pipelinerun', pipelineRunFile('ok.json', UID, envelope), '--require-succeeded', model)).toMatchObject(
      { code: 0 },
    );
    expect(
      (await cli('--key', pub, '--pipelinerun', pipelineRunFile('failed.json', UID, envelope, 'False'), '--require-succeeded', model))
        .stderr,
    ).toBe('slsa-for-models verify: not verified: the run did not succeed (its Succeeded condition says failed)\n');
    expect((await cli('--key', pub, '--signature', file('sig.json', envelope), '--require-succeeded', model)).stderr).toMatch(
      /the run must have succeeded, but the provenance does not record its outcome/,
    );
  });
});

describe('6. --check-claims=false says what it did not check', () => {
  test('with --digest: bad usage (cosign ignores the digest silently)', async () => {
    const sig = file('claims.json', envelopeOf(chainsStatement()));
    expect(await cli('--key', pub, '--signature', sig, '--check-claims=false', '--digest', '0'.repeat(64))).toMatchObject({
      code: 2,
      stderr:
        'slsa-for-models verify: --digest is only compared when claims are checked: drop --digest or --check-claims=false (cosign would ignore the digest silently)\n',
    });
    expect(await verifyModelAttestation({ key: pub, signaturePath: sig, checkClaims: false, modelSha256: sha256 })).toMatchObject({
      verified: false,
      failure: 'usage',
    });
  });

  test('with MODEL: the summary says the model was not read, never "verified: MODEL"', async () => {
    const sig = file('claims2.json', envelopeOf(chainsStatement()));
    const other = file('not-the-model.bin', 'anything at all');
    const result = await cli('--key', pub, '--signature', sig, '--check-claims=false', other);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^verified: attestation signature\\n  subject    not checked \\(--check-claims=false\\): ${other.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was not read\\n`,
      ),
    );
    const library = await verifyModelAttestation({ key: pub, signaturePath: sig, checkClaims: false });
    expect(library.reason).toMatch(/^verified the signature and predicate type only \(claims not checked: no model was read or compared\)/);
  });
});

describe('7. keys Go and cosign refuse', () => {
  test('RSA under 2048 bits: one line, exit 2; 2048 bits verify', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallPub = file('rsa1024.pub', small.publicKey.export({ type: 'spki', format: 'pem' }));
    const sig = file('rsa1024.json', envelopeOf(chainsStatement(), small.privateKey));
    expect(await cli('--key', smallPub, '--signature', sig, model)).toMatchObject({
      code: 2,
      stderr: `slsa-for-models verify: key ${smallPub} is a 1024-bit RSA key; at least 2048 bits are required (stricter than cosign, which takes what Go takes: 1024 bits and up)\n`,
    });
    const big = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const bigPub = file('rsa2048.pub', big.publicKey.export({ type: 'spki', format: 'pem' }));
    expect(
      await cli('--key', bigPub, '--signature', file('rsa2048.json', envelopeOf(chainsStatement(), big.privateKey)), model),
    ).toMatchObject({ code: 0 });
  });

  test('an EC key with explicit curve parameters (P-256 spelled out): refused, though OpenSSL reads it as P-256', async () => {
    // openssl ecparam -name prime256v1 -param_enc explicit -genkey | openssl ec -pubout -param_enc explicit
    const explicit = file('explicit.pub', EXPLICIT_P256_PUBLIC_KEY);
    const result = await cli('--key', explicit, '--signature', file('any.json', envelopeOf(chainsStatement())), model);
    expect(result).toMatchObject({
      code: 2,
      stderr: `slsa-for-models verify: key ${explicit} spells out its curve's parameters instead of naming the curve (Go's x509 parser, and so cosign, refuses such keys)\n`,
    });
  });

  test('several trusted keys (rotation): any one verifies, and the result names which', async () => {
    const retired = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const retiredPub = file('retired.pub', retired.publicKey.export({ type: 'spki', format: 'pem' }));
    const sig = file('rotated.json', envelopeOf(chainsStatement()));
    const result = await verifyModelAttestation({ key: [retiredPub, pub], signaturePath: sig, modelPath: model });
    expect(result).toMatchObject({ verified: true, attestation: { keySource: pub } });
    expect(await cli('--key', retiredPub, '--extra-key', pub, '--signature', sig, model)).toMatchObject({ code: 0 });
    expect((await cli('--key', retiredPub, '--signature', sig, model)).code).toBe(1);
    expect((await verifyModelAttestation({ key: [retiredPub, retiredPub], signaturePath: sig, modelPath: model })).reason).toBe(
      `the signature does not verify with any of the 2 keys (ecdsa p-256 ${retiredPub}, ecdsa p-256 ${retiredPub})`,
    );
  });
});

describe('time, invocation id and subject', () => {
  const now = new Date('2026-11-20T11:00:00Z');
  test.each([
    [
      'finished before it started',
      { startedOn: '2026-11-20T10:42:00Z', finishedOn: '2026-11-20T10:00:00Z' },
      {},
      'the build finished (2026-11-20T10:00:00Z) before it started (2026-11-20T10:42:00Z)',
    ],
    ['a time that is not RFC 3339', { startedOn: 'yesterday' }, {}, 'startedOn "yesterday" is not an RFC 3339 time'],
    ['too old', {}, { time: { maxAgeSeconds: 600, now } }, 'the build finished 2026-11-20T10:42:00Z, more than 600 s ago'],
    [
      'before not-before',
      {},
      { time: { notBefore: '2026-11-20T10:30:00Z', now } },
      'the build started 2026-11-20T10:00:00Z, before 2026-11-20T10:30:00.000Z',
    ],
    ['in the future', { finishedOn: '2026-11-21T10:00:00Z' }, { time: { now } }, 'the build finished in the future (2026-11-21T10:00:00Z)'],
    ['another invocation id', {}, { invocationId: OTHER_UID }, `the provenance's invocation id is ${UID}, not ${OTHER_UID}`],
    ['another subject', {}, { subject: { name: `${REPOSITORY}x` } }, `the matching subject is "${SUBJECT}", not "${REPOSITORY}x"`],
    [
      'another repository',
      {},
      { subject: { namePrefix: 'https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/other/' } },
      `the matching subject "${SUBJECT}" is not under "https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/other/"`,
    ],
    [
      'two subjects',
      {
        subjects: [
          { name: SUBJECT, digest: { sha256: 'PLACEHOLDER' } },
          { name: `${REPOSITORY}extra`, digest: { sha256: 'f'.repeat(64) } },
        ],
      },
      { subject: { count: 1 } },
      'the statement has 2 subjects, not 1',
    ],
  ] as [string, RunShape, ProvenancePolicy, string][])('%s: refused', async (_name, shape, policy, reason) => {
    const subjects = shape.subjects?.map((subject) =>
      subject.digest.sha256 === 'PLACEHOLDER' ? { ...subject, digest: { sha256 } } : subject,
    );
    const result = await verifyStatement(chainsStatement({ ...shape, ...(subjects ? { subjects } : {}) }), policy);
    expect(result).toMatchObject({ verified: false, failure: 'rejected', reason });
  });

  test('near case: within age, after not-before, its own id and subject', async () => {
    const policy: ProvenancePolicy = {
      time: { maxAgeSeconds: 3600, notBefore: '2026-11-20T09:00:00Z', now },
      invocationId: UID,
      subject: { name: SUBJECT, count: 1 },
    };
    expect(await verifyStatement(chainsStatement(), policy)).toMatchObject({ verified: true });
  });

  test('the command takes the same policy as flags, and --json gives the same verdicts', async () => {
    const sig = file('flags.json', envelopeOf(chainsStatement()));
    const pipeline = path.join(ROOT, 'dist/slsa-for-models.yaml');
    const cases: [string[], number][] = [
      [
        [
          '--pipeline',
          pipeline,
          '--param',
          'model-source.url=https://github.com/sigstore/model-transparency',
          '--param',
          'model-storage.repository=ml-artifacts',
        ],
        0,
      ],
      [['--pipeline-name', 'other'], 1],
      [['--run-kind', 'TaskRun'], 1],
      [['--build-type', 'https://tekton.dev/chains/v2/slsa-tekton'], 1],
      [['--allowed-source', 'git+https://github.com/acme/x'], 1],
      [['--subject-prefix', REPOSITORY, '--subject-count', '1'], 0],
      [['--subject-name', 'nope'], 1],
      [['--max-age', '1h'], 1],
      [['--not-before', '2026-01-01T00:00:00Z', '--invocation-id', UID, '--require-invocation-id'], 0],
      [['--forbid-dotted-params', '--forbid-pipeline-spec', '--pipeline-resolver', 'none'], 0],
      [['--pipeline-resolver', 'git'], 1],
      [['--max-age', 'soon'], 2],
      [['--run-kind', 'Job'], 2],
      [['--toString'], 2],
      [['--__proto__', 'x'], 2],
    ];
    for (const [flags, code] of cases) {
      const plain = await cli('--key', pub, '--signature', sig, ...flags, model);
      expect([flags, plain.code]).toEqual([flags, code]);
      const json = await cli('--key', pub, '--signature', sig, '--json', ...flags, model);
      expect([flags, json.code]).toEqual([flags, code]);
      if (json.stdout !== '') expect([flags, JSON.parse(json.stdout).verified]).toEqual([flags, code === 0]);
    }
  });
});

describe('hostile sizes: linear passes, capped signatures and reasons', () => {
  test('200k nesting levels in an unsigned envelope: refused in seconds', async () => {
    const depth = 200_000;
    const envelope = `{"payloadType":"${IN_TOTO}","payload":"e30=","signatures":[{"sig":"AA=="}],"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const started = Date.now();
    const result = await verifyModelAttestation({ key: pub, envelope, modelSha256: sha256 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ verified: false, failure: 'unreadable' });
    expect(result.reason).toBe(
      "the envelope is an ambiguous DSSE envelope: it nests objects and lists deeper than 10000 levels (Go's JSON decoders refuse it)",
    );
  });

  test('200k nesting levels in a signed statement: refused in seconds; 1000 levels verify', async () => {
    const deep = (depth: number): unknown => {
      const statement = chainsStatement();
      return `${JSON.stringify(statement).slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    };
    const sign200k = (text: string): string => {
      const payload = Buffer.from(text);
      return JSON.stringify({
        payloadType: IN_TOTO,
        payload: payload.toString('base64'),
        signatures: [{ sig: sign('sha256', preAuthenticationEncoding(IN_TOTO, payload), chainsKey.privateKey).toString('base64') }],
      });
    };
    const started = Date.now();
    const result = await verifyModelAttestation({ key: pub, envelope: sign200k(deep(200_000) as string), modelSha256: sha256 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toMatch(/deeper than 10000 levels/);
    expect(await verifyModelAttestation({ key: pub, envelope: sign200k(deep(1000) as string), modelSha256: sha256 })).toMatchObject({
      verified: true,
    });
  });

  test('a PipelineRun file nesting 200k levels (YAML flow or JSON): unreadable in seconds', async () => {
    const depth = 200_000;
    const yaml = file('deep.yaml', `kind: PipelineRun\nmetadata: {name: r, uid: ${UID}}\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    const json = file(
      'deep.json',
      `{"kind":"PipelineRun","metadata":{"name":"r","uid":"${UID}"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    for (const [run, reason] of [
      [yaml, `${yaml} is not valid JSON or YAML (it nests flow collections deeper than 512 levels)`],
      [json, `pipelinerun r (uid ${UID}) has no annotation`],
    ]) {
      const started = Date.now();
      const result = await verifyModelAttestation({ key: pub, pipelineRunPath: run, modelPath: model });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.verified).toBe(false);
      expect(result.reason.startsWith(reason)).toBe(true);
    }
  });

  test('a million tiny signatures: refused at once with a short reason, none tried', async () => {
    const count = 1_000_000;
    const envelope = `{"payloadType":"${IN_TOTO}","payload":"e30=","signatures":[${Array(count).fill('{"sig":"AA=="}').join(',')}]}`;
    const started = Date.now();
    const result = await verifyModelAttestation({ key: pub, envelope, modelSha256: sha256 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: `envelope has ${count} signatures; at most 16 are tried (Chains writes one per signer, a Sigstore bundle holds exactly one)`,
    });
  });

  test('16 signatures are tried: 15 wrong then the right one verifies; 16 wrong give a short reason', async () => {
    const good = JSON.parse(envelopeOf(chainsStatement()));
    const wrong = { keyid: '', sig: sign('sha256', Buffer.from('other'), chainsKey.privateKey).toString('base64') };
    const fifteen = JSON.stringify({ ...good, signatures: [...Array(15).fill(wrong), good.signatures[0]] });
    expect(await verifyModelAttestation({ key: pub, envelope: fifteen, modelSha256: sha256 })).toMatchObject({
      verified: true,
      attestation: { signature: { index: 15 } },
    });
    const sixteen = JSON.stringify({ ...good, signatures: Array(16).fill(wrong) });
    const result = await verifyModelAttestation({ key: pub, envelope: sixteen, modelSha256: sha256 });
    expect(result.reason).toBe(
      `none of the 16 signatures verifies: signature 1 does not verify with the ecdsa p-256 key ${pub}; signature 2 does not verify with the ecdsa p-256 key ${pub}; signature 3 does not verify with the ecdsa p-256 key ${pub}; and 13 more`,
    );
  });

  test('a reason quoting a huge recorded value stays under the cap', async () => {
    const statement = chainsStatement();
    (statement.predicate as any).runDetails.builder.id = 'x'.repeat(1_000_000);
    const result = await verifyStatement(statement, { builderId: 'https://tekton.dev/chains/v2' });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(result.reason).toMatch(/\.\.\. \(\d+ more characters left out\)$/);
  });
});

describe('the policy never throws', () => {
  const text = fc.oneof(
    fc.constantFrom(
      '',
      'a.b',
      'model-storage',
      'model-storage.repository',
      'slsa-for-models',
      SOURCE,
      '2026-11-20T10:00:00Z',
      '__proto__',
      'constructor',
      'toString',
    ),
    fc.string(),
  );
  const json = fc.jsonValue({ maxDepth: 3 });
  const policy: fc.Arbitrary<ProvenancePolicy> = fc.record(
    {
      builderId: text,
      buildTypes: fc.array(text, { maxLength: 2 }),
      runKind: fc.constantFrom('PipelineRun' as const, 'TaskRun' as const),
      pipeline: fc.record(
        {
          name: text,
          resolver: text,
          bundleDigest: text,
          configSourceDigest: text,
          forbidInlineSpec: fc.boolean(),
          params: fc.array(
            fc.record(
              { name: text, type: fc.constantFrom('string' as const, 'array' as const, 'object' as const), default: json },
              { requiredKeys: ['name'] },
            ),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
      sourceUri: text,
      allowedSourceUris: fc.array(text, { maxLength: 2 }),
      params: fc.array(fc.record({ name: text, value: text }), { maxLength: 3 }),
      forbidDottedParams: fc.boolean(),
      subject: fc.record({ name: text, namePrefix: text, count: fc.nat(3) }, { requiredKeys: [] }),
      time: fc.record(
        {
          maxAgeSeconds: fc.nat(),
          notBefore: fc.constantFrom('2026-11-20T09:00:00Z', '2030-01-01T00:00:00Z'),
          now: fc.date({ noInvalidDate: true }),
        },
        { requiredKeys: [] },
      ),
      invocationId: text,
      requireInvocationId: fc.boolean(),
      requireSucceeded: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const runSpec = fc.record(
    {
      pipelineRef: fc.oneof(
        json,
        fc.record({ name: text, resolver: text, params: fc.array(fc.record({ name: text, value: json })) }, { requiredKeys: [] }),
      ),
      pipelineSpec: json,
      taskRef: json,
      params: fc.oneof(json, fc.array(fc.record({ name: text, value: json }, { requiredKeys: [] }), { maxLength: 4 })),
    },
    { requiredKeys: [] },
  );

  test('any policy over any runSpec and dependencies: a verdict, never an exception or an internal error', () => {
    fc.assert(
      fc.property(
        policy,
        runSpec,
        fc.array(fc.record({ name: text, uri: text, digest: fc.dictionary(text, text) }, { requiredKeys: [] }), { maxLength: 4 }),
        fc.oneof(text, json),
        fc.oneof(text, json),
        (chosen, spec, dependencies, startedOn, finishedOn) => {
          const statement = chainsStatement({ runSpec: spec as Record<string, unknown>, dependencies });
          (statement.predicate as any).runDetails.metadata = { startedOn, finishedOn };
          const facts = readProvenanceFacts(parseInTotoStatement(Buffer.from(JSON.stringify(statement))));
          try {
            enforceProvenancePolicy(facts, chosen, { runOutcome: 'succeeded', subjectCount: 1, matchedSubjectName: SUBJECT });
          } catch (err) {
            expect(err).toBeInstanceOf(AttestationRejectedError);
            expect((err as Error).message).not.toMatch(/\n/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('the whole verification with random policies: never internal, verified only when the signed run meets them', async () => {
    const envelope = envelopeOf(chainsStatement());
    await fc.assert(
      fc.asyncProperty(policy, async (chosen) => {
        const result = await verifyModelAttestation({ key: chainsKey.publicKey, envelope, modelSha256: sha256, policy: chosen });
        expect(result.failure).not.toBe('internal');
        if (result.verified && chosen.pipeline?.name !== undefined) expect(chosen.pipeline.name).toBe('slsa-for-models');
        if (result.verified && chosen.runKind !== undefined) expect(chosen.runKind).toBe('PipelineRun');
      }),
      { numRuns: 500 },
    );
  });
});

const EXPLICIT_P256_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBSzCCAQMGByqGSM49AgEwgfcCAQEwLAYHKoZIzj0BAQIhAP////8AAAABAAAA
AAAAAAAAAAAA////////////////MFsEIP////8AAAABAAAAAAAAAAAAAAAA////
///////////8BCBaxjXYqjqT57PrvVV2mIa8ZR0GsMxTsPY7zjw+J9JgSwMVAMSd
NgiG5wSTamZ44ROdJreBn36QBEEEaxfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5
RdiYwpZP40Li/hp/m47n60p8D54WK84zV2sxXs7LtkBoN79R9QIhAP////8AAAAA
//////////+85vqtpxeehPO5ysL8YyVRAgEBA0IABEG5NMZbY5icBu8lWU4jCFyA
TbZhivxD4rj7esv015kEq+aZqdP06BhHofLz6wvXTdBCO8Cpz5F8V0VaWV/hQdo=
-----END PUBLIC KEY-----
`;
