/**
 * Where a checked file sits in its git repository: the repository's remote URLs and the file's
 * path inside it. A git resolver reference (`url` + `pathInRepo`) names a file of one repository;
 * a local file is that file only when it is the same path of a repository with that remote.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file's place in a git repository. */
export interface SourceRepository {
  /** The repository's remote URLs as {@link normalizeGitUrl} reads them (host/owner/name), from its git config. */
  readonly remotes: readonly string[];
  /** The file's path inside the repository, `/`-separated, without a leading `./`. */
  readonly pathInRepo: string;
}

/**
 * A git remote URL reduced to what names the repository: `host/path`, lowercase, without the
 * scheme, user, port, trailing `/` or `.git`. `https://github.com/Org/Repo.git`,
 * `git@github.com:org/repo` and `ssh://git@github.com/org/repo.git` all read
 * `github.com/org/repo`. Undefined for what is not a URL (a local path, a `$(params.x)`).
 */
export function normalizeGitUrl(url: string): string | undefined {
  const text = url.trim();
  if (text.includes('$(')) return undefined;
  let host: string;
  let rest: string;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?\/(.*)$/i.exec(text);
  const scp = /^(?:[^@/]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(text);
  if (scheme) [, host, rest] = scheme;
  else if (scp) [, host, rest] = scp;
  else return undefined;
  const repoPath = rest
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/^\/+/, '');
  if (!host || !repoPath) return undefined;
  return `${host}/${repoPath}`.toLowerCase();
}

/**
 * Finds the git repositories files sit in, by the `.git` directory (or `gitdir:` file, in a
 * worktree or submodule) nearest above each, reading the remotes from the repository's `config`.
 * Answers are remembered per directory, so a tree of thousands of files reads each config once.
 */
export class SourceRepositoryFinder {
  private readonly roots = new Map<string, { readonly root: string; readonly remotes: readonly string[] } | null>();

  /** Where `file` sits in its repository; undefined when no repository with a remote is above it. */
  public find(file: string): SourceRepository | undefined {
    const absolute = path.resolve(file);
    const repository = this.repositoryOf(path.dirname(absolute));
    if (!repository || repository.remotes.length === 0) return undefined;
    return { remotes: repository.remotes, pathInRepo: path.relative(repository.root, absolute).split(path.sep).join('/') };
  }

  private repositoryOf(directory: string): { readonly root: string; readonly remotes: readonly string[] } | undefined {
    const known = this.roots.get(directory);
    if (known !== undefined) return known ?? undefined;
    let found: { readonly root: string; readonly remotes: readonly string[] } | undefined;
    const dotGit = path.join(directory, '.git');
    const gitDirectory = gitDirectoryOf(dotGit);
    if (gitDirectory) {
      found = { root: directory, remotes: readRemotes(gitDirectory) };
    } else {
      const parent = path.dirname(directory);
      found = parent !== directory ? this.repositoryOf(parent) : undefined;
    }
    this.roots.set(directory, found ?? null);
    return found;
  }
}

/** The git directory `dotGit` stands for: itself when a directory, the `gitdir:` it names when a file. */
function gitDirectoryOf(dotGit: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return dotGit;
  if (!stat.isFile()) return undefined;
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '');
  return pointer ? path.resolve(path.dirname(dotGit), pointer[1]) : undefined;
}

/** The remote URLs in a git directory's config (a worktree's config is its common directory's). */
function readRemotes(gitDirectory: string): string[] {
  const common = readText(path.join(gitDirectory, 'commondir'))?.trim();
  const configDirectory = common ? path.resolve(gitDirectory, common) : gitDirectory;
  const config = readText(path.join(configDirectory, 'config'));
  if (config === undefined) return [];
  const remotes: string[] = [];
  let inRemote = false;
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\s\]"]+)/.exec(line);
    if (section) {
      inRemote = section[1].toLowerCase() === 'remote';
      continue;
    }
    const url = inRemote ? /^\s*url\s*=\s*"?([^"]*?)"?\s*$/i.exec(line) : null;
    const normalized = url ? normalizeGitUrl(url[1]) : undefined;
    if (normalized && !remotes.includes(normalized)) remotes.push(normalized);
  }
  return remotes;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
