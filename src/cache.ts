// policypack's cache folder, shared by what it remembers between runs (custom rules' type-check
// verdicts, scan's compiled pack module): entries are named by a content hash of what they were
// made from, written whole or not at all, and an entry that cannot be read is only a miss.

import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * The cache folder, as other tools place theirs: $POLICYPACK_CACHE_DIR when set, else
 * node_modules/.cache/policypack in the nearest folder above the working directory that has
 * node_modules, else $XDG_CACHE_HOME/policypack (~/.cache/policypack).
 */
export function cacheDir(): string {
  const chosen = process.env["POLICYPACK_CACHE_DIR"];
  if (chosen) return chosen;
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "policypack");
    if (dirname(dir) === dir) break;
  }
  return join(process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "policypack");
}

export const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * Writes `data` to `file` through a temporary file renamed over it, so that a reader sees the
 * old entry or the new one, never half of one. A cache that cannot be written only costs the
 * next run the work again: failures are ignored.
 */
export function writeCacheFile(file: string, data: string | Uint8Array): void {
  // Unique per writer: runs (and threads) may store the same entry at once.
  const staging = `${file}.${randomUUID()}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(staging, data);
    renameSync(staging, file);
  } catch {
    // Nothing to do: the next run misses and writes again.
  }
}
