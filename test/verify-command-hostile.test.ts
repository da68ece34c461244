// `slsa-for-models verify` against hostile and mistaken input: one clear line, the documented exit
// code (2 unreadable or bad usage, 1 judged), nothing that drives the terminal, never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';

const ROOT = path.resolve(__dirname, '..');
const IN_TOTO = 'application/vnd.in-toto+json';
const UID = '0b6f6f9e-3a7c-4f55-9a8e-6d1f0c2e9b11';

class Capture extends Writable {
  public text = '';
  public override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  // These cases predate the transparency-log check (on by default now): they judge everything else.
  const code = await main(['verify', '--insecure-ignore-tlog', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let work: string;
let privateKey: KeyObject;
let pub: string;
let model: string;
let sha256: string;

function file(name: string, content: string | Buffer): string {
  const target = path.join(work, name);
  fs.writeFileSync(target, content);
  return target;
}

function envelopeOf(statement: unknown): Record<string, unknown> {
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', preAuthenticationEncoding(IN_TOTO, payload), privateKey).toString('base64');
  return { payloadType: IN_TOTO, payload: payload.toString('base64'), signatures: [{ keyid: '', sig }] };
}

function statementWith(builderId: string, name = 'model.pth'): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { externalParameters: { runSpec: { pipelineRef: { name: 'slsa-for-models' } } } },
      runDetails: { builder: { id: builderId }, metadata: { invocationId: UID } },
    },
  };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-hostile-'));
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  privateKey = pair.privateKey;
  pub = file('cosign.pub', pair.publicKey.export({ type: 'spki', format: 'pem' }));
  model = file('model.pth', 'weights\n');
  sha256 = createHash('sha256').update('weights\n').digest('hex');
  file('good.json', JSON.stringify(envelopeOf(statementWith('https://tekton.dev/chains/v2'))));
  fs.mkdirSync(path.join(work, 'dir'));
  fs.symlinkSync('loop-b', path.join(work, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(work, 'loop-b'));
  file('empty', '');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const at = (name: string): string => path.join(work, name);

describe('verify: inputs that are not files', () => {
  test.each([
    ['key', ['--key', 'dir', '--signature', 'good.json', 'model.pth'], 'cannot read key DIR: it is a directory'],
    ['signature', ['--key', 'cosign.pub', '--signature', 'dir', 'model.pth'], 'cannot read signature DIR: it is a directory'],
    ['pipelinerun', ['--key', 'cosign.pub', '--pipelinerun', 'dir', 'model.pth'], 'cannot read pipelinerun DIR: it is a directory'],
  ])('a directory as the %s: exit 2, one line', async (_what, args, message) => {
    const result = await verify(...args.map((arg) => (arg.startsWith('--') ? arg : at(arg))));
    expect(result).toEqual({ code: 2, stdout: '', stderr: `slsa-for-models verify: ${message.replace('DIR', at('dir'))}\n` });
  });

  test('a directory as the model is hashed to its root digest: judged, exit 1', async () => {
    // (a directory model is one subject, its OMS root digest; an empty one has the root of no files)
    const result = await verify('--key', pub, '--signature', at('good.json'), at('dir'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^slsa-for-models verify: not verified: no subject matches the directory's root digest sha256:[0-9a-f]{64} /,
    );
  });

  test.each([
    ['key', '--key'],
    ['signature', '--signature'],
    ['pipelinerun', '--pipelinerun'],
  ])('a symlink loop as the %s names the loop', async (what, option) => {
    const args = { '--key': pub, '--signature': at('good.json') } as Record<string, string | undefined>;
    if (option === '--pipelinerun') delete args['--signature'];
    args[option] = at('loop-a');
    const list = Object.entries(args)
      .filter(([, value]) => value !== undefined)
      .flatMap(([name, value]) => [name, value!]);
    const result = await verify(...list, model);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: cannot read ${what} ${at('loop-a')}: too many levels of symbolic links (a symlink loop?)\n`,
    });
  });

  test('a symlink loop as the model', async () => {
    expect((await verify('--key', pub, '--signature', at('good.json'), at('loop-a'))).stderr).toBe(
      `slsa-for-models verify: cannot read model ${at('loop-a')}: too many levels of symbolic links (a symlink loop?)\n`,
    );
  });

  test('empty key, signature and pipelinerun files say what they should hold', async () => {
    expect((await verify('--key', at('empty'), '--signature', at('good.json'), model)).stderr).toMatch(
      /^slsa-for-models verify: key \S+ is not a PEM public key \(no "-----BEGIN PUBLIC KEY-----" line\)\n$/,
    );
    expect((await verify('--key', pub, '--signature', at('empty'), model)).stderr).toMatch(
      /is empty \(expected a DSSE envelope as JSON, or base64 of one\)\n$/,
    );
    expect(await verify('--key', pub, '--pipelinerun', at('empty'), model)).toMatchObject({
      code: 2,
      stderr: `slsa-for-models verify: ${at('empty')} is empty (expected a PipelineRun as JSON or YAML: kubectl get pipelinerun NAME -o json)\n`,
    });
  });

  test('a FIFO is read as a stream (process substitution works): key, envelope and model from pipes', async () => {
    const fifo = at('model.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat '${model}' > '${fifo}'`], { stdio: 'ignore' });
    const result = await verify('--key', pub, '--signature', at('good.json'), fifo);
    writer.kill();
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  test('files that open but cannot be read (EIO from /proc/self/mem; chmod does not stop root): exit 2, one line', async () => {
    if (!fs.existsSync('/proc/self/mem')) return;
    const mem = '/proc/self/mem';
    expect(await verify('--key', mem, '--signature', at('good.json'), model)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: cannot read key ${mem}: input/output error\n`,
    });
    expect(await verify('--key', pub, '--signature', mem, model)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: cannot read signature ${mem}: input/output error\n`,
    });
    expect(await verify('--key', pub, '--signature', at('good.json'), mem)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: cannot read model ${mem}: input/output error\n`,
    });
  });

  test('an envelope file over 32 MiB is refused before it is parsed', async () => {
    const big = file('big.json', Buffer.alloc(32 * 1024 * 1024 + 1, 0x41));
    expect(await verify('--key', pub, '--signature', big, model)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slsa-for-models verify: signature ${big} is larger than 32 MiB (an attestation is kilobytes; is this the right file?)\n`,
    });
    fs.rmSync(big);
  });
});

describe('verify: keys that are not public keys', () => {
  test('a certificate is refused with the command that takes its key', async () => {
    const cert = file('cert.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect((await verify('--key', cert, '--signature', at('good.json'), model)).stderr).toBe(
      `slsa-for-models verify: key ${cert} is a certificate, not a public key; take its key with: openssl x509 -pubkey -noout -in ${cert} > cosign.pub\n`,
    );
  });

  test("text around the PEM block is ignored, as Go's pem.Decode (and so cosign) ignores it", async () => {
    const pem = fs.readFileSync(pub, 'utf8');
    const wrapped = file('wrapped.pub', `comment line\n${pem}trailing garbage\n`);
    expect(await verify('--key', wrapped, '--signature', at('good.json'), model)).toMatchObject({ code: 0 });
  });

  test('a PEM block damaged inside is unreadable, exit 2', async () => {
    const pem = fs.readFileSync(pub, 'utf8').replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    const result = await verify('--key', file('damaged.pub', pem), '--signature', at('good.json'), model);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^slsa-for-models verify: key \S+ is not a valid PEM public key \(.*\)\n$/);
  });
});

