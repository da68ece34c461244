// The deploy gate rehearsed on a rehearsal's output: verify and promote run for real, as processes.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifierBundle } from '../src/models/verifier-bundle';
import { rehearsalPolicy, rehearseDeployGate } from '../src/models/deploy-gate-rehearsal';
import { generateCosignKeyPair, readCosignPrivateKey } from '../src/rehearse/cosign-key';
import { signDsseEnvelope } from '../src/rehearse/dsse-signing';
import { logInRehearsalLog } from '../src/rehearse/transparency-log';

const ROOT = path.resolve(__dirname, '..');
const COMMIT = '1234567890abcdef1234567890abcdef12345678';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-rehearsal-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** What a rehearsal writes: a model, cosign.pub, and the PipelineRun signed with SLSA v1 provenance as Chains' slsa/v2alpha4 writes it. */
function rehearsalOutput() {
  const model = path.join(work, 'pytorch_model.pth');
  fs.writeFileSync(model, 'model bytes from the rehearsal');
  const sha256 = createHash('sha256').update(fs.readFileSync(model)).digest('hex');
  const uid = '0d7e6a4c-1111-4222-8333-944455556666';
  const run = {
    metadata: { name: 'slsa-for-models-r1', uid },
    spec: { pipelineRef: { name: 'slsa-for-models' }, params: [{ name: 'model-name', value: 'pytorch_model.pth' }] },
    status: {
      startTime: new Date(Date.now() - 60_000).toISOString(),
      completionTime: new Date().toISOString(),
      conditions: [{ type: 'Succeeded', status: 'True' }],
      results: [
        { name: 'source_ARTIFACT_INPUTS', value: { uri: 'git+file:///tmp/model-project.git', digest: `sha1:${COMMIT}` } },
        {
          name: 'model_ARTIFACT_OUTPUTS',
          value: {
            uri: 'https://artifactregistry.googleapis.com/v1/projects/p/locations/us/repositories/r/files/m:v:pytorch_model.pth',
            digest: `sha256:${sha256}`,
            isBuildArtifact: 'true',
          },
        },
      ],
    },
  };
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: run.status.results[1].value.uri, digest: { sha256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://tekton.dev/chains/v2/slsa',
        externalParameters: { runSpec: run.spec },
        resolvedDependencies: [{ uri: 'git+file:///tmp/model-project.git', digest: { sha1: COMMIT }, name: 'inputs/result' }],
      },
      runDetails: {
        builder: { id: 'https://tekton.dev/chains/v2' },
        metadata: {
          invocationId: uid,
          startedOn: run.status.startTime.replace(/\.\d+Z$/, 'Z'),
          finishedOn: run.status.completionTime.replace(/\.\d+Z$/, 'Z'),
        },
      },
    },
  };
  const pair = generateCosignKeyPair('');
  const signingKey = readCosignPrivateKey(pair.privateKeyPem, '', 'cosign.key');
  const envelope = signDsseEnvelope(Buffer.from(JSON.stringify(statement)), signingKey);
  const logged = logInRehearsalLog(envelope, Buffer.from(JSON.stringify(statement)), signingKey);
  const transparencyLogFiles = { rekorEntry: path.join(work, 'rekor-entry.json'), trustedRoot: path.join(work, 'trusted_root.json') };
  fs.writeFileSync(transparencyLogFiles.rekorEntry, logged.entryJson);
  fs.writeFileSync(transparencyLogFiles.trustedRoot, logged.trustedRootJson);
  const pipelineRunFile = path.join(work, 'pipelinerun.json');
  fs.writeFileSync(
    pipelineRunFile,
    JSON.stringify({
      ...run,
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: {
        ...run.metadata,
        annotations: { [`chains.tekton.dev/signature-pipelinerun-${uid}`]: Buffer.from(JSON.stringify(envelope)).toString('base64') },
      },
    }),
  );
  const publicKeyFile = path.join(work, 'cosign.pub');
  fs.writeFileSync(publicKeyFile, pair.publicKeyPem);
  return { model, pipelineRunFile, publicKeyFile, statement, transparencyLogFiles };
}

describe('rehearseDeployGate', () => {
  test("the rehearsal's model passes and is promoted; a tampered model and another commit are refused", () => {
    const out = rehearsalOutput();
    expect(rehearsalPolicy(out.statement)).toMatchObject({
      builderId: 'https://tekton.dev/chains/v2',
      sourceUri: 'git+file:///tmp/model-project.git',
      sourceDigest: COMMIT,
    });
    const cases = rehearseDeployGate({
      workDir: path.join(work, 'gate'),
      pipelineRunFile: out.pipelineRunFile,
      publicKeyFile: out.publicKeyFile,
      modelFile: out.model,
      statement: out.statement,
      bundle: verifierBundle(path.join(ROOT, 'lib')),
    });
    expect(cases.map((c) => [c.name, c.expectPass, c.passed])).toEqual([
      ["the rehearsal's model", true, true],
      ['a tampered model (one bit flipped)', false, false],
      ['a policy naming another source commit', false, false],
    ]);
    expect(cases[0].line).toMatch(/^deploy-gate: verified .*; deploy-gate: promoted sha256:[0-9a-f]{64} to /);
    expect(cases[1].line).toMatch(/^deploy-gate: verify failed: no subject matches sha256:/);
    expect(cases[2].line).toMatch(
      /^deploy-gate: verify failed: source git\+file:\/\/\/tmp\/model-project.git is at commit 1234567890abcdef1234567890abcdef12345678, not 0234567890abcdef/,
    );
    expect(fs.readdirSync(path.join(work, 'gate', 'store'))).toEqual([
      `sha256-${createHash('sha256').update(fs.readFileSync(out.model)).digest('hex')}`,
    ]);
  });
});

describe('rehearseDeployGate with the transparency log', () => {
  test("the gate checks the rehearsal's log entry: its own passes, a root that does not trust the log refuses", () => {
    const out = rehearsalOutput();
    const bundle = verifierBundle(path.join(ROOT, 'lib'));
    const options = {
      pipelineRunFile: out.pipelineRunFile,
      publicKeyFile: out.publicKeyFile,
      modelFile: out.model,
      statement: out.statement,
      bundle,
    };
    const logged = rehearseDeployGate({ ...options, workDir: path.join(work, 'gate-log'), transparencyLogFiles: out.transparencyLogFiles });
    expect(logged.map((c) => c.passed)).toEqual([true, false, false]);
    expect(logged[0].line).toMatch(/in the transparency log/);
    const otherRoot = path.join(work, 'other-root.json');
    const other = JSON.parse(fs.readFileSync(out.transparencyLogFiles.trustedRoot, 'utf8'));
    const stranger = logInRehearsalLog(
      signDsseEnvelope(Buffer.from('{}'), readCosignPrivateKey(generateCosignKeyPair('').privateKeyPem, '', 'k')),
      Buffer.from('{}'),
      readCosignPrivateKey(generateCosignKeyPair('').privateKeyPem, '', 'k'),
    );
    fs.writeFileSync(otherRoot, stranger.trustedRootJson);
    expect(other).not.toEqual(JSON.parse(stranger.trustedRootJson));
    const refused = rehearseDeployGate({
      ...options,
      workDir: path.join(work, 'gate-other-root'),
      transparencyLogFiles: { rekorEntry: out.transparencyLogFiles.rekorEntry, trustedRoot: otherRoot },
    });
    expect(refused[0].passed).toBe(false);
    expect(refused[0].line).toMatch(/^deploy-gate: verify failed: sigstore verification failed: tlog/);
  });
});
