// The public DSSE fixtures of ../shared/fixtures/dsse, with the verdicts SOURCES.md records.
import { createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envelopeFromJson, parseDsseEnvelope } from '../src/verify/dsse-envelope';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { signatureMatches, verifyDsseEnvelope } from '../src/verify/dsse-signature-verification';
import { decodeStrictBase64 } from '../src/verify/strict-base64';
import { parsePublicKeyPem } from '../src/verify/verification-key';
import { verifyModelAttestation as verifyWithLogCheck } from '../src/verify/verify-model-attestation';

// These cases predate the transparency-log check (now on by default) and judge everything else:
// they run as with --insecure-ignore-tlog. The log check has its own tests (verify-sigstore-*.test.ts).
const verifyModelAttestation = (options: Parameters<typeof verifyWithLogCheck>[0]) =>
  verifyWithLogCheck({ insecureIgnoreTlog: true, ...options });

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const FIXTURES = path.join(SHARED, 'fixtures', 'dsse');
const present = fs.existsSync(FIXTURES);
if (!present) console.log(`verify fixtures: skipped, ${FIXTURES} does not exist (it holds the public cosign/Chains/GCB/DSSE vectors)`);
const describeWithFixtures = present ? describe : describe.skip;

const fixture = (relative: string): string => path.join(FIXTURES, relative);
const COSIGN = 'cosign-verify-blob-attestation-test';
const CHAINS = 'tekton-chains-real';
const GCB = 'slsa-verifier-gcb';
const SOME_PAYLOAD_SHA256 = '658781cd4ed9bca60dacd09f7bb914bb51502e8b5d619f57f39a1d652596cc24';

let work: string;
let somePayload: string;
let anotherBlob: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-fixtures-'));
  somePayload = path.join(work, 'some-payload');
  anotherBlob = path.join(work, 'another-blob');
  fs.writeFileSync(somePayload, 'some-payload');
  fs.writeFileSync(anotherBlob, 'another-blob');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Writes the DSSE envelope of a `gcloud artifacts docker images describe --show-all-metadata` output to a file. */
function gcbEnvelope(file: string): string {
  const described = JSON.parse(fs.readFileSync(fixture(`${GCB}/${file}`), 'utf8'));
  const out = path.join(work, `${file}.envelope.json`);
  fs.writeFileSync(out, JSON.stringify(described.provenance_summary.provenance[0].envelope));
  return out;
}

