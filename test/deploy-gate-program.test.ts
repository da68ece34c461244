// The deploy gate's verify and promote steps, run as processes from the bundle the ConfigMap ships,
// on real files with real signatures made with the rehearsal's cosign key and DSSE signer.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_PART_BYTES, verifierBundle, writeVerifierBundle } from '../src/models/verifier-bundle';
import {
  artifactRegistryFile,
  inferenceServiceFor,
  parsePolicy,
  storedZip,
  torchServeArchive,
  VERIFIED_MODEL_ANNOTATION,
} from '../src/models/deploy-gate-program';
import { generateCosignKeyPair, readCosignPrivateKey } from '../src/rehearse/cosign-key';
import { signDsseEnvelope } from '../src/rehearse/dsse-signing';
import { logInRehearsalLog } from '../src/rehearse/transparency-log';
import { OMS, withOms } from './support/oms-cases';

const ROOT = path.resolve(__dirname, '..');
const COMMIT = 'd56521f123fa0ad14127f40ed831334cd47a80e8';
const SOURCE = 'https://github.com/sigstore/model-transparency';
const BUILDER = 'https://tekton.dev/chains/v2';
const UID = '6f1d0c36-57c1-4c83-9f49-0d8f1b1f4a11';
const FINISHED = '2026-12-01T10:42:00Z';
const NOW = '2026-12-02T10:00:00Z';
const POLICY = {
  builderId: BUILDER,
  runKind: 'PipelineRun',
  pipeline: { name: 'slsa-for-models', resolver: '', forbidInlineSpec: true },
  sourceUri: `git+${SOURCE}`,
  sourceDigest: COMMIT,
  params: [{ name: 'model-name', value: 'pytorch_jitted_model.pt' }],
  time: { maxAgeSeconds: 7 * 24 * 3600 },
  requireSucceeded: true,
};

let work: string;
let gate: string;
let model: string;
let modelSha256: string;
let keyFile: string;
let otherKeyFile: string;
let signingKey: ReturnType<typeof readCosignPrivateKey>;
/** Each signed run's log entry and the trusted root of its log (a log of the rehearsal's own, real cryptography). */
const logFiles = new Map<string, { entry: string; root: string }>();

function statement(overrides: { sha256?: string; commit?: string; builder?: string; finishedOn?: string } = {}): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      {
        name: 'https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/ml-artifacts/files/pytorch-model:v1:pytorch_jitted_model.pt',
        digest: { sha256: overrides.sha256 ?? modelSha256 },
      },
    ],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://tekton.dev/chains/v2/slsa',
        externalParameters: {
          runSpec: { pipelineRef: { name: 'slsa-for-models' }, params: [{ name: 'model-name', value: 'pytorch_jitted_model.pt' }] },
        },
        resolvedDependencies: [{ uri: `git+${SOURCE}.git`, digest: { sha1: overrides.commit ?? COMMIT }, name: 'inputs/result' }],
      },
      runDetails: {
        builder: { id: overrides.builder ?? BUILDER },
        metadata: {
          invocationId: UID,
          startedOn: new Date(Date.parse(overrides.finishedOn ?? FINISHED) - 3600_000).toISOString().replace('.000', ''),
          finishedOn: overrides.finishedOn ?? FINISHED,
        },
      },
    },
  };
}

/** A PipelineRun as `kubectl get -o json` prints it once Chains signed it and logged it in a transparency log. */
function signedRun(
  name: string,
  options: { statement?: Record<string, unknown>; annotate?: boolean; succeeded?: boolean; namespace?: string } = {},
): string {
  const payload = Buffer.from(JSON.stringify(options.statement ?? statement()));
  const envelope = signDsseEnvelope(payload, signingKey);
  const logged = logInRehearsalLog(envelope, payload, signingKey, new Date(FINISHED));
  const annotations: Record<string, string> = { 'chains.tekton.dev/signed': 'true', ...logged.annotations };
  if (options.annotate !== false)
    annotations[`chains.tekton.dev/signature-pipelinerun-${UID}`] = Buffer.from(JSON.stringify(envelope)).toString('base64');
  const file = path.join(work, `${name}.json`);
  logFiles.set(file, { entry: path.join(work, `${name}.rekor-entry.json`), root: path.join(work, `${name}.trusted_root.json`) });
  fs.writeFileSync(logFiles.get(file)!.entry, logged.entryJson);
  fs.writeFileSync(logFiles.get(file)!.root, logged.trustedRootJson);
  const status = { conditions: [{ type: 'Succeeded', status: options.succeeded === false ? 'False' : 'True' }] };
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name, ...(options.namespace === undefined ? {} : { namespace: options.namespace }), uid: UID, annotations },
      status,
    }),
  );
  return file;
}

function runGate(command: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [gate, command], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a failing verify: exit 1, one line on stderr matching `line`, nothing on stdout, no digest written. */
function expectRefusedWithoutDigest(run: () => ReturnType<typeof runGate>, line: RegExp): void {
  fs.rmSync(path.join(work, 'sha256'), { force: true });
  const result = run();
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr.trim()).toMatch(line);
  expect(fs.existsSync(path.join(work, 'sha256'))).toBe(false);
}

