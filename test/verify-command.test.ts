// `slsa-for-models verify` through main() with captured streams, and as a process.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';

const ROOT = path.resolve(__dirname, '..');
const UID = '4f1f7c2e-1d0e-4d3b-a1e5-7f3b9c2d6a10';
const COMMIT = '89abcdef0123456789abcdef0123456789abcdef';

class Capture extends Writable {
  public text = '';
  public constructor(public readonly isTTY = false) {
    super();
  }
  public override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(args: string[], tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture(tty);
  // These cases predate the transparency-log check (on by default now): they judge everything else.
  const code = await main(['verify', '--insecure-ignore-tlog', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function envelope(statement: unknown, key: KeyObject): string {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), key);
  return JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: payload.toString('base64'),
    signatures: [{ keyid: '', sig: sig.toString('base64') }],
  });
}

function statement(sha256: string, name = 'model.pth'): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://tekton.dev/chains/v2/slsa',
        externalParameters: {
          runSpec: {
            pipelineRef: { name: 'slsa-for-models' },
            params: [
              { name: 'model-name', value: 'pytorch_model' },
              { name: 'model-source', value: { revision: 'main' } },
            ],
          },
        },
        resolvedDependencies: [
          { uri: 'git+https://github.com/acme/model.git@refs/heads/main', digest: { sha1: COMMIT }, name: 'inputs/result' },
        ],
      },
      runDetails: {
        builder: { id: 'https://tekton.dev/chains/v2' },
        metadata: { invocationId: UID, startedOn: '2026-11-20T10:00:00Z', finishedOn: '2026-11-20T10:42:00Z' },
      },
    },
  };
}