describeWithFixtures('cosign verify-blob-attestation test table', () => {
  const cases: [string, string, 'some' | 'another', boolean, RegExp][] = [
    ['blobSLSAProvenanceSignature', 'slsaprovenance', 'some', true, /^verified blob sha256:658781cd/],
    [
      'blobSLSAProvenanceSignature',
      'custom',
      'some',
      false,
      /^statement predicateType is https:\/\/slsa.dev\/provenance\/v0.2, not https:\/\/cosign.sigstore.dev\/attestation\/v1/,
    ],
    ['blobSLSAProvenanceSignature', 'slsaprovenance', 'another', false, /^no subject matches sha256:.* \(subjects: blob sha256:658781cd/],
    ['dssePredicateEmptySubject', 'slsaprovenance', 'some', false, /the statement has no subjects/],
    [
      'dssePredicateMissingSha256',
      'slsaprovenance',
      'some',
      false,
      /^no subject matches sha256:658781cd.*\(subjects: blob \(no sha256\)\)/,
    ],
    ['dssePredicateMultipleSubjects', 'slsaprovenance', 'some', true, /^verified blob sha256:658781cd/],
    ['dssePredicateMultipleSubjectsInvalid', 'slsaprovenance', 'some', false, /^no subject matches sha256:658781cd/],
  ];
  test.each(cases)('%s --type %s with %s blob: verified %s', async (name, type, blob, verified, reason) => {
    const result = await verifyModelAttestation({
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${COSIGN}/${name}.envelope.json`),
      predicateType: type,
      modelPath: blob === 'some' ? somePayload : anotherBlob,
    });
    expect(result.verified).toBe(verified);
    expect(result.reason).toMatch(reason);
    expect(result.failure).toBe(verified ? undefined : 'rejected');
  });

  test('the default type (slsaprovenance1) refuses these v0.2 statements by predicate type', async () => {
    const result = await verifyModelAttestation({
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
      modelPath: somePayload,
    });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toBe(
      'statement predicateType is https://slsa.dev/provenance/v0.2, not https://slsa.dev/provenance/v1 (that is --type slsaprovenance)',
    );
  });

  test('notreallyslsaprovenance is not a predicate type: a usage failure', async () => {
    const result = await verifyModelAttestation({
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${COSIGN}/dssePredicateMultipleSubjects.envelope.json`),
      predicateType: 'notreallyslsaprovenance',
      modelPath: somePayload,
    });
    expect(result).toMatchObject({ verified: false, failure: 'usage' });
    expect(result.reason).toMatch(/^invalid predicate type "notreallyslsaprovenance"/);
  });

  test('--digest instead of the blob passes; a wrong digest does not', async () => {
    const base = {
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
      predicateType: 'slsaprovenance',
    };
    expect((await verifyModelAttestation({ ...base, modelSha256: SOME_PAYLOAD_SHA256 })).verified).toBe(true);
    expect((await verifyModelAttestation({ ...base, modelSha256: SOME_PAYLOAD_SHA256.toUpperCase() })).verified).toBe(true);
    expect((await verifyModelAttestation({ ...base, modelSha256: SOME_PAYLOAD_SHA256.replace(/^6/, '7') })).verified).toBe(false);
  });

  test("a blob over cosign's 128-byte test limit still verifies (no size limit here)", async () => {
    const big = path.join(work, 'big');
    fs.writeFileSync(big, Buffer.alloc(1000, 1));
    const result = await verifyModelAttestation({
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
      predicateType: 'slsaprovenance',
      modelPath: big,
    });
    expect(result.reason).toMatch(/^no subject matches/); // read and hashed, judged on its digest, not refused for size
  });

  test('--check-claims=false passes with any blob or none', async () => {
    for (const modelPath of [anotherBlob, undefined, '/dev/null']) {
      const result = await verifyModelAttestation({
        key: fixture(`${COSIGN}/cosign.pub`),
        signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
        predicateType: 'slsaprovenance',
        checkClaims: false,
        ...(modelPath ? { modelPath } : {}),
      });
      expect(result).toMatchObject({ verified: true, reason: expect.stringMatching(/claims not checked/) });
    }
  });

  test('every envelope has a valid high- or low-S signature over PAE for cosign.pub', () => {
    const key = parsePublicKeyPem(fs.readFileSync(fixture(`${COSIGN}/cosign.pub`), 'utf8'), 'cosign.pub');
    for (const name of [
      'blobSLSAProvenanceSignature',
      'dssePredicateEmptySubject',
      'dssePredicateMissingSha256',
      'dssePredicateMultipleSubjects',
      'dssePredicateMultipleSubjectsInvalid',
    ]) {
      const envelope = parseDsseEnvelope(fs.readFileSync(fixture(`${COSIGN}/${name}.envelope.json`)), name);
      expect(verifyDsseEnvelope(envelope, key).signatureIndex).toBe(0);
    }
  });
});