function verifyGate(run: string, overrides: Record<string, string> = {}) {
  return runGate('verify', {
    KEY: keyFile,
    RUN_FILE: run,
    MODEL: model,
    POLICY: JSON.stringify(POLICY),
    GATE_NOW: NOW,
    SHA256_RESULT: path.join(work, 'sha256'),
    REKOR_ENTRY: logFiles.get(run)?.entry ?? path.join(work, 'no-entry.json'),
    TRUSTED_ROOT: logFiles.get(run)?.root ?? path.join(work, 'no-root.json'),
    ...overrides,
  });
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-gate-'));
  // the bundle is made from lib/ (npm test builds first); its parts side by side, as the projected ConfigMaps mount them
  gate = writeVerifierBundle(verifierBundle(path.join(ROOT, 'lib')), path.join(work, 'gate'));
  model = path.join(work, 'pytorch_jitted_model.pt');
  fs.writeFileSync(model, Buffer.from('PK\u0003\u0004 a TorchScript archive stands here '.repeat(64)));
  modelSha256 = createHash('sha256').update(fs.readFileSync(model)).digest('hex');
  // the rehearsal's cosign key: generated encrypted as cosign does, read back as Chains does
  const pair = generateCosignKeyPair('gate-test');
  signingKey = readCosignPrivateKey(pair.privateKeyPem, 'gate-test', 'cosign.key');
  keyFile = path.join(work, 'cosign.pub');
  fs.writeFileSync(keyFile, pair.publicKeyPem);
  otherKeyFile = path.join(work, 'other.pub');
  fs.writeFileSync(otherKeyFile, generateCosignKeyPair('other').publicKeyPem);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('deploy gate: verify', () => {
  test("the rendered policy's pipeline: the cluster's Pipeline in the gate's namespace, by name or through the cluster resolver", () => {
    // as renderDeployGatePolicy writes it, once Tekton has put in $(context.taskRun.namespace)
    const policy = JSON.stringify({ ...POLICY, pipeline: { name: 'slsa-for-models', clusterNamespace: 'ml', forbidInlineSpec: true } });
    expect(verifyGate(signedRun('in-ml', { namespace: 'ml' }), { POLICY: policy }).status).toBe(0);
    expect(verifyGate(signedRun('in-dev', { namespace: 'dev' }), { POLICY: policy }).stderr).toBe(
      'deploy-gate: verify failed: the run\'s pipelineRef has no resolver, so its pipeline is the one in the run\'s namespace "dev", not "ml"\n',
    );
    const throughResolver = (ns: string) => {
      const s = statement() as any;
      s.predicate.buildDefinition.externalParameters.runSpec.pipelineRef = {
        resolver: 'cluster',
        params: [
          { name: 'kind', value: 'pipeline' },
          { name: 'name', value: 'slsa-for-models' },
          { name: 'namespace', value: ns },
        ],
      };
      return s;
    };
    expect(verifyGate(signedRun('pac-ml', { namespace: 'ml', statement: throughResolver('ml') }), { POLICY: policy }).status).toBe(0);
    expect(verifyGate(signedRun('pac-other', { namespace: 'ml', statement: throughResolver('other') }), { POLICY: policy }).stderr).toBe(
      'deploy-gate: verify failed: the run\'s cluster resolver fetched its pipeline from namespace "other", not "ml"\n',
    );
  });

  test('a good model passes and records its sha256', () => {
    const result = verifyGate(signedRun('good'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^deploy-gate: verified .* sha256:[0-9a-f]{64} with the ecdsa p-256 key/);
    expect(result.stdout).toMatch(/transparency log/);
    expect(fs.readFileSync(path.join(work, 'sha256'), 'utf8')).toBe(modelSha256);
  });

  test.each([
    [
      'a tampered byte',
      () => {
        const tampered = path.join(work, 'tampered.pt');
        const bytes = fs.readFileSync(model);
        bytes[100] ^= 1;
        fs.writeFileSync(tampered, bytes);
        return verifyGate(signedRun('tampered'), { MODEL: tampered });
      },
      /^deploy-gate: verify failed: no subject matches sha256:[0-9a-f]{64} \(subjects: /,
    ],
    [
      'another key',
      () => verifyGate(signedRun('other-key'), { KEY: otherKeyFile }),
      /^deploy-gate: verify failed: the signature does not verify with the ecdsa p-256 key .*other\.pub$/,
    ],
    [
      'a wrong commit',
      () => verifyGate(signedRun('wrong-commit', { statement: statement({ commit: 'f'.repeat(40) }) })),
      new RegExp(`^deploy-gate: verify failed: source git\\+${SOURCE} is at commit f{40}, not ${COMMIT}$`),
    ],
    [
      'a wrong builder',
      () => verifyGate(signedRun('wrong-builder', { statement: statement({ builder: 'https://example.com/evil-builder' }) })),
      /^deploy-gate: verify failed: builder id is https:\/\/example.com\/evil-builder, not https:\/\/tekton.dev\/chains\/v2$/,
    ],
    [
      'an old attestation',
      () => verifyGate(signedRun('old', { statement: statement({ finishedOn: '2026-10-01T00:00:00Z' }) })),
      /^deploy-gate: verify failed: the build finished 2026-10-01T00:00:00Z, more than 604800 s ago$/,
    ],
    [
      'a missing annotation',
      () => verifyGate(signedRun('unsigned', { annotate: false })),
      /^deploy-gate: verify failed: pipelinerun unsigned \(uid .*\) has no annotation chains.tekton.dev\/signature-pipelinerun-.*: Chains has not signed it/,
    ],
    [
      'a training run that failed',
      () => verifyGate(signedRun('failed', { succeeded: false })),
      /^deploy-gate: verify failed: .*(failed|succeed)/,
    ],
    [
      'an unreadable key',
      () => verifyGate(signedRun('no-key'), { KEY: path.join(work, 'absent.pub') }),
      /^deploy-gate: verify failed: .*absent\.pub/,
    ],
    [
      'a policy that names nothing',
      () => verifyGate(signedRun('empty-policy'), { POLICY: '{}' }),
      /^deploy-gate: verify failed: the policy names no builderId$/,
    ],
    [
      'a build finished in the future',
      () => verifyGate(signedRun('future', { statement: statement({ finishedOn: '2027-01-01T00:00:00Z' }) })),
      /^deploy-gate: verify failed: the build finished in the future \(2027-01-01T00:00:00Z\)$/,
    ],
  ])('%s fails with one line and writes no digest', (_what, run, line) => expectRefusedWithoutDigest(run, line));

  test('a key directory (the mounted ConfigMap) accepts any of its *.pub keys, for key rotation', () => {
    const keys = fs.mkdtempSync(path.join(work, 'keys-'));
    fs.copyFileSync(otherKeyFile, path.join(keys, 'cosign.pub'));
    fs.writeFileSync(path.join(keys, 'README'), 'not a key');
    // only another key: refused
    expect(verifyGate(signedRun('rotated'), { KEY: keys }).stderr).toMatch(/^deploy-gate: verify failed: the signature does not verify/);
    // the signing key kept beside it as an earlier key: accepted
    fs.copyFileSync(keyFile, path.join(keys, 'previous-1.pub'));
    const result = verifyGate(signedRun('rotated'), { KEY: keys });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(verifyGate(signedRun('rotated'), { KEY: fs.mkdtempSync(path.join(work, 'nokeys-')) }).stderr.trim()).toMatch(
      /^deploy-gate: verify failed: .* holds no \*\.pub key$/,
    );
  });

  test('an attestation just inside the maximum age passes', () => {
    const result = verifyGate(signedRun('recent', { statement: statement({ finishedOn: '2026-11-25T10:00:01Z' }) }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('a YAML PipelineRun is refused (the gate reads JSON), never passed', () => {
    const yamlRun = path.join(work, 'run.yaml');
    fs.writeFileSync(yamlRun, 'kind: PipelineRun\nmetadata: {name: x, uid: y}\n');
    // (log files that exist: the run is read before the log entry)
    const result = verifyGate(yamlRun, { REKOR_ENTRY: keyFile, TRUSTED_ROOT: keyFile });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^deploy-gate: verify failed: .*yaml/);
  });
});

describe('deploy gate: the transparency log, checked as verify checks it', () => {
  test('a good entry passes; the policy may skip the log only by saying so', () => {
    const good = verifyGate(signedRun('logged'));
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const skipped = verifyGate(signedRun('skipped'), {
      POLICY: JSON.stringify({ ...POLICY, insecureIgnoreTlog: true }),
      REKOR_ENTRY: path.join(work, 'absent.json'),
      TRUSTED_ROOT: path.join(work, 'absent.json'),
    });
    expect(skipped.stderr).toBe('');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).not.toMatch(/in the transparency log/);
  });

  test('the gate and slsa-for-models verify give the same verdict on the same entry (one verifier)', () => {
    const cli = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
    const run = signedRun('agree');
    const other = logFiles.get(signedRun('agree-other'))!;
    for (const files of [logFiles.get(run)!, other]) {
      const gateResult = verifyGate(run, { REKOR_ENTRY: files.entry, TRUSTED_ROOT: files.root });
      const cliResult = spawnSync(
        process.execPath,
        [cli, 'verify', '--key', keyFile, '--pipelinerun', run, '--rekor-entry', files.entry, '--trusted-root', files.root, model],
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      );
      // its own entry passes both; another envelope's entry fails both, for the same reason
      const passes = files !== other;
      expect(gateResult.status === 0).toBe(passes);
      expect(cliResult.status === 0).toBe(passes);
      if (gateResult.status !== 0)
        expect(cliResult.stderr).toContain(gateResult.stderr.replace(/^deploy-gate: verify failed: /, '').trim());
    }
  });

  test.each([
    [
      "another envelope's entry",
      () =>
        verifyGate(signedRun('entry-a'), {
          REKOR_ENTRY: logFiles.get(signedRun('entry-b'))!.entry,
          TRUSTED_ROOT: logFiles.get(path.join(work, 'entry-b.json'))!.root,
        }),
      /^deploy-gate: verify failed: sigstore verification failed: tlog body error: tlog entry signature mismatch$/,
    ],
    [
      "a root that does not trust the entry's log",
      () => verifyGate(signedRun('root-a'), { TRUSTED_ROOT: logFiles.get(signedRun('root-b'))!.root }),
      /^deploy-gate: verify failed: sigstore verification failed: tlog inclusion promise error: inclusion promise could not be verified$/,
    ],
    [
      'a changed entry',
      () => {
        const run = signedRun('changed-entry');
        const entry = JSON.parse(fs.readFileSync(logFiles.get(run)!.entry, 'utf8'));
        const uuid = Object.keys(entry)[0];
        entry[uuid].integratedTime += 1;
        const changed = path.join(work, 'changed-entry.rekor.json');
        fs.writeFileSync(changed, JSON.stringify(entry));
        return verifyGate(run, { REKOR_ENTRY: changed });
      },
      /^deploy-gate: verify failed: sigstore verification failed: tlog inclusion promise error: inclusion promise could not be verified$/,
    ],
    [
      'no entry',
      () => verifyGate(signedRun('no-entry'), { REKOR_ENTRY: path.join(work, 'absent.json') }),
      /^deploy-gate: verify failed: transparency log: no log entry for the training run \(its chains.tekton.dev\/transparency annotation is missing and the training-run workspace holds no rekor-entry.json\); the policy requires one$/,
    ],
    [
      'no trusted root',
      () => verifyGate(signedRun('no-root'), { TRUSTED_ROOT: path.join(work, 'absent-root.json') }),
      /^deploy-gate: verify failed: transparency log: no trusted root at .*absent-root.json \(publish Sigstore's trusted_root.json into ConfigMap slsa-for-models-trusted-root/,
    ],
    [
      'a policy whose insecureIgnoreTlog is not a boolean',
      () => verifyGate(signedRun('odd-policy'), { POLICY: JSON.stringify({ ...POLICY, insecureIgnoreTlog: 'yes' }) }),
      /^deploy-gate: verify failed: the policy field insecureIgnoreTlog is not true or false$/,
    ],
  ])('%s fails with one line and writes no digest', (_what, run, line) => expectRefusedWithoutDigest(run, line));
});

describe('deploy gate: an OMS signature by a named publisher, in addition to the provenance', () => {
  // model_signing v0.3.1's own signature of one file (signme-1) with an elliptic key
  const CASE = path.join(OMS, 'cases', 'v0.3.1-elliptic-key');
  let signed: string;
  let signature: string;
  let publisherPem: string;
  let omsRun: (model: string) => string;

  beforeAll(() => {
    if (!fs.existsSync(CASE)) return;
    const dir = fs.mkdtempSync(path.join(work, 'oms-'));
    fs.mkdirSync(path.join(dir, 'model'));
    fs.mkdirSync(path.join(dir, 'oms'));
    signed = path.join(dir, 'model', 'signme-1');
    fs.copyFileSync(path.join(CASE, 'signme-1'), signed);
    signature = path.join(dir, 'oms', 'model.sig');
    fs.copyFileSync(path.join(CASE, 'model.sig'), signature);
    publisherPem = fs.readFileSync(path.join(OMS, 'keys', 'certificate', 'signing-key-pub.pem'), 'utf8');
    omsRun = (file: string) =>
      signedRun(`oms-${path.basename(path.dirname(file))}`, {
        statement: statement({ sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex') }),
      });
  });

  const withPublisher = (publisher: unknown) => JSON.stringify({ ...POLICY, omsPublisher: publisher });

  withOms("the provenance and the publisher's signature both verify: the gate passes and says so", () => {
    const result = verifyGate(omsRun(signed), {
      MODEL: signed,
      POLICY: withPublisher({ publicKeyPem: publisherPem }),
      OMS_SIGNATURE: signature,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/; OMS signature of sha256:[0-9a-f]{64} by the publisher's key\n$/);
  });

  withOms('another publisher key, no signature, or a signature of other bytes each fail with one line, writing no digest', () => {
    const run = omsRun(signed);
    const fails = (overrides: Record<string, string>, line: RegExp) => {
      fs.rmSync(path.join(work, 'sha256'), { force: true });
      const result = verifyGate(run, {
        MODEL: signed,
        POLICY: withPublisher({ publicKeyPem: publisherPem }),
        OMS_SIGNATURE: signature,
        ...overrides,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(line);
      expect(fs.existsSync(path.join(work, 'sha256'))).toBe(false);
    };
    // the rehearsal's cosign key is a P-256 key, not the publisher's
    fails(
      { POLICY: withPublisher({ publicKeyPem: fs.readFileSync(keyFile, 'utf8') }) },
      /^deploy-gate: verify failed: oms signature: the signature does not verify with key .*\.oms-publisher\.pub$/,
    );
    fails(
      { OMS_SIGNATURE: path.join(work, 'no-model.sig') },
      /^deploy-gate: verify failed: oms signature: no signature .*no-model.sig beside the model; the policy requires one by the publisher's key$/,
    );
    // a model whose provenance verifies, but which the publisher never signed
    const other = path.join(fs.mkdtempSync(path.join(work, 'oms-other-')), 'signme-1');
    fs.writeFileSync(other, 'other bytes');
    const otherRun = omsRun(other);
    fs.rmSync(path.join(work, 'sha256'), { force: true });
    const result = verifyGate(otherRun, { MODEL: other, POLICY: withPublisher({ publicKeyPem: publisherPem }), OMS_SIGNATURE: signature });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^deploy-gate: verify failed: oms signature: the model does not match the signature: file "\." has changed \(signed sha256:/,
    );
  });

  test('a publisher that names nothing, or both a key and an identity, is refused before anything is checked', () => {
    const run = signedRun('oms-policy');
    expect(verifyGate(run, { POLICY: withPublisher({}) }).stderr.trim()).toBe(
      "deploy-gate: verify failed: the policy's omsPublisher names no publicKeyPem, and no identity with its oidcIssuer: a publisher that names nothing would accept any signer",
    );
    expect(verifyGate(run, { POLICY: withPublisher({ publicKeyPem: 'x', identity: 'a@b', oidcIssuer: 'https://i' }) }).stderr.trim()).toBe(
      "deploy-gate: verify failed: the policy's omsPublisher names both a key and an identity (give one)",
    );
    // the near case: an identity with its issuer is a publisher (here it fails later, on the missing signature)
    expect(
      verifyGate(run, {
        POLICY: withPublisher({ identity: 'a@b', oidcIssuer: 'https://i' }),
        OMS_SIGNATURE: path.join(work, 'none.sig'),
      }).stderr.trim(),
    ).toMatch(/^deploy-gate: verify failed: oms signature: no signature .* the policy requires one by a@b \(issuer https:\/\/i\)$/);
  });
});

describe('deploy gate: fetch-run from a file the user supplies', () => {
  const uri =
    'https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/files/pytorch-model:0f1e:pytorch_jitted_model.pt';
  const supply = (run: unknown) => {
    const dir = fs.mkdtempSync(path.join(work, 'supplied-'));
    fs.writeFileSync(path.join(dir, 'pipelinerun.json'), typeof run === 'string' ? run : JSON.stringify(run));
    return {
      SUPPLIED_RUN_BOUND: 'true',
      SUPPLIED_RUN: path.join(dir, 'pipelinerun.json'),
      TRAINING_RUN: 'train-1',
      NAMESPACE: 'ml',
      RUN_FILE: path.join(dir, 'run.json'),
      COORDINATES_FILE: path.join(dir, 'c.env'),
      SERVICE_ACCOUNT_DIR: path.join(dir, 'no-service-account'),
    };
  };
  const run = {
    kind: 'PipelineRun',
    metadata: { name: 'train-1' },
    status: { results: [{ name: 'model_ARTIFACT_OUTPUTS', value: { uri } }] },
  };

  test('reads the run from the file, without the Kubernetes API', () => {
    const env = supply(run);
    const result = runGate('fetch-run', env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      `deploy-gate: fetched pipelinerun ml/train-1 from the supplied file ${env.SUPPLIED_RUN}; its model is ${uri}\n`,
    );
    expect(fs.readFileSync(env.RUN_FILE, 'utf8')).toBe(JSON.stringify(run));
  });

  test("a supplied rekor-entry.json beside the run is the run's log entry (nothing is fetched)", () => {
    const env = supply({
      ...run,
      metadata: { name: 'train-1', annotations: { 'chains.tekton.dev/transparency': 'https://elsewhere.invalid/x' } },
    });
    fs.writeFileSync(path.join(path.dirname(env.SUPPLIED_RUN), 'rekor-entry.json'), '{"entry": true}');
    const entryFile = path.join(path.dirname(env.SUPPLIED_RUN), 'saved-entry.json');
    const result = runGate('fetch-run', { ...env, REKOR_ENTRY_FILE: entryFile, REKOR_URL: 'https://rekor.sigstore.dev' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/; its log entry is the supplied .*rekor-entry.json\n$/);
    expect(fs.readFileSync(entryFile, 'utf8')).toBe('{"entry": true}');
  });

  test('refuses a file holding another run, or no JSON', () => {
    expect(runGate('fetch-run', supply({ ...run, metadata: { name: 'train-2' } })).stderr).toBe(
      'deploy-gate: fetch-run failed: the supplied training run is "train-2", not train-1\n',
    );
    expect(runGate('fetch-run', supply('kind: PipelineRun')).stderr).toMatch(
      /^deploy-gate: fetch-run failed: the supplied training run .* is not JSON/,
    );
  });

  test('without the workspace bound it asks the API (here: no service account, so it fails closed)', () => {
    const result = runGate('fetch-run', { ...supply(run), SUPPLIED_RUN_BOUND: 'false' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^deploy-gate: fetch-run failed: cannot read the service account token in /);
  });
});

describe('deploy gate: promote', () => {
  const promote = (store: string, overrides: Record<string, string> = {}) =>
    runGate('promote', {
      MODEL: model,
      SHA256: modelSha256,
      STORE: store,
      SERVED_MODEL_NAME: 'cifar10',
      DIRECTORY_RESULT: path.join(work, 'directory'),
      PACKAGE_SHA256_RESULT: path.join(work, 'package'),
      ...overrides,
    });

  test('copies the verified bytes under their digest, packaged for TorchServe, and a re-run is harmless', () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const first = promote(store);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const directory = path.join(store, `sha256-${modelSha256}`);
    expect(fs.readFileSync(path.join(work, 'directory'), 'utf8')).toBe(`sha256-${modelSha256}`);
    const archive = fs.readFileSync(path.join(directory, 'model-store', 'cifar10.mar'));
    expect(archive).toEqual(torchServeArchive('cifar10', 'pytorch_jitted_model.pt', fs.readFileSync(model)));
    expect(archive.includes(fs.readFileSync(model))).toBe(true);
    expect(fs.readFileSync(path.join(work, 'package'), 'utf8')).toBe(createHash('sha256').update(archive).digest('hex'));
    expect(fs.readFileSync(path.join(directory, 'config', 'config.properties'), 'utf8')).toContain('model_store=/mnt/models/model-store');
    expect(fs.readdirSync(store)).toEqual([`sha256-${modelSha256}`]);
    const again = promote(store);
    expect(again.status).toBe(0);
  });

  test("with the gate's key it signs the promoted copy in OMS, which slsa-for-models verify --bundle (model_signing's key method) accepts", () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyDir = fs.mkdtempSync(path.join(work, 'gate-key-'));
    fs.writeFileSync(path.join(keyDir, 'gate.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(path.join(keyDir, 'gate.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const result = promote(store, { OMS_SIGNING_KEY: path.join(keyDir, 'gate.key') });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/; signed in OMS by the gate \(root sha256:[0-9a-f]{64}\)\n$/);
    const copy = path.join(store, `sha256-${modelSha256}`);
    const cli = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
    const check = (dir: string) =>
      spawnSync(process.execPath, [cli, 'verify', '--bundle', path.join(dir, 'model.sig'), '--key', path.join(keyDir, 'gate.pub'), dir], {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      });
    const verified = check(copy);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    // a re-run keeps the signature; a served file changed afterwards no longer verifies
    const signature = fs.readFileSync(path.join(copy, 'model.sig'));
    expect(promote(store, { OMS_SIGNING_KEY: path.join(keyDir, 'gate.key') }).status).toBe(0);
    expect(fs.readFileSync(path.join(copy, 'model.sig'))).toEqual(signature);
    fs.appendFileSync(path.join(copy, 'config', 'config.properties'), 'extra=1\n');
    const tampered = check(copy);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/config\/config.properties.* has changed/);
  });

  test('an unreadable gate key promotes nothing; an unsigned copy holding another file is not signed', () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const absent = promote(store, { OMS_SIGNING_KEY: path.join(work, 'no-gate.key') });
    expect(absent.status).toBe(1);
    expect(absent.stderr.trim()).toMatch(
      /^deploy-gate: promote failed: cannot read the gate's OMS signing key .*no-gate.key .*; nothing promoted$/,
    );
    expect(fs.readdirSync(store)).toEqual([]);
    // promoted before the gate had a key, then a file slipped in beside the package
    expect(promote(store).status).toBe(0);
    fs.writeFileSync(path.join(store, `sha256-${modelSha256}`, 'extra.py'), 'print("hi")');
    const keyFile2 = path.join(work, 'gate2.key');
    fs.writeFileSync(keyFile2, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const refused = promote(store, { OMS_SIGNING_KEY: keyFile2 });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /holds config\/config.properties, extra.py, model-store\/cifar10.mar, not only the package the gate made .*; refusing to sign it$/,
    );
    expect(fs.existsSync(path.join(store, `sha256-${modelSha256}`, 'model.sig'))).toBe(false);
  });

  test('a model changed after verify is not promoted', () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const result = promote(store, { SHA256: 'a'.repeat(64) });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `deploy-gate: promote failed: the model now has sha256 ${modelSha256}, not the verified ${'a'.repeat(64)}; nothing promoted`,
    );
    expect(fs.readdirSync(store)).toEqual([]);
  });

  test('an existing copy under the digest that differs is refused, not served', () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const directory = path.join(store, `sha256-${modelSha256}`);
    fs.mkdirSync(path.join(directory, 'model-store'), { recursive: true });
    fs.writeFileSync(path.join(directory, 'model-store', 'cifar10.mar'), 'swapped');
    const result = promote(store);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^deploy-gate: promote failed: .* exists and differs from the package of the verified model/);
  });

  test('without a verified digest nothing is promoted', () => {
    const store = fs.mkdtempSync(path.join(work, 'store-'));
    const result = promote(store, { SHA256: '' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('deploy-gate: promote failed: environment variable SHA256 is not set');
  });
});

describe('deploy gate: the pieces', () => {
  test('the .mar is a zip that unzip reads, with the same bytes every time', () => {
    const archive = torchServeArchive('cifar10', 'm.pt', Buffer.from('model bytes'));
    expect(torchServeArchive('cifar10', 'm.pt', Buffer.from('model bytes'))).toEqual(archive);
    const file = path.join(work, 'm.mar');
    fs.writeFileSync(file, archive);
    const python = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print(json.dumps(z.namelist())); print(z.read("m.pt").decode())',
        file,
      ],
      { encoding: 'utf8' },
    );
    if (python.error) return; // no python3 here
    expect(python.stdout.split('\n').slice(0, 3)).toEqual(['None', '["MAR-INF/MANIFEST.json", "m.pt", "handler.py"]', 'model bytes']);
    expect(storedZip([]).length).toBe(22);
  });

  test('a policy must name builder, source, commit and a maximum age', () => {
    expect(parsePolicy(JSON.stringify(POLICY))).toMatchObject({ builderId: BUILDER });
    expect(() => parsePolicy(JSON.stringify({ ...POLICY, sourceDigest: ' ' }))).toThrow('the policy names no sourceDigest');
    expect(() => parsePolicy(JSON.stringify({ ...POLICY, time: { maxAgeSeconds: 0 } }))).toThrow(
      'the policy names no time.maxAgeSeconds (a positive number)',
    );
    expect(() => parsePolicy(JSON.stringify({ ...POLICY, time: undefined }))).toThrow(
      'the policy names no time.maxAgeSeconds (a positive number)',
    );
    expect(() => parsePolicy('null')).toThrow('the policy is not a JSON object');
  });

  test('the model uri is read as Artifact Registry coordinates, and nothing else is', () => {
    expect(
      artifactRegistryFile(
        'https://artifactregistry.googleapis.com/v1/projects/p-1/locations/us/repositories/ml-artifacts/files/pytorch-model:abc:pytorch_jitted_model.pt',
      ),
    ).toEqual({ location: 'us', repository: 'ml-artifacts', package: 'pytorch-model', version: 'abc', file: 'pytorch_jitted_model.pt' });
    expect(() => artifactRegistryFile('https://evil.example/v1/projects/p/locations/us/repositories/r/files/a:b:c')).toThrow(
      /is not an Artifact Registry generic file/,
    );
    expect(() =>
      artifactRegistryFile('https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/r/files/a:b:../c'),
    ).toThrow(/is not an Artifact Registry generic file/);
  });

  test('the InferenceService serves exactly the promoted copy of the verified digest', () => {
    const template = JSON.stringify({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'm' },
      spec: { predictor: { model: { modelFormat: { name: 'pytorch' } } } },
    });
    const uri = `pvc://models/sha256-${'b'.repeat(64)}`;
    expect(inferenceServiceFor(template, uri, 'b'.repeat(64))).toMatchObject({
      metadata: { annotations: { [VERIFIED_MODEL_ANNOTATION]: 'b'.repeat(64) } },
      spec: { predictor: { model: { storageUri: uri } } },
    });
    expect(() => inferenceServiceFor(template, uri, 'c'.repeat(64))).toThrow(/does not name the verified model/);
    expect(() => inferenceServiceFor(template, 'gs://bucket/model', 'b'.repeat(64))).toThrow(/does not name a promoted copy/);
    // a copy promoted to a bucket, addressed by the same digest
    const gs = `gs://my-models/sha256-${'b'.repeat(64)}`;
    expect(inferenceServiceFor(template, gs, 'b'.repeat(64)).spec.predictor.model.storageUri).toBe(gs);
    expect(() => inferenceServiceFor(template, `gs://my-models/sha256-${'c'.repeat(64)}`, 'b'.repeat(64))).toThrow(
      /does not name the verified model/,
    );
  });

  test('the bundle is deterministic, in parts that each fit a ConfigMap, and carries no module outside the verifier', () => {
    const bundle = verifierBundle(path.join(ROOT, 'lib'));
    expect(verifierBundle(path.join(ROOT, 'lib')).sha256).toBe(bundle.sha256);
    expect(bundle.sha256).toBe(createHash('sha256').update(bundle.files[0].text).digest('hex'));
    expect(bundle.files.map((f) => f.name)).toEqual(['verifier.js', ...bundle.files.slice(1).map((_, i) => `verifier-${i + 2}.js`)]);
    for (const file of bundle.files) expect(Buffer.byteLength(JSON.stringify(file.text))).toBeLessThanOrEqual(MAX_PART_BYTES);
    // the entry pins every other part by its sha256
    for (const file of bundle.files.slice(1)) expect(bundle.files[0].text).toContain(`"${file.name}":"${file.sha256}"`);
    const ids = bundle.files.flatMap((f) => [...f.text.matchAll(/^"([^"]+)": \[/gm)].map((m) => m[1]));
    // the programs: the entry, the gate's commands, the training input check, and the name of the trusted root's ConfigMap
    expect(ids.filter((id) => id.startsWith('src/models/'))).toEqual([
      'src/models/deploy-gate-program.js',
      'src/models/train-inputs-program.js',
      'src/models/trusted-root-config-map.js',
      'src/models/verifier-program.js',
    ]);
    // beside the verify library only the Chains names it reads (cdk8s-free modules the rehearsal shares):
    // the annotations, and the byproducts that name a run's inputs (with the type-hint names they use)
    expect(
      ids.filter((id) => !id.startsWith('src/verify/') && !id.startsWith('../node_modules/') && !id.startsWith('src/models/')),
    ).toEqual(['src/chains/chains-annotations.js', 'src/chains/chains-byproducts.js', 'src/chains/type-hint-names.js']);
    // the log check's Sigstore code comes along; of npm packages only Sigstore's
    expect(ids).toContain('src/verify/sigstore/sigstore-steps.js');
    expect(new Set(ids.filter((id) => id.includes('node_modules')).map((id) => id.split('/').slice(2, 4).join('/')))).toEqual(
      new Set(['@sigstore/bundle', '@sigstore/core', '@sigstore/protobuf-specs', '@sigstore/verify']),
    );
  });

  test('the entry refuses a part whose bytes differ, with one line', () => {
    const bundle = verifierBundle(path.join(ROOT, 'lib'));
    const copy = writeVerifierBundle(bundle, fs.mkdtempSync(path.join(work, 'swapped-')));
    const part = path.join(path.dirname(copy), bundle.files[1].name);
    fs.appendFileSync(part, '\n// changed\n');
    const result = spawnSync(process.execPath, [copy, 'verify'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `verifier: verify failed: ${part} is not the part this verifier was made with (sha256 ${bundle.files[1].sha256}); kubectl apply -f dist again\n`,
    );
  });
});

describe('deploy gate: fetch-run and deploy against a stand-in Kubernetes API (TLS, bearer token)', () => {
  const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
  let server: https.Server;
  let api: string;
  let saDir: string;
  const requests: { method: string; url: string; auth?: string; type?: string; body: string }[] = [];
  let answer: (method: string, url: string) => { status: number; body: unknown } = () => ({ status: 404, body: {} });

  beforeAll(async () => {
    if (!haveOpenssl) return;
    saDir = fs.mkdtempSync(path.join(work, 'sa-'));
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(saDir, 'tls.key'),
        '-out',
        path.join(saDir, 'ca.crt'),
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(made.stderr);
    fs.writeFileSync(path.join(saDir, 'token'), 'the-token\n');
    server = https.createServer(
      { key: fs.readFileSync(path.join(saDir, 'tls.key')), cert: fs.readFileSync(path.join(saDir, 'ca.crt')) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          requests.push({
            method: req.method!,
            url: req.url!,
            auth: req.headers.authorization,
            type: req.headers['content-type'],
            body: Buffer.concat(chunks).toString(),
          });
          const { status, body } = answer(req.method!, req.url!);
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  /** Runs the bundled gate asynchronously (the stand-in API runs in this process). */
  function runAsync(command: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [gate, command], {
        env: { PATH: process.env.PATH, KUBERNETES_API: api, SERVICE_ACCOUNT_DIR: saDir, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  const uri =
    'https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/files/pytorch-model:0f1e:pytorch_jitted_model.pt';
  const run = (results: unknown[]) => ({ kind: 'PipelineRun', metadata: { name: 'train-1', uid: UID }, status: { results } });

  (haveOpenssl ? test : test.skip)('fetch-run gets the run with the service account token and writes where its model is', async () => {
    answer = () => ({
      status: 200,
      body: run([{ name: 'model_ARTIFACT_OUTPUTS', value: { uri, digest: `sha256:${modelSha256}`, isBuildArtifact: 'true' } }]),
    });
    const runFile = path.join(work, 'fetched.json');
    const coordinates = path.join(work, 'coordinates.env');
    const result = await runAsync('fetch-run', {
      TRAINING_RUN: 'train-1',
      NAMESPACE: 'ml',
      RUN_FILE: runFile,
      COORDINATES_FILE: coordinates,
      MODEL_URI_RESULT: path.join(work, 'model-uri'),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(requests).toEqual([
      { method: 'GET', url: '/apis/tekton.dev/v1/namespaces/ml/pipelineruns/train-1', auth: 'Bearer the-token', type: undefined, body: '' },
    ]);
    expect(JSON.parse(fs.readFileSync(runFile, 'utf8')).metadata.name).toBe('train-1');
    expect(fs.readFileSync(coordinates, 'utf8')).toBe(
      'LOCATION=us\nREPOSITORY=ml-artifacts\nPACKAGE=pytorch-model\nVERSION=0f1e\nFILE=pytorch_jitted_model.pt\n',
    );
    expect(fs.readFileSync(path.join(work, 'model-uri'), 'utf8')).toBe(uri);
  });

  (haveOpenssl ? test : test.skip)(
    "fetch-run saves the run's log entry from the configured Rekor, without credentials, and nothing from elsewhere",
    async () => {
      const logged = { ['0'.repeat(80)]: { logIndex: 7 } };
      const annotated = (url: string) => ({
        ...run([{ name: 'model_ARTIFACT_OUTPUTS', value: { uri } }]),
        metadata: { name: 'train-1', uid: UID, annotations: { 'chains.tekton.dev/transparency': url } },
      });
      let transparency = `${api}/api/v1/log/entries?logIndex=7`;
      answer = (_method, url) =>
        url.startsWith('/api/v1/log/entries') ? { status: 200, body: logged } : { status: 200, body: annotated(transparency) };
      const entryFile = path.join(work, 'fetched-entry.json');
      const env = {
        TRAINING_RUN: 'train-1',
        NAMESPACE: 'ml',
        RUN_FILE: path.join(work, 'f.json'),
        COORDINATES_FILE: path.join(work, 'c.env'),
        REKOR_ENTRY_FILE: entryFile,
        REKOR_URL: api,
        // the stand-in Rekor's certificate (the real one is trusted by Node's own CAs)
        NODE_EXTRA_CA_CERTS: path.join(saDir, 'ca.crt'),
      };
      const result = await runAsync('fetch-run', env);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`; its log entry is ${transparency.replace(/[.?]/g, '\\$&')}\n$`));
      expect(requests.map((r) => [r.method, r.url, r.auth])).toEqual([
        ['GET', '/apis/tekton.dev/v1/namespaces/ml/pipelineruns/train-1', 'Bearer the-token'],
        ['GET', '/api/v1/log/entries?logIndex=7', undefined],
      ]);
      expect(JSON.parse(fs.readFileSync(entryFile, 'utf8'))).toEqual(logged);

      // an entry on another host is not fetched: the gate fails closed
      requests.length = 0;
      transparency = 'https://169.254.169.254/api/v1/log/entries?logIndex=7';
      expect((await runAsync('fetch-run', env)).stderr).toBe(
        `deploy-gate: fetch-run failed: transparency log: pipelinerun ml/train-1 annotation chains.tekton.dev/transparency is "${transparency}", not an entry of ${api} (${api}/api/v1/log/entries?logIndex=N)\n`,
      );
      expect(requests).toHaveLength(1);

      // no annotation: nothing saved (the verify step then fails closed)
      fs.rmSync(entryFile);
      answer = () => ({ status: 200, body: run([{ name: 'model_ARTIFACT_OUTPUTS', value: { uri } }]) });
      const unlogged = await runAsync('fetch-run', env);
      expect(unlogged.status).toBe(0);
      expect(unlogged.stdout).toMatch(/it has no annotation chains.tekton.dev\/transparency \(no log entry\)\n$/);
      expect(fs.existsSync(entryFile)).toBe(false);

      // the log answers an error: fail closed
      transparency = `${api}/api/v1/log/entries?logIndex=8`;
      answer = (_method, url) =>
        url.startsWith('/api/v1/log/entries') ? { status: 404, body: {} } : { status: 200, body: annotated(transparency) };
      expect((await runAsync('fetch-run', env)).stderr).toBe(
        `deploy-gate: fetch-run failed: transparency log: cannot get ${transparency}: HTTP 404\n`,
      );
    },
  );

  (haveOpenssl ? test : test.skip)(
    'fetch-run fails closed: a forbidden get, a run without a model, a uri elsewhere, an untrusted server',
    async () => {
      const env = {
        TRAINING_RUN: 'train-1',
        NAMESPACE: 'ml',
        RUN_FILE: path.join(work, 'f.json'),
        COORDINATES_FILE: path.join(work, 'c.env'),
      };
      answer = () => ({ status: 403, body: { kind: 'Status', message: 'pipelineruns.tekton.dev "train-1" is forbidden' } });
      expect((await runAsync('fetch-run', env)).stderr).toBe(
        'deploy-gate: fetch-run failed: cannot get pipelinerun ml/train-1: HTTP 403 pipelineruns.tekton.dev "train-1" is forbidden\n',
      );
      answer = () => ({ status: 200, body: run([]) });
      expect((await runAsync('fetch-run', env)).stderr).toBe(
        'deploy-gate: fetch-run failed: pipelinerun ml/train-1 has no result model_ARTIFACT_OUTPUTS with a uri\n',
      );
      answer = () => ({ status: 200, body: run([{ name: 'model_ARTIFACT_OUTPUTS', value: { uri: 'https://evil.example/m.pt' } }]) });
      expect((await runAsync('fetch-run', env)).stderr).toMatch(
        /^deploy-gate: fetch-run failed: model uri https:\/\/evil.example\/m.pt is not an Artifact Registry generic file/,
      );
      const noCa = fs.mkdtempSync(path.join(work, 'sa-'));
      fs.writeFileSync(path.join(noCa, 'token'), 't');
      const untrusted = await runAsync('fetch-run', { ...env, SERVICE_ACCOUNT_DIR: noCa });
      expect(untrusted.status).toBe(1);
      expect(untrusted.stderr).toMatch(/^deploy-gate: fetch-run failed: unexpected error: .*(self.signed|certificate)/);
    },
  );

  (haveOpenssl ? test : test.skip)(
    'deploy applies the InferenceService server-side with the promoted copy and the verified digest',
    async () => {
      answer = () => ({ status: 201, body: {} });
      const template = JSON.stringify({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'slsa-for-models' },
        spec: { predictor: { model: { modelFormat: { name: 'pytorch' } } } },
      });
      const result = await runAsync('deploy', {
        NAMESPACE: 'ml',
        INFERENCE_SERVICE: template,
        STORAGE_URI: `pvc://models/sha256-${modelSha256}`,
        SHA256: modelSha256,
        NAME_RESULT: path.join(work, 'name'),
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        method: 'PATCH',
        url: '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/slsa-for-models?fieldManager=slsa-for-models-deploy-gate&force=true',
        type: 'application/apply-patch+yaml',
      });
      expect(JSON.parse(requests[0].body)).toMatchObject({
        metadata: { name: 'slsa-for-models', namespace: 'ml', annotations: { [VERIFIED_MODEL_ANNOTATION]: modelSha256 } },
        spec: { predictor: { model: { storageUri: `pvc://models/sha256-${modelSha256}` } } },
      });
      answer = () => ({ status: 403, body: { kind: 'Status', message: 'forbidden' } });
      expect(
        (
          await runAsync('deploy', {
            NAMESPACE: 'ml',
            INFERENCE_SERVICE: template,
            STORAGE_URI: `pvc://models/sha256-${modelSha256}`,
            SHA256: modelSha256,
          })
        ).stderr,
      ).toBe('deploy-gate: deploy failed: cannot apply inferenceservice ml/slsa-for-models: HTTP 403 forbidden\n');
    },
  );
});
