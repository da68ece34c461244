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
  return {
    json: JSON.stringify({
      payloadType: 'application/vnd.in-toto+json',
      payload: payload.toString('base64'),
      signatures: [{ keyid: '', sig }],
    }),
    payload,
    sig,
  };
}

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'model.bin', digest: { sha256 } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] },
    runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } },
  },
};

let files: { key: string; envelope: string; entry: string; root: string; model: string; otherEntry: string };
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sigstore-int-'));
  const envelope = envelopeFor(statement);
  const other = envelopeFor({ ...statement, subject: [{ name: 'other', digest: { sha256: 'b'.repeat(64) } }] });
  const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  log.appendDsse(
    {
      envelopeJson: other.json,
      payloadType: 'application/vnd.in-toto+json',
      payload: other.payload,
      signatures: [{ sig: other.sig, verifierPem: pem }],
    },
    Math.floor(NOW.getTime() / 1000) - 60,
  );
  log.appendDsse(
    {
      envelopeJson: envelope.json,
      payloadType: 'application/vnd.in-toto+json',
      payload: envelope.payload,
      signatures: [{ sig: envelope.sig, verifierPem: pem }],
    },
    Math.floor(NOW.getTime() / 1000) - 60,
  );
  const write = (name: string, content: string | Buffer): string => {
    writeFileSync(path.join(work, name), content);
    return path.join(work, name);
  };
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

const base = (): VerifyModelAttestationOptions => ({
  key: files.key,
  signaturePath: files.envelope,
  modelPath: files.model,
  trustedRoot: files.root,
  rekorEntryPaths: [files.entry],
  now: NOW,
});

describe('verifyModelAttestation with a saved log entry', () => {
  test('verifies with the log check, and says which checks ran', async () => {
    const result = await verifyModelAttestation(base());
    expect(result).toMatchObject({
      verified: true,
      checks: {
        transparencyLog: 'verified',
        subject: 'file',
        logEntries: [{ logIndex: '1', kind: 'dsse 0.0.1', proofs: ['signed entry timestamp', 'inclusion proof'] }],
      },
    });
    expect(result.reason).toContain('in the transparency log');
  });

  test('the log check is required by default: no entry, no trusted root are usage errors naming the flag', async () => {
    const { rekorEntryPaths: _e, ...noEntry } = base();
    expect(await verifyModelAttestation(noEntry)).toMatchObject({
      verified: false,
      failure: 'usage',
      reason: expect.stringContaining('--rekor-entry FILE'),
    });
    const { trustedRoot: _r, ...noRoot } = base();
    expect(await verifyModelAttestation(noRoot)).toMatchObject({
      verified: false,
      failure: 'usage',
      reason: expect.stringContaining('--trusted-root FILE'),
    });
  });

  test('--insecure-ignore-tlog skips it, and the result says so', async () => {
    const { rekorEntryPaths: _e, trustedRoot: _r, ...rest } = base();
    const result = await verifyModelAttestation({ ...rest, insecureIgnoreTlog: true });
    expect(result).toMatchObject({ verified: true, checks: { transparencyLog: 'skipped' } });
    expect(result.reason).not.toContain('transparency log');
  });

  test('an entry of another envelope is rejected', async () => {
    expect(await verifyModelAttestation({ ...base(), rekorEntryPaths: [files.otherEntry] })).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringContaining('tlog entry signature mismatch'),
    });
  });

  test('an entry that is not JSON is unreadable', async () => {
    expect(await verifyModelAttestation({ ...base(), rekorEntryPaths: [files.model] })).toMatchObject({
      verified: false,
      failure: 'unreadable',
    });
  });

  test('--type any accepts any predicate type; the subject check still applies', async () => {
    expect(await verifyModelAttestation({ ...base(), predicateType: 'any' })).toMatchObject({ verified: true });
    expect(await verifyModelAttestation({ ...base(), predicateType: 'custom' })).toMatchObject({ verified: false, failure: 'rejected' });
    expect(
      await verifyModelAttestation({ ...base(), predicateType: 'any', modelSha256: 'c'.repeat(64), modelPath: undefined }),
    ).toMatchObject({ verified: false, reason: expect.stringContaining('no subject matches') });
  });

  test('a model directory verifies file by file', async () => {
    const dir = path.join(work, 'dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'model.bin'), model);
    const { modelPath: _m, ...rest } = base();
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir })).toMatchObject({
      verified: true,
      checks: { subject: 'directory', modelDirectory: [{ path: 'model.bin', subject: 'model.bin' }] },
    });
    writeFileSync(path.join(dir, 'extra.txt'), 'x');
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir })).toMatchObject({
      verified: false,
      reason: expect.stringContaining('extra.txt'),
    });
    expect(await verifyModelAttestation({ ...rest, modelDirectory: dir, allowExtraFiles: true })).toMatchObject({ verified: true });
  });
});

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'sigstore');
const have = existsSync(path.join(CONFORMANCE, 'conformance'));
if (!have) console.log(`skipping the bundle cases: ${CONFORMANCE} is absent`);
const IDENTITY = {
  identity:
    'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
  oidcIssuer: 'https://token.actions.githubusercontent.com',
};

