#!/usr/bin/env node
// Runs `slsa-for-models check` over a real-world corpus of Tekton files from public repositories,
// one repository at a time and then all of them under one directory, and prints the findings
// counted by severity and rule (docs/check.md, "Real-world YAML", records the figures).
//
//   node tools/check-corpus.js [--repos DIR] [--list FILE] [--out DIR] [--keep] [--whole] [REPO...]
//
// --repos DIR  where the repositories are: for owner/name, DIR/owner+name/repo (a bare mirror),
//              DIR/owner+name or DIR/owner/name (a clone or bare repository); each must hold the
//              commit recorded below (`git fetch` it, or clone without --depth). Default: the
//              environment's CORPUS_REPOS, else /work/.mirror.
// --list FILE  the repositories and commits to use instead of those recorded below: one
//              `owner/name COMMIT` a line (# starts a comment).
// --out DIR    where the corpus is written (default: a temporary directory, removed afterwards
//              unless --keep); the findings of each run are written beside it as JSON.
// --whole      take every file `check` would read, not only the Tekton files: a user's
//              `check .` on the whole repository (Helm charts, JSON fixtures, other manifests).
// REPO...      only these repositories (owner/name, or a part of it).
//
// The corpus of a repository is every *.yaml, *.yml and *.json file at its recorded commit that
// `check` would read in a directory (not under a hidden directory other than .tekton/, nor under
// node_modules) and that names a tekton.dev apiVersion (with --whole, every such file; the Tekton
// files are still the count that rates are given per). Nothing is fetched: no network is needed.
// Exit status: 0 when every run ended 0 or 1 (findings are what is measured), 1 when a run ended
// with another status (2: nothing read as manifests, or a crash), 2 for bad usage or a missing
// repository or commit.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');

/** The repositories and the commits the figures in docs/check.md were measured at. */
const REPOSITORIES = [
  ['tektoncd/catalog', '55dd80ef1b83861613dce9080dfdf6656f1aecd4'],
  ['tektoncd/pipeline', '3ee1745ae5b2d9175b11917d7c1935eaad44910c'],
  ['tektoncd/plumbing', '75051b800363aeba7f90bcf32477624beb078c55'],
  ['tektoncd/triggers', '088902973c89e356b40bc0745618df0e9b2d8198'],
  ['tektoncd/chains', 'e44b60fe65e6897e3784ae4cc7f5ffe39581529e'],
  ['tektoncd/operator', '390143289a66e981b9a84847b53f18b1a325072d'],
  ['tektoncd/cli', '95ae329e13ba430734bbe6d177a2845c61edb10b'],
  ['openshift-pipelines/pipelines-as-code', 'c6397d3fda503f8cabfa5d050324ec0eb313bab7'],
  ['konflux-ci/build-definitions', '6904ca204e66889a2dc35ad7d860d56632fd17be'],
  ['konflux-ci/release-service-catalog', 'fb721308773f43fed44979b6860d0e4b8946695f'],
  ['konflux-ci/tekton-integration-catalog', 'd7e56b0c8be8540af0eefc0d87faafbef57bb195'],
  ['kubevirt/kubevirt-tekton-tasks', 'ed3f2b9f2dda04a0b156e06d3f6c2dd9201f6d2d'],
  ['openshift-pipelines/release-tests', 'e2889e15628003488ecadfc98a4a5b9673cc8ec1'],
  ['epam/edp-tekton', '3f30858d8633e08c9a691a42292f39c76a6de2a7'],
  ['kubeflow/kfp-tekton', '0b894195443ca225652720a3342517dfaa304c95'],
];

const EXTENSIONS = /\.(ya?ml|json)$/i;
/** A tekton.dev apiVersion, in YAML or JSON (not triggers.tekton.dev and the like). */
const TEKTON_API_VERSION = /["']?apiVersion["']?\s*:\s*["']?tekton\.dev\//;

