#!/usr/bin/env node
// Compiles the TypeScript sources with tsc only when something under src/ or imports/
// (or tsconfig.json, package.json) is newer than the last successful build.
// `npm run synth` and `npm run bench` call it so that they always run current code
// without paying for tsc when nothing changed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'lib', '.build-stamp');

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

const sources = ['src', 'imports', 'tsconfig.json', 'package.json'].map((p) => path.join(ROOT, p));
const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : -1;
if (sources.some((s) => newestMtime(s) > built)) {
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('build failed: fix the TypeScript errors above');
    process.exit(1);
  }
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
