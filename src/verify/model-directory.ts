import { sha256OfFile } from './model-digest';
import { ModelTreeWording, walkModelTree } from './model-tree';
import { AttestationRejectedError } from './verification-errors';

/** A subject of a statement: a name and a sha256. */
export interface DirectorySubject {
  readonly name: string;
  readonly sha256?: string;
}

/** Options for {@link verifyModelDirectory}. */
export interface VerifyModelDirectoryOptions {
  /** Files in the directory that no subject names are allowed (and ignored). @default false */
  readonly allowExtraFiles?: boolean;
  /** Subjects with no file in the directory are allowed. @default false */
  readonly allowMissingFiles?: boolean;
  /** The most files to hash (a bound on a hostile directory). @default 100000 */
  readonly maxFiles?: number;
  /** Called as files are hashed (bytes of all files so far, total bytes). */
  readonly onProgress?: (bytesHashed: number, totalBytes: number) => void;
}

/** One file of a model directory and the subject it matched. */
export interface DirectoryFileMatch {
  /** The file's path relative to the directory, with `/` separators. */
  readonly path: string;
  /** Its sha256. */
  readonly sha256: string;
  /** The subject's name. */
  readonly subject: string;
}

/**
 * Verifies a model directory file by file against the subjects of a verified statement: every
 * regular file (relative path `a/b.bin`) must be the subject whose name is that path or ends in
 * `/` or `:` and that path, with that sha256; and every subject must have its file — unless
 * `allowExtraFiles` / `allowMissingFiles`. The files are the model tree's (model-tree.ts, the walk
 * OMS and `digest` share: hidden files included, in model_signing's order) with nothing left out,
 * git files included; the directory may be a symbolic link, but symbolic links in it and special
 * files are refused (a link can lead outside the directory), as are names that are not UTF-8.
 * Throws {@link AttestationRejectedError} naming the first file or subject that does not match,
 * {@link UnreadableInputError} for a directory that cannot be read.
 */
export async function verifyModelDirectory(
  dir: string,
  subjects: readonly DirectorySubject[],
  options: VerifyModelDirectoryOptions = {},
): Promise<DirectoryFileMatch[]> {
  const files = walkModelTree(dir, {
    directoryOnly: true,
    maxFiles: options.maxFiles ?? 100_000,
    wording: directoryWording(dir),
  }).files.map((file) => ({ relative: file.name, absolute: file.path, size: file.size }));
  const matches: DirectoryFileMatch[] = [];
  const used = new Set<number>();
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  for (const file of files) {
    const candidates = subjects
      .map((subject, index) => ({ subject, index }))
      .filter(({ subject }) => namesFile(subject.name, file.relative));
    if (candidates.length === 0) {
      if (options.allowExtraFiles) continue;
      throw new AttestationRejectedError(`file ${file.relative} of ${dir} is not a subject of the statement (${subjects.length} subjects)`);
    }
    const { sha256 } = await sha256OfFile(
      file.absolute,
      options.onProgress ? { onProgress: (n) => options.onProgress!(done + n, total) } : {},
    );
    done += file.size;
    const match = candidates.find(({ subject }) => subject.sha256 === sha256);
    if (!match)
      throw new AttestationRejectedError(
        `file ${file.relative} of ${dir} has sha256:${sha256}, not the subject's ${candidates.map((c) => (c.subject.sha256 ? `sha256:${c.subject.sha256}` : '(no sha256)')).join(' or ')}`,
      );
    used.add(match.index);
    matches.push({ path: file.relative, sha256, subject: match.subject.name });
  }
  if (!options.allowMissingFiles) {
    const missing = subjects.filter((_, i) => !used.has(i));
    if (missing.length > 0)
      throw new AttestationRejectedError(
        `subject ${missing[0].name || '(unnamed)'} has no file in ${dir}${missing.length > 1 ? ` (and ${missing.length - 1} more subjects)` : ''}`,
      );
  }
  if (matches.length === 0) throw new AttestationRejectedError(`no file of ${dir} is a subject of the statement`);
  return matches;
}

/** Whether a subject name names a file at relative path `relative`: equal, or ending in `/relative` or `:relative`. */
export function namesFile(name: string, relative: string): boolean {
  if (name === relative) return true;
  if (!name.endsWith(relative)) return false;
  const before = name.charAt(name.length - relative.length - 1);
  return before === '/' || before === ':';
}

/** `--model-dir`'s side of the words: each entry named relative to the directory. */
function directoryWording(dir: string): ModelTreeWording {
  return {
    unreadable: (entry, problem, listing) =>
      listing ? `cannot read model directory ${entry.path}: ${problem}` : `cannot read ${entry.name} in model directory ${dir}: ${problem}`,
    refused: (entry, kind) =>
      kind === 'name not UTF-8'
        ? `${entry.name} in model directory ${dir} has a name that is not UTF-8: refused (no subject can name it)`
        : `${entry.name} in model directory ${dir} is ${kind === 'symbolic link' ? 'a symbolic link' : 'not a regular file'}: refused (it could lead outside what is verified)`,
    tooMany: (maxFiles) => `model directory ${dir} has more than ${maxFiles} files`,
  };
}
