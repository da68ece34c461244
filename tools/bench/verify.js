#!/usr/bin/env node
// Benchmark: `verify` (the library, streaming sha256 + DSSE check) on a 1 GiB model beside
// `openssl dgst -sha256` on the same file. Prints figures; asserts nothing.
// Goal (issue 3): verify time <= 1.25 x openssl, peak RSS < 150 MB.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const SIZE = Number(process.env.VERIFY_BENCH_BYTES || 1024 * 1024 * 1024);
const BLOCK = 64 * 1024 * 1024;
const RUNS = Number(process.env.VERIFY_BENCH_RUNS || 3);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bench-'));
  try {
    // Real data, written fast: a 64 MiB random block repeated (a sparse file would flatter reads).
    const model = path.join(work, 'model.bin');
    const block = crypto.randomBytes(BLOCK);
    const hash = crypto.createHash('sha256');
    const fd = fs.openSync(model, 'w');
    let written = 0;
    const writeStart = process.hrtime.bigint();
    while (written < SIZE) {
      const chunk = SIZE - written >= BLOCK ? block : block.subarray(0, SIZE - written);
      fs.writeSync(fd, chunk);
      hash.update(chunk);
      written += chunk.length;
    }
    fs.closeSync(fd);
    const sha256 = hash.digest('hex');
    const writeSeconds = Number(process.hrtime.bigint() - writeStart) / 1e9;

    // A key pair and an envelope signed for that digest, as Chains would sign it.
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyFile = path.join(work, 'cosign.pub');
    fs.writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'model.bin', digest: { sha256 } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] }, runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } } },
    };
    const { preAuthenticationEncoding } = require(path.join(ROOT, 'lib/src/verify/dsse-pae.js'));
    const payload = Buffer.from(JSON.stringify(statement));
    const sig = crypto.sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey);
    const signatureFile = path.join(work, 'model.build-slsa');
    fs.writeFileSync(signatureFile, JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: payload.toString('base64'), signatures: [{ keyid: '', sig: sig.toString('base64') }] }));

    // The verifier runs in its own process so its peak RSS is its own.
    const child = `
      const { verifyModelAttestation } = require(${JSON.stringify(path.join(ROOT, 'lib/src/verify/verify-model-attestation.js'))});
      const start = process.hrtime.bigint();
      verifyModelAttestation({ key: ${JSON.stringify(keyFile)}, signaturePath: ${JSON.stringify(signatureFile)}, modelPath: ${JSON.stringify(model)} })
        .then(result => {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          process.stdout.write(JSON.stringify({ verified: result.verified, reason: result.reason, seconds, maxRssKb: process.resourceUsage().maxRSS }));
        });`;
    const runVerify = () => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
      const processSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`verify child failed: ${result.stderr}`);
      return { ...JSON.parse(result.stdout), processSeconds };
    };
    const runOpenssl = () => {
      const start = process.hrtime.bigint();
      const result = spawnSync('openssl', ['dgst', '-sha256', model], { encoding: 'utf8' });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
      if (!result.stdout.trim().endsWith(sha256)) throw new Error(`openssl digest differs: ${result.stdout}`);
      return seconds;
    };

    runOpenssl(); // warm the page cache so both read from memory
    const opensslTimes = [];
    const verifyTimes = [];
    const processTimes = [];
    let peakRssKb = 0;
    let verdict;
    for (let i = 0; i < RUNS; i++) {
      opensslTimes.push(runOpenssl());
      const v = runVerify();
      verdict = v;
      verifyTimes.push(v.seconds);
      processTimes.push(v.processSeconds);
      peakRssKb = Math.max(peakRssKb, v.maxRssKb);
    }
    const verifySeconds = median(verifyTimes);
    const opensslSeconds = median(opensslTimes);
    const mib = SIZE / 1024 / 1024;
    console.log(`model: ${mib.toFixed(0)} MiB of non-sparse data (written in ${writeSeconds.toFixed(2)} s), ${RUNS} runs each, medians, page cache warm`);
    console.log(`verify result: ${verdict.verified ? 'verified' : `NOT verified: ${verdict.reason}`}`);
    console.log(`verify (library, streaming sha256 + signature): ${verifySeconds.toFixed(3)} s (${(mib / verifySeconds).toFixed(0)} MiB/s; runs ${verifyTimes.map(t => t.toFixed(3)).join(', ')})`);
    console.log(`verify as a whole node process (startup included): ${median(processTimes).toFixed(3)} s (ratio ${(median(processTimes) / opensslSeconds).toFixed(3)})`);
    console.log(`openssl dgst -sha256: ${opensslSeconds.toFixed(3)} s (${(mib / opensslSeconds).toFixed(0)} MiB/s; runs ${opensslTimes.map(t => t.toFixed(3)).join(', ')})`);
    console.log(`ratio verify/openssl: ${(verifySeconds / opensslSeconds).toFixed(3)} (goal <= 1.25)`);
    console.log(`verify peak RSS: ${(peakRssKb / 1024).toFixed(1)} MiB (goal < 150 MB)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
