/**
 * The tiny-cnn workload (workloads/tiny-cnn/train.py), run for real with PyTorch on this machine's CPU:
 * deterministic, resumable from its checkpoint to the same bytes, and clear about what it refuses. Then
 * the whole pipeline on it: `rehearse --interrupt build-model` preempts the first training attempt once a
 * checkpoint exists, the task's retries resume it, and the final model verifies.
 *
 * Needs a python3 with torch: the one on PATH, else Debian's /usr/bin/python3 with python3-torch
 * (`apt-get install python3-torch`, PyTorch 1.13). Without one the torch cases are skipped, saying so.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { SlsaForModels } from '../src/models/slsa-for-models';
import { SlsaForModelsRun } from '../src/models/slsa-for-models-run';
import { tinyCnnModelSource } from '../src/models/model-source';

const root = path.resolve(__dirname, '..');
const workload = path.join(root, 'workloads', 'tiny-cnn');
const trainPy = path.join(workload, 'train.py');
const main = path.join(root, 'lib', 'src', 'cli', 'main.js');

/** The directory of a python3 that imports torch, or undefined. */
function torchPython(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin'];
  for (const dir of candidates) {
    const python = path.join(dir, 'python3');
    if (!fs.existsSync(python)) continue;
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return dir;
  }
  return undefined;
}

