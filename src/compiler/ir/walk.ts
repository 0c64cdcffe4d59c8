// Walking the IR: the blocks nested in a statement, and every statement of a function.

import type { Block, Stmt } from "./types.ts";

export function nestedBlocks(s: Stmt): Block[] {
  switch (s.type) {
    case "Block":
      return s.blocks;
    case "Scan":
    case "Not":
    case "With":
      return [s.block];
    default:
      return [];
  }
}

/** Calls `visit` on every statement of the blocks, nested ones included, in order. */
export function forEachStmt(blocks: Block[], visit: (s: Stmt) => void): void {
  for (const b of blocks) {
    for (const s of b.stmts) {
      visit(s);
      forEachStmt(nestedBlocks(s), visit);
    }
  }
}
