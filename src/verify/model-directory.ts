import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { describeFileError } from './file-error';
import { sha256OfFile } from './model-digest';
import { AttestationRejectedError, UnreadableInputError } from './verification-errors';

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
 * `allowExtraFiles` / `allowMissingFiles`. Symbolic links and special files are refused (a link
 * can lead outside the directory). Throws {@link AttestationRejectedError} naming the first file
 * or subject that does not match, {@link UnreadableInputError} for a directory that cannot be read.
 */
export async function verifyModelDirectory(
  dir: string,
  subjects: readonly DirectorySubject[],
  options: VerifyModelDirectoryOptions = {},
): Promise<DirectoryFileMatch[]> {
  const files = await listFiles(dir, options.maxFiles ?? 100_000);
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

async function listFiles(dir: string, maxFiles: number): Promise<{ relative: string; absolute: string; size: number }[]> {
  const out: { relative: string; absolute: string; size: number }[] = [];
  const walk = async (relative: string): Promise<void> => {
    const absolute = path.join(dir, relative);
    let entries;
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (err) {
      throw new UnreadableInputError(`cannot read model directory ${relative === '' ? dir : absolute}: ${describeFileError(err)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        await walk(child);
      } else if (entry.isFile()) {
        if (out.length >= maxFiles) throw new UnreadableInputError(`model directory ${dir} has more than ${maxFiles} files`);
        const stats = await lstat(path.join(dir, child));
        out.push({ relative: child, absolute: path.join(dir, child), size: stats.size });
      } else {
        throw new AttestationRejectedError(
          `${child} in model directory ${dir} is ${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: refused (it could lead outside what is verified)`,
        );
      }
    }
  };
  await walk('');
  return out;
}