describe('verify: envelopes and runs with more than expected', () => {
  test('extra envelope fields are ignored (as Go ignores unknown fields)', async () => {
    const extra = file(
      'extra.json',
      JSON.stringify({
        ...envelopeOf(statementWith('b')),
        extra: { a: 1 },
        signatures: [{ ...(envelopeOf(statementWith('b')).signatures as object[])[0], cert: '' }],
      }),
    );
    expect(await verify('--key', pub, '--signature', extra, model)).toMatchObject({ code: 0 });
  });

  test('a List with several PipelineRuns is unreadable; other kinds in the List do not count', async () => {
    const envelope = Buffer.from(JSON.stringify(envelopeOf(statementWith('b')))).toString('base64');
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'r', uid: UID, annotations: { [`chains.tekton.dev/signature-pipelinerun-${UID}`]: envelope } },
    };
    const two = file('two.json', JSON.stringify({ kind: 'List', items: [run, run] }));
    expect((await verify('--key', pub, '--pipelinerun', two, model)).stderr).toBe(
      `slsa-for-models verify: ${two} is a List of 2 PipelineRuns (expected exactly one; save one with kubectl get pipelinerun NAME -o json)\n`,
    );
    const one = file('one.json', JSON.stringify({ kind: 'List', items: [run, { kind: 'TaskRun' }] }));
    expect(await verify('--key', pub, '--pipelinerun', one, model)).toMatchObject({ code: 0 });
  });
});

describe('verify: PipelineRuns saved as YAML', () => {
  const yamlRun = (): string => {
    const envelope = Buffer.from(JSON.stringify(envelopeOf(statementWith('b')))).toString('base64');
    return `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\n  uid: ${UID}\n  annotations:\n    chains.tekton.dev/signature-pipelinerun-${UID}: ${envelope}\n`;
  };

  test('several YAML documents: the one PipelineRun among them is used; two are refused', async () => {
    const withTask = file('with-task.yaml', `---\napiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\n---\n${yamlRun()}`);
    expect(await verify('--key', pub, '--pipelinerun', withTask, model)).toMatchObject({ code: 0, stderr: '' });
    const two = file('two.yaml', `${yamlRun()}---\n${yamlRun()}`);
    expect((await verify('--key', pub, '--pipelinerun', two, model)).stderr).toBe(
      `slsa-for-models verify: ${two} holds 2 PipelineRuns in its YAML documents (expected exactly one; save one with kubectl get pipelinerun NAME -o json)\n`,
    );
  });

  test('duplicate YAML keys and alias bombs are unreadable, one line', async () => {
    const duplicate = file('dup.yaml', 'kind: PipelineRun\nkind: PipelineRun\n');
    expect((await verify('--key', pub, '--pipelinerun', duplicate, model)).stderr).toBe(
      `slsa-for-models verify: ${duplicate} is not valid JSON or YAML (map keys must be unique at line 2, column 1)\n`,
    );
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    const bomb = file('bomb.yaml', `${levels.join('\n')}\nkind: PipelineRun\n`);
    const result = await verify('--key', pub, '--pipelinerun', bomb, model);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `slsa-for-models verify: ${bomb} is not valid JSON or YAML (excessive alias count indicates a resource exhaustion attack)\n`,
    );
  });
});

