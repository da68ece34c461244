/** One lowercase phrase for a file system error. */
export function describeFileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    default: return lowerFirst((err as Error)?.message ?? String(err));
  }
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
