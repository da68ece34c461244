#!/usr/bin/env node
// Benchmark: `verify` (the library, streaming sha256 + DSSE check) on a 1 GiB model beside
// `openssl dgst -sha256` on the same file. Prints figures; asserts nothing.
// Goal (issue 3): verify time <= 1.25 x openssl, peak RSS < 150 MB.
// Goal (issue 10): verify with the transparency-log check (a Rekor entry from a local log, checked
// offline against its trusted root) <= 1.1 x verify without it (--insecure-ignore-tlog).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const SIZE = Number(process.env.VERIFY_BENCH_BYTES || 1024 * 1024 * 1024);
const BLOCK = 64 * 1024 * 1024;
const RUNS = Number(process.env.VERIFY_BENCH_RUNS || 5);

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
      predicate: {
        buildDefinition: { buildType: 'https://tekton.dev/chains/v2/slsa', externalParameters: {}, resolvedDependencies: [] },
        runDetails: { builder: { id: 'https://tekton.dev/chains/v2' } },
      },
    };
    const { preAuthenticationEncoding } = require(path.join(ROOT, 'lib/src/verify/dsse-pae.js'));
    const payload = Buffer.from(JSON.stringify(statement));
    const sig = crypto.sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey);
    const signatureFile = path.join(work, 'model.build-slsa');
    fs.writeFileSync(
      signatureFile,
      JSON.stringify({
        payloadType: 'application/vnd.in-toto+json',
        payload: payload.toString('base64'),
        signatures: [{ keyid: '', sig: sig.toString('base64') }],
      }),
    );

    // The envelope in a transparency log of the bench's own (real SET, inclusion proof, checkpoint).
    const { LocalTransparencyLog } = require(path.join(ROOT, 'lib/src/verify/sigstore/local-transparency-log.js'));
    const log = new LocalTransparencyLog({ privateKey: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
    const envelopeJson = fs.readFileSync(signatureFile, 'utf8');
    for (let i = 0; i < 1000; i++) log.appendBody(Buffer.from(`{"entry":${i}}`), Math.floor(Date.now() / 1000) - 60);
    const index = log.appendDsse(
      {
        envelopeJson,
        payloadType: 'application/vnd.in-toto+json',
        payload,
        signatures: [{ sig: sig.toString('base64'), verifierPem: fs.readFileSync(keyFile, 'utf8') }],
      },
      Math.floor(Date.now() / 1000) - 60,
    );
    const entryFile = path.join(work, 'rekor-entry.json');
    const rootFile = path.join(work, 'trusted_root.json');
    fs.writeFileSync(entryFile, JSON.stringify(log.entryJson(index)));
    fs.writeFileSync(rootFile, JSON.stringify(log.trustedRoot()));

    // The verifier runs in its own process so its peak RSS is its own.
    const childFor = (logOptions) => `
      const { verifyModelAttestation } = require(${JSON.stringify(path.join(ROOT, 'lib/src/verify/verify-model-attestation.js'))});
      const start = process.hrtime.bigint();
      verifyModelAttestation({ key: ${JSON.stringify(keyFile)}, signaturePath: ${JSON.stringify(signatureFile)}, modelPath: ${JSON.stringify(model)}, ${logOptions} })
        .then(result => {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          process.stdout.write(JSON.stringify({ verified: result.verified, reason: result.reason, seconds, maxRssKb: process.resourceUsage().maxRSS }));
        });`;
    // Both commands run as child processes under /usr/bin/time when it exists (wall, CPU, peak RSS alike).
    const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const timed = (command, args) => {
      const start = process.hrtime.bigint();
      const result = TIME
        ? spawnSync(TIME, ['-f', '@@time %U %S %M', command, ...args], { encoding: 'utf8' })
        : spawnSync(command, args, { encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
      const line = /@@time ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr || '');
      return { stdout: result.stdout, wall, cpu: line ? Number(line[1]) + Number(line[2]) : NaN, maxRssKb: line ? Number(line[3]) : NaN };
    };
    const child = childFor('insecureIgnoreTlog: true');
    const childWithLog = childFor(`rekorEntryPaths: [${JSON.stringify(entryFile)}], trustedRoot: ${JSON.stringify(rootFile)}`);
    const runVerify = (code = child) => {
      const t = timed(process.execPath, ['-e', code]);
      const inner = JSON.parse(t.stdout);
      if (!inner.verified) throw new Error(`not verified: ${inner.reason}`);
      if (code === childWithLog && !inner.reason.includes('in the transparency log'))
        throw new Error(`the log was not checked: ${inner.reason}`);
      return { ...t, call: inner.seconds, maxRssKb: Math.max(t.maxRssKb || 0, inner.maxRssKb) };
    };
    const runOpenssl = () => {
      const t = timed('openssl', ['dgst', '-sha256', model]);
      if (!t.stdout.trim().endsWith(sha256)) throw new Error(`openssl digest differs: ${t.stdout}`);
      return t;
    };

    runOpenssl(); // warm the page cache so both read from memory
    const verifyRuns = [];
    const logRuns = [];
    const opensslRuns = [];
    for (let i = 0; i < RUNS; i++) {
      opensslRuns.push(runOpenssl());
      verifyRuns.push(runVerify());
      logRuns.push(runVerify(childWithLog));
    }
    const pick = (runs, field) => median(runs.map((r) => r[field]));
    const best = (runs, field) => Math.min(...runs.map((r) => r[field]));
    const mib = SIZE / 1024 / 1024;
    const fmt = (n) => n.toFixed(3);
    console.log(
      `model: ${mib.toFixed(0)} MiB of non-sparse data (written in ${writeSeconds.toFixed(2)} s); ${RUNS} interleaved runs each, page cache warm; medians (best)`,
    );
    console.log(
      `verify library call (stream sha256 + DSSE check): ${fmt(pick(verifyRuns, 'call'))} s (${fmt(best(verifyRuns, 'call'))}) = ${(mib / pick(verifyRuns, 'call')).toFixed(0)} MiB/s`,
    );
    console.log(
      `verify whole node process: wall ${fmt(pick(verifyRuns, 'wall'))} s (${fmt(best(verifyRuns, 'wall'))}), cpu ${fmt(pick(verifyRuns, 'cpu'))} s`,
    );
    console.log(
      `openssl dgst -sha256 process: wall ${fmt(pick(opensslRuns, 'wall'))} s (${fmt(best(opensslRuns, 'wall'))}), cpu ${fmt(pick(opensslRuns, 'cpu'))} s`,
    );
    console.log(
      `ratio verify/openssl (library call vs openssl process): ${(pick(verifyRuns, 'call') / pick(opensslRuns, 'wall')).toFixed(3)} (best ${(best(verifyRuns, 'call') / best(opensslRuns, 'wall')).toFixed(3)}) (goal <= 1.25)`,
    );
    console.log(
      `ratio verify/openssl (whole processes): ${(pick(verifyRuns, 'wall') / pick(opensslRuns, 'wall')).toFixed(3)} (best ${(best(verifyRuns, 'wall') / best(opensslRuns, 'wall')).toFixed(3)})`,
    );
    console.log(
      `ratio verify/openssl (cpu seconds, whole processes; least sensitive to other load): ${(pick(verifyRuns, 'cpu') / pick(opensslRuns, 'cpu')).toFixed(3)}`,
    );
    console.log(
      `verify with the log check (library call): ${fmt(pick(logRuns, 'call'))} s (${fmt(best(logRuns, 'call'))}); whole process wall ${fmt(pick(logRuns, 'wall'))} s, cpu ${fmt(pick(logRuns, 'cpu'))} s`,
    );
    console.log(
      `ratio with/without the log check (library call): ${(pick(logRuns, 'call') / pick(verifyRuns, 'call')).toFixed(3)} (best ${(best(logRuns, 'call') / best(verifyRuns, 'call')).toFixed(3)}); whole processes ${(pick(logRuns, 'wall') / pick(verifyRuns, 'wall')).toFixed(3)}; cpu ${(pick(logRuns, 'cpu') / pick(verifyRuns, 'cpu')).toFixed(3)} (goal <= 1.1)`,
    );
    console.log(
      `verify peak RSS: ${(Math.max(...verifyRuns.map((r) => r.maxRssKb)) / 1024).toFixed(1)} MiB (goal < 150 MB); openssl ${(Math.max(...opensslRuns.map((r) => r.maxRssKb)) / 1024).toFixed(1)} MiB`,
    );
    console.log(
      `load average while measuring: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${os.cpus().length} cores (figures are noisy when other work runs)`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
