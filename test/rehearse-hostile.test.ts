// `slsa-for-models rehearse` as a process on a hostile machine: an interrupt, a missing python3,
// no git identity, another working directory, an --out it cannot create.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'lib', 'src', 'cli', 'main.js');
const haveDist = fs.existsSync(path.join(root, 'dist', 'runs'));
const describeDist = haveDist ? describe : describe.skip;
if (!haveDist) console.log('skipping rehearse hostile-machine tests: dist/ has no synthesized objects');

let tmp: string;
beforeAll(() => {
  spawnSync(process.execPath, [path.join(root, 'tools', 'build-if-stale.js')], { cwd: root, stdio: 'ignore' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-hostile-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An environment whose TMPDIR is private, so the test sees exactly the temporary files the rehearsal leaves. */
function privateEnv(name: string, extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; tmpdir: string } {
  const tmpdir = path.join(tmp, `${name}-tmp`);
  fs.mkdirSync(tmpdir);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpdir, ...extra };
  delete env.COSIGN_PASSWORD;
  return { env, tmpdir };
}

/** A PATH directory holding every program of this PATH except those `drop` matches. */
function pathWithout(drop: RegExp): string {
  const bin = path.join(tmp, 'bin-without');
  fs.mkdirSync(bin, { recursive: true });
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || !fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      if (drop.test(name) || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return bin;
}

describe('rehearse: an --out it cannot create', () => {
  test("a path under /proc fails at once with one line (Node's recursive mkdir would loop there)", () => {
    if (!fs.existsSync('/proc/self')) return;
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', '/proc/no-such/out'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('slsa-for-models rehearse: --out /proc/no-such/out: cannot create it (no such file)\n');
  });

  test('a path under a file fails naming it', () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', path.join(file, 'out')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `slsa-for-models rehearse: --out ${path.join(file, 'out')}: cannot create it (a part of the path is not a directory)\n`,
    );
  });
});

describe('rehearse: --key and --dist that are not what they should be', () => {
  test('a directory or a symlink loop as --key, a file as --dist: one plain line, exit 2', () => {
    const loop = path.join(tmp, 'key-loop');
    fs.symlinkSync(loop, loop);
    const env = { ...process.env, COSIGN_PASSWORD: 'x' };
    const rehearse = (...args: string[]) =>
      spawnSync(process.execPath, [main, 'rehearse', '--out', path.join(tmp, 'never'), ...args], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 20000,
      });
    expect(rehearse('--key', tmp).stderr).toBe(`slsa-for-models rehearse: --key ${tmp}: cannot read it (it is a directory)\n`);
    expect(rehearse('--key', loop).stderr).toBe(
      `slsa-for-models rehearse: --key ${loop}: cannot read it (too many levels of symbolic links (a symlink loop?))\n`,
    );
    const file = path.join(tmp, 'dist-file');
    fs.writeFileSync(file, '');
    const dist = rehearse('--dist', file);
    expect(dist.status).toBe(2);
    expect(dist.stderr).toBe(
      `slsa-for-models rehearse: --dist ${file}: is a file, not a directory; give the directory npm run synth writes (dist)\n`,
    );
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});

(haveDist ? describe : describe.skip)('rehearse: a --dist without the Pipeline its run names', () => {
  test('is bad input found before anything runs: exit 2, one line, no --out, no temporary files', () => {
    const dist = path.join(tmp, 'dist-without-pipeline');
    fs.mkdirSync(path.join(dist, 'runs'), { recursive: true });
    for (const file of fs.readdirSync(path.join(root, 'dist', 'runs')))
      fs.copyFileSync(path.join(root, 'dist', 'runs', file), path.join(dist, 'runs', file));
    const yaml = fs.readFileSync(path.join(root, 'dist', 'slsa-for-models.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(dist, 'objects.yaml'),
      yaml
        .split(/^---\n/m)
        .filter((document) => !/^kind: Pipeline$/m.test(document))
        .join('---\n'),
    );
    const { env, tmpdir } = privateEnv('no-pipeline');
    const out = path.join(tmp, 'no-pipeline-out');
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', out, '--dist', dist], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.stderr).toBe(
      `slsa-for-models rehearse: ${dist}: the PipelineRun's spec.pipelineRef names pipeline "slsa-for-models", which is not among the objects (pipelines: none); run npm run synth or give --dist\n`,
    );
    expect(result.status).toBe(2);
    // dist/runs/ holds the CPU run and the GPU run; the rehearsal says which one it takes
    expect(result.stdout).toMatch(
      /^(note: 2 PipelineRuns in [^\n]*; rehearsing the first \(slsa-for-models-\); --run NAME picks another\n)?$/,
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmpdir)).toEqual([]);
  });

  test('a run that reaches its pipeline through a resolver (the PaC run): refused in one line, nothing written', () => {
    const dist = path.join(tmp, 'dist-pac');
    fs.mkdirSync(path.join(dist, 'runs'), { recursive: true });
    fs.copyFileSync(path.join(root, 'dist', 'slsa-for-models.yaml'), path.join(dist, 'slsa-for-models.yaml'));
    const pac = fs.readFileSync(path.join(root, 'dist', 'pac', '.tekton', 'slsa-for-models-push.yaml'), 'utf8');
    fs.writeFileSync(path.join(dist, 'runs', 'push.yaml'), pac.replace(/\{\{ target_namespace \}\}/, 'default'));
    const { env, tmpdir } = privateEnv('pac');
    const out = path.join(tmp, 'pac-out');
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', out, '--dist', dist], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.stderr).toBe(
      `slsa-for-models rehearse: ${dist}: the PipelineRun's spec.pipelineRef reaches its pipeline through the "cluster" resolver, which the rehearsal does not run; rehearse a run that names it (pipelineRef.name, as dist/runs/ does) or embeds it\n`,
    );
    expect(result.status).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmpdir)).toEqual([]);
  });
});

