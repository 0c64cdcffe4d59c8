// Walking the IR: the blocks nested in a statement, every statement of a function, and the locals
// a statement writes or reads.

import type { Block, Local, Operand, Stmt } from "./types.ts";

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

/** The locals a statement (not counting its nested blocks) assigns or modifies. */
export function writtenLocals(s: Stmt): Local[] {
  switch (s.type) {
    case "Call":
      return [s.result];
    case "Dot":
    case "Len":
    case "AssignInt":
    case "AssignVar":
    case "AssignVarOnce":
    case "ResetLocal":
    case "MakeNull":
    case "MakeNumberInt":
    case "MakeNumberRef":
    case "MakeArray":
    case "MakeObject":
    case "MakeSet":
    case "MakeConstant":
    case "ObjectMerge":
      return [s.target];
    case "Scan":
      return [s.key, s.value];
    case "ArrayAppend":
      return [s.array];
    case "ObjectInsert":
    case "ObjectInsertOnce":
      return [s.object];
    case "SetAdd":
      return [s.set];
    case "ReturnLocal":
    case "Block":
    case "Break":
    case "Not":
    case "With":
    case "Equal":
    case "NotEqual":
    case "IsArray":
    case "IsObject":
    case "IsSet":
    case "IsDefined":
    case "IsUndefined":
    case "Nop":
    case "ResultSetAdd":
      return [];
    default: {
      const unknown: never = s;
      throw new Error(`internal error: unknown IR statement ${JSON.stringify(unknown)}`);
    }
  }
}

/** The locals a statement (not counting its nested blocks) reads. */
export function readLocals(s: Stmt): Local[] {
  const locals = (...ops: Operand[]) => ops.flatMap((op) => (op.type === "local" ? [op.value] : []));
  switch (s.type) {
    case "ReturnLocal":
    case "Len":
    case "IsDefined":
    case "IsUndefined":
      return s.type === "Len" ? locals(s.source) : [s.source];
    case "Call":
      return locals(...s.args);
    case "Dot":
      return locals(s.source, s.key);
    case "Scan":
      return [s.source];
    case "AssignVar":
      return locals(s.source);
    case "AssignVarOnce":
      return [...locals(s.source), s.target];
    case "Equal":
    case "NotEqual":
      return locals(s.a, s.b);
    case "IsArray":
    case "IsObject":
    case "IsSet":
      return locals(s.source);
    case "ArrayAppend":
      return [...locals(s.value), s.array];
    case "ObjectInsert":
    case "ObjectInsertOnce":
      return [...locals(s.key, s.value), s.object];
    case "ObjectMerge":
      return [s.a, s.b];
    case "SetAdd":
      return [...locals(s.value), s.set];
    case "With":
      return [...locals(s.value), s.local];
    case "ResultSetAdd":
      return [s.value];
    case "Block":
    case "Break":
    case "Not":
    case "AssignInt":
    case "ResetLocal":
    case "MakeNull":
    case "MakeNumberInt":
    case "MakeNumberRef":
    case "MakeArray":
    case "MakeObject":
    case "MakeSet":
    case "MakeConstant":
    case "Nop":
      return [];
    default: {
      const unknown: never = s;
      throw new Error(`internal error: unknown IR statement ${JSON.stringify(unknown)}`);
    }
  }
}
