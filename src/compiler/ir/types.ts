// The planner's output and the Wasm emitter's input: a small imperative IR in the spirit of OPA's
// own (ir.Policy). Plans and functions are lists of blocks; a block runs its statements in order
// and stops at the first one that fails (is undefined), which is how Rego's "undefined" flows.
//
// Execution rules every stage relies on:
// - A local is either undefined (never assigned, or reset) or holds a value.
// - A statement that reads an undefined local fails, except IsDefined / IsUndefined, and a Call
//   of a planned Func, which passes undefined arguments through (a rule that never reads
//   `input` must still be defined when no input was given).
// - A failing statement ends the innermost enclosing block; the statement after that block runs.
// - BreakStmt{index: 0} ends the innermost block normally; index N ends N+1 enclosing blocks.
// - BlockStmt runs each of its blocks in turn; a block ending early does not stop the next one.
// - A Plan's or Func's blocks run like a BlockStmt's.
//
// ir/print.ts prints a Policy as text (`policypack rego build --emit ir`).

/** A numbered variable of one plan or function, holding a value or undefined; printed %n. */
export type Local = number;

/** Local 0 holds `input`, local 1 holds `data`, in every plan and every function. */
export const INPUT: Local = 0;
export const DATA: Local = 1;

/** What a statement reads: a local, a boolean constant, or a string of the string table. */
export type Operand =
  | { type: "local"; value: Local }
  | { type: "bool"; value: boolean }
  /** An index into Policy.static.strings. */
  | { type: "string"; value: number };

/**
 * A value known when compiling (the optimiser's folding of literals, src/compiler/optimize): laid
 * out once in the module's static data instead of being built on every evaluation. Object keys
 * and set elements are scalars (null, booleans, strings), each once.
 */
export type Constant =
  | { type: "null" }
  | { type: "bool"; value: boolean }
  | { type: "int"; value: number }
  /** A number from its literal text in the string table, as MakeNumberRef. */
  | { type: "number"; index: number }
  /** An index into Policy.static.strings. */
  | { type: "string"; value: number }
  | { type: "array"; items: Constant[] }
  | { type: "object"; entries: Array<[Constant, Constant]> }
  | { type: "set"; items: Constant[] };

export interface Policy {
  static: {
    /** Every string constant the plans use, deduplicated. */
    strings: string[];
    /** Built-ins called by name; `arity` counts arguments (not the result). */
    builtins: Array<{ name: string; arity: number }>;
    /** Source files, for error locations. */
    files: string[];
  };
  /** One plan per entrypoint, named as written on the command line: `pkg/path/rule`. */
  plans: Plan[];
  funcs: Func[];
}

/** The code of one entrypoint: fills the result set that evaluating the entrypoint returns. */
export interface Plan {
  name: string;
  blocks: Block[];
}

/** A rule or function planned once (per set of `with`-replaced data paths) and called by name. */
export interface Func {
  /** Unique name, e.g. `g0.data.lib.helpers.pod_spec`. */
  name: string;
  /**
   * Always starts with [INPUT, DATA], then one local per Rego argument, then one per function an
   * enclosing `with` replaces by a value (in the generation of functions planned under it).
   */
  params: Local[];
  /** The number of Rego arguments: 0 for a rule. */
  arity: number;
  /** The local the function's value is left in; undefined when the function is undefined. */
  result: Local;
  blocks: Block[];
  /** The Rego path of the rule or function this was planned from (`["lib", "helpers", "f"]`). */
  path: string[];
}

/** Statements run in order until one fails (see the execution rules above). */
export interface Block {
  stmts: Stmt[];
}

/** A place in a source file, for run-time error messages: `file` indexes Policy.static.files. */
export interface SourceLocation {
  file: number;
  row: number;
  col: number;
}