(have ? describe : describe.skip)('verifyModelAttestation with a Sigstore bundle', () => {
  const c = (name: string, file: string): string => path.join(CONFORMANCE, 'conformance', name, file);
  const a = path.join(CONFORMANCE, 'conformance', 'a.txt');
  const root = path.join(CONFORMANCE, 'trusted_root.public-good.json');

  test('a keyless DSSE bundle verifies with the identity and issuer, and the subject is checked', async () => {
    const result = await verifyModelAttestation({
      bundlePath: c('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'),
      trustedRoot: root,
      certificateIdentity: IDENTITY,
      modelPath: a,
    });
    expect(result).toMatchObject({
      verified: true,
      checks: { transparencyLog: 'verified', certificate: { identity: IDENTITY.identity, oidcIssuer: IDENTITY.oidcIssuer } },
    });
    expect(result.checks?.signer).toContain('certificate for https://github.com/sigstore-conformance');
  });

  test('another identity, a regexp that does not match, or no identity are refused', async () => {
    const bundlePath = c('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json');
    expect(
      await verifyModelAttestation({
        bundlePath,
        trustedRoot: root,
        certificateIdentity: { ...IDENTITY, identity: 'https://github.com/acme/x' },
        modelPath: a,
      }),
    ).toMatchObject({ verified: false, failure: 'rejected' });
    expect(
      await verifyModelAttestation({
        bundlePath,
        trustedRoot: root,
        certificateIdentity: { identityRegExp: '^https://github\\.com/acme/', oidcIssuer: IDENTITY.oidcIssuer },
        modelPath: a,
      }),
    ).toMatchObject({ verified: false });
    expect(
      await verifyModelAttestation({
        bundlePath,
        trustedRoot: root,
        certificateIdentity: { identityRegExp: '^https://github\\.com/sigstore-conformance/', oidcIssuer: IDENTITY.oidcIssuer },
        modelPath: a,
      }),
    ).toMatchObject({ verified: true });
    expect(await verifyModelAttestation({ bundlePath, trustedRoot: root, modelPath: a })).toMatchObject({
      verified: false,
      failure: 'usage',
      reason: expect.stringContaining('--certificate-identity'),
    });
  });

  test('a bundle whose envelope is not an in-toto statement is refused before anything else', async () => {
    const bundle = JSON.parse(require('node:fs').readFileSync(c('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'), 'utf8'));
    bundle.dsseEnvelope.payloadType = 'text/plain';
    const file = path.join(work, 'text-bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    expect(
      await verifyModelAttestation({ bundlePath: file, trustedRoot: root, certificateIdentity: IDENTITY, modelPath: a }),
    ).toMatchObject({ verified: false, failure: 'rejected', reason: expect.stringContaining('payloadType is "text/plain"') });
  });

  test('a message-signature bundle verifies the file itself, as cosign verify-blob --bundle', async () => {
    const result = await verifyModelAttestation({
      bundlePath: c('happy-path-v0.3', 'bundle.sigstore.json'),
      trustedRoot: root,
      certificateIdentity: IDENTITY,
      modelPath: a,
    });
    expect(result).toMatchObject({
      verified: true,
      checks: { subject: 'message signature', transparencyLog: 'verified' },
      modelSha256: createHash('sha256').update(require('node:fs').readFileSync(a)).digest('hex'),
    });
    expect(
      await verifyModelAttestation({
        bundlePath: c('happy-path-v0.3', 'bundle.sigstore.json'),
        trustedRoot: root,
        certificateIdentity: IDENTITY,
        modelPath: files.model,
      }),
    ).toMatchObject({ verified: false });
  });

  test('a key-signed bundle verifies with --key', async () => {
    expect(
      await verifyModelAttestation({
        bundlePath: c('managed-key-happy-path', 'bundle.sigstore.json'),
        key: c('managed-key-happy-path', 'key.pub'),
        trustedRoot: root,
        modelPath: a,
      }),
    ).toMatchObject({ verified: true });
  });
});

