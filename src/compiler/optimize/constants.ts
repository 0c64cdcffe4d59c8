// Constant folding: a composite literal whose parts are all constants (`["spec", "containers"]`,
// `{"rule": "host-ipc"}`, a table of kinds) becomes one MakeConstant, laid out in the module's
// static data by the emitter, instead of a MakeArray / MakeObject / MakeSet and its inserts run on
// every evaluation. Rules and functions build such literals again and again (paths handed to
// helpers, the fixed parts of every violation), so this saves allocations on every call.
//
// A collection is folded when its inserts follow its Make statement directly, every operand is a
// constant, nothing else in the function writes to it, and (objects and sets) every key is a
// scalar other than a number, so that equal keys are plainly the same constant. Object literals
// overwrite a repeated key, as ObjectInsert does; an ObjectInsertOnce of a repeated key is left to
// raise its conflict at run time. A call of a function that yields a constant and does nothing
// else (`present(_) := true`) becomes that constant.

import type { Block, Constant, Func, Local, Operand, Policy, Stmt } from "../ir/types.ts";
import { forEachStmt, writtenLocals } from "../ir/walk.ts";

export function foldConstants(policy: Policy): Policy {
  const strings = policy.static.strings;
  const constantFuncs = new Map<string, Operand>();
  for (const f of policy.funcs) {
    const value = constantValue(f);
    if (value) constantFuncs.set(f.name, value);
  }
  const fold = (blocks: Block[]) =>
    insertsOnlyIntoMade(blocks) ? new FunctionFolder(blocks, strings, constantFuncs).blocks(blocks, new Map()) : blocks;
  return {
    ...policy,
    plans: policy.plans.map((p) => ({ ...p, blocks: fold(p.blocks) })),
    funcs: policy.funcs.map((f) => ({ ...f, blocks: fold(f.blocks) })),
  };
}

type Insert = Extract<Stmt, { type: "ArrayAppend" | "ObjectInsert" | "ObjectInsertOnce" | "SetAdd" }>;

class FunctionFolder {
  /** How many statements of the function write each local. */
  private readonly writes = new Map<Local, number>();

  constructor(
    blocks: Block[],
    private readonly strings: string[],
    /** Functions whose value is a constant, whatever their arguments. */
    private readonly constantFuncs: Map<string, Operand>,
  ) {
    forEachStmt(blocks, (s) => {
      for (const l of writtenLocals(s)) this.writes.set(l, (this.writes.get(l) ?? 0) + 1);
    });
  }

  /** `known`: locals holding a constant wherever these blocks run (assigned once, before them). */
  blocks(blocks: Block[], known: Map<Local, Constant>): Block[] {
    return blocks.map((b) => this.block(b, new Map(known)));
  }

