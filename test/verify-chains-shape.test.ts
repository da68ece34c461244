// Provenance shaped exactly as Tekton Chains slsa/v2alpha4 writes it: the expected outputs of
// Chains' e2e tests (../shared/tekton/chains-fixtures/test/testdata/slsa/v2alpha4, Go templates),
// rendered with test values, signed here, and verified with the policy flags.
import { generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { verifyModelAttestation } from '../src/verify/verify-model-attestation';

const DIR = path.resolve(__dirname, '..', '..', 'shared', 'tekton', 'chains-fixtures', 'test', 'testdata', 'slsa', 'v2alpha4');
const present = fs.existsSync(DIR);
if (!present) console.log(`verify chains shape: skipped, ${DIR} does not exist (Chains' expected slsa/v2alpha4 outputs)`);
const describeWithFixtures = present ? describe : describe.skip;

const UID = '7d2c1e0f-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Renders a Chains e2e expectation: no extra URI digests, fixed values for the template fields. */
function render(file: string): Record<string, any> {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8')
    .replace(/\{\{range [^}]*\}\}[\s\S]*?\{\{end\}\}/g, '')
    .replace(/\{\{\.UID\}\}/g, UID)
    .replace(/\{\{[^}]*(StartedOn|StartTimes)[^}]*\}\}/g, '2026-11-20T10:00:00Z')
    .replace(/\{\{[^}]*(FinishedOn|FinishedTimes)[^}]*\}\}/g, '2026-11-20T10:42:00Z')
    .replace(/\{\{[^}]*\}\}/g, 'templated');
  return JSON.parse(text);
}

function envelopeOf(statement: unknown): string {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey);
  return JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: payload.toString('base64'), signatures: [{ keyid: '', sig: sig.toString('base64') }] });
}

describeWithFixtures('Chains slsa/v2alpha4 provenance', () => {
  const files = present ? fs.readdirSync(DIR).filter(file => file.endsWith('.json')).sort() : [];

  test.each(files)('%s verifies for its first subject with Chains\' builder id and the run uid', async file => {
    const statement = render(file);
    const result = await verifyModelAttestation({
      key: publicKey, envelope: envelopeOf(statement), modelSha256: statement.subject[0].digest.sha256,
      policy: { builderId: 'https://tekton.dev/chains/v2' },
    });
    expect(result.reason).toMatch(/^verified /);
    expect(result.attestation).toMatchObject({
      predicateType: 'https://slsa.dev/provenance/v1',
      buildType: 'https://tekton.dev/chains/v2/slsa',
      invocationId: UID,
      startedOn: '2026-11-20T10:00:00Z',
      finishedOn: '2026-11-20T10:42:00Z',
    });
  });

  test('pipeline-output-image: source and params as Chains records them from CHAINS-GIT_* type hints', async () => {
    const statement = render('pipeline-output-image.json');
    const base = { key: publicKey, envelope: envelopeOf(statement), modelSha256: statement.subject[0].digest.sha256 };
    const ok = await verifyModelAttestation({
      ...base,
      policy: { sourceUri: 'https://my-git-url', params: [{ name: 'CHAINS-GIT_COMMIT', value: 'my-git-commit' }, { name: 'CHAINS-GIT_URL', value: 'https://my-git-url' }] },
    });
    expect(ok.reason).toMatch(/^verified /);
    expect(ok.attestation?.source).toEqual({ uri: 'git+https://my-git-url.git', commit: 'my-git-commit' });
    expect((await verifyModelAttestation({ ...base, policy: { params: [{ name: 'CHAINS-GIT_URL', value: 'https://other' }] } })).reason)
      .toBe('param CHAINS-GIT_URL is "https://my-git-url", not "https://other"');
    expect((await verifyModelAttestation({ ...base, policy: { sourceUri: 'git+https://other-url' } })).reason)
      .toBe('no resolved dependency has source uri git+https://other-url (recorded: git+https://my-git-url.git)');
  });
});