describeWithFixtures('real Tekton Chains v0.14.0 envelopes (subject null)', () => {
  const envelopes = ['taskrun-03f26b1e-50d0-402c-9b54-f22880b3893c', 'taskrun-f96d34f5-b711-4378-8200-9c0b67265922'];
  test.each(envelopes)('%s verifies with --check-claims=false and --type slsaprovenance', async (name) => {
    const result = await verifyModelAttestation({
      key: fixture(`${CHAINS}/signer.pub.pem`),
      signaturePath: fixture(`${CHAINS}/${name}.envelope.json`),
      predicateType: 'slsaprovenance',
      checkClaims: false,
    });
    expect(result.verified).toBe(true);
    expect(result.attestation).toMatchObject({
      statementType: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subjects: [],
      builderId: 'https://tekton.dev/chains/v2',
      buildType: 'tekton.dev/v1beta1/TaskRun',
      signature: { index: 0, keyid: 'SHA256:caEJWYJSxy1SVF2KObm5Rr3Yt6xIb4T2w56FHtCg8WI' },
      keyDescription: 'ecdsa p-256',
    });
  });

  test.each(envelopes)('%s fails any subject check ("no subjects")', async (name) => {
    const result = await verifyModelAttestation({
      key: fixture(`${CHAINS}/signer.pub.pem`),
      signaturePath: fixture(`${CHAINS}/${name}.envelope.json`),
      predicateType: 'slsaprovenance',
      modelPath: somePayload,
    });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toMatch(/^no subject matches sha256:658781cd.*: the statement has no subjects/);
  });

  test.each(envelopes)('%s fails with the cosign test key', async (name) => {
    const result = await verifyModelAttestation({
      key: fixture(`${COSIGN}/cosign.pub`),
      signaturePath: fixture(`${CHAINS}/${name}.envelope.json`),
      predicateType: 'slsaprovenance',
      checkClaims: false,
    });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toMatch(/^the signature does not verify with the ecdsa p-256 key .*cosign.pub$/);
  });

  test('the high-S signature of 03f26b1e is accepted (S > n/2)', () => {
    const envelope = parseDsseEnvelope(fs.readFileSync(fixture(`${CHAINS}/${envelopes[0]}.envelope.json`)), 'envelope');
    const sig = decodeStrictBase64(envelope.signatures[0].sig);
    if (!sig.ok) throw new Error(sig.error);
    // DER: 30 len 02 rlen r 02 slen s; check S really is high so the test means what it says.
    const rLength = sig.bytes[3];
    const s = BigInt(`0x${sig.bytes.subarray(4 + rLength + 2).toString('hex')}`);
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    expect(s > n / 2n).toBe(true);
    const key = parsePublicKeyPem(fs.readFileSync(fixture(`${CHAINS}/signer.pub.pem`), 'utf8'), 'signer.pub.pem');
    expect(verifyDsseEnvelope(envelope, key).keyid).toBe('SHA256:caEJWYJSxy1SVF2KObm5Rr3Yt6xIb4T2w56FHtCg8WI');
  });

  test('the envelope stored base64-encoded (as in the Chains annotation) reads the same', async () => {
    const encoded = path.join(work, 'annotation.b64');
    fs.writeFileSync(encoded, fs.readFileSync(fixture(`${CHAINS}/${envelopes[1]}.envelope.json`)).toString('base64'));
    const result = await verifyModelAttestation({
      key: fixture(`${CHAINS}/signer.pub.pem`),
      signaturePath: encoded,
      predicateType: 'slsaprovenance',
      checkClaims: false,
    });
    expect(result.verified).toBe(true);
  });
});

