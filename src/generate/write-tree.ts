// Replacing the generated folders (out/, docs/rules/) and files (the README) so that a crash, a kill
// or a power loss at any instant leaves the complete old or the complete new output under its name,
// and the next build removes whatever an interrupted one left beside it.
//
// A tree is written beside its target (`.out.new-<id>`), every file and folder of it flushed to disk,
// then swapped in. On Linux the swap is one step, renameat2(RENAME_EXCHANGE) (exchange.ts): `out`
// becomes the new tree and the staged name the old one, which is then removed. Elsewhere (or where
// the file system refuses the exchange) it is two renames, `out` → `.out.old-<id>`, then
// `.out.new-<id>` → `out`: killed between them, no `out` exists, and the next build, holding the
// lock, puts the complete old tree back (recover) before anything else. A file is written beside
// its target and renamed over it, which POSIX makes atomic everywhere.

import { chmodSync, type Dirent, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { OutputFile } from "../../generators/types.ts";
import { displayPath } from "../catalog/rules.ts";
import { InputError } from "../errors.ts";
import { exchangePaths, syncFileSystem } from "./exchange.ts";

/**
 * The steps of a replacement, in order: of a tree swapped by exchange, of a tree swapped by two
 * renames (the fallback), of a file. With POLICYPACK_FAULT=<name>:<step> in the environment (name:
 * the target's last path segment) the process kills itself right after that step: the
 * fault-injection test proves that every instant of the write is recoverable.
 */
export const WRITE_STEPS = {
  exchange: ["staged", "exchanged", "removed-old"],
  renames: ["staged", "moved-old", "moved-new", "removed-old"],
  file: ["staged", "replaced"],
} as const;
type WriteStep = (typeof WRITE_STEPS)[keyof typeof WRITE_STEPS][number];

function reached(target: string, step: WriteStep): void {
  if (process.env.POLICYPACK_FAULT === `${basename(target)}:${step}`) process.kill(process.pid, "SIGKILL");
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** What an interrupted replacement of `target` may leave beside it (the last form: a README staged by builds before exchange.ts). */
const leftover = (target: string) => new RegExp(`^(\\.${escaped(basename(target))}\\.(new|old)-|${escaped(basename(target))}\\.policypack-\\d+\\.tmp$)`);

/** Undoes an interrupted replacement of `target`: restores the old tree if a build died between the two renames, removes the rest. */
async function recover(target: string): Promise<void> {
  const parent = dirname(target);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) return;
  const pattern = leftover(target);
  const leftovers = readdirSync(parent).filter((name) => pattern.test(name));
  const previous = leftovers.find((name) => name.includes(".old-"));
  if (previous !== undefined && !existsSync(target)) {
    renameSync(join(parent, previous), target);
    await flushToDisk([], [parent]);
  }
  for (const name of leftovers) rmSync(join(parent, name), { recursive: true, force: true });
}

/**
 * Flushes files (their bytes) and folders (the names created, renamed or removed in them) to disk,
 * all at once: the file system commits concurrent flushes together, several times faster than one by
 * one. Windows cannot open a folder, and its file systems journal names themselves.
 */
async function flushToDisk(files: string[], folders: string[]): Promise<void> {
  const flush = async (path: string, flags: string) => {
    const handle = await open(path, flags);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  await Promise.all([...files.map((file) => flush(file, "r+")), ...(process.platform === "win32" ? [] : folders.map((folder) => flush(folder, "r")))]);
}

/** Writes `files` into a fresh folder beside `dir` and flushes it all to disk (so is its name in the parent); returns that folder. */
export async function stageTree(dir: string, files: OutputFile[]): Promise<string> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.new-`));
  chmodSync(staging, 0o755); // mkdtemp creates it private; out/ is an ordinary folder
  const folders = new Set([staging, parent]);
  const written = files.map((file) => {
    const target = join(staging, ...file.path.split("/"));
    for (let folder = dirname(target); !folders.has(folder); folder = dirname(folder)) folders.add(folder);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { flag: "wx" });
    return target;
  });
  if (!syncFileSystem(staging)) await flushToDisk(written, [...folders]);
  return staging;
}

/** Makes the staged tree current under `dir` (see the top of this file). */
async function swapTree(staging: string, dir: string): Promise<void> {
  if (!existsSync(dir)) {
    renameSync(staging, dir);
    await flushToDisk([], [dirname(dir)]);
  } else if (exchangePaths(staging, dir)) {
    await flushToDisk([], [dirname(dir)]);
    reached(dir, "exchanged");
    rmSync(staging, { recursive: true, force: true }); // the old tree, now under the staged name
    reached(dir, "removed-old");
  } else {
    await swapByRenames(staging, dir);
  }
}

/** The swap where the exchange is unavailable: two renames, with an instant between them when `dir` does not exist. */
export async function swapByRenames(staging: string, dir: string): Promise<void> {
  const previous = staging.replace(/\.new-(?=[^/]*$)/, ".old-");
  renameSync(dir, previous);
  reached(dir, "moved-old");
  renameSync(staging, dir);
  await flushToDisk([], [dirname(dir)]);
  reached(dir, "moved-new");
  rmSync(previous, { recursive: true, force: true });
  reached(dir, "removed-old");
}

/** Writes `content` beside `file` and flushes it to disk; returns the staged file. */
async function stageFile(file: string, content: string): Promise<string> {
  const staging = join(dirname(file), `.${basename(file)}.new-${process.pid}`);
  writeFileSync(staging, content, { flag: "wx" });
  await flushToDisk([staging], [dirname(file)]);
  return staging;
}

/** Renames the staged file over `file`, durably. */
async function replaceFile(staging: string, file: string): Promise<void> {
  renameSync(staging, file);
  await flushToDisk([], [dirname(file)]);
  reached(file, "replaced");
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
export async function writeOutputs(trees: Tree[], files: ReplacedFile[]): Promise<void> {
  const release = await writing(trees[0]!.dir, () => lock(dirname(trees[0]!.dir)));
  const replacements = [
    ...trees.map(({ dir, files }) => ({ target: dir, stage: () => stageTree(dir, files), swap: swapTree })),
    ...files.map(({ file, content }) => ({ target: file, stage: () => stageFile(file, content), swap: replaceFile })),
  ];
  const staged: Array<{ target: string; staging: string; swap: (staging: string, target: string) => Promise<void> }> = [];
  try {
    for (const { target } of replacements) await writing(target, () => recover(target));
    for (const tree of trees) await writing(tree.dir, () => existsSync(tree.dir) && guardTree(tree.dir, tree.owned));
    for (const { target, stage, swap } of replacements) {
      staged.push({ target, staging: await writing(target, stage), swap });
      reached(target, "staged");
    }
    for (const { target, staging, swap } of staged) await writing(target, () => swap(staging, target));
  } finally {
    for (const { staging } of staged) rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/** Runs a write; a file-system failure becomes one line naming `path` and the cause. */
async function writing<T>(path: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
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
