// What the emitter's per-function caches key on. Within one evaluation a value is never changed
// once built (`with` builds a new input or data, copying the path it replaces, and restores the
// old one after) and memory is never reused, so equal pointers mean equal values: a function
// called again with the same pointers for input, data and its arguments returns what it
// returned before. A function that reads neither input nor data (itself or through anything it
// calls) depends on its arguments alone, so its cache ignores them: e.g. a table of constants in
// a shared library, or the library's `pod(obj)`, called by every template on the same
// input.review.object but under a different `with input.parameters`.

import type { Block, Func, Local, Operand, Policy, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { nestedBlocks, readLocals } from "../ir/walk.ts";

/** Names of the Funcs whose value depends on nothing but their arguments. */
export function inputFreeFuncs(policy: Policy): Set<string> {
  const byName = new Map(policy.funcs.map((f) => [f.name, f]));
  const independent = new Map<string, boolean>();
  const isIndependent = (f: Func): boolean => {
    const known = independent.get(f.name);
    if (known !== undefined) return known;
    // Rules are not recursive (the planner rejects recursion), so this terminates; the
    // provisional `false` only guards against a cycle slipping through.
    independent.set(f.name, false);
    const result = f.blocks.every((b) => blockIndependent(b, byName, isIndependent));
    independent.set(f.name, result);
    return result;
  };
  return new Set(policy.funcs.filter(isIndependent).map((f) => f.name));
}

const readsInputOrData = (l: Local) => l === INPUT || l === DATA;
const operandReads = (op: Operand) => op.type === "local" && readsInputOrData(op.value);

function blockIndependent(b: Block, funcs: Map<string, Func>, isIndependent: (f: Func) => boolean): boolean {
  return b.stmts.every((s) => stmtIndependent(s, funcs, isIndependent));
}

function stmtIndependent(s: Stmt, funcs: Map<string, Func>, isIndependent: (f: Func) => boolean): boolean {
  // `with` replaces input or data for its block.
  if (s.type === "With") return false;
  const callee = s.type === "Call" ? funcs.get(s.func) : undefined;
  if (s.type === "Call" && callee) {
    // A planned function gets input and data as its first two arguments: passing them on is
    // not reading them, if the callee does not read them either.
    return isIndependent(callee) && !s.args.slice(2).some(operandReads);
  }
  return !readLocals(s).some(readsInputOrData) && nestedBlocks(s).every((b) => blockIndependent(b, funcs, isIndependent));
}