(haveDist ? describe : describe.skip)("rehearse: an --out that holds someone else's files", () => {
  test('a non-empty directory without an earlier rehearsal is refused and left as it was', () => {
    const out = path.join(tmp, 'someone-elses');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'cosign.key'), 'a real key, not ours\n');
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', out], { cwd: root, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `slsa-for-models rehearse: --out ${out}: is not empty and holds no earlier rehearsal (pipelinerun.json); give a new or empty directory\n`,
    );
    expect(fs.readdirSync(out)).toEqual(['cosign.key']);
    expect(fs.readFileSync(path.join(out, 'cosign.key'), 'utf8')).toBe('a real key, not ours\n');
  });
});

describeDist('rehearse on a hostile machine', () => {
  test('Ctrl-C during a step: exit 130, one line, no --out, no temporary files left', async () => {
    const { env, tmpdir } = privateEnv('interrupt');
    const out = path.join(tmp, 'interrupted-out');
    // detached: a process group of its own, which receives the SIGINT as a terminal's Ctrl-C would send it.
    const child = spawn(process.execPath, [main, 'rehearse', '--out', out], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (!sent && /\n {2}step train /.test(stdout)) {
          sent = true;
          setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 150);
        }
      });
      child.on('close', (status) => resolve(status));
    });
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toBe(
      `slsa-for-models rehearse: interrupted (SIGINT); its temporary files are removed and nothing was written to ${out}\n`,
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmpdir)).toEqual([]);
  }, 60000);

  test('no python3 on PATH: the train step fails naming python3, exit 1, nothing in --out', () => {
    const { env } = privateEnv('no-python', { PATH: pathWithout(/^python/) });
    const out = path.join(tmp, 'no-python-out');
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', out], { cwd: root, env, encoding: 'utf8', timeout: 60000 });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'slsa-for-models rehearse: task "build-model" step "train" needs "python3", which this machine lacks (exit 127); images are not pulled, so install it here to rehearse this step',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  }, 60000);

  test('from another directory, with no git identity (empty HOME, no system config): rehearses, and the result verifies', () => {
    const home = path.join(tmp, 'empty-home');
    fs.mkdirSync(home);
    const { env } = privateEnv('no-identity', { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
    for (const name of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL']) delete env[name];
    const cwd = path.join(tmp, 'elsewhere');
    fs.mkdirSync(cwd);
    const result = spawnSync(process.execPath, [main, 'rehearse', '--out', 'out'], { cwd, env, encoding: 'utf8', timeout: 60000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const command = /\n {2}slsa-for-models verify (.*)\n$/.exec(result.stdout)![1].split(' ');
    expect(command.slice(0, 4)).toEqual(['--key', 'out/cosign.pub', '--pipelinerun', 'out/pipelinerun.json']);
    const verified = spawnSync(process.execPath, [main, 'verify', ...command], { cwd, env, encoding: 'utf8' });
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
  }, 60000);
});
