// Turns an operating-system (errno) error into a PtError with an environment id and the path it concerns.
import { basename, dirname, join } from 'node:path';
import { PtError } from './ptError.js';
import type { ErrorId } from './errorCatalog.js';

const ID_BY_CODE: Record<string, ErrorId> = {
  EACCES: 'CORE_FS_PERM',
  EPERM: 'CORE_FS_PERM',
  EROFS: 'CORE_FS_PERM',
  ENOSPC: 'CORE_FS_NOSPACE',
  EDQUOT: 'CORE_FS_NOSPACE',
  ENOENT: 'CORE_FS_MISSING',
  ENOTDIR: 'CORE_FS_MISSING',
};

const REASON_BY_CODE: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a folder',
};

// DuckDB reports file failures as text ("IO Error: … No space left on device"), without an errno code.
const CODE_BY_STRERROR: ReadonlyArray<[RegExp, string]> = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
];

interface ErrnoLike {
  code: string;
  syscall?: string;
  path?: string;
  message: string;
  /** Recognised from the message text, not from an errno code. */
  fromText: boolean;
}

function errnoOf(e: unknown, matchMessage: boolean): ErrnoLike | undefined {
  if (!(e instanceof Error) || e instanceof PtError) return undefined;
  const x = e as NodeJS.ErrnoException;
  if (typeof x.code === 'string' && /^E[A-Z0-9]+$/.test(x.code) && (typeof x.errno === 'number' || x.syscall))
    return { code: x.code, syscall: x.syscall, path: x.path, message: x.message, fromText: false };
  if (matchMessage)
    for (const [re, code] of CODE_BY_STRERROR)
      if (re.test(x.message)) {
        const path = /\bfile "([^"]+)"/.exec(x.message)?.[1];
        return { code, path, message: x.message, fromText: true };
      }
  return undefined;
}

/** `.feat.csv.tmp-123` → `feat.csv` (the name durableFs gives temp files); other paths unchanged. */
function finalPathOf(path: string): string {
  const m = /^\.(.+)\.tmp-\d+$/.exec(basename(path));
  return m ? join(dirname(path), m[1]!) : path;
}

export interface FsErrorContext {
  /** The path the user knows (the final output, not its temp file); else the errno's own path. */
  path?: string;
  /** Which part of pt raised it; `fs` unless said. */
  source?: string;
  /** Also recognise errno text in the message (DuckDB's I/O errors carry no code). */
  matchMessage?: boolean;
}

/**
 * The environment error (CORE_FS_PERM, CORE_FS_NOSPACE, CORE_FS_MISSING, CORE_FS_IOFAIL) for an
 * errno error, its message naming the path (a temp file's final path first); undefined when `e` is
 * not an errno error. `what` says what pt was doing (`cannot write /x/feat.csv`).
 */
export function fsErrorFrom(e: unknown, what?: string, context: FsErrorContext = {}): PtError | undefined {
  const errno = errnoOf(e, context.matchMessage ?? false);
  if (!errno) return undefined;
  const path = context.path ?? (errno.path === undefined ? undefined : finalPathOf(errno.path));
  let subject = what ?? errno.syscall ?? 'file operation';
  if (path !== undefined && !subject.includes(path)) subject += ` ${path}`;
  const reason = REASON_BY_CODE[errno.code] ?? errno.message.replace(/^E[A-Z0-9]+: /, '');
  // The temp file or folder the system named, when it is not the path already given.
  const also = errno.path !== undefined && errno.path !== path ? ` on ${errno.path}` : '';
  // Text we could not take a path from is kept whole: it is all the user has.
  const text = errno.fromText && errno.path === undefined ? `: ${errno.message}` : '';
  return new PtError(
    ID_BY_CODE[errno.code] ?? 'CORE_FS_IOFAIL',
    `${subject}: ${reason} (${errno.code}${also})${text}`,
    {
      source: context.source ?? 'fs',
      details: { path, code: errno.code, syscall: errno.syscall, errno_path: errno.path },
      cause: e,
    },
  );
}
