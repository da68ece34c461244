// Which files make up a model, as model_signing lists them (`_serialization/file.py`,
// `serialization.py` and `hashing.Config.hash`): the model tree (../model-tree.ts, the one walk
// `verify --model-dir` shares) less the ignored paths: the git files at the root unless told
// otherwise, and the paths given or recorded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelListing, ModelTreeWording, walkModelTree } from '../model-tree';

/** The git files model_signing leaves out at the model root unless told otherwise. */
export const GIT_IGNORE_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

/** Options for {@link listModelFiles}. */
export interface ListModelFilesOptions {
  /** Paths relative to the model root to leave out, with everything under them. */
  readonly ignorePaths?: readonly string[];
  /** Leave out `.git`, `.gitattributes`, `.github` and `.gitignore` at the root. @default true */
  readonly ignoreGitPaths?: boolean;
  /** Hash a symlink as its target's content, instead of refusing it. @default false */
  readonly allowSymlinks?: boolean;
  /** The most files to list (a bound on a hostile directory); one more is an error. @default no bound (model_signing has none) */
  readonly maxFiles?: number;
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

/** model_signing's side of the words: each path as the user can find it. */
function modelSigningWording(modelPath: string): ModelTreeWording {
  return {
    unreadable: (entry, problem) => `cannot read model ${entry.path}: ${problem}`,
    refused: (entry, kind) =>
      kind === 'symbolic link'
        ? `model path ${entry.path} is a symbolic link (refused unless symlinks are allowed)`
        : kind === 'special file'
          ? `model path ${entry.path} is neither a regular file nor a directory`
          : `model path ${entry.path} has a name that is not UTF-8 (refused: no manifest can name it)`,
    tooMany: (maxFiles) => `model ${modelPath} has more than ${maxFiles} files`,
  };
}

/**
 * Lists a model's files as model_signing does: `modelPath` itself when it is a file, else every
 * regular file under it (hidden ones too), less the ignored paths, in model_signing's order. A
 * symlink is an error unless `allowSymlinks`; then a symlink to a file is listed under the link's
 * name and read from its target, and a symlink to a directory adds nothing (model_signing's
 * `glob("**")` does not descend into it). A socket, FIFO or device is an error, and so is a name
 * that is not UTF-8. Throws `UnreadableInputError` (cannot be read) or `AttestationRejectedError`
 * (refused), naming the path (../model-tree.ts).
 */
export function listModelFiles(modelPath: string, options: ListModelFilesOptions = {}): ModelListing {
  return walkModelTree(modelPath, {
    ignored: [...ignorePathsInsideModel(options.ignorePaths ?? []), ...((options.ignoreGitPaths ?? true) ? GIT_IGNORE_PATHS : [])],
    allowSymlinks: options.allowSymlinks ?? false,
    ...(options.maxFiles === undefined ? {} : { maxFiles: options.maxFiles }),
    wording: modelSigningWording(modelPath),
  });
}
