// Trees as the write-tree tests describe them: a folder and the files it must hold.
import type { Dirent } from "node:fs";
import type { Tree } from "../../../src/generate/write-tree.ts";

export interface TreeSpec {
  dir: string;
  files: Record<string, string>;
}

export function treesOf(specs: TreeSpec[]): Tree[] {
  return specs.map(({ dir, files }) => ({
    dir,
    files: Object.entries(files).map(([path, content]) => ({ path, content })),
    owned: (_entry: Dirent) => true,
  }));
}
