// The generated files the engines read policies from, exactly as the build writes them: an out/
// folder on disk, or the files generate() returns in memory before anything is written.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { OutputFile } from "../../generators/types.ts";

export interface GeneratedFiles {
  /** The file at `path` as messages name it: its path on disk, or `path` for a file in memory. */
  shown(path: string): string;
  /** The text of the file at `path` (relative to out/, `/`-separated, e.g. kyverno/host-ipc.yaml); throws naming it when absent. */
  read(path: string): string;
  /** Whether there is a file at `path`. */
  has(path: string): boolean;
  /** The paths of the files directly in folder `dir` (e.g. gatekeeper/templates), sorted. */
  list(dir: string): string[];
}

/** The files of an out folder on disk. */
export function generatedFilesIn(outDir: string): GeneratedFiles {
  return {
    shown: (path) => join(outDir, path),
    read(path) {
      const file = join(outDir, path);
      if (!existsSync(file)) throw new Error(`${file}: no such generated file; build it first (policypack build)`);
      return readFileSync(file, "utf8");
    },
    has: (path) => existsSync(join(outDir, path)),
    list(dir) {
      const folder = join(outDir, dir);
      if (!existsSync(folder)) return [];
      return readdirSync(folder, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(outDir, join(folder, entry.name)).split(sep).join("/"))
        .sort();
    },
  };
}

/** The files a build generates in memory (generate()'s `files`). */
export function generatedFilesOf(files: readonly OutputFile[]): GeneratedFiles {
  const byPath = new Map(files.map((file) => [file.path, file.content]));
  return {
    shown: (path) => path,
    read(path) {
      const content = byPath.get(path);
      if (content === undefined) throw new Error(`${path}: not among the generated files`);
      return content;
    },
    has: (path) => byPath.has(path),
    list: (dir) => [...byPath.keys()].filter((path) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes("/")).sort(),
  };
}
