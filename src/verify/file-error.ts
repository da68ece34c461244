/** Phrases for the file system errors a user can cause by pointing at the wrong thing. */
const PHRASES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENAMETOOLONG: 'the file name is too long',
  ENXIO: 'no such device (a socket or a FIFO without a writer?)',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * One lowercase phrase for a file system error: a plain phrase for the usual codes, else Node's
 * message without its `CODE: ` prefix and `, syscall 'path'` suffix (the caller names the file).
 */
export function describeFileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null | undefined)?.code;
  if (code !== undefined && Object.prototype.hasOwnProperty.call(PHRASES, code)) return PHRASES[code];
  const message = String((err as Error | null | undefined)?.message ?? err)
    .replace(/^[A-Z][A-Z0-9_]+: /, '')
    .replace(/, [a-z_]+ '.*'$/s, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
}
