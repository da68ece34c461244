// `slsa-for-models verify --bundle model.sig MODEL` for OMS signatures, as a process: every
// model_signing case by the command line upstream's CI uses, from the shared folder and from the
// case folder, and tampered copies.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Case, cases, OMS, TRUSTED_ROOT, withOms } from './support/oms-cases';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

function verify(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'verify', ...args], { cwd, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** model_signing's verify arguments for a case, in our spelling, with paths relative to `base`. */
function argsOf(c: Case, base: string, dir = path.join(OMS, 'cases', c.case)): string[] {
  const at = (p: string): string => path.relative(base, p) || '.';
  const model = c.model_path.endsWith('signme-1') ? path.join(dir, 'signme-1') : dir;
  const args = ['--bundle', at(path.join(dir, 'model.sig'))];
  if (c.method === 'key') args.push('--key', at(path.join(OMS, c.public_key)));
  if (c.method === 'certificate') args.push('--certificate-chain', at(path.join(OMS, c.certificate_chain)));
  if (c.method === 'sigstore')
    args.push('--certificate-identity', c.identity, '--certificate-oidc-issuer', c.oidc_issuer, '--trusted-root', at(TRUSTED_ROOT));
  if (c.ignore_paths !== '-') args.push('--ignore-paths', at(path.join(dir, 'ignore-me')));
  return [...args, at(model)];
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-command-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function copyCase(name: string): string {
  const dir = path.join(work, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(path.join(OMS, 'cases', name))) {
    fs.copyFileSync(path.join(OMS, 'cases', name, f), path.join(dir, f));
    fs.chmodSync(path.join(dir, f), 0o644);
  }
  return dir;
}

describe('slsa-for-models verify --bundle (OMS)', () => {
  withOms('verifies every case from the shared folder and from the case folder', () => {
    for (const c of cases()) {
      for (const base of [OMS, path.join(OMS, 'cases', c.case)]) {
        const r = verify(argsOf(c, base), base);
        expect(`${c.case}: ${r.status} ${r.stderr}`).toBe(`${c.case}: 0 `);
        expect(r.stdout).toMatch(new RegExp(`^verified: .*\\n  format     OpenSSF Model Signing \\(${c.method} method\\)\\n`));
      }
    }
  });

  withOms('says in JSON which check ran', () => {
    const c = cases().find((x) => x.case === 'v1.0.1-sigstore')!;
    const r = verify([...argsOf(c, OMS), '--json'], OMS);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      verified: true,
      format: 'oms',
      method: 'sigstore',
      rootDigest: c.expected_digest,
      signedAt: '2025-10-07T15:33:48.000Z',
    });
  });

  withOms('tampered copies fail with exit 1 and one line naming what differs', () => {
    const byName = (n: string): Case => cases().find((x) => x.case === n)!;
    const otherKey = path.join(work, 'other.pub');
    fs.writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }));
    const tamper: [string, string, (dir: string) => void, (args: string[]) => string[], RegExp][] = [
      [
        'changed byte',
        'v1.1.0-certificate',
        (dir) => fs.writeFileSync(path.join(dir, 'signme-1'), 'signme-X'),
        (a) => a,
        /file "signme-1" has changed/,
      ],
      [
        'added file',
        'v1.0.1-sigstore',
        (dir) => fs.writeFileSync(path.join(dir, 'extra.bin'), 'x'),
        (a) => a,
        /file "extra.bin" is in the model but not in the signature/,
      ],
      [
        'removed file',
        'v1.1.0-elliptic-key',
        (dir) => fs.rmSync(path.join(dir, 'signme-2')),
        (a) => a,
        /file "signme-2" is signed but missing from the model/,
      ],
      [
        'other key',
        'v1.0.1-elliptic-key',
        () => undefined,
        (a) => a.map((x) => (x.endsWith('signing-key-pub.pem') ? otherKey : x)),
        /the signature does not verify with key/,
      ],
      [
        'other identity',
        'v1.1.0-sigstore',
        () => undefined,
        (a) => a.map((x) => (x === 'stefanb@us.ibm.com' ? 'mallory@example.com' : x)),
        /certificate identity error - expected mallory@example.com/,
      ],
    ];
    for (const [what, name, change, edit, expected] of tamper) {
      const dir = copyCase(name);
      change(dir);
      const r = verify(edit(argsOf(byName(name), dir, dir)), dir);
      expect(`${what}: ${r.status}`).toBe(`${what}: 1`);
      expect(r.stderr).toMatch(/^slsa-for-models verify: not verified: [^\n]+\n$/);
      expect(r.stderr).toMatch(expected);
    }
  });

  withOms('reads the key from a Kubernetes Secret (k8s://), as the provenance check does', () => {
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const pem = fs.readFileSync(path.join(OMS, 'keys/certificate/signing-key-pub.pem'));
    fs.writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\nprintf '%s' '${pem.toString('base64')}'\n`, { mode: 0o755 });
    const c = cases().find((x) => x.case === 'v1.1.0-elliptic-key')!;
    const args = argsOf(c, OMS).map((x) => (x.endsWith('signing-key-pub.pem') ? 'k8s://models/signing-key' : x));
    const r = verify(args, OMS, { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toContain('signed by  key k8s://models/signing-key');
  });

  withOms('bad usage exits 2 in one line', () => {
    const c = cases().find((x) => x.case === 'v1.1.0-sigstore')!;
    const noMethod = verify(['--bundle', 'cases/v1.1.0-sigstore/model.sig', 'cases/v1.1.0-sigstore'], OMS);
    expect(noMethod).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^slsa-for-models verify: say who must have signed: --key PUB/),
    });
    const noRoot = verify(
      argsOf(c, OMS).filter((x, i, a) => x !== '--trusted-root' && a[i - 1] !== '--trusted-root'),
      OMS,
    );
    expect(noRoot).toMatchObject({ status: 2, stderr: expect.stringMatching(/needs --trusted-root FILE/) });
    const missingModel = verify(
      ['--bundle', 'cases/v1.1.0-elliptic-key/model.sig', '--key', 'keys/certificate/signing-key-pub.pem', 'cases/absent'],
      OMS,
    );
    expect(missingModel).toMatchObject({ status: 2, stderr: 'slsa-for-models verify: cannot read model cases/absent: no such file\n' });
  });

  it('leaves a bundle that is not OMS to the provenance check', () => {
    const notOms = path.join(work, 'not-oms.sig');
    const payload = Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://slsa.dev/provenance/v1', subject: [] }),
    );
    fs.writeFileSync(
      notOms,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        dsseEnvelope: { payload: payload.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [] },
      }),
    );
    const r = verify(['--bundle', notOms, '--key', notOms, work], work);
    expect(r.stdout).not.toMatch(/OpenSSF/);
    expect(r.status).toBe(2);
  });
});