describeWithFixtures('Google Cloud Build envelopes (URL-safe base64 signatures)', () => {
  test('the v1.0 envelope verifies with the google-hosted-worker key, with its subject, builder and source', async () => {
    const result = await verifyModelAttestation({
      key: fixture(`${GCB}/global-pae-google-hosted-worker_1.key`),
      signaturePath: gcbEnvelope('v1.0-gcloud-container-github-v1.0-valid.json'),
      modelSha256: '7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3',
      policy: {
        builderId: 'https://cloudbuild.googleapis.com/GoogleHostedWorker',
        sourceUri: 'git+https://github.com/khalkie/gcb-prod-prov',
        sourceDigest: '2ce3f90facdb51aeb950d5bc641e981be61fdf48',
      },
    });
    expect(result.reason).toMatch(/^verified /);
    expect(result.attestation).toMatchObject({
      statementType: 'https://in-toto.io/Statement/v1',
      predicateType: 'https://slsa.dev/provenance/v1',
      builderId: 'https://cloudbuild.googleapis.com/GoogleHostedWorker',
      buildType: 'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
      source: { uri: 'git+https://github.com/khalkie/gcb-prod-prov@refs/heads/main', commit: '2ce3f90facdb51aeb950d5bc641e981be61fdf48' },
      signature: {
        index: 0,
        keyid: 'projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1',
      },
    });
    expect(result.attestation!.subjects).toHaveLength(2);
  });

  test('the v1.0 envelope: policy failures name what is recorded', async () => {
    const base = {
      key: fixture(`${GCB}/global-pae-google-hosted-worker_1.key`),
      signaturePath: gcbEnvelope('v1.0-gcloud-container-github-v1.0-valid.json'),
      modelSha256: '7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3',
    };
    expect((await verifyModelAttestation({ ...base, policy: { builderId: 'https://tekton.dev/chains/v2' } })).reason).toBe(
      'builder id is https://cloudbuild.googleapis.com/GoogleHostedWorker, not https://tekton.dev/chains/v2',
    );
    expect((await verifyModelAttestation({ ...base, policy: { sourceUri: 'git+https://github.com/khalkie/other' } })).reason).toBe(
      'no resolved dependency has source uri git+https://github.com/khalkie/other (recorded: git+https://github.com/khalkie/gcb-prod-prov@refs/heads/main, gcr.io/cloud-builders/docker@sha256:d048af25a6f8945fa77e3aa679e49a8f8a8011f0050aab0364034e58f445a434)',
    );
    expect(
      (await verifyModelAttestation({ ...base, policy: { sourceUri: 'git+https://github.com/khalkie/gcb-prod-prov@refs/heads/dev' } }))
        .verified,
    ).toBe(false);
    expect(
      (await verifyModelAttestation({ ...base, policy: { sourceUri: 'git+https://github.com/khalkie/gcb-prod-prov@refs/heads/main' } }))
        .verified,
    ).toBe(true);
    expect((await verifyModelAttestation({ ...base, policy: { sourceDigest: '0000000000000000000000000000000000000000' } })).reason).toBe(
      'the provenance is at commit 2ce3f90facdb51aeb950d5bc641e981be61fdf48, not 0000000000000000000000000000000000000000',
    );
  });

  test('the v0.1 envelope verifies with the provenanceSigner key', async () => {
    const result = await verifyModelAttestation({
      key: fixture(`${GCB}/global-pae-provenanceSigner_1.key`),
      signaturePath: gcbEnvelope('gcloud-container-global-pae-signing-key-successful.json'),
      predicateType: 'https://slsa.dev/provenance/v0.1',
      modelSha256: 'f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4',
    });
    expect(result.reason).toMatch(/^verified /);
    expect(result.attestation?.statementType).toBe('https://in-toto.io/Statement/v0.1');
  });

  test.each([
    ['v1.0-gcloud-container-github-v1.0-valid.json', 'global-pae-provenanceSigner_1.key'],
    ['gcloud-container-global-pae-signing-key-successful.json', 'global-pae-google-hosted-worker_1.key'],
  ])('%s fails with the other key (%s)', async (file, key) => {
    const result = await verifyModelAttestation({
      key: fixture(`${GCB}/${key}`),
      signaturePath: gcbEnvelope(file),
      predicateType: 'slsaprovenance1',
      checkClaims: false,
    });
    expect(result).toMatchObject({ verified: false, failure: 'rejected', reason: expect.stringMatching(/^the signature does not verify/) });
  });

  test('the signatures really are URL-safe base64', () => {
    const described = JSON.parse(fs.readFileSync(fixture(`${GCB}/v1.0-gcloud-container-github-v1.0-valid.json`), 'utf8'));
    const envelope = envelopeFromJson(described.provenance_summary.provenance[0].envelope, 'gcb');
    expect(envelope.signatures[0].sig).toMatch(/[-_]/);
    expect(envelope.signatures[0].sig).not.toMatch(/[+/]/);
  });
});

describeWithFixtures('DSSE protocol test vector (raw r||s signature)', () => {
  // The key is published only as decimal coordinates in protocol.md; build the JWK from them here.
  const toBase64Url = (decimal: string): string => Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
  const keyObject = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: toBase64Url('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
      y: toBase64Url('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
    },
    format: 'jwk',
  });
  const key = { keyObject, description: 'ecdsa p-256', source: 'protocol.md' };

  test('PAE is the spec string and the 64-byte raw signature verifies', () => {
    const envelope = parseDsseEnvelope(fs.readFileSync(fixture('dsse-spec/protocol-test-vector.envelope.json')), 'vector');
    const payload = decodeStrictBase64(envelope.payload);
    const sig = decodeStrictBase64(envelope.signatures[0].sig);
    if (!payload.ok || !sig.ok) throw new Error('fixture is not base64');
    const pae = preAuthenticationEncoding(envelope.payloadType, payload.bytes);
    expect(pae.toString('latin1')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    expect(sig.bytes).toHaveLength(64);
    expect(signatureMatches(pae, sig.bytes, key)).toBe(true);
    expect(signatureMatches(Buffer.concat([pae, Buffer.from('!')]), sig.bytes, key)).toBe(false);
  });

  test('as an attestation it is refused for its payload type, not its signature', async () => {
    const result = await verifyModelAttestation({
      key: keyObject,
      signaturePath: fixture('dsse-spec/protocol-test-vector.envelope.json'),
      checkClaims: false,
    });
    expect(result.reason).toBe('envelope payloadType is "http://example.com/HelloWorld", expected "application/vnd.in-toto+json"');
  });
});