(have ? describe : describe.skip)(
  'verifyModelAttestation keyless, from an envelope, its certificate and its Rekor entry (as Chains stores them)',
  () => {
    // Real public-good data: the conformance case's envelope, Fulcio certificate and Rekor entry, taken apart
    // into the files keyless Chains leaves (envelope, cert annotation) and fetch-attestation.sh saves (Rekor's JSON).
    const dir = path.join(CONFORMANCE, 'conformance', 'happy-path-intoto-in-dsse-v3');
    const a = path.join(CONFORMANCE, 'conformance', 'a.txt');
    const root = path.join(CONFORMANCE, 'trusted_root.public-good.json');
    let files: { envelope: string; cert: string; entry: string };
    beforeAll(() => {
      const fs = require('node:fs');
      const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'bundle.sigstore.json'), 'utf8'));
      const tlog = bundle.verificationMaterial.tlogEntries[0];
      const hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');
      const body = Buffer.from(tlog.canonicalizedBody, 'base64');
      const uuid = createHash('sha256')
        .update(Buffer.from([0]))
        .update(body)
        .digest('hex');
      const entry = {
        [uuid]: {
          body: tlog.canonicalizedBody,
          integratedTime: Number(tlog.integratedTime),
          logID: hex(tlog.logId.keyId),
          logIndex: Number(tlog.logIndex),
          verification: {
            signedEntryTimestamp: tlog.inclusionPromise.signedEntryTimestamp,
            inclusionProof: {
              checkpoint: tlog.inclusionProof.checkpoint.envelope,
              hashes: tlog.inclusionProof.hashes.map(hex),
              logIndex: Number(tlog.inclusionProof.logIndex),
              rootHash: hex(tlog.inclusionProof.rootHash),
              treeSize: Number(tlog.inclusionProof.treeSize),
            },
          },
        },
      };
      const pem = `-----BEGIN CERTIFICATE-----\n${bundle.verificationMaterial.certificate.rawBytes.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
      const write = (name: string, content: string): string => {
        writeFileSync(path.join(work, name), content);
        return path.join(work, name);
      };
      files = {
        envelope: write(
          'keyless.build-slsa',
          JSON.stringify({
            payloadType: bundle.dsseEnvelope.payloadType,
            payload: bundle.dsseEnvelope.payload,
            signatures: bundle.dsseEnvelope.signatures,
          }),
        ),
        cert: write('keyless.crt', Buffer.from(pem).toString('base64')),
        entry: write('keyless-entry.json', JSON.stringify(entry)),
      };
    });

    test("verifies with the identity, the certificate checked at the entry's time", async () => {
      const result = await verifyModelAttestation({
        signaturePath: files.envelope,
        certificatePath: files.cert,
        rekorEntryPaths: [files.entry],
        trustedRoot: root,
        certificateIdentity: IDENTITY,
        modelPath: a,
      });
      expect(result).toMatchObject({
        verified: true,
        checks: { transparencyLog: 'verified', certificate: { identity: IDENTITY.identity } },
      });
    });

    test('another identity, no identity, or no log entry (nothing says when the 10-minute certificate signed) are refused', async () => {
      const base = { signaturePath: files.envelope, certificatePath: files.cert, trustedRoot: root, modelPath: a };
      expect(
        await verifyModelAttestation({
          ...base,
          rekorEntryPaths: [files.entry],
          certificateIdentity: { ...IDENTITY, oidcIssuer: 'https://accounts.google.com' },
        }),
      ).toMatchObject({ verified: false, failure: 'rejected' });
      expect(await verifyModelAttestation({ ...base, rekorEntryPaths: [files.entry] })).toMatchObject({
        verified: false,
        failure: 'usage',
      });
      expect(await verifyModelAttestation({ ...base, certificateIdentity: IDENTITY, insecureIgnoreTlog: true })).toMatchObject({
        verified: false,
        reason: expect.stringContaining('its validity cannot be checked'),
      });
    });
  },
);
