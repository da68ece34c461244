// Which files make up a model, as model_signing lists them (`_serialization/file.py`,
// `serialization.py` and `hashing.Config.hash`): every regular file at or under the model path,
// hidden ones included, less the ignored paths; symlinks refused unless allowed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFileError } from '../file-error';
import { AttestationRejectedError, UnreadableInputError } from '../verification-errors';

/** The git files model_signing leaves out at the model root unless told otherwise. */
export const GIT_IGNORE_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

/** One file of a model. */
export interface ModelFile {
  /** POSIX path relative to the model root; `.` when the model is a single file. */
  readonly name: string;
  /** Where to read it (a symlink's target when symlinks are allowed). */
  readonly path: string;
  /** Its size in bytes. */
  readonly size: number;
}

/** Options for {@link listModelFiles}. */
export interface ListModelFilesOptions {
  /** Paths relative to the model root to leave out, with everything under them. */
  readonly ignorePaths?: readonly string[];
  /** Leave out `.git`, `.gitattributes`, `.github` and `.gitignore` at the root. @default true */
  readonly ignoreGitPaths?: boolean;
  /** Hash a symlink as its target's content, instead of refusing it. @default false */
  readonly allowSymlinks?: boolean;
}

/** The files of a model, in no particular order. */
export interface ModelListing {
  /** Whether the model is a single file (its one resource is named `.`). */
  readonly singleFile: boolean;
  /** The files, in no particular order. */
  readonly files: readonly ModelFile[];
}

/** Normalizes a POSIX relative path (`./a//b/` to `a/b`, `` to `.`). */
function normalizeRelative(p: string): string {
  const normal = path.posix.normalize(p).replace(/\/+$/, '');
  return normal === '' ? '.' : normal;
}

/**
 * Keeps the recorded or given ignore paths that lie inside the model (relative, no `..` out of
 * it), normalized; model_signing skips the others.
 */
export function ignorePathsInsideModel(paths: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const p of paths) {
    if (p === '' || p.startsWith('/')) continue;
    const normal = normalizeRelative(p);
    if (normal === '..' || normal.startsWith('../')) continue;
    kept.add(normal);
  }
  return [...kept];
}

/** Whether `name` equals or lies under one of `ignored` (component-wise, as Python's `is_relative_to`). */
export function isIgnored(name: string, ignored: readonly string[]): boolean {
  return ignored.some((p) => p === '.' || name === p || name.startsWith(`${p}/`));
}

/**
 * Python's non-strict `Path.resolve()`: the real path of the longest existing prefix, with the
 * rest appended.
 */
function resolveLoosely(p: string): string {
  const absolute = path.resolve(p);
  try {
    return fs.realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(resolveLoosely(parent), path.basename(absolute));
  }
}

/**
 * Turns `--ignore-paths` as a user gives them (relative to `cwd`, or absolute) into paths
 * relative to the model root, as model_signing's CLI does (`_resolve_ignore_paths`: both sides
 * resolved through symlinks); a path outside the model is skipped.
 */
export function resolveIgnorePaths(modelPath: string, paths: readonly string[], cwd = process.cwd()): string[] {
  const root = resolveLoosely(path.resolve(cwd, modelPath));
  const kept: string[] = [];
  for (const p of paths) {
    const candidate = resolveLoosely(path.resolve(cwd, p));
    const relative = path.relative(root, candidate);
    if (relative === '') kept.push('.');
    else if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
      kept.push(relative.split(path.sep).join('/'));
  }
  return kept;
}

function fail(where: string, problem: string): never {
  throw new UnreadableInputError(`cannot read model ${where}: ${problem}`);
}

/**
 * Lists a model's files: `modelPath` itself when it is a file, else every regular file under it
 * (hidden ones too), less the ignored paths. A symlink is an error unless `allowSymlinks`; then a
 * symlink to a file is listed under the link's name and read from its target, and a symlink to a
 * directory adds nothing (model_signing's `glob("**")` does not descend into it). A socket, FIFO
 * or device is an error. Throws {@link UnreadableInputError} naming the path.
 */
export function listModelFiles(modelPath: string, options: ListModelFilesOptions = {}): ModelListing {
  const ignored = [...ignorePathsInsideModel(options.ignorePaths ?? []), ...((options.ignoreGitPaths ?? true) ? GIT_IGNORE_PATHS : [])];
  const allowSymlinks = options.allowSymlinks ?? false;
  const files: ModelFile[] = [];
  const inspect = (full: string, name: string): fs.Stats | undefined => {
    let link: fs.Stats;
    try {
      link = fs.lstatSync(full);
    } catch (err) {
      fail(full, describeFileError(err));
    }
    let info = link;
    if (link.isSymbolicLink()) {
      if (!allowSymlinks) throw new AttestationRejectedError(`model path ${full} is a symbolic link (refused unless symlinks are allowed)`);
      try {
        info = fs.statSync(full);
      } catch (err) {
        fail(full, `it is a symbolic link whose target cannot be read (${describeFileError(err)})`);
      }
      if (info.isDirectory()) return name === '.' ? info : undefined;
    }
    if (!info.isFile() && !info.isDirectory())
      throw new AttestationRejectedError(`model path ${full} is neither a regular file nor a directory`);
    return info;
  };
  if (
    isIgnored(
      '.',
      ignored.filter((p) => p === '.'),
    )
  )
    return { singleFile: false, files };
  const top = inspect(modelPath, '.')!;
  if (top.isFile()) {
    files.push({ name: '.', path: modelPath, size: top.size });
    return { singleFile: true, files };
  }
  const walk = (dir: string, prefix: string): void => {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch (err) {
      fail(dir, describeFileError(err));
    }
    for (const entry of entries) {
      const name = prefix === '' ? entry : `${prefix}/${entry}`;
      if (isIgnored(name, ignored)) continue;
      const full = path.join(dir, entry);
      const info = inspect(full, name);
      if (info === undefined) continue;
      if (info.isDirectory()) walk(full, name);
      else files.push({ name, path: full, size: info.size });
    }
  };
  walk(modelPath, '');
  return { singleFile: false, files };
}
