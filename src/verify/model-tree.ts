// The files of a model on disk, walked once for every reader: `verify --model-dir`
// (model-directory.ts) and the OMS listing (oms/model-files.ts: `digest`, a directory's root
// digest, OMS signing and verification). Each caller adds its own rules on top (what is left out,
// what the files must match) and speaks to its users in its own words.
//
// The walk is model_signing's (`_serialization/file.py`, `serialization.py`): every regular file
// at or under the model path, hidden ones included; a directory is not a file, so an empty one
// adds nothing; a symlink is refused unless allowed, a FIFO, socket or device always.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFileError } from './file-error';
import { AttestationRejectedError, UnreadableInputError } from './verification-errors';

/** One file of a model. */
export interface ModelFile {
  /** POSIX path relative to the model root; `.` when the model is a single file. */
  readonly name: string;
  /** Where to read it (a symlink's target when symlinks are allowed). */
  readonly path: string;
  /** Its size in bytes. */
  readonly size: number;
}

/** The files of a model, in model_signing's order. */
export interface ModelListing {
  /** Whether the model is a single file (its one resource is named `.`). */
  readonly singleFile: boolean;
  /** The files in model_signing's order: paths compared component by component, by code point ({@link comparePaths}). */
  readonly files: readonly ModelFile[];
}

/** An entry of a model, as a message names it. */
export interface ModelEntry {
  /** Its POSIX path relative to the model root (`.` for the model path itself). */
  readonly name: string;
  /** Its path on disk: the model path as given, joined with `name`. */
  readonly path: string;
}

/**
 * Why an entry is refused: a symbolic link (unless allowed), a special file (FIFO, socket,
 * device), or a name that is not UTF-8 (no manifest or subject can name it, and read as UTF-8 it
 * would name another file: `w\xff` decodes to the name of a file `w\ufffd`).
 */
export type RefusedEntryKind = 'symbolic link' | 'special file' | 'name not UTF-8';

/** What a caller of {@link walkModelTree} tells its users, one line each. */
export interface ModelTreeWording {
  /** An entry that cannot be read: a directory that cannot be listed (`listing`) or an entry that cannot be examined. */
  readonly unreadable: (entry: ModelEntry, problem: string, listing: boolean) => string;
  /** An entry that is refused. */
  readonly refused: (entry: ModelEntry, kind: RefusedEntryKind) => string;
  /** The model has more than `maxFiles` files. */
  readonly tooMany: (maxFiles: number) => string;
}

/** Options for {@link walkModelTree}. */
export interface WalkModelTreeOptions {
  /** Paths relative to the model root, normalized, to leave out with everything under them; `.` leaves out all. */
  readonly ignored?: readonly string[];
  /** Hash a symlink as its target's content (a symlink to a directory adds nothing), instead of refusing it. @default false */
  readonly allowSymlinks?: boolean;
  /** The most files to list (a bound on a hostile directory); one more is an error. @default no bound (model_signing has none) */
  readonly maxFiles?: number;
  /**
   * The model must be a directory: the model path is listed as given (a symlink to a directory
   * is followed, as the user named it), and anything else cannot be read. @default false: a file
   * is a single-file model, and a symlinked model path is refused unless `allowSymlinks` (as model_signing)
   */
  readonly directoryOnly?: boolean;
  /** The caller's messages. */
  readonly wording: ModelTreeWording;
}

/**
 * Compares two strings by Unicode code point, as Python compares `str` (JavaScript's `<`
 * compares UTF-16 code units, which orders astral characters before U+E000..U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * model_signing's order of model paths: component by component, by code point (as Python
 * compares `PurePosixPath`s: `a/b` before `a-c`, which plain string order gets wrong).
 */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const order = compareCodePoints(left[i], right[i]);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** Whether `name` equals or lies under one of `ignored` (component-wise, as Python's `is_relative_to`). */
export function isIgnored(name: string, ignored: readonly string[]): boolean {
  return ignored.some((p) => p === '.' || name === p || name.startsWith(`${p}/`));
}

/**
 * Lists a model's files: `modelPath` itself when it is a file (unless `directoryOnly`), else
 * every regular file under it, hidden ones too, less the ignored paths, in model_signing's order
 * (each directory's entries sorted by code point, walked depth first). Throws
 * {@link UnreadableInputError} for an entry that cannot be read or more than `maxFiles` files,
 * {@link AttestationRejectedError} for a refused entry ({@link RefusedEntryKind}), each with the
 * caller's words.
 */
export function walkModelTree(modelPath: string, options: WalkModelTreeOptions): ModelListing {
  const { wording } = options;
  const ignored = options.ignored ?? [];
  const allowSymlinks = options.allowSymlinks ?? false;
  const maxFiles = options.maxFiles ?? Infinity;
  const files: ModelFile[] = [];
  if (ignored.includes('.')) return { singleFile: false, files };
  const unreadable = (entry: ModelEntry, problem: string, listing: boolean): Error =>
    new UnreadableInputError(wording.unreadable(entry, problem, listing));
  const refused = (entry: ModelEntry, kind: RefusedEntryKind): Error => new AttestationRejectedError(wording.refused(entry, kind));
  const add = (entry: ModelEntry, size: number): void => {
    if (files.length >= maxFiles) throw new UnreadableInputError(wording.tooMany(maxFiles));
    files.push({ name: entry.name, path: entry.path, size });
  };
  // The entry's own stats (its target's, for an allowed symlink); undefined to skip it.
  const inspect = (entry: ModelEntry): fs.Stats | undefined => {
    let info: fs.Stats;
    try {
      info = fs.lstatSync(entry.path);
    } catch (err) {
      throw unreadable(entry, describeFileError(err), false);
    }
    if (info.isSymbolicLink()) {
      if (!allowSymlinks) throw refused(entry, 'symbolic link');
      try {
        info = fs.statSync(entry.path);
      } catch (err) {
        throw unreadable(entry, `it is a symbolic link whose target cannot be read (${describeFileError(err)})`, false);
      }
      // model_signing's `glob("**/*")` does not descend into a symlinked directory.
      if (info.isDirectory() && entry.name !== '.') return undefined;
    }
    if (!info.isFile() && !info.isDirectory()) throw refused(entry, 'special file');
    return info;
  };
  const walk = (dir: ModelEntry): void => {
    let raw: Buffer[];
    try {
      raw = fs.readdirSync(dir.path, { encoding: 'buffer' });
    } catch (err) {
      throw unreadable(dir, describeFileError(err), true);
    }
    const entries = raw
      .map((bytes) => {
        const base = bytes.toString('utf8');
        return { base, utf8: Buffer.from(base, 'utf8').equals(bytes) };
      })
      .sort((a, b) => compareCodePoints(a.base, b.base));
    for (const { base, utf8 } of entries) {
      const entry = { name: dir.name === '.' ? base : `${dir.name}/${base}`, path: path.join(dir.path, base) };
      if (!utf8) throw refused(entry, 'name not UTF-8');
      if (isIgnored(entry.name, ignored)) continue;
      const info = inspect(entry);
      if (info === undefined) continue;
      if (info.isDirectory()) walk(entry);
      else add(entry, info.size);
    }
  };
  const root: ModelEntry = { name: '.', path: modelPath };
  if (!options.directoryOnly) {
    const top = inspect(root)!;
    if (top.isFile()) {
      add(root, top.size);
      return { singleFile: true, files };
    }
  }
  walk(root);
  return { singleFile: false, files };
}
