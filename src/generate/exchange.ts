// Two Linux calls that Node does not expose, made through the koffi FFI package: renameat2
// (RENAME_EXCHANGE: swapping two folders in one atomic step; kernel 3.15+, glibc 2.28+) and syncfs
// (flushing a whole staged tree to disk in one call). koffi is loaded on the first call only, so
// that commands which write nothing never pay for loading it.

import { closeSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { getSystemErrorName } from "node:util";

/** renameat2's "relative to the working directory" folder descriptor and its exchange flag (linux/fcntl.h, linux/fs.h). */
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;

interface Libc {
  syncfs: (fd: number) => number;
  renameat2: (oldDir: number, oldPath: string, newDir: number, newPath: string, flags: number) => number;
  strerror: (errno: number) => string;
  errno: () => number;
}

/** The C functions, once looked up; null when this system has none to offer. */
let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== "linux") return libc;
  try {
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi").default;
    // The process's own symbols: node is linked against the C library, whatever its file is called (glibc, musl).
    const symbols = koffi.load(null);
    libc = {
      renameat2: symbols.func("int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)"),
      syncfs: symbols.func("int syncfs(int fd)"),
      strerror: symbols.func("const char *strerror(int errnum)"),
      errno: () => koffi.errno(),
    };
  } catch {
    // No prebuilt koffi binary for this machine, or a C library without renameat2: the caller falls back to renames.
  }
  return libc;
}

/**
 * Exchanges the paths `a` and `b` (both must exist) in one step: at every instant each name holds
 * one of the two entries. False when this system cannot, and then nothing has changed: not Linux,
 * koffi did not load, or the kernel or the file system does not support the exchange (ENOSYS, EINVAL).
 * Any other failure is thrown as Node's own file-system errors are (code, errno, syscall, path).
 */
export function exchangePaths(a: string, b: string): boolean {
  const c = loadLibc();
  if (c === null) return false;
  if (c.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) === 0) return true;
  const errno = c.errno();
  if (errno === constants.errno.ENOSYS || errno === constants.errno.EINVAL) return false;
  const code = getSystemErrorName(-errno);
  throw Object.assign(new Error(`${code}: ${c.strerror(errno)}, renameat2 '${a}' -> '${b}'`), { code, errno: -errno, syscall: "renameat2", path: a, dest: b });
}

/**
 * Flushes everything written to the file system that holds `folder` to disk in one call, Linux's
 * syncfs (one journal commit instead of one per file). False when unavailable or failed: the caller
 * then flushes file by file.
 */
export function syncFileSystem(folder: string): boolean {
  const c = loadLibc();
  if (c === null) return false;
  const fd = openSync(folder, "r");
  try {
    return c.syncfs(fd) === 0;
  } finally {
    closeSync(fd);
  }
}