  private block(b: Block, known: Map<Local, Constant>): Block {
    const out: Stmt[] = [];
    const stmts = b.stmts;
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      const single = (l: Local) => this.writes.get(l) === 1;
      switch (s.type) {
        case "MakeNull":
          if (single(s.target)) known.set(s.target, { type: "null" });
          break;
        case "MakeNumberInt":
          if (single(s.target)) known.set(s.target, { type: "int", value: s.value });
          break;
        case "MakeNumberRef":
          if (single(s.target)) known.set(s.target, { type: "number", index: s.index });
          break;
        case "AssignVar": {
          const value = constantOf(s.source, known);
          if (value && single(s.target)) known.set(s.target, value);
          break;
        }
        case "Call": {
          const value = this.constantFuncs.get(s.func);
          if (value) {
            out.push({ type: "AssignVar", source: value, target: s.result, ...(s.loc ? { loc: s.loc } : {}) });
            continue;
          }
          break;
        }
        case "MakeArray":
        case "MakeObject":
        case "MakeSet": {
          let end = i + 1;
          while (end < stmts.length && insertsInto(stmts[end]!, s.target)) end++;
          const inserts = stmts.slice(i + 1, end) as Insert[];
          const value = this.writes.get(s.target) === 1 + inserts.length ? this.collection(s.type, inserts, known) : undefined;
          if (value) {
            known.set(s.target, value);
            out.push({ type: "MakeConstant", value, target: s.target, ...(s.loc ? { loc: s.loc } : {}) });
            i = end - 1;
            continue;
          }
          break;
        }
        default:
          break;
      }
      out.push(this.nested(s, known));
    }
    return { stmts: out };
  }

  /** s with its nested blocks folded. */
  private nested(s: Stmt, known: Map<Local, Constant>): Stmt {
    switch (s.type) {
      case "Block":
        return { ...s, blocks: this.blocks(s.blocks, known) };
      case "Scan":
      case "Not":
      case "With":
        return { ...s, block: this.block(s.block, new Map(known)) };
      default:
        return s;
    }
  }

  /** The constant a Make statement and its inserts build, or undefined when it is not one. */
  private collection(make: "MakeArray" | "MakeObject" | "MakeSet", inserts: Insert[], known: Map<Local, Constant>): Constant | undefined {
    if (make === "MakeArray") {
      const items: Constant[] = [];
      for (const s of inserts) {
        const value = s.type === "ArrayAppend" ? constantOf(s.value, known) : undefined;
        if (!value) return undefined;
        items.push(value);
      }
      return { type: "array", items };
    }
    const entries = new Map<string, [Constant, Constant]>();
    for (const s of inserts) {
      const isSet = s.type === "SetAdd";
      if (isSet !== (make === "MakeSet") || s.type === "ArrayAppend") return undefined;
      const key = constantOf(isSet ? s.value : s.key, known);
      const value = isSet ? key : constantOf(s.value, known);
      if (!key || !value || !isScalarKey(key)) return undefined;
      const id = JSON.stringify(key);
      if (s.type === "ObjectInsertOnce" && entries.has(id)) return undefined;
      entries.set(id, [key, value]);
    }
    const sorted = [...entries.values()].sort(([a], [b]) => this.compareKeys(a, b));
    return make === "MakeSet" ? { type: "set", items: sorted.map(([k]) => k) } : { type: "object", entries: sorted };
  }

  /** Rego's order of scalar keys: null < false < true < strings by their UTF-8 bytes. */
  private compareKeys(a: Constant, b: Constant): number {
    const rank = (c: Constant) => (c.type === "null" ? 0 : c.type === "bool" ? (c.value ? 2 : 1) : 3);
    if (rank(a) !== rank(b) || a.type !== "string" || b.type !== "string") return rank(a) - rank(b);
    return Buffer.compare(Buffer.from(this.strings[a.value]!), Buffer.from(this.strings[b.value]!));
  }
}

/**
 * The value of a function that yields one constant and does nothing else (such as
 * `present(_) := true`): a call of it is that constant.
 */
function constantValue(f: Func): Operand | undefined {
  let value: Operand | undefined;
  for (const [i, b] of f.blocks.entries()) {
    const last = i === f.blocks.length - 1;
    for (const s of b.stmts) {
      if (last && s.type === "ReturnLocal" && s.source === f.result) continue;
      if (s.type !== "AssignVarOnce" || s.target !== f.result || s.source.type === "local") return undefined;
      if (value && JSON.stringify(value) !== JSON.stringify(s.source)) return undefined;
      value = s.source;
    }
  }
  return value;
}

const isScalarKey = (c: Constant) => c.type === "null" || c.type === "bool" || c.type === "string";

function constantOf(op: Operand, known: Map<Local, Constant>): Constant | undefined {
  if (op.type === "local") return known.get(op.value);
  return op.type === "bool" ? { type: "bool", value: op.value } : { type: "string", value: op.value };
}

function insertsInto(s: Stmt, target: Local): boolean {
  switch (s.type) {
    case "ArrayAppend":
      return s.array === target;
    case "ObjectInsert":
    case "ObjectInsertOnce":
      return s.object === target;
    case "SetAdd":
      return s.set === target;
    default:
      return false;
  }
}

/**
 * Whether every collection the function inserts into is one it made. A constant is shared by
 * every evaluation, so a function that could modify a collection through another local is
 * left as it is.
 */
function insertsOnlyIntoMade(blocks: Block[]): boolean {
  const made = new Set<Local>();
  const filled = new Set<Local>();
  forEachStmt(blocks, (s) => {
    if (s.type === "MakeArray" || s.type === "MakeObject" || s.type === "MakeSet") made.add(s.target);
    if (s.type === "ArrayAppend" || s.type === "ObjectInsert" || s.type === "ObjectInsertOnce" || s.type === "SetAdd") {
      filled.add(writtenLocals(s)[0]!);
    }
  });
  return [...filled].every((l) => made.has(l));
}