function fail(message) {
  process.stderr.write(`check-corpus: ${message}\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = {
    repos: process.env.CORPUS_REPOS || '/work/.mirror',
    list: undefined,
    out: undefined,
    keep: false,
    whole: false,
    only: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repos' || a === '--out' || a === '--list') {
      if (i + 1 >= argv.length) fail(`${a} needs a directory`);
      options[a.slice(2)] = argv[++i];
    } else if (a === '--keep') options.keep = true;
    else if (a === '--whole') options.whole = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        fs
          .readFileSync(path.join(__dirname, 'check-corpus.js'), 'utf8')
          .split('\n')
          .slice(1)
          .filter((l) => l.startsWith('//'))
          .map((l) => l.replace(/^\/\/ ?/, ''))
          .join('\n') + '\n',
      );
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else options.only.push(a);
  }
  return options;
}

/** The `owner/name COMMIT` lines of a --list file. */
function readList(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    fail(`--list: cannot read ${file}: ${err.message.split('\n')[0]}`);
  }
  const repositories = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const [repo, commit, extra] = line.split(/\s+/);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || !/^[0-9a-f]{40}$/.test(commit ?? '') || extra !== undefined)
      fail(`--list: ${file} line ${i + 1}: expected "owner/name COMMIT" (a 40-digit commit), got "${line}"`);
    repositories.push([repo, commit]);
  });
  return repositories;
}

/** The git directory of `repo` under `reposDir`, or undefined. */
function gitDirOf(reposDir, repo) {
  const [owner, name] = repo.split('/');
  for (const candidate of [
    path.join(reposDir, `${owner}+${name}`, 'repo'),
    path.join(reposDir, `${owner}+${name}`),
    path.join(reposDir, owner, name),
  ]) {
    const probe = spawnSync(
      'git',
      ['--git-dir', fs.existsSync(path.join(candidate, '.git')) ? path.join(candidate, '.git') : candidate, 'rev-parse', '--git-dir'],
      {
        encoding: 'utf8',
      },
    );
    if (probe.status === 0) return fs.existsSync(path.join(candidate, '.git')) ? path.join(candidate, '.git') : candidate;
  }
  return undefined;
}

function git(gitDir, args, input) {
  const result = spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30 });
  if (result.status !== 0) fail(`git ${args.join(' ')} in ${gitDir}: ${String(result.stderr).trim()}`);
  return result.stdout;
}

/** Whether `check` reads this path in a directory: no hidden directory other than .tekton/, no node_modules, no hidden file. */
function readByCheck(file) {
  const parts = file.split('/');
  const base = parts.pop();
  if (!EXTENSIONS.test(base) || base.startsWith('.')) return false;
  return parts.every((p) => p === '.tekton' || (!p.startsWith('.') && p !== 'node_modules'));
}

/**
 * Writes the Tekton files of the repository at `commit` under `dir` (with `whole`, every file
 * `check` reads); returns how many files were written and how many of them are Tekton files.
 */
function extract(gitDir, commit, dir, whole) {
  const names = git(gitDir, ['ls-tree', '-r', '-z', '--name-only', commit])
    .toString('utf8')
    .split('\0')
    .filter((f) => f && readByCheck(f));
  if (names.length === 0) return { written: 0, tekton: 0 };
  const batch = git(gitDir, ['cat-file', '--batch'], names.map((f) => `${commit}:${f}`).join('\n') + '\n');
  let offset = 0;
  let written = 0;
  let tekton = 0;
  for (const name of names) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const header = batch.subarray(offset, headerEnd).toString('utf8').split(' ');
    const size = Number(header[2]);
    const content = batch.subarray(headerEnd + 1, headerEnd + 1 + size);
    offset = headerEnd + 1 + size + 1;
    if (header[1] !== 'blob') continue;
    const isTekton = TEKTON_API_VERSION.test(content.toString('utf8'));
    if (!isTekton && !whole) continue;
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    written++;
    if (isTekton) tekton++;
  }
  return { written, tekton };
}

/** Runs check on `dir`; returns its exit status, findings and summary line. */
function runCheck(dir) {
  const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  let findings = [];
  if (result.status === 0 || result.status === 1) {
    try {
      findings = JSON.parse(result.stdout);
    } catch {
      findings = [];
    }
  }
  return { status: result.status, findings, summary: result.stderr.trim().split('\n').pop() };
}

function tally(findings) {
  const counts = new Map();
  for (const f of findings) {
    const key = `${f.severity} ${f.rule}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const order = { error: 0, warning: 1, note: 2 };
  return [...counts].sort((a, b) => order[a[0].split(' ')[0]] - order[b[0].split(' ')[0]] || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function report(label, files, run) {
  const errors = run.findings.filter((f) => f.severity === 'error').length;
  const perThousand = files.tekton ? ((1000 * errors) / files.tekton).toFixed(1) : '-';
  const counted = files.written === files.tekton ? `${files.tekton} files` : `${files.written} files, ${files.tekton} of them Tekton files`;
  console.log(`\n## ${label}: ${counted}, exit ${run.status}, ${errors} errors (${perThousand} per 1,000 Tekton files)`);
  console.log(`   ${run.summary}`);
  for (const [key, n] of tally(run.findings)) console.log(`   ${String(n).padStart(5)}  ${key}`);
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(CLI)) fail(`${path.relative(ROOT, CLI)} is missing: run npm run build first`);
  const repositories = options.list ? readList(options.list) : REPOSITORIES;
  const selected = repositories.filter(([repo]) => options.only.length === 0 || options.only.some((o) => repo.includes(o)));
  if (selected.length === 0) fail(`no repository matches ${options.only.join(', ')}`);
  const out = options.out ? path.resolve(options.out) : fs.mkdtempSync(path.join(os.tmpdir(), 'check-corpus-'));
  const corpus = path.join(out, 'corpus');
  fs.rmSync(corpus, { recursive: true, force: true });
  fs.mkdirSync(corpus, { recursive: true });
  const total = { written: 0, tekton: 0 };
  let bad = 0;
  const rows = [];
  for (const [repo, commit] of selected) {
    const gitDir = gitDirOf(options.repos, repo);
    if (!gitDir)
      fail(`${repo}: no repository under ${options.repos} (looked for ${repo.replace('/', '+')}/repo, ${repo.replace('/', '+')}, ${repo})`);
    if (spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`]).status !== 0)
      fail(`${repo}: commit ${commit} is not in ${gitDir} (fetch it)`);
    const dir = path.join(corpus, repo.replace('/', '+'));
    const files = extract(gitDir, commit, dir, options.whole);
    total.written += files.written;
    total.tekton += files.tekton;
    const run = files.written > 0 ? runCheck(dir) : { status: 'skipped', findings: [], summary: 'no files' };
    if (run.status !== 0 && run.status !== 1 && run.status !== 'skipped') bad++;
    fs.writeFileSync(path.join(out, `findings-${repo.replace('/', '+')}.json`), JSON.stringify(run.findings, null, 1));
    report(`${repo}@${commit.slice(0, 12)}`, files, run);
    rows.push([repo, files.tekton, run.findings.filter((f) => f.severity === 'error').length]);
  }
  const all = runCheck(corpus);
  if (all.status !== 0 && all.status !== 1) bad++;
  fs.writeFileSync(path.join(out, 'findings-all.json'), JSON.stringify(all.findings, null, 1));
  report(`all ${selected.length} repositories under one directory`, total, all);
  console.log(`\n   per repository: ${rows.map(([r, f, e]) => `${r} ${f} files ${e} errors`).join('; ')}`);
  if (options.out || options.keep) console.log(`\ncorpus and findings in ${out}`);
  else fs.rmSync(out, { recursive: true, force: true });
  process.exit(bad ? 1 : 0);
}

main();
