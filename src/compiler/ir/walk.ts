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
  return localsOf(s).writes;
}

/** The locals a statement (not counting its nested blocks) reads. */
export function readLocals(s: Stmt): Local[] {
  return localsOf(s).reads;
}

function localsOf(s: Stmt): { reads: Local[]; writes: Local[] } {
  const ops = (...operands: Operand[]) => operands.flatMap((op) => (op.type === "local" ? [op.value] : []));
  const none: Local[] = [];
  switch (s.type) {
    case "ReturnLocal":
    case "IsDefined":
    case "IsUndefined":
      return { reads: [s.source], writes: none };
    case "Call":
      return { reads: ops(...s.args), writes: [s.result] };
    case "Dot":
      return { reads: ops(s.source, s.key), writes: [s.target] };
    case "Len":
    case "AssignVar":
      return { reads: ops(s.source), writes: [s.target] };
    case "AssignVarOnce":
      // The target is read too: a second assignment is compared with the first.
      return { reads: [...ops(s.source), s.target], writes: [s.target] };
    case "Scan":
      return { reads: [s.source], writes: [s.key, s.value] };
    case "Equal":
    case "NotEqual":
      return { reads: ops(s.a, s.b), writes: none };
    case "IsArray":
    case "IsObject":
    case "IsSet":
      return { reads: ops(s.source), writes: none };
    case "ArrayAppend":
      return { reads: [...ops(s.value), s.array], writes: [s.array] };
    case "ObjectInsert":
    case "ObjectInsertOnce":
      return { reads: [...ops(s.key, s.value), s.object], writes: [s.object] };
    case "ObjectMerge":
      return { reads: [s.a, s.b], writes: [s.target] };
    case "SetAdd":
      return { reads: [...ops(s.value), s.set], writes: [s.set] };
    case "With":
      return { reads: [...ops(s.value), s.local], writes: none };
    case "ResultSetAdd":
      return { reads: [s.value], writes: none };
    case "AssignInt":
    case "ResetLocal":
    case "MakeNull":
    case "MakeNumberInt":
    case "MakeNumberRef":
    case "MakeArray":
    case "MakeObject":
    case "MakeSet":
    case "MakeConstant":
      return { reads: none, writes: [s.target] };
    case "Block":
    case "Break":
    case "Not":
    case "Nop":
      return { reads: none, writes: none };
    default: {
      const unknown: never = s;
      throw new Error(`internal error: unknown IR statement ${JSON.stringify(unknown)}`);
    }
  }
}