describeWithFixtures('keys that are not public keys', () => {
  test.each([
    ['tektoncd-chains-testdata/cosign.key', /is a private key \(ENCRYPTED COSIGN PRIVATE KEY\); pass the public key/],
    ['cosign-keys-test/pemsigstorekey.pem', /is a private key \(ENCRYPTED SIGSTORE PRIVATE KEY\)/],
    ['cosign-keys-test/pemcosignkey.pem', /is a private key \(ENCRYPTED COSIGN PRIVATE KEY\)/],
    ['cosign-keys-test/pemcosigneckey.pem', /is a private key \(ENCRYPTED COSIGN PRIVATE KEY\)/],
    [`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`, /is not a PEM public key/],
  ])('%s is unreadable as a key', async (file, reason) => {
    const result = await verifyModelAttestation({
      key: fixture(file),
      signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
      checkClaims: false,
    });
    expect(result).toMatchObject({ verified: false, failure: 'unreadable' });
    expect(result.reason).toMatch(reason);
  });

  test('the Chains e2e cosign.pub loads as ecdsa p-256 but verifies none of these', async () => {
    const result = await verifyModelAttestation({
      key: fixture('tektoncd-chains-testdata/cosign.pub'),
      signaturePath: fixture(`${COSIGN}/blobSLSAProvenanceSignature.envelope.json`),
      predicateType: 'slsaprovenance',
      checkClaims: false,
    });
    expect(result.reason).toMatch(/^the signature does not verify with the ecdsa p-256 key/);
  });
});

describeWithFixtures('the Chains e2e cosign key pair (encrypted cosign.key, password "p")', () => {
  /** Opens a cosign-format encrypted private key: scrypt KDF + nacl secretbox around PKCS#8 DER. */
  function openCosignKey(pemText: string, password: string): import('node:crypto').KeyObject {
    const { scryptSync, createPrivateKey } = require('node:crypto') as typeof import('node:crypto');
    const nacl = require('tweetnacl') as typeof import('tweetnacl');
    const body = pemText.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const sealed = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    const { N, r, p } = sealed.kdf.params;
    const key = scryptSync(password, Buffer.from(sealed.kdf.salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r });
    const opened = nacl.secretbox.open(Buffer.from(sealed.ciphertext, 'base64'), Buffer.from(sealed.cipher.nonce, 'base64'), key);
    if (!opened) throw new Error('wrong password');
    return createPrivateKey({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' });
  }

  test('an envelope signed with the decrypted cosign.key verifies with cosign.pub through the command path', async () => {
    const privateKey = openCosignKey(fs.readFileSync(fixture('tektoncd-chains-testdata/cosign.key'), 'utf8'), 'p');
    const { sign } = require('node:crypto') as typeof import('node:crypto');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: 'https://slsa.dev/provenance/v1',
      subject: [{ name: 'some-payload', digest: { sha256: SOME_PAYLOAD_SHA256 } }],
      predicate: {
        buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] },
        runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } },
      },
    };
    const payload = Buffer.from(JSON.stringify(statement));
    const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey);
    const file = path.join(work, 'chains-e2e.envelope');
    // Stored as Chains stores it: base64 of the envelope JSON.
    fs.writeFileSync(
      file,
      Buffer.from(
        JSON.stringify({
          payloadType: 'application/vnd.in-toto+json',
          payload: payload.toString('base64'),
          signatures: [{ keyid: 'SHA256:yYS4pD9tqWXZw5+maNJ3gWm9HyoAB0qH0ef0FkIWfYs', sig: sig.toString('base64') }],
        }),
      ).toString('base64'),
    );
    const ok = await verifyModelAttestation({
      key: fixture('tektoncd-chains-testdata/cosign.pub'),
      signaturePath: file,
      modelPath: somePayload,
    });
    expect(ok).toMatchObject({
      verified: true,
      attestation: { signature: { keyid: 'SHA256:yYS4pD9tqWXZw5+maNJ3gWm9HyoAB0qH0ef0FkIWfYs' } },
    });
    const other = await verifyModelAttestation({ key: fixture(`${CHAINS}/signer.pub.pem`), signaturePath: file, modelPath: somePayload });
    expect(other.reason).toMatch(/^the signature does not verify with the ecdsa p-256 key .*signer.pub.pem$/);
    expect(() => openCosignKey(fs.readFileSync(fixture('tektoncd-chains-testdata/cosign.key'), 'utf8'), 'q')).toThrow('wrong password');
  });
});
