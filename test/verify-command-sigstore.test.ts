// `slsa-for-models verify` with the transparency log, bundles, identities and --policy.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { LocalTransparencyLog } from '../src/verify/sigstore/local-transparency-log';

class Capture extends Writable {
  public text = '';
  public isTTY = false;
  public _write(chunk: Buffer, _: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['verify', ...args], { stdout, stderr } as never);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let work: string;
const at = (name: string): string => path.join(work, name);
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'verify-sigstore-cli-'));
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const model = Buffer.from('weights');
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model.pth', digest: { sha256: createHash('sha256').update(model).digest('hex') } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] },
      runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } },
    },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), signer.privateKey).toString('base64');
  const envelope = JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: payload.toString('base64'),
    signatures: [{ keyid: '', sig }],
  });
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
  log.appendDsse(
    { envelopeJson: envelope, payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ sig, verifierPem: pem }] },
    Math.floor(Date.now() / 1000) - 60,
  );
  writeFileSync(at('cosign.pub'), pem);
  writeFileSync(at('model.build-slsa'), envelope);
  writeFileSync(at('model.pth'), model);
  writeFileSync(at('rekor-entry.json'), JSON.stringify(log.entryJson(0)));
  writeFileSync(at('trusted_root.json'), JSON.stringify(log.trustedRoot()));
  writeFileSync(
    at('policy.yaml'),
    [
      'apiVersion: slsa-for-models.dev/v1alpha1',
      'kind: VerifyPolicy',
      'signer:',
      '  keys: [cosign.pub]',
      'transparencyLog:',
      '  trustedRoot: trusted_root.json',
      'builderId: https://tekton.dev/chains/v2',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('verify with the transparency log', () => {
  test('a saved entry and the trusted root: verified, and the summary names the log entry', async () => {
    const result = await verify(
      '--key',
      at('cosign.pub'),
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      '--trusted-root',
      at('trusted_root.json'),
      at('model.pth'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n {2}log {8}entry 0 \(dsse 0\.0\.1, integrated [^)]+\): signed entry timestamp and inclusion proof\n/);
  });

  test('--json says which checks ran', async () => {
    const result = await verify(
      '--json',
      '--key',
      at('cosign.pub'),
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      '--trusted-root',
      at('trusted_root.json'),
      at('model.pth'),
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      verified: true,
      checks: { transparencyLog: 'verified', subject: 'file', logEntries: [{ logIndex: '0' }] },
    });
    const skipped = await verify(
      '--json',
      '--insecure-ignore-tlog',
      '--key',
      at('cosign.pub'),
      '--signature',
      at('model.build-slsa'),
      at('model.pth'),
    );
    expect(JSON.parse(skipped.stdout)).toMatchObject({ verified: true, checks: { transparencyLog: 'skipped' } });
  });

  test('without an entry or a trusted root: exit 2, naming the flag; --insecure-ignore-tlog skips the check', async () => {
    expect(await verify('--key', at('cosign.pub'), '--signature', at('model.build-slsa'), at('model.pth'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give --rekor-entry FILE'),
    });
    expect(
      await verify(
        '--key',
        at('cosign.pub'),
        '--signature',
        at('model.build-slsa'),
        '--rekor-entry',
        at('rekor-entry.json'),
        at('model.pth'),
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('give --trusted-root FILE') });
    expect(
      (await verify('--insecure-ignore-tlog', '--key', at('cosign.pub'), '--signature', at('model.build-slsa'), at('model.pth'))).code,
    ).toBe(0);
  });

  test('an entry of another log: exit 1', async () => {
    const other = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
    writeFileSync(at('other-root.json'), JSON.stringify(other.trustedRoot()));
    const result = await verify(
      '--key',
      at('cosign.pub'),
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      '--trusted-root',
      at('other-root.json'),
      at('model.pth'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not verified: sigstore verification failed');
  });
});

describe('verify --policy', () => {
  test('a policy file gives the key, the trusted root and the builder; paths relative to it', async () => {
    const result = await verify(
      '--policy',
      at('policy.yaml'),
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      at('model.pth'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('a field set by the file and a flag: exit 2 naming it', async () => {
    const result = await verify(
      '--policy',
      at('policy.yaml'),
      '--builder-id',
      'https://tekton.dev/chains/v2',
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      at('model.pth'),
    );
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('builderId is set both by policy') });
  });

  test('a policy the provenance does not meet: exit 1', async () => {
    writeFileSync(
      at('strict.yaml'),
      'apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\nbuilderId: https://example.com/other\n',
    );
    const result = await verify(
      '--policy',
      at('strict.yaml'),
      '--key',
      at('cosign.pub'),
      '--trusted-root',
      at('trusted_root.json'),
      '--signature',
      at('model.build-slsa'),
      '--rekor-entry',
      at('rekor-entry.json'),
      at('model.pth'),
    );
    expect(result.code).toBe(1);
  });

  test('a typo in the file: exit 2, never a weaker gate', async () => {
    writeFileSync(at('typo.yaml'), 'apiVersion: slsa-for-models.dev/v1alpha1\nkind: VerifyPolicy\ntransparencyLog:\n  requried: false\n');
    expect(
      await verify('--policy', at('typo.yaml'), '--key', at('cosign.pub'), '--signature', at('model.build-slsa'), at('model.pth')),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown field transparencyLog.requried') });
  });
});

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'sigstore');
(existsSync(CONFORMANCE) ? describe : describe.skip)('verify --bundle', () => {
  const dir = path.join(CONFORMANCE, 'conformance');
  test('keyless: identity and issuer required; verified with them', async () => {
    const args = [
      '--bundle',
      path.join(dir, 'happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'),
      '--trusted-root',
      path.join(CONFORMANCE, 'trusted_root.public-good.json'),
      path.join(dir, 'a.txt'),
    ];
    expect(await verify(...args)).toMatchObject({ code: 2, stderr: expect.stringContaining('--certificate-identity') });
    const ok = await verify(
      '--certificate-identity-regexp',
      '^https://github\\.com/sigstore-conformance/',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      ...args,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('signed by  certificate for https://github.com/sigstore-conformance/');
  });
});
