// Outputs as the write-tree tests describe them: folders with the files they must hold, and whole files.
import type { Dirent } from "node:fs";
import type { ReplacedFile, Tree } from "../../../src/generate/write-tree.ts";

export interface TreeSpec {
  dir: string;
  files: Record<string, string>;
}

export interface Outputs {
  trees: TreeSpec[];
  files: ReplacedFile[];
}

export function treesOf(specs: TreeSpec[]): Tree[] {
  return specs.map(({ dir, files }) => ({
    dir,
    files: Object.entries(files).map(([path, content]) => ({ path, content })),
    owned: (_entry: Dirent) => true,
  }));
}