export type Stmt = (
  /** Leave the function, with its result already in Func.result. */
  | { type: "ReturnLocal"; source: Local }
  /** Call a planned Func (by name) or a built-in (by Rego name). Fails when the callee is undefined. */
  | { type: "Call"; func: string; args: Operand[]; result: Local }
  /** Run each block in turn (see BlockStmt above); holds whatever its blocks do. */
  | { type: "Block"; blocks: Block[] }
  /** End `index` + 1 enclosing blocks normally. */
  | { type: "Break"; index: number }
  /** target := source[key]; fails when source is not a collection or has no such key / element. */
  | { type: "Dot"; source: Operand; key: Operand; target: Local }
  /** target := count(source) */
  | { type: "Len"; source: Operand; target: Local }
  /** Run block once per element of source (array index / object key / set element as key). */
  | { type: "Scan"; source: Local; key: Local; value: Local; block: Block }
  /** Fails when block runs to its end; holds when block fails. */
  | { type: "Not"; block: Block }
  /** target := the integer `value`. */
  | { type: "AssignInt"; value: number; target: Local }
  /** target := source (the same value, not a copy). */
  | { type: "AssignVar"; source: Operand; target: Local }
  /** Assign once: a second assignment of an equal value holds, of a different value is a run-time conflict error. */
  | { type: "AssignVarOnce"; source: Operand; target: Local }
  /** Make target undefined again (flags that record whether a block reached its end). */
  | { type: "ResetLocal"; target: Local }
  /** target := null */
  | { type: "MakeNull"; target: Local }
  /** target := a number that fits in 32 bits. */
  | { type: "MakeNumberInt"; value: number; target: Local }
  /** A number from its literal text in the string table (floats, big integers, `1e3`). */
  | { type: "MakeNumberRef"; index: number; target: Local }
  /** target := a new empty array; `capacity` is a size hint only. */
  | { type: "MakeArray"; capacity: number; target: Local }
  /** target := a new empty object. */
  | { type: "MakeObject"; target: Local }
  /** target := a new empty set. */
  | { type: "MakeSet"; target: Local }
  /** target := a constant value (never modified: collections are only ever copied). */
  | { type: "MakeConstant"; value: Constant; target: Local }
  /** Rego equality: `1 == 1.0` holds; sets and objects compare by content. */
  | { type: "Equal"; a: Operand; b: Operand }
  /** Holds when a and b are not equal (Rego equality); `NotEqual false false` always fails. */
  | { type: "NotEqual"; a: Operand; b: Operand }
  /** Holds when source is an array. */
  | { type: "IsArray"; source: Operand }
  /** Holds when source is an object. */
  | { type: "IsObject"; source: Operand }
  /** Holds when source is a set. */
  | { type: "IsSet"; source: Operand }
  /** Holds when source holds a value; never fails for reading an undefined local. */
  | { type: "IsDefined"; source: Local }
  /** Holds when source is undefined. */
  | { type: "IsUndefined"; source: Local }
  /** Append value to the array in `array`, in place. */
  | { type: "ArrayAppend"; value: Operand; array: Local }
  /** Insert or overwrite. */
  | { type: "ObjectInsert"; key: Operand; value: Operand; object: Local }
  /** Insert; an existing key with a different value is a run-time conflict error. */
  | { type: "ObjectInsertOnce"; key: Operand; value: Operand; object: Local }
  /** target := deep merge of objects a and b (a's values win on conflicts). */
  | { type: "ObjectMerge"; a: Local; b: Local; target: Local }
  /** Add value to the set in `set`, in place. */
  | { type: "SetAdd"; value: Operand; set: Local }
  /**
   * Run block with `local` (input or data) replaced by a copy in which the value at `path`
   * (indices into the string table) is `value`; the original is restored afterwards.
   */
  | { type: "With"; local: Local; path: number[]; value: Operand; block: Block }
  /** Does nothing (part of OPA's IR; no stage here makes one). */
  | { type: "Nop" }
  /** Add the value to the plan's result set, as `{"result": value}`. */
  | { type: "ResultSetAdd"; value: Local }
) & { loc?: SourceLocation };