const torchDir = torchPython();
if (!torchDir) console.log('skipping the tiny-cnn training cases: no python3 here imports torch (apt-get install python3-torch)');
const withTorch = torchDir ? test : test.skip;
/** PATH with the torch python first, as the rehearsal's steps will find it. */
const torchPath = `${torchDir}:${process.env.PATH ?? ''}`;
const TINY = ['--samples', '64', '--image-size', '8', '--width', '4', '--batch-size', '16', '--device', 'cpu'];

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-cnn-'));
  spawnSync(process.execPath, [path.join(root, 'tools', 'build-if-stale.js')], { cwd: root, stdio: 'ignore' });
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function train(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  fs.mkdirSync(cwd, { recursive: true });
  const clean = { ...process.env };
  delete clean.CHECKPOINT_DIR;
  return spawnSync(path.join(torchDir ?? '/usr/bin', 'python3'), [trainPy, ...args], { cwd, encoding: 'utf8', env: { ...clean, ...env } });
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('workloads/tiny-cnn/train.py', () => {
  test('is Apache-2.0 and ships a lock for the pinned image and a hash lock for PyPI', () => {
    expect(fs.readFileSync(trainPy, 'utf8')).toMatch(/SPDX-License-Identifier: Apache-2\.0/);
    const image = fs.readFileSync(path.join(workload, 'requirements.txt'), 'utf8');
    expect(image.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
    const pypi = fs.readFileSync(path.join(workload, 'requirements-pypi.txt'), 'utf8');
    const pins = pypi
      .split('\n')
      .filter((l) => /^[a-z]/.test(l))
      .map((l) => l.split(' ')[0]);
    expect(pins).toContain('torch==2.4.0');
    // every pin carries at least one sha256 (pip --require-hashes refuses a pin without one)
    for (const block of pypi.split(/\n(?=[a-z])/).filter((b) => /^[a-z]/.test(b))) expect(block).toMatch(/--hash=sha256:[0-9a-f]{64}/);
  });

  test('refuses a model name it does not write, before importing torch (exit 2)', () => {
    const result = spawnSync('python3', [trainPy, 'tensorflow_model.keras'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /MODEL_NAME 'tensorflow_model.keras' is not one this workload writes \(pytorch_model.pth, pytorch_model_directory\)/,
    );
  });

  withTorch(
    'trains on the CPU in seconds, deterministically, and a resumed run writes the same bytes',
    () => {
      const whole = train(path.join(tmp, 'whole'), [
        'pytorch_model.pth',
        '--epochs',
        '3',
        ...TINY,
        '--checkpoint-dir',
        path.join(tmp, 'ck-whole'),
      ]);
      expect(whole.stderr).toBe('');
      expect(whole.status).toBe(0);
      expect(whole.stdout).toMatch(/device cpu, 64 samples of 3x8x8, width 4, epochs 1\.\.3/);
      expect(whole.stdout).toMatch(/epoch 3\/3 loss/);
      const again = train(path.join(tmp, 'again'), ['pytorch_model.pth', '--epochs', '3', ...TINY]);
      expect(again.status).toBe(0);
      expect(sha256(path.join(tmp, 'again', 'pytorch_model.pth'))).toBe(sha256(path.join(tmp, 'whole', 'pytorch_model.pth')));

      // one epoch, then "preempted"; the next attempt finds the checkpoint through CHECKPOINT_DIR
      const ck = path.join(tmp, 'ck-split');
      expect(train(path.join(tmp, 'split'), ['pytorch_model.pth', '--epochs', '1', ...TINY], { CHECKPOINT_DIR: ck }).status).toBe(0);
      expect(fs.readdirSync(ck)).toEqual(['checkpoint.pt']);
      const resumed = train(path.join(tmp, 'split'), ['pytorch_model.pth', '--epochs', '3', ...TINY], { CHECKPOINT_DIR: ck });
      expect(resumed.status).toBe(0);
      expect(resumed.stdout).toMatch(/resuming from .*checkpoint\.pt \(epoch 1 done, sha256:[0-9a-f]{64}\)/);
      expect(resumed.stdout).toMatch(/epochs 2\.\.3/);
      expect(resumed.stdout).not.toMatch(/epoch 1\/3/);
      expect(sha256(path.join(tmp, 'split', 'pytorch_model.pth'))).toBe(sha256(path.join(tmp, 'whole', 'pytorch_model.pth')));
    },
    120000,
  );

  withTorch(
    'writes a directory model (weights and config), deterministically, and refuses to train over an existing one',
    () => {
      const first = train(path.join(tmp, 'dir-a'), ['pytorch_model_directory', '--epochs', '2', ...TINY]);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/train\.py: wrote pytorch_model_directory\/\n$/);
      const model = path.join(tmp, 'dir-a', 'pytorch_model_directory');
      expect(fs.readdirSync(path.join(tmp, 'dir-a')).sort()).toEqual(['pytorch_model_directory']);
      expect(fs.readdirSync(model).sort()).toEqual(['config.json', 'model.pth']);
      const config = JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8'));
      expect(config).toMatchObject({ architecture: 'tiny-cnn', classes: 10, image_size: 8, width: 4, weights: 'model.pth' });
      expect(config.trained).toMatchObject({ epochs: 2, samples: 64, seed: 1234 });
      // the same settings, the same root digest (what the pipeline records as the subject)
      expect(train(path.join(tmp, 'dir-b'), ['pytorch_model_directory', '--epochs', '2', ...TINY]).status).toBe(0);
      const digest = (dir: string) => spawnSync(process.execPath, [main, 'digest', dir], { encoding: 'utf8' }).stdout;
      expect(digest(path.join(tmp, 'dir-b', 'pytorch_model_directory'))).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      expect(digest(path.join(tmp, 'dir-b', 'pytorch_model_directory'))).toBe(digest(model));
      // near case: the directory is there already; refused before any epoch
      const again = train(path.join(tmp, 'dir-a'), ['pytorch_model_directory', '--epochs', '2', ...TINY]);
      expect(again.status).toBe(1);
      expect(again.stdout).not.toMatch(/epoch/);
      expect(again.stderr).toBe("train.py: pytorch_model_directory exists; remove it first (the pipeline's training step does)\n");
    },
    120000,
  );

  withTorch(
    'refuses a checkpoint written with other settings, and cuda where there is none',
    () => {
      const ck = path.join(tmp, 'ck-other');
      expect(train(path.join(tmp, 'other'), ['pytorch_model.pth', '--epochs', '1', ...TINY, '--checkpoint-dir', ck]).status).toBe(0);
      const wider = train(path.join(tmp, 'other'), ['pytorch_model.pth', '--epochs', '2', ...TINY, '--width', '8', '--checkpoint-dir', ck]);
      expect(wider.status).not.toBe(0);
      expect(wider.stderr).toMatch(/checkpoint\.pt was written with other settings .*"width": 4.*, not .*"width": 8/);
      // (the near case, the same settings with more epochs resuming, is the test above)
      const cuda = train(path.join(tmp, 'cuda'), ['pytorch_model.pth', '--epochs', '1', ...TINY, '--device', 'cuda']);
      if (cuda.status !== 0) expect(cuda.stderr).toMatch(/--device cuda, but torch \S+ sees no CUDA device/);
      const amp = train(path.join(tmp, 'cuda'), ['pytorch_model.pth', '--epochs', '1', ...TINY, '--amp', 'on']);
      expect(amp.status).not.toBe(0);
      expect(amp.stderr).toMatch(/--amp on needs --device cuda/);
    },
    120000,
  );
});

describe('the pipeline on tiny-cnn: rehearse --interrupt build-model', () => {
  /** dist/ with a CPU run of tiny-cnn with tiny settings (the same Pipeline and Tasks as the shipped dist/). */
  function tinyDist(dir: string): void {
    const app = new App({ outdir: dir });
    const models = new SlsaForModels(new Chart(app, 'slsa-for-models', { disableResourceNameHashes: true }), 'SlsaForModels');
    const runs = new App({ outdir: path.join(dir, 'runs') });
    new SlsaForModelsRun(new Chart(runs, 'tiny-cnn-cpu', { disableResourceNameHashes: true }), 'Run', {
      pipeline: models.pipeline,
      serviceAccountName: models.serviceAccount.name,
      generateName: 'tiny-cnn-cpu-',
      modelSource: tinyCnnModelSource('https://git.example.invalid/replaced-by-the-rehearsal'),
      trainingArgs: ['--epochs', '3', ...TINY],
    });
    app.synth();
    runs.synth();
  }

  /** A git repository holding workloads/tiny-cnn/ at the paths the model source names. */
  function workloadRepository(dir: string): void {
    fs.mkdirSync(path.join(dir, 'workloads'), { recursive: true });
    fs.cpSync(workload, path.join(dir, 'workloads', 'tiny-cnn'), { recursive: true });
    const git = (...args: string[]) =>
      expect(
        spawnSync('git', args, {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@example.invalid',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@example.invalid',
            GIT_CONFIG_GLOBAL: '/dev/null',
          },
        }).status,
      ).toBe(0);
    git('init', '--quiet');
    git('add', '--all');
    git('commit', '--quiet', '--no-gpg-sign', '-m', 'tiny-cnn');
  }

  test('refuses --interrupt for a task without retries or one that does not exist, and --run for a run that is not there (exit 2)', () => {
    const dist = path.join(tmp, 'dist-no-retries');
    tinyDist(dist);
    const result = spawnSync(
      process.execPath,
      [main, 'rehearse', '--dist', dist, '--out', path.join(tmp, 'x'), '--interrupt', 'git-clone'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'slsa-for-models rehearse: --interrupt: task "git-clone" has no retries, so an interrupted attempt would fail the run; give it retries\n',
    );
    const noRun = spawnSync(process.execPath, [main, 'rehearse', '--dist', dist, '--out', path.join(tmp, 'x'), '--run', 'tiny-cnn-gpu'], {
      encoding: 'utf8',
    });
    expect(noRun.status).toBe(2);
    expect(noRun.stderr).toBe(
      `slsa-for-models rehearse: --run tiny-cnn-gpu: no PipelineRun of that name or generateName in ${dist} (runs: tiny-cnn-cpu-)\n`,
    );
    const missing = spawnSync(process.execPath, [main, 'rehearse', '--dist', dist, '--out', path.join(tmp, 'x'), '--interrupt', 'train'], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /--interrupt: pipeline "slsa-for-models" has no task "train" \(tasks: git-clone, build-model, upload-model\)/,
    );
  });

  withTorch(
    'the first attempt is killed after its first checkpoint, the retry resumes, the provenance says so, the model verifies',
    () => {
      const dist = path.join(tmp, 'dist');
      const repo = path.join(tmp, 'repo');
      const out = path.join(tmp, 'out');
      tinyDist(dist);
      workloadRepository(repo);
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: torchPath };
      delete env.COSIGN_PASSWORD;
      const result = spawnSync(
        process.execPath,
        [main, 'rehearse', '--dist', dist, '--run', 'tiny-cnn-cpu', '--out', out, '--source', repo, '--interrupt', 'build-model'],
        { encoding: 'utf8', env },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        /attempt 1 of task build-model failed: task "build-model" step "train" was preempted \(killed once a checkpoint appeared in \S+\/checkpoints\/pytorch_model\.pth\); retrying \(2 of its 2 retries left\)/,
      );

      const pr = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8'));
      const resumed = pr.status.results.find((r: any) => r.name === 'training-resumed-from');
      expect(resumed.value).toMatch(/^sha256:[0-9a-f]{64}$/);
      const statement = JSON.parse(
        Buffer.from(pr.metadata.annotations[`chains.tekton.dev/payload-pipelinerun-${pr.metadata.uid}`], 'base64').toString(),
      );
      const byproduct = statement.predicate.runDetails.byproducts.find((b: any) => b.name.endsWith('/training-resumed-from'));
      expect(JSON.parse(Buffer.from(byproduct.content, 'base64').toString())).toBe(resumed.value);
      const build = JSON.parse(fs.readFileSync(path.join(out, 'taskruns.json'), 'utf8')).items.find(
        (t: any) => t.metadata.labels['tekton.dev/pipelineTask'] === 'build-model',
      );
      expect(build.status.retriesStatus).toHaveLength(1);
      expect(build.status.retriesStatus[0].conditions[0]).toMatchObject({ status: 'False', reason: 'Failed' });

      // the same bytes as an uninterrupted training with the same settings
      const plain = train(path.join(tmp, 'plain'), ['pytorch_model.pth', '--epochs', '3', ...TINY]);
      expect(plain.status).toBe(0);
      expect(sha256(path.join(out, 'pytorch_model.pth'))).toBe(sha256(path.join(tmp, 'plain', 'pytorch_model.pth')));
      // the log check too: the rehearsal logs the attestation in its own transparency log (dist/ has transparency on)
      const verify = spawnSync(
        process.execPath,
        [
          main,
          'verify',
          '--key',
          path.join(out, 'cosign.pub'),
          '--pipelinerun',
          path.join(out, 'pipelinerun.json'),
          '--rekor-entry',
          path.join(out, 'rekor-entry.json'),
          '--trusted-root',
          path.join(out, 'trusted_root.json'),
          path.join(out, 'pytorch_model.pth'),
        ],
        { encoding: 'utf8' },
      );
      expect(verify.stdout).toMatch(/^verified: /);
      expect(verify.status).toBe(0);
      // this run shape too (a retried task, its retriesStatus, the resumed-from result): `provenance` on the
      // rehearsal's own runs gives back, field by field, the statement the rehearsal signed
      const chainsConfig = path.join(dist, fs.readdirSync(dist).filter((f) => f.endsWith('.yaml'))[0]);
      const shown = spawnSync(
        process.execPath,
        [
          main,
          'provenance',
          path.join(out, 'pipelinerun.json'),
          '--taskruns',
          path.join(out, 'taskruns.json'),
          '--chains-config',
          chainsConfig,
        ],
        { encoding: 'utf8' },
      );
      expect(shown.stderr).toBe('');
      expect(JSON.parse(shown.stdout)).toEqual(statement);
    },
    300000,
  );
});