let work: string;
let model: string;
let digest: string;
let pub: string;
let signature: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-command-'));
  model = path.join(work, 'model.pth');
  fs.writeFileSync(model, 'weights of a small model\n');
  digest = createHash('sha256').update(fs.readFileSync(model)).digest('hex');
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  pub = path.join(work, 'cosign.pub');
  fs.writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  signature = path.join(work, 'model.build-slsa');
  fs.writeFileSync(signature, Buffer.from(envelope(statement(digest), pair.privateKey)).toString('base64'));
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: 'train-x',
      uid: UID,
      annotations: { [`chains.tekton.dev/signature-pipelinerun-${UID}`]: fs.readFileSync(signature, 'utf8') },
    },
  };
  fs.writeFileSync(path.join(work, 'pr.json'), JSON.stringify(run));
  fs.writeFileSync(
    path.join(work, 'pr-other.json'),
    JSON.stringify({ ...run, metadata: { ...run.metadata, uid: 'aaaaaaaa-0000-0000-0000-000000000000' } }),
  );
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('verify command', () => {
  test('verified: exit 0 and a short summary on stdout', async () => {
    const result = await run(['--key', pub, '--signature', signature, model]);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        `verified: ${model}`,
        `  subject    model.pth sha256:${digest}`,
        '  predicate  https://slsa.dev/provenance/v1',
        '  builder    https://tekton.dev/chains/v2',
        '  build type https://tekton.dev/chains/v2/slsa',
        `  source     git+https://github.com/acme/model.git@refs/heads/main commit ${COMMIT}`,
        `  run        ${UID}`,
        '  started    2026-11-20T10:00:00Z',
        '  finished   2026-11-20T10:42:00Z',
        '  signed by  ecdsa p-256 key',
        '  log        not checked (--insecure-ignore-tlog)',
        '',
      ].join('\n'),
    });
  });

  test('the cosign spelling (--type slsaprovenance1) and the policy flags pass together', async () => {
    const result = await run([
      '--key',
      pub,
      '--signature',
      signature,
      '--type',
      'slsaprovenance1',
      '--builder-id',
      'https://tekton.dev/chains/v2',
      '--source-uri',
      'git+https://github.com/acme/model',
      `--source-digest=${COMMIT}`,
      '--param',
      'model-name=pytorch_model',
      '--param',
      'model-source.revision=main',
      model,
    ]);
    expect(result.code).toBe(0);
  });

  test('not verified: exit 1 and one line on stderr saying why', async () => {
    fs.writeFileSync(path.join(work, 'tampered.pth'), 'weights of a small model!\n');
    const tampered = await run(['--key', pub, '--signature', signature, path.join(work, 'tampered.pth')]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toBe('');
    expect(tampered.stderr).toMatch(
      new RegExp(
        `^slsa-for-models verify: not verified: no subject matches sha256:[0-9a-f]{64} \\(subjects: model.pth sha256:${digest}\\)\\n$`,
      ),
    );
    const policy = await run(['--key', pub, '--signature', signature, '--param', 'model-name=other', model]);
    expect(policy).toEqual({
      code: 1,
      stdout: '',
      stderr: 'slsa-for-models verify: not verified: param model-name is "pytorch_model", not "other"\n',
    });
  });

  test('--json prints the result for both verdicts', async () => {
    const ok = await run(['--key', pub, '--signature', signature, '--json', model]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      verified: true,
      modelSha256: digest,
      attestation: { invocationId: UID, source: { commit: COMMIT } },
    });
    const bad = await run(['--key', pub, '--signature', signature, '--json', '--builder-id', 'https://example.com/b', model]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: 'builder id is https://tekton.dev/chains/v2, not https://example.com/b',
    });
    const unreadable = await run(['--key', pub, '--signature', path.join(work, 'missing.json'), '--json', model]);
    expect(unreadable.code).toBe(2);
    expect(JSON.parse(unreadable.stdout)).toMatchObject({ verified: false, failure: 'unreadable' });
    expect(unreadable.stderr).toBe(`slsa-for-models verify: cannot read signature ${path.join(work, 'missing.json')}: no such file\n`);
  });

  test('--digest and --check-claims=false', async () => {
    expect((await run(['--key', pub, '--signature', signature, '--digest', digest])).code).toBe(0);
    expect((await run(['--key', pub, '--signature', signature, '--digest', '0'.repeat(64)])).code).toBe(1);
    const noClaims = await run(['--key', pub, '--signature', signature, '--check-claims=false']);
    expect(noClaims.code).toBe(0);
    expect(noClaims.stdout).toMatch(/^verified: attestation signature\n  subject    not checked \(--check-claims=false\)\n/);
  });

  test('--pipelinerun: its own uid verifies; another uid is refused naming the uid present', async () => {
    expect((await run(['--key', pub, '--pipelinerun', path.join(work, 'pr.json'), model])).code).toBe(0);
    const other = await run(['--key', pub, '--pipelinerun', path.join(work, 'pr-other.json'), model]);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      `slsa-for-models verify: not verified: pipelinerun train-x (uid aaaaaaaa-0000-0000-0000-000000000000) has no annotation chains.tekton.dev/signature-pipelinerun-aaaaaaaa-0000-0000-0000-000000000000; it carries signatures for other uids only: ${UID}\n`,
    );
  });

  test.each([
    [['--signature', 'x', 'm'], '--key is required (a PEM public key file, or k8s://NAMESPACE/SECRET)'],
    [['--key', 'k', 'm'], 'give exactly one of --signature FILE, --pipelinerun FILE or --bundle FILE'],
    [
      ['--key', 'k', '--signature', 's', '--pipelinerun', 'p', 'm'],
      'give exactly one of --signature FILE, --pipelinerun FILE or --bundle FILE',
    ],
    [['--key', 'k', '--signature', 's', 'a', 'b'], 'one MODEL at most (got 2: a b)'],
    [['--key', 'k', '--signature', 's', '--param', 'novalue', 'm'], '--param takes NAME=VALUE, not "novalue"'],
    [['--key', 'k', '--signature', 's', '--check-claims=no', 'm'], '--check-claims takes true or false, not "no"'],
    [['--key', 'k', '--signature', 's', '--frobnicate', 'm'], 'unknown option --frobnicate'],
  ])('bad usage %j: exit 2, one line', async (args, message) => {
    const result = await run(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `slsa-for-models verify: ${message}\n` });
  });

  test('unreadable input is exit 2 (missing file, junk key, truncated JSON, bad --type)', async () => {
    const missing = await run(['--key', pub, '--signature', path.join(work, 'nope'), model]);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: cannot read signature ${path.join(work, 'nope')}: no such file\n`,
    });
    fs.writeFileSync(path.join(work, 'junk.pub'), 'not a key');
    expect((await run(['--key', path.join(work, 'junk.pub'), '--signature', signature, model])).stderr).toBe(
      `slsa-for-models verify: key ${path.join(work, 'junk.pub')} is not a PEM public key (no "-----BEGIN PUBLIC KEY-----" line)\n`,
    );
    fs.writeFileSync(path.join(work, 'truncated.json'), '{"payloadType":"application/vnd.in-toto+json","payload":"e30');
    const truncated = await run(['--key', pub, '--signature', path.join(work, 'truncated.json'), model]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/^slsa-for-models verify: .*truncated.json is not valid JSON \(.*\)\n$/);
    expect((await run(['--key', pub, '--signature', signature, '--type', 'notreallyslsaprovenance', model])).code).toBe(2);
  });

  test('a progress bar on a terminal for a large model, nothing when stderr is not a terminal', async () => {
    const large = path.join(work, 'large.bin');
    fs.writeFileSync(large, '');
    fs.truncateSync(large, 65 * 1024 * 1024);
    const onTerminal = await run(['--key', pub, '--signature', signature, large], true);
    expect(onTerminal.code).toBe(1);
    expect(onTerminal.stderr).toMatch(/\rhashing \[#{30}\] 100% 65\/65 MiB\r\x1b\[K/);
    expect(onTerminal.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1); // the bar is erased in place; only the verdict line remains
    const piped = await run(['--key', pub, '--signature', signature, large], false);
    expect(piped.stderr).not.toMatch(/hashing/);
    const small = await run(['--key', pub, '--signature', signature, model], true);
    expect(small.stderr).toBe('');
  });

  test('--help lists the options and exit codes', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--pipelinerun FILE/);
    expect(result.stdout).toMatch(/Exit status: 0 verified, 1 not verified/);
  });
});

describe('verify command as a process', () => {
  const cli = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
  const built = fs.existsSync(cli);
  if (!built) console.log('verify command process tests: skipped, lib/ is not built (npm test builds it first)');
  const maybe = built ? test : test.skip;

  maybe('exit codes 0, 1, 2 and never a stack trace; k8s:// through kubectl on PATH', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bin-'));
    const log = path.join(bin, 'kubectl.log');
    fs.writeFileSync(
      path.join(bin, 'kubectl'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nprintf '%s' '${Buffer.from(fs.readFileSync(pub)).toString('base64')}'\n`,
      { mode: 0o755 },
    );
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const exec = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'verify', '--insecure-ignore-tlog', ...args], { encoding: 'utf8', env });
    try {
      const ok = exec('--key', 'k8s://tekton-chains/signing-secrets', '--signature', signature, '--type', 'slsaprovenance1', model);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^verified: /);
      expect(fs.readFileSync(log, 'utf8')).toBe('get secret -n tekton-chains signing-secrets -o jsonpath={.data.cosign\\.pub}\n');
      const no = exec('--key', pub, '--signature', signature, '--digest', 'f'.repeat(64));
      expect(no.status).toBe(1);
      expect(no.stderr.trim().split('\n')).toHaveLength(1);
      for (const args of [
        ['--key', pub, '--signature', '/nonexistent', model],
        ['--key', '/dev/null', '--signature', signature, model],
        ['--key', pub],
      ]) {
        const bad = exec(...args);
        expect(bad.status).toBe(2);
        expect(bad.stderr.trim().split('\n')).toHaveLength(1);
        expect(bad.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
