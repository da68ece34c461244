import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Resolves and loads a module specifier the way a consumer of the package would (Node's self-reference). */
function load(specifier: string, probe: string) {
  return spawnSync(
    process.execPath,
    [
      '-e',
      `const m = require(${JSON.stringify(specifier)}); console.log(typeof m.${probe}); console.log(Object.keys(require.cache).some(k => k.includes('/node_modules/cdk8s/')))`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

describe('package exports', () => {
  test('"slsa-for-models" gives the constructs', () => {
    const result = load('slsa-for-models', 'SlsaForModels');
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('function');
  });

  test('"slsa-for-models/verify" gives the verifier without loading cdk8s', () => {
    const result = load('slsa-for-models/verify', 'verifyModelAttestation');
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(0, 2)).toEqual(['function', 'false']);
  });

  test('"slsa-for-models/verify" gives the OMS verifier and root digest without loading cdk8s', () => {
    for (const name of ['verifyOmsSignature', 'serializeModel']) {
      const result = load('slsa-for-models/verify', name);
      expect(result.stderr).toBe('');
      expect(result.stdout.split('\n').slice(0, 2)).toEqual(['function', 'false']);
    }
  });

  test('"slsa-for-models/rehearse" gives chainsProvenance (what Chains would sign) without loading cdk8s', () => {
    const result = load('slsa-for-models/rehearse', 'chainsProvenance');
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(0, 2)).toEqual(['function', 'false']);
  });

  test('"slsa-for-models/check" gives the rule engine, the judge the rehearsal takes, without loading cdk8s', () => {
    const result = load('slsa-for-models/check', 'checkDocuments');
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(0, 2)).toEqual(['function', 'false']);
  });

  test('internal files are not part of the public surface', () => {
    const result = load('slsa-for-models/lib/src/check/names', 'x');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