describe('verify: the command line', () => {
  test('options after the positional MODEL are read as options', async () => {
    expect(await verify(model, '--signature', at('good.json'), '--key', pub)).toMatchObject({ code: 0, stderr: '' });
  });

  test.each([
    [['--key', 'K', '--key', 'K'], '--key is given more than once'],
    [['--param', 'model-name'], '--param takes NAME=VALUE, not "model-name"'],
    [['--param', '=x'], '--param takes NAME=VALUE, not "=x"'],
    [['--digest', 'abc'], 'digest "abc" is not a sha256 (64 hex characters)'],
    [['--digest', `${'a'.repeat(63)}g`], `digest "${'a'.repeat(63)}g" is not a sha256 (64 hex characters)`],
    [['--json', '--json'], '--json is given more than once'],
    [['--check-claims=maybe'], '--check-claims takes true or false, not "maybe"'],
  ])('%j is bad usage: exit 2', async (extra, message) => {
    const args = ['--key', pub, '--signature', at('good.json'), ...extra.map((arg) => (arg === 'K' ? pub : arg))];
    expect(await verify(...args)).toEqual({ code: 2, stdout: '', stderr: `slsa-for-models verify: ${message}\n` });
  });

  test('--digest in uppercase hex, or with a sha256: prefix, verifies (the close case)', async () => {
    expect(await verify('--key', pub, '--signature', at('good.json'), '--digest', sha256.toUpperCase())).toMatchObject({ code: 0 });
    expect(await verify('--key', pub, '--signature', at('good.json'), '--digest', `sha256:${sha256}`)).toMatchObject({ code: 0 });
  });
});

describe('verify: printed statement text cannot drive the terminal', () => {
  const hostile = 'https://evil.example/\u001b]0;owned\u0007\u009b2J\u202eredliub\u2028next';
  const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  test('the summary, the one-line reason and --json carry no control or bidi characters', async () => {
    const envelope = file('hostile.json', JSON.stringify(envelopeOf(statementWith(hostile, `model\u001b[31m.pth`))));
    const verified = await verify('--key', pub, '--signature', envelope, model);
    expect(verified.code).toBe(0);
    expect(verified.stdout).not.toMatch(CONTROLS);
    expect(verified.stdout).toContain('  builder    https://evil.example/?]0;owned??2J?redliub?next\n');
    const refused = await verify('--key', pub, '--signature', envelope, '--builder-id', 'https://tekton.dev/chains/v2', model);
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toMatch(CONTROLS);
    expect(refused.stderr.split('\n')).toHaveLength(2);
    const json = await verify('--key', pub, '--signature', envelope, '--json', model);
    expect(json.stdout).not.toMatch(CONTROLS);
    expect(JSON.parse(json.stdout).attestation.builderId).toBe(hostile);
  });

  test('a plain builder id prints as it is (the close case)', async () => {
    expect((await verify('--key', pub, '--signature', at('good.json'), model)).stdout).toContain(
      '  builder    https://tekton.dev/chains/v2\n',
    );
  });
});

describe('verify as a process: - reads the model from standard input', () => {
  test('a matching stream verifies; one byte changed does not', () => {
    const cli = (input: string) =>
      spawnSync(
        process.execPath,
        [path.join(ROOT, 'lib/src/cli/main.js'), 'verify', '--insecure-ignore-tlog', '--key', pub, '--signature', at('good.json'), '-'],
        { input, encoding: 'utf8' },
      );
    const good = cli('weights\n');
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout.split('\n')[0]).toBe('verified: -');
    const bad = cli('weightz\n');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^slsa-for-models verify: not verified: no subject matches sha256:/);
  });
});

describe('verify as a process: no stack traces', () => {
  test('a symlink loop as the key or the model: exit 2, one line on stderr, nothing on stdout', () => {
    const built = spawnSync(process.execPath, ['tools/build-if-stale.js'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status).toBe(0);
    for (const args of [
      ['--key', at('loop-a'), '--signature', at('good.json'), model],
      ['--key', pub, '--signature', at('good.json'), at('loop-a')],
    ]) {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'lib/src/cli/main.js'), 'verify', ...args], {
        cwd: os.tmpdir(),
        encoding: 'utf8',
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^slsa-for-models verify: cannot read /), '']);
    }
  });
});
