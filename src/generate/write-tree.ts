// Replacing the generated folders (out/, docs/rules/) and files (the README) so that an interrupted
// or failed build never leaves a mixed tree, and the next build repairs whatever a killed one left.
//
// Linux swaps two directories in one step only with renameat2(RENAME_EXCHANGE), which Node does not
// expose. So the swap is two renames: `out` → `.out.old-<id>`, then `.out.new-<id>` → `out`. Killed
// between them, the complete old tree waits under `.out.old-<id>`; the next build, holding the lock,
// puts it back before anything else (recoverTree), then removes every other leftover.

import { chmodSync, type Dirent, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { OutputFile } from "../../generators/types.ts";
import { displayPath } from "../catalog/rules.ts";
import { InputError } from "../errors.ts";

/**
 * The steps of a tree's replacement, in order. With POLICYPACK_FAULT=<folder>:<step> in the
 * environment the process kills itself right after that step: the fault-injection test proves that
 * every instant of the write is recoverable.
 */
export const WRITE_STEPS = ["staged", "moved-old", "moved-new", "removed-old"] as const;
type WriteStep = (typeof WRITE_STEPS)[number];

function reached(dir: string, step: WriteStep): void {
  if (process.env.POLICYPACK_FAULT === `${basename(dir)}:${step}`) process.kill(process.pid, "SIGKILL");
}

const leftover = (dir: string) => new RegExp(`^\\.${basename(dir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(new|old)-`);

/** Undoes an interrupted replacement of `dir`: restores the old tree if the build died between the renames, removes the rest. */
function recoverTree(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) return;
  const pattern = leftover(dir);
  const leftovers = readdirSync(parent).filter((name) => pattern.test(name));
  const previous = leftovers.find((name) => name.includes(".old-"));
  if (previous !== undefined && !existsSync(dir)) renameSync(join(parent, previous), dir);
  for (const name of leftovers) rmSync(join(parent, name), { recursive: true, force: true });
}

/** Writes `files` into a fresh folder beside `dir`; returns that folder. */
function stageTree(dir: string, files: OutputFile[]): string {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.new-`));
  chmodSync(staging, 0o755); // mkdtemp creates it private; out/ is an ordinary folder
  for (const file of files) {
    const target = join(staging, ...file.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  return staging;
}

/** Swaps the staged folder in for `dir` (see the top of this file). */
function swapTree(staging: string, dir: string): void {
  if (existsSync(dir)) {
    const previous = staging.replace(/\.new-(?=[^/]*$)/, ".old-");
    renameSync(dir, previous);
    reached(dir, "moved-old");
    renameSync(staging, dir);
    reached(dir, "moved-new");
    rmSync(previous, { recursive: true, force: true });
  } else {
    renameSync(staging, dir);
  }
  reached(dir, "removed-old");
}

/** The build replaces a folder wholesale, so it must hold nothing but what an earlier build wrote. */
function guardTree(dir: string, owned: (entry: Dirent) => boolean): void {
  if (!statSync(dir).isDirectory()) throw new InputError(displayPath(dir), undefined, "the output path exists and is not a folder");
  const foreign = readdirSync(dir, { withFileTypes: true }).find((e) => !owned(e));
  if (foreign) {
    throw new InputError(displayPath(dir), undefined, `holds "${foreign.name}", which policypack did not generate; refusing to replace the folder`);
  }
}

export interface Tree {
  dir: string;
  files: OutputFile[];
  /** Which entries of an existing `dir` an earlier build wrote (anything else stops the build). */
  owned: (entry: Dirent) => boolean;
}

/** A file replaced whole (the README with its rule table). */
export interface ReplacedFile {
  file: string;
  content: string;
}

/**
 * Replaces every tree and file, holding a lock beside the first tree so that two builds never
 * interleave. Every folder is recovered and checked, then everything is written beside its target,
 * and only then swapped in: a refusal or a failed write leaves all previous output as it was.
 */
export function writeOutputs(trees: Tree[], files: ReplacedFile[]): void {
  const release = writing(trees[0]!.dir, () => lock(dirname(trees[0]!.dir)));
  const staged: Array<{ target: string; staging: string; swap: (staging: string, target: string) => void }> = [];
  try {
    for (const tree of trees) writing(tree.dir, () => recoverTree(tree.dir));
    for (const tree of trees) writing(tree.dir, () => existsSync(tree.dir) && guardTree(tree.dir, tree.owned));
    for (const tree of trees) {
      staged.push({ target: tree.dir, staging: writing(tree.dir, () => stageTree(tree.dir, tree.files)), swap: swapTree });
      reached(tree.dir, "staged");
    }
    for (const { file, content } of files) {
      const staging = `${file}.policypack-${process.pid}.tmp`;
      writing(file, () => writeFileSync(staging, content));
      staged.push({ target: file, staging, swap: renameSync });
    }
    for (const { target, staging, swap } of staged) writing(target, () => swap(staging, target));
  } finally {
    for (const { staging } of staged) rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/** Runs a write; a file-system failure becomes one line naming `path` and the cause. */
function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof Error) || typeof code !== "string") throw error;
    const file = nearestExisting(path);
    // Node's message is "CODE: description, syscall 'path'": keep the description.
    const cause = !statSync(file).isDirectory() && file !== path ? `${displayPath(file)} is a file, not a folder` : `${/^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message} (${code})`;
    throw new InputError(displayPath(path), undefined, `cannot write: ${cause}`);
  }
}

/** `path` or its nearest ancestor that exists. */
function nearestExisting(path: string): string {
  return existsSync(path) || dirname(path) === path ? path : nearestExisting(dirname(path));
}

const LOCK_FILE = ".policypack-build.lock";

/** Takes the build lock of `parent` (a file naming the holder's pid), taking over one whose holder is gone. */
function lock(parent: string): () => void {
  mkdirSync(parent, { recursive: true });
  const file = join(parent, LOCK_FILE);
  // Linked into place whole, so a lock file always names its holder.
  const claim = `${file}.${process.pid}`;
  writeFileSync(claim, `${process.pid}\n`);
  try {
    for (;;) {
      try {
        linkSync(claim, file);
        return () => rmSync(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
      if (holder !== process.pid && alive(holder)) {
        throw new InputError(displayPath(file), undefined, `another policypack build (pid ${holder}) is writing here; run again when it has finished`);
      }
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(claim, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
