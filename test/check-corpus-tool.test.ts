import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TOOL = path.join(ROOT, 'tools', 'check-corpus.js');

const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

const TASK = (name: string): string =>
  `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: ${name}\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: echo hi\n`;

describe('tools/check-corpus.js', () => {
  let work: string;
  let commit: string;
  beforeAll(() => {
    // GIVEN a repository (a clone under REPOS/owner/name) with a good Task, a Task Tekton refuses, a Helm
    // template, a non-Tekton file and a hidden directory; and a later commit that is not measured
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'check-corpus-'));
    const repo = path.join(work, 'repos', 'acme', 'pipelines');
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    };
    fs.mkdirSync(repo, { recursive: true });
    git(repo, 'init', '-q');
    write('task/good.yaml', TASK('good'));
    write('task/bad.yaml', TASK('Bad_Name'));
    write('chart/templates/task.yaml', `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: {{ .Values.name }}\n`);
    write('config/settings.yaml', 'replicas: 3\n');
    write('.github/task.yaml', TASK('Hidden_Name'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'one');
    commit = git(repo, 'rev-parse', 'HEAD');
    write('task/later.yaml', TASK('Later_Name'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'two');
    fs.writeFileSync(path.join(work, 'list'), `# test corpus\nacme/pipelines ${commit}\n`);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [TOOL, '--repos', path.join(work, 'repos'), '--list', path.join(work, 'list'), ...args], {
      encoding: 'utf8',
    });

  test('extracts the Tekton files check reads at the recorded commit and counts findings per rule, per repository and all together', () => {
    // WHEN the corpus is measured
    const r = run();
    // THEN the three Tekton files of the first commit are read (not .github/, not the later commit, not the settings file),
    // the template is one warning, the wrong name one error, and the tool ends 0 (check itself ended 1)
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`## acme/pipelines@${commit.slice(0, 12)}: 3 files, exit 1, 1 errors (333.3 per 1,000 Tekton files)`);
    expect(r.stdout).toContain('## all 1 repositories under one directory: 3 files, exit 1, 1 errors');
    expect(r.stdout).toMatch(/ {7}1 {2}error metadata-name-invalid\n {7}1 {2}warning file-not-manifest\n/);
  });

  test('--whole takes every file check reads; the rate stays per Tekton file', () => {
    const r = run('--whole');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('4 files, 3 of them Tekton files, exit 1, 1 errors (333.3 per 1,000 Tekton files)');
  });

  test('near: a commit the repository lacks, or a bad list line, is one line and exit 2', () => {
    fs.writeFileSync(path.join(work, 'list-missing'), `acme/pipelines ${'0'.repeat(40)}\n`);
    const missing = spawnSync(process.execPath, [TOOL, '--repos', path.join(work, 'repos'), '--list', path.join(work, 'list-missing')], {
      encoding: 'utf8',
    });
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/^check-corpus: acme\/pipelines: commit 0{40} is not in \S+ \(fetch it\)\n$/);
    fs.writeFileSync(path.join(work, 'list-bad'), 'acme/pipelines main\n');
    const bad = spawnSync(process.execPath, [TOOL, '--list', path.join(work, 'list-bad')], { encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([
      2,
      `check-corpus: --list: ${path.join(work, 'list-bad')} line 1: expected "owner/name COMMIT" (a 40-digit commit), got "acme/pipelines main"\n`,
    ]);
  });
});
