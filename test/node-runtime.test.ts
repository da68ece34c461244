/**
 * The Node.js behaviours the project depends on, pinned on each supported line (CI runs the whole
 * suite under the exact Node 24 and Node 22 releases that package.json names). Each case names the
 * code that relies on the behaviour, so a new Node line that changes it fails here first, in words.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFileError } from '../src/verify/file-error';
import { parsePublicKeyPem } from '../src/verify/verification-key';

const ROOT = path.resolve(__dirname, '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function versionTriple(text: string): [number, number, number] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) throw new Error(`not a version: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(actual: [number, number, number], floor: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (actual[i] !== floor[i]) return actual[i] > floor[i];
  return true;
}

/** One DER element at `offset`: its tag and where its contents start and end. */
function derElement(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const first = der[offset + 1];
  const lengthBytes = first & 0x80 ? first & 0x7f : 0;
  let length = lengthBytes ? 0 : first;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[offset + 2 + i];
  const start = offset + 2 + lengthBytes;
  return { tag: der[offset], start, end: start + length };
}

/**
 * The tag of an EC key's curve parameters in its SubjectPublicKeyInfo
 * (SEQUENCE { SEQUENCE { OID ecPublicKey, parameters }, BIT STRING }): an OID (0x06) names a curve,
 * a SEQUENCE (0x30) spells the curve out.
 */
function ecParametersTag(key: crypto.KeyObject): number {
  const der = key.export({ type: 'spki', format: 'der' });
  const algorithm = derElement(der, derElement(der, 0).start);
  const oid = derElement(der, algorithm.start);
  return der[oid.end];
}

describe('the running Node.js', () => {
  test('is a line that package.json supports, at or above its floor, with an exact release pinned for CI', () => {
    const running = versionTriple(process.version);
    const floors = [...String(PACKAGE.engines.node).matchAll(/\^(\d+\.\d+\.\d+)/g)].map((m) => versionTriple(m[1]));
    const floor = floors.find((f) => f[0] === running[0]);
    expect({ line: running[0], supported: floors.map((f) => f[0]) }).toEqual({
      line: running[0],
      supported: expect.arrayContaining([running[0]]),
    });
    expect(atLeast(running, floor!)).toBe(true);
    expect(PACKAGE.config[`node${running[0]}`]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('the pinned releases satisfy the engines range they stand for', () => {
    const floors = [...String(PACKAGE.engines.node).matchAll(/\^(\d+\.\d+\.\d+)/g)].map((m) => versionTriple(m[1]));
    expect(floors.map((f) => f[0]).sort()).toEqual([22, 24]);
    for (const floor of floors) {
      const pinned = versionTriple(PACKAGE.config[`node${floor[0]}`]);
      expect(pinned[0]).toBe(floor[0]);
      expect(atLeast(pinned, floor)).toBe(true);
    }
  });
});

describe('node:crypto key parsing (src/verify/verification-key.ts)', () => {
  test('an Ed25519 SubjectPublicKeyInfo PEM is read as an Ed25519 key that verifies its own signature', () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    const key = parsePublicKeyPem(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ed25519.pub');
    const message = Buffer.from('payload');
    expect(crypto.verify(null, message, key.keyObject, crypto.sign(null, message, privateKey))).toBe(true);
    expect(key.keyObject.asymmetricKeyType).toBe('ed25519');
  });

  test('an RSA key reports its modulus length, which the key-size rule reads', () => {
    for (const bits of [1024, 2048]) {
      const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
      expect(crypto.createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })).asymmetricKeyDetails?.modulusLength).toBe(bits);
    }
  });

  test('an EC key with explicit curve parameters is reported as the named curve, so only its DER tells them apart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-runtime-'));
    try {
      const keyFile = path.join(dir, 'explicit.key');
      const generated = spawnSync('openssl', [
        'ecparam',
        '-name',
        'prime256v1',
        '-param_enc',
        'explicit',
        '-genkey',
        '-noout',
        '-out',
        keyFile,
      ]);
      if (generated.error || generated.status !== 0) {
        console.log('skipping the explicit-parameter EC key test: openssl is not installed (apt-get install openssl; CI installs it)');
        return;
      }
      const pub = spawnSync('openssl', ['ec', '-in', keyFile, '-pubout', '-param_enc', 'explicit'], { encoding: 'utf8' });
      expect(pub.status).toBe(0);
      const keyObject = crypto.createPublicKey(pub.stdout);
      expect(keyObject.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(ecParametersTag(keyObject)).toBe(0x30);
      expect(ecParametersTag(crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)).toBe(0x06);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('file system error codes that the commands turn into one-line phrases (src/verify/file-error.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-runtime-'));
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    fs.symlinkSync('loop', path.join(dir, 'loop'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function syncError(file: string): unknown {
    try {
      fs.readFileSync(file);
    } catch (err) {
      return err;
    }
    throw new Error(`reading ${file} did not fail`);
  }

  function streamError(file: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const stream = fs.createReadStream(file);
      stream.on('error', resolve);
      stream.on('end', () => reject(new Error(`streaming ${file} did not fail`)));
      stream.resume();
    });
  }

  test.each([
    ['a missing file', 'missing', 'ENOENT', 'no such file'],
    ['a directory', '.', 'EISDIR', 'it is a directory'],
    ['a symlink loop', 'loop', 'ELOOP', 'too many levels of symbolic links (a symlink loop?)'],
    ['a file used as a directory', 'file/x', 'ENOTDIR', 'a part of the path is not a directory'],
  ])('%s: the same code read whole and streamed, and one phrase', async (_what, name, code, phrase) => {
    const file = path.join(dir, name);
    const whole = syncError(file) as NodeJS.ErrnoException;
    const streamed = (await streamError(file)) as NodeJS.ErrnoException;
    expect([whole.code, streamed.code]).toEqual([code, code]);
    expect(describeFileError(whole)).toBe(phrase);
  });
});

describe('loading the package as a consumer would', () => {
  test('an ES module imports the verifier by name from the CommonJS build, and package.json as JSON', () => {
    const script = [
      "import { verifyModelAttestation } from 'slsa-for-models/verify';",
      "import pkg from 'slsa-for-models/package.json' with { type: 'json' };",
      'console.log(typeof verifyModelAttestation, pkg.name);',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function slsa-for-models');
  });
});
