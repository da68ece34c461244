// Where a checked file sits in its git repository (for git resolver references), read from real git repositories.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { normalizeGitUrl, SourceRepositoryFinder } from '../src/tekton-model/source-repository';

const git = (cwd: string, ...args: string[]): void => {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};

describe('normalizeGitUrl', () => {
  test.each([
    ['https://github.com/Org/Repo.git', 'github.com/org/repo'],
    ['https://github.com/org/repo/', 'github.com/org/repo'],
    ['git@github.com:org/repo.git', 'github.com/org/repo'],
    ['ssh://git@github.com:22/org/repo.git', 'github.com/org/repo'],
    ['https://user:token@gitlab.example.com/group/sub/repo', 'gitlab.example.com/group/sub/repo'],
  ])('%s reads %s', (url, expected) => expect(normalizeGitUrl(url)).toBe(expected));

  test.each(['$(params.url)', '/srv/repo', 'repo'])('%s is not a repository URL', (url) => expect(normalizeGitUrl(url)).toBeUndefined());
});

describe('SourceRepositoryFinder', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'source-repository-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file in a repository with remotes: every remote, and its path inside', () => {
    const repo = path.join(dir, 'catalog');
    fs.mkdirSync(path.join(repo, 'task', 'echo', '0.1'), { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'remote', 'add', 'origin', 'git@github.com:Org/Catalog.git');
    git(repo, 'remote', 'add', 'fork', 'https://github.com/me/catalog');
    const file = path.join(repo, 'task', 'echo', '0.1', 'echo.yaml');
    expect(new SourceRepositoryFinder().find(file)).toEqual({
      remotes: ['github.com/org/catalog', 'github.com/me/catalog'],
      pathInRepo: 'task/echo/0.1/echo.yaml',
    });
  });

  test('a worktree (.git is a gitdir: file) reads its main repository remotes', () => {
    const main = path.join(dir, 'main');
    fs.mkdirSync(main);
    git(main, 'init', '-q');
    git(main, 'remote', 'add', 'origin', 'https://example.com/x/y.git');
    git(main, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '--allow-empty', '-m', 'first');
    git(main, 'worktree', 'add', '-q', path.join(dir, 'wt'));
    expect(fs.statSync(path.join(dir, 'wt', '.git')).isFile()).toBe(true);
    expect(new SourceRepositoryFinder().find(path.join(dir, 'wt', 'p.yaml'))).toEqual({
      remotes: ['example.com/x/y'],
      pathInRepo: 'p.yaml',
    });
  });

  test('near: a repository without a remote, and a file in no repository, are not known', () => {
    const local = path.join(dir, 'local');
    fs.mkdirSync(local);
    git(local, 'init', '-q');
    const finder = new SourceRepositoryFinder();
    expect(finder.find(path.join(local, 'p.yaml'))).toBeUndefined();
    expect(finder.find(path.join(path.parse(dir).root, 'no-such-dir', 'p.yaml'))).toBeUndefined();
  });
});
