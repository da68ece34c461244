// verifyModelAttestation with Sigstore evidence: a saved Rekor entry (a real local log), bundles
// (the conformance suite's), certificate identities, a model directory, --type any.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { LocalTransparencyLog } from '../src/verify/sigstore/local-transparency-log';
import { verifyModelAttestation, VerifyModelAttestationOptions } from '../src/verify/verify-model-attestation';

const NOW = new Date('2026-06-01T12:00:00Z');
let work: string;
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const model = Buffer.from('model weights');
const sha256 = createHash('sha256').update(model).digest('hex');

function envelopeFor(statement: object): { json: string; payload: Buffer; sig: string } {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), signer.privateKey).toString('base64');
  return { json: JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: payload.toString('base64'), signatures: [{ keyid: '', sig }] }), payload, sig };
}

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'model.bin', digest: { sha256 } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: { buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] }, runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } } },
};

let files: { key: string; envelope: string; entry: string; root: string; model: string; otherEntry: string };
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sigstore-int-'));
  const envelope = envelopeFor(statement);
  const other = envelopeFor({ ...statement, subject: [{ name: 'other', digest: { sha256: 'b'.repeat(64) } }] });
  const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  log.appendDsse({ envelopeJson: other.json, payloadType: 'application/vnd.in-toto+json', payload: other.payload, signatures: [{ sig: other.sig, verifierPem: pem }] }, Math.floor(NOW.getTime() / 1000) - 60);
  log.appendDsse({ envelopeJson: envelope.json, payloadType: 'application/vnd.in-toto+json', payload: envelope.payload, signatures: [{ sig: envelope.sig, verifierPem: pem }] }, Math.floor(NOW.getTime() / 1000) - 60);
  const write = (name: string, content: string | Buffer): string => { writeFileSync(path.join(work, name), content); return path.join(work, name); };
  files = {
    key: write('cosign.pub', pem),
    envelope: write('model.build-slsa', envelope.json),
    entry: write('rekor-entry.json', JSON.stringify(log.entryJson(1))),
    otherEntry: write('other-entry.json', JSON.stringify(log.entryJson(0))),
    root: write('trusted_root.json', JSON.stringify(log.trustedRoot())),
    model: write('model.bin', model),
  };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = (): VerifyModelAttestationOptions => ({ key: files.key, signaturePath: files.envelope, modelPath: files.model, trustedRoot: files.root, rekorEntryPaths: [files.entry], now: NOW });

