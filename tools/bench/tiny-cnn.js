#!/usr/bin/env node
// Benchmark: the tiny-cnn workload (workloads/tiny-cnn/train.py) with the tiny settings the tests and
// the rehearsal use, on the CPU: the whole process (python start, torch import, data, 3 epochs, save)
// and the training alone (the epoch times train.py prints). Prints figures; asserts nothing.
// Where torch sees a CUDA device, it also trains the same medium settings on the CPU and on the GPU
// and prints the speed-up; elsewhere it says that no GPU figure was measured.
// Needs a python3 that imports torch (on PATH, else /usr/bin/python3 with Debian's python3-torch).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const TRAIN = path.join(ROOT, 'workloads', 'tiny-cnn', 'train.py');
const RUNS = Number(process.env.TINY_CNN_BENCH_RUNS || 5);
const TINY = ['--epochs', '3', '--samples', '64', '--image-size', '8', '--width', '4', '--batch-size', '16'];
const MEDIUM = ['--epochs', '2', '--samples', '4096', '--image-size', '32', '--width', '32', '--batch-size', '256'];

function torchPython() {
  for (const dir of [...(process.env.PATH || '').split(':').filter(Boolean), '/usr/bin']) {
    const python = path.join(dir, 'python3');
    if (fs.existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

/** One training: wall seconds of the process, and seconds of its epochs (from train.py's lines). */
function train(python, args, work) {
  const start = process.hrtime.bigint();
  const result = spawnSync(python, [TRAIN, 'pytorch_model.pth', ...args], { cwd: work, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`train.py failed: ${(result.stderr || result.stdout).trim().split('\n').pop()}`);
  const epochs = [...result.stdout.matchAll(/epoch \d+\/\d+ .*\((\d+\.\d+)s\)/g)].map((m) => Number(m[1]));
  return { wall, training: epochs.reduce((a, b) => a + b, 0), version: /torch (\S+),/.exec(result.stdout)?.[1] };
}

const best = (values) => Math.min(...values);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main() {
  const python = torchPython();
  if (!python) {
    console.log('skipped: no python3 here imports torch (apt-get install python3-torch)');
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-cnn-bench-'));
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(train(python, [...TINY, '--device', 'cpu'], work));
    console.log(`torch ${runs[0].version} (${python}), ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
    console.log(`tiny settings (${TINY.join(' ')}), CPU, ${RUNS} runs:`);
    console.log(
      `  whole process  best ${best(runs.map((r) => r.wall)).toFixed(2)} s, median ${median(runs.map((r) => r.wall)).toFixed(2)} s`,
    );
    console.log(
      `  training only  best ${best(runs.map((r) => r.training)).toFixed(2)} s, median ${median(runs.map((r) => r.training)).toFixed(2)} s`,
    );
    const cuda = spawnSync(python, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).stdout.trim() === 'True';
    if (!cuda) {
      console.log('no CUDA device here: no GPU figure was measured (run npm run bench tiny-cnn on a machine with one)');
      return;
    }
    const cpu = train(python, [...MEDIUM, '--device', 'cpu'], work);
    const gpu = train(python, [...MEDIUM, '--device', 'cuda'], work);
    console.log(
      `medium settings (${MEDIUM.join(' ')}), training only: CPU ${cpu.training.toFixed(2)} s, CUDA (mixed precision) ${gpu.training.toFixed(2)} s = ${(cpu.training / gpu.training).toFixed(1)}x`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
