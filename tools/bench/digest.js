#!/usr/bin/env node
// Benchmark: `slsa-for-models digest` (OMS root digest, files hashed in parallel on worker
// threads) on a directory of 8 files of 512 MiB, against `sha256sum` of the same files one
// after another. Prints figures; asserts nothing. Goal (issue 17): <= 0.7x on 2 cores.
// DIGEST_BENCH_FILES and DIGEST_BENCH_MIB set the size (8 x 512 MiB = 4 GiB of disk by default);
// DIGEST_BENCH_RUNS the repeats (best of them is compared, the machine being shared).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
const FILES = Number(process.env.DIGEST_BENCH_FILES || 8);
const MIB = Number(process.env.DIGEST_BENCH_MIB || 512);
const RUNS = Number(process.env.DIGEST_BENCH_RUNS || 3);
const BLOCK = 16 * 1024 * 1024;

function timed(command, args) {
  const start = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} exited ${r.status}: ${(r.stderr || '').split('\n')[0]}`);
  return { ms, stdout: r.stdout };
}

function main() {
  if (spawnSync('sha256sum', ['--version']).status !== 0) {
    console.log('skipped: sha256sum is not installed');
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-bench-'));
  try {
    const model = path.join(work, 'model');
    fs.mkdirSync(model);
    const block = crypto.randomBytes(BLOCK);
    const files = [];
    for (let f = 0; f < FILES; f++) {
      const file = path.join(model, `shard-${String(f).padStart(2, '0')}.safetensors`);
      const fd = fs.openSync(file, 'w');
      block[0] = f; // each file different
      for (let written = 0; written < MIB * 1024 * 1024; written += BLOCK) {
        fs.writeSync(fd, block, 0, Math.min(BLOCK, MIB * 1024 * 1024 - written));
      }
      fs.closeSync(fd);
      files.push(file);
    }
    const gib = (FILES * MIB) / 1024;
    console.log(`model: ${FILES} files x ${MIB} MiB = ${gib.toFixed(2)} GiB; ${os.availableParallelism()} cores; best of ${RUNS}`);
    // Warm the page cache for both (each then reads from memory, as the second run of either would).
    timed('bash', ['-c', 'cat "$@" >/dev/null', 'warm', ...files]);
    const ours = [];
    const theirs = [];
    for (let run = 0; run < RUNS; run++) {
      theirs.push(timed('bash', ['-c', 'for f in "$@"; do sha256sum "$f" >/dev/null; done', 'sha256sum-each', ...files]).ms);
      ours.push(timed(process.execPath, [CLI, 'digest', model]).ms);
    }
    const best = (values) => Math.min(...values);
    const ratio = best(ours) / best(theirs);
    console.log(`slsa-for-models digest: ${(best(ours) / 1000).toFixed(2)} s (${(gib / (best(ours) / 1000)).toFixed(2)} GiB/s)`);
    console.log(`sha256sum, one file after another: ${(best(theirs) / 1000).toFixed(2)} s`);
    console.log(`ratio: ${ratio.toFixed(2)}x (goal <= 0.7x on 2 cores)`);
    // For context: OpenSSL's sha256 (what node:crypto runs) one file after another, and the
    // per-file hashes model_signing can also record (blake3 comes from hash-wasm, in WASM).
    if (spawnSync('openssl', ['version']).status === 0) {
      const openssl = timed('bash', ['-c', 'for f in "$@"; do openssl dgst -sha256 "$f" >/dev/null; done', 'openssl-each', ...files]).ms;
      console.log(
        `openssl dgst -sha256, one file after another: ${(openssl / 1000).toFixed(2)} s (digest / openssl: ${(best(ours) / openssl).toFixed(2)}x)`,
      );
    }
    const { serializeModel } = require(path.join(ROOT, 'lib', 'src', 'verify', 'oms', 'serialize-model.js'));
    return (async () => {
      for (const hashType of ['sha256', 'blake2b', 'blake3']) {
        const start = performance.now();
        await serializeModel(files[0], { hashType, threads: 1 });
        const seconds = (performance.now() - start) / 1000;
        console.log(`one ${MIB} MiB file, one thread, ${hashType}: ${seconds.toFixed(2)} s (${(MIB / seconds).toFixed(0)} MiB/s)`);
      }
    })();
  } finally {
    process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
  }
}

Promise.resolve(main()).catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
