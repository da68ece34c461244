// The transparency-log check of a key-signed DSSE envelope, against a real local log (LocalTransparencyLog).
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { parseDsseEnvelope } from '../src/verify/dsse-envelope';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { LocalTransparencyLog } from '../src/verify/sigstore/local-transparency-log';
import { parseRekorEntry } from '../src/verify/sigstore/rekor-entry';
import { parseTrustedRoot } from '../src/verify/sigstore/trusted-root';
import { verifyEnvelopeLogEntries } from '../src/verify/sigstore/verify-envelope-log';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';
import { verificationKeyFromKeyObject } from '../src/verify/verification-key';

const NOW = new Date('2026-06-01T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000) - 3600;
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const key = verificationKeyFromKeyObject(signer.publicKey, 'cosign.pub');
const signerPem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function envelopeOf(text: string, privateKey: KeyObject = signer.privateKey): { json: string; payload: Buffer; sig: string } {
  const payload = Buffer.from(
    JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x', predicate: { text } }),
  );
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey).toString('base64');
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

function logWith(envelopes: ReturnType<typeof envelopeOf>[], time = T, verifierPem = signerPem): LocalTransparencyLog {
  const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
  for (const e of envelopes)
    log.appendDsse(
      { envelopeJson: e.json, payloadType: 'application/vnd.in-toto+json', payload: e.payload, signatures: [{ sig: e.sig, verifierPem }] },
      time,
    );
  return log;
}

const mine = envelopeOf('mine');
const others = [envelopeOf('a'), envelopeOf('b'), envelopeOf('c'), envelopeOf('d')];

function check(
  log: LocalTransparencyLog,
  index: number,
  options: { entry?: Record<string, unknown>; root?: Record<string, unknown>; envelope?: string } = {},
) {
  return verifyEnvelopeLogEntries({
    envelope: parseDsseEnvelope(options.envelope ?? mine.json, 'model.build-slsa'),
    signatureIndex: 0,
    key,
    entries: [parseRekorEntry(JSON.stringify(options.entry ?? log.entryJson(index)), 'rekor-entry.json')],
    trustedRoot: parseTrustedRoot(JSON.stringify(options.root ?? log.trustedRoot()), 'trusted_root.json'),
    now: NOW,
  });
}

function mutate(entry: Record<string, unknown>, change: (value: any) => void): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(entry));
  change(Object.values(copy)[0]);
  return copy;
}

describe('verifyEnvelopeLogEntries', () => {
  test('an entry among others verifies: signed entry timestamp and inclusion proof to the checkpoint', () => {
    const log = logWith([others[0], others[1], mine, others[2], others[3]]);
    const checks = check(log, 2);
    expect(checks.transparencyLog).toEqual([
      {
        logIndex: '2',
        logId: log.logId.toString('hex'),
        kind: 'dsse 0.0.1',
        integratedTime: new Date(T * 1000).toISOString(),
        proofs: ['signed entry timestamp', 'inclusion proof'],
      },
    ]);
  });

  test.each([1, 2, 3, 7, 8, 9])('inclusion proofs hold in a tree of %i entries', (size) => {
    const log = logWith([...Array.from({ length: size - 1 }, (_, i) => envelopeOf(`x${i}`)), mine]);
    expect(check(log, size - 1).transparencyLog).toHaveLength(1);
  });

  test('an intoto 0.0.2 entry (cosign attest) verifies too; its body is matched the same way', () => {
    const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
    log.appendIntoto(
      {
        envelopeJson: mine.json,
        payloadType: 'application/vnd.in-toto+json',
        payload: mine.payload,
        signatures: [{ sig: mine.sig, verifierPem: signerPem }],
      },
      T,
    );
    log.appendIntoto(
      {
        envelopeJson: others[0].json,
        payloadType: 'application/vnd.in-toto+json',
        payload: others[0].payload,
        signatures: [{ sig: others[0].sig, verifierPem: signerPem }],
      },
      T,
    );
    expect(check(log, 0).transparencyLog[0].kind).toBe('intoto 0.0.2');
    expect(() => check(log, 1)).toThrow(/signature mismatch/);
  });

  test('an entry of another envelope is refused', () => {
    const log = logWith([others[0], mine]);
    expect(() => check(log, 0)).toThrow(/tlog entry signature mismatch/);
  });

  test('a broken inclusion proof is refused', () => {
    const log = logWith([others[0], mine, others[1]]);
    const entry = mutate(log.entryJson(1), (e) => {
      e.verification.inclusionProof.hashes[0] = `${e.verification.inclusionProof.hashes[0].startsWith('0') ? '1' : '0'}${e.verification.inclusionProof.hashes[0].slice(1)}`;
    });
    expect(() => check(log, 1, { entry })).toThrow(/calculated root hash does not match/);
  });

  test("a proof whose root hash is not the checkpoint's is refused (a check @sigstore/verify leaves out)", () => {
    const log = logWith([others[0], mine]);
    const entry = mutate(log.entryJson(1), (e) => {
      e.verification.inclusionProof.rootHash = 'ab'.repeat(32);
    });
    expect(() => check(log, 1, { entry })).toThrow(/root hash is not the checkpoint's/);
  });

  test('a log key that the trusted root does not hold is refused', () => {
    const log = logWith([mine]);
    const stranger = logWith([mine]);
    expect(() => check(log, 0, { root: stranger.trustedRoot() })).toThrow(/inclusion promise could not be verified/);
  });

  test('an entry integrated in the future is refused; a log clock a little ahead is not', () => {
    expect(() => check(logWith([mine], Math.floor(NOW.getTime() / 1000) + 3600), 0)).toThrow(/in the future/);
    expect(check(logWith([mine], Math.floor(NOW.getTime() / 1000) + 30), 0).transparencyLog).toHaveLength(1);
  });

  test('an entry that records another signing key is refused', () => {
    const otherPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => check(logWith([mine], T, otherPem), 0)).toThrow(/another signing key/);
  });

  test('a checkpoint whose origin is not the log is refused', () => {
    const log = logWith([mine]);
    const root = log.trustedRoot() as any;
    root.tlogs[0].baseUrl = 'https://mirror.rekor.rehearsal.invalid';
    expect(() => check(log, 0, { root })).toThrow(/origin "rekor.rehearsal.invalid - 1" is not the log/);
  });

  test('an entry with only a signed entry timestamp verifies (Rekor answers without a proof for old entries)', () => {
    const log = logWith([mine]);
    const entry = mutate(log.entryJson(0), (e) => {
      delete e.verification.inclusionProof;
    });
    expect(check(log, 0, { entry }).transparencyLog[0].proofs).toEqual(['signed entry timestamp']);
  });

  test('a changed integrated time breaks the signed entry timestamp', () => {
    const log = logWith([mine]);
    const entry = mutate(log.entryJson(0), (e) => {
      e.integratedTime -= 100;
    });
    expect(() => check(log, 0, { entry })).toThrow(AttestationRejectedError);
  });

  test('an entry whose UUID does not name its body is unreadable', () => {
    const log = logWith([mine, others[0]]);
    const [uuid0, value0] = Object.entries(log.entryJson(0))[0];
    const [uuid1] = Object.entries(log.entryJson(1))[0];
    expect(uuid0).not.toBe(uuid1);
    expect(() => parseRekorEntry(JSON.stringify({ [uuid1]: value0 }), 'e.json')).toThrow(UnreadableInputError);
  });
});