describe('verifyModelAttestation with a saved log entry', () => {
  test('verifies with the log check, and says which checks ran', async () => {
    const result = await verifyModelAttestation(base());
    expect(result).toMatchObject({ verified: true, checks: { transparencyLog: 'verified', subject: 'file', logEntries: [{ logIndex: '1', kind: 'dsse 0.0.1', proofs: ['signed entry timestamp', 'inclusion proof'] }] } });
    expect(result.reason).toContain('in the transparency log');
  });

  test('the log check is required by default: no entry, no trusted root are usage errors naming the flag', async () => {
    const { rekorEntryPaths: _e, ...noEntry } = base();
    expect(await verifyModelAttestation(noEntry)).toMatchObject({ verified: false, failure: 'usage', reason: expect.stringContaining('--rekor-entry FILE') });
    const { trustedRoot: _r, ...noRoot } = base();
    expect(await verifyModelAttestation(noRoot)).toMatchObject({ verified: false, failure: 'usage', reason: expect.stringContaining('--trusted-root FILE') });
  });

  test('--insecure-ignore-tlog skips it, and the result says so', async () => {
    const { rekorEntryPaths: _e, trustedRoot: _r, ...rest } = base();
    const result = await verifyModelAttestation({ ...rest, insecureIgnoreTlog: true });
    expect(result).toMatchObject({ verified: true, checks: { transparencyLog: 'skipped' } });
    expect(result.reason).not.toContain('transparency log');
  });

  test('an entry of another envelope is rejected', async () => {
    expect(await verifyModelAttestation({ ...base(), rekorEntryPaths: [files.otherEntry] })).toMatchObject({ verified: false, failure: 'rejected', reason: expect.stringContaining('tlog entry signature mismatch') });
  });

  test('an entry that is not JSON is unreadable', async () => {
    expect(await verifyModelAttestation({ ...base(), rekorEntryPaths: [files.model] })).toMatchObject({ verified: false, failure: 'unreadable' });
  });

  test('--type any accepts any predicate type; the subject check still applies', async () => {
    expect(await verifyModelAttestation({ ...base(), predicateType: 'any' })).toMatchObject({ verified: true });
    expect(await verifyModelAttestation({ ...base(), predicateType: 'custom' })).toMatchObject({ verified: false, failure: 'rejected' });
    expect(await verifyModelAttestation({ ...base(), predicateType: 'any', modelSha256: 'c'.repeat(64), modelPath: undefined })).toMatchObject({ verified: false, reason: expect.stringContaining('no subject matches') });
  });

  test('a model directory verifies file by file', async () => {
    const dir = path.join(work, 'dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'model.bin'), model);
    const { modelPath: _m, ...rest } = base();
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir })).toMatchObject({ verified: true, checks: { subject: 'directory', modelDirectory: [{ path: 'model.bin', subject: 'model.bin' }] } });
    writeFileSync(path.join(dir, 'extra.txt'), 'x');
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir })).toMatchObject({ verified: false, reason: expect.stringContaining('extra.txt') });
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir, allowExtraFiles: true })).toMatchObject({ verified: true });
  });
});

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'sigstore');
const have = existsSync(path.join(CONFORMANCE, 'conformance'));
if (!have) console.log(`skipping the bundle cases: ${CONFORMANCE} is absent`);
const IDENTITY = { identity: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main', oidcIssuer: 'https://token.actions.githubusercontent.com' };

(have ? describe : describe.skip)('verifyModelAttestation with a Sigstore bundle', () => {
  const c = (name: string, file: string): string => path.join(CONFORMANCE, 'conformance', name, file);
  const a = path.join(CONFORMANCE, 'conformance', 'a.txt');
  const root = path.join(CONFORMANCE, 'trusted_root.public-good.json');

  test('a keyless DSSE bundle verifies with the identity and issuer, and the subject is checked', async () => {
    const result = await verifyModelAttestation({ bundlePath: c('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'), trustedRoot: root, certificateIdentity: IDENTITY, modelPath: a });
    expect(result).toMatchObject({ verified: true, checks: { transparencyLog: 'verified', certificate: { identity: IDENTITY.identity, oidcIssuer: IDENTITY.oidcIssuer } } });
    expect(result.checks?.signer).toContain('certificate for https://github.com/sigstore-conformance');
  });

  test('another identity, a regexp that does not match, or no identity are refused', async () => {
    const bundlePath = c('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json');
    expect(await verifyModelAttestation({ bundlePath, trustedRoot: root, certificateIdentity: { ...IDENTITY, identity: 'https://github.com/acme/x' }, modelPath: a })).toMatchObject({ verified: false, failure: 'rejected' });
    expect(await verifyModelAttestation({ bundlePath, trustedRoot: root, certificateIdentity: { identityRegExp: '^https://github\\.com/acme/', oidcIssuer: IDENTITY.oidcIssuer }, modelPath: a })).toMatchObject({ verified: false });
    expect(await verifyModelAttestation({ bundlePath, trustedRoot: root, certificateIdentity: { identityRegExp: '^https://github\\.com/sigstore-conformance/', oidcIssuer: IDENTITY.oidcIssuer }, modelPath: a })).toMatchObject({ verified: true });
    expect(await verifyModelAttestation({ bundlePath, trustedRoot: root, modelPath: a })).toMatchObject({ verified: false, failure: 'usage', reason: expect.stringContaining('--certificate-identity') });
  });

  test('a message-signature bundle verifies the file itself, as cosign verify-blob --bundle', async () => {
    const result = await verifyModelAttestation({ bundlePath: c('happy-path-v0.3', 'bundle.sigstore.json'), trustedRoot: root, certificateIdentity: IDENTITY, modelPath: a });
    expect(result).toMatchObject({ verified: true, checks: { subject: 'message signature', transparencyLog: 'verified' }, modelSha256: createHash('sha256').update(require('node:fs').readFileSync(a)).digest('hex') });
    expect(await verifyModelAttestation({ bundlePath: c('happy-path-v0.3', 'bundle.sigstore.json'), trustedRoot: root, certificateIdentity: IDENTITY, modelPath: files.model })).toMatchObject({ verified: false });
  });

  test('a key-signed bundle verifies with --key', async () => {
    expect(await verifyModelAttestation({ bundlePath: c('managed-key-happy-path', 'bundle.sigstore.json'), key: c('managed-key-happy-path', 'key.pub'), trustedRoot: root, modelPath: a })).toMatchObject({ verified: true });
  });
});
