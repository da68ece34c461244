#!/usr/bin/env node
// Times `compileKfp` (read the IR, compile to constructs, synthesize, judge with check) on the
// largest KFP IR file of ../shared/kfp/ir, and on the largest one that compiles (the largest is
// refused early, so it says little about the compiler itself). Best of 7 runs after one warm-up.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'kfp', 'ir');
if (!fs.existsSync(CORPUS)) {
  console.log(`skipped: ${CORPUS} is absent`);
  process.exit(0);
}
const { compileKfp } = require(path.join(ROOT, 'lib', 'src', 'kfp'));

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.yaml')) files.push(p);
  }
})(CORPUS);
files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);

function attempt(text) {
  try {
    return { compiled: compileKfp(text) };
  } catch (err) {
    return { error: err };
  }
}
function best(text) {
  attempt(text);
  let min = Infinity;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    attempt(text);
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}
const largest = files[0];
const largestCompiling = files.find((f) => !attempt(fs.readFileSync(f, 'utf8')).error);
for (const [label, file] of [
  ['largest IR', largest],
  ['largest IR that compiles', largestCompiling],
]) {
  const text = fs.readFileSync(file, 'utf8');
  const outcome = attempt(text);
  const what = outcome.error ? `refused: ${outcome.error.message}` : `${outcome.compiled.objects.length} objects`;
  console.log(`${label}: ${path.relative(CORPUS, file)} (${(text.length / 1024).toFixed(1)} KiB, ${what}): ${best(text).toFixed(1)} ms`);
}
