// One IR function (a planned rule or function, or an entrypoint plan) -> one Wasm function body.

import type { Block, Local, Operand, Stmt } from "../ir/types.ts";
import { forEachStmt, readLocals, writtenLocals } from "../ir/walk.ts";
import { Code } from "./code.ts";
import type { PolicyEmitter } from "./emit.ts";
import { OP } from "./encoding.ts";
import { LAYOUT, TAG } from "./statics.ts";

/**
 * A planned function and its one-entry cache: the last call's result (0: none, or undefined),
 * reused when a call passes the same pointers in the `keys` parameters as that call did. The
 * dispatch clears the results before each evaluation.
 */
export interface PlannedFunc {
  body: number;
  result: number;
  keys: Array<{ param: number; global: number }>;
}

interface Frame {
  /** Where a failing statement branches. */
  fail: number;
  /** Where Break lands. */
  brk: number;
  /** A With's saved local, restored when a Break leaves the With's block. */
  restore?: { local: number; saved: number };
}

export class FunctionEmitter {
  private readonly c = new Code();
  private readonly locals = new Map<Local, number>();
  private vars = 0;
  private readonly frames: Frame[] = [];
  private readonly scratch: number;
  /** The locals the function reads. */
  private readonly read = new Set<Local>();
  // Working locals of field reads and calls, shared by every one in the function (each is done
  // with them by its end) rather than four or one more local each.
  private fieldVars?: { source: number; entry: number; end: number; name: number };
  private callValue?: number;
  /**
   * Wasm locals free to be used again: the working locals of a finished Scan or With, and the own
   * locals of a finished top-level block. V8's baseline compiler (Liftoff, which compiles each
   * function on its first call) takes time in the number of locals times the branches, so a
   * function of many definitions (a partial rule, the pack's aggregator) that gave each of them
   * locals of its own took it a time quadratic in its size.
   */
  private readonly free: number[] = [];
  /** Each top-level block's own IR locals (read or written in no other block, neither parameter nor result), in order of first use. */
  private readonly ownLocals: Local[][];

  constructor(
    private readonly pe: PolicyEmitter,
    private readonly params: Local[],
    private readonly result: Local | undefined,
    private readonly conflict: string,
    blocks: Block[],
  ) {
    params.forEach((p, i) => this.locals.set(p, i));
    this.scratch = this.newVar();
    forEachStmt(blocks, (s) => {
      for (const l of readLocals(s)) this.read.add(l);
    });
    if (result !== undefined) this.read.add(result);
    const blocksOf = new Map<Local, Set<number>>();
    blocks.forEach((b, i) =>
      forEachStmt([b], (s) => {
        for (const l of [...readLocals(s), ...writtenLocals(s)]) blocksOf.set(l, (blocksOf.get(l) ?? new Set()).add(i));
      }),
    );
    this.ownLocals = blocks.map(() => []);
    for (const [l, used] of blocksOf) {
      if (used.size === 1 && !this.locals.has(l) && l !== result) this.ownLocals[[...used][0]!]!.push(l);
    }
  }

  private newVar(): number {
    return this.params.length + this.vars++;
  }

  /** A working local: a free one (holding whatever it was last set to) or a new one. */
  private takeVar(): number {
    return this.free.pop() ?? this.newVar();
  }

  private local(l: Local): number {
    let index = this.locals.get(l);
    if (index === undefined) {
      index = this.newVar();
      this.locals.set(l, index);
    }
    return index;
  }

  body(blocks: Block[]): Uint8Array {
    blocks.forEach((b, i) => {
      // A block's own locals share Wasm locals with the blocks before it: one it reuses is set to
      // undefined first, as a new one starts.
      const own = this.ownLocals[i]!.map((l) => {
        const reused = this.free.length > 0;
        const index = this.takeVar();
        if (reused) this.c.i32Const(0).localSet(index);
        this.locals.set(l, index);
        return index;
      });
      this.block(b);
      this.free.push(...own);
    });
    if (this.result !== undefined) this.c.localGet(this.local(this.result));
    return this.c.finish(this.vars);
  }

  /** An IR block as a Wasm block that failures and Break 0 leave. */
  private block(b: Block, restore?: Frame["restore"]): void {
    const label = this.c.block();
    this.frames.push({ fail: label, brk: label, restore });
    for (const s of b.stmts) this.stmt(s);
    this.frames.pop();
    this.c.end();
  }

  private get fail(): number {
    return this.frames[this.frames.length - 1]!.fail;
  }

  /** Fails the block when local l is undefined. */
  private check(l: Local): void {
    this.c.localGet(this.local(l)).op(OP.i32Eqz).brIf(this.fail);
  }

  private checkOperands(...ops: Operand[]): void {
    for (const op of ops) if (op.type === "local") this.check(op.value);
  }

  /** Pushes an operand's value (checked beforehand). */
  private push(op: Operand): void {
    if (op.type === "local") this.c.localGet(this.local(op.value));
    else this.c.i32Const(this.pe.constant(op));
  }

  /** Pops a value into target, failing (target untouched) when it is 0. */
  private setDefined(target: Local): void {
    this.c.localTee(this.scratch).op(OP.i32Eqz).brIf(this.fail);
    this.c.localGet(this.scratch).localSet(this.local(target));
  }

  private rt(name: string): void {
    this.c.call(this.pe.rt.func(name));
  }

  private stmt(s: Stmt): void {
    const { c, pe } = this;
    switch (s.type) {
      case "ReturnLocal":
        if (this.result !== undefined) c.localGet(this.local(s.source));
        c.op(OP.return);
        break;
      case "Call": {
        const func = pe.func(s.func);
        if (func !== undefined) {
          this.callPlanned(func, s.args);
        } else {
          this.checkOperands(...s.args);
          const id = pe.hostBuiltinId(s.func);
          if (id !== undefined) c.i32Const(id);
          for (const a of s.args) this.push(a);
          pe.builtinCall(c, s.func, s.args.length);
        }
        this.setDefined(s.result);
        break;
      }
      case "Block":
        for (const b of s.blocks) this.block(b);
        break;
      case "Break": {
        const target = this.frames.length - 1 - s.index;
        if (target < 0) throw new Error(`internal error: Break ${s.index} leaves the function`);
        for (let i = this.frames.length - 1; i >= target; i--) {
          const r = this.frames[i]!.restore;
          if (r) c.localGet(r.saved).localSet(r.local);
        }
        c.br(this.frames[target]!.brk);
        break;
      }
      case "Dot":
        this.checkOperands(s.source, s.key);
        if (s.key.type === "string") {
          this.field(s.source, s.key, s.target);
          break;
        }
        this.push(s.source);
        this.push(s.key);
        this.rt("rt_dot");
        this.setDefined(s.target);
        break;
      case "Len":
        this.checkOperands(s.source);
        this.push(s.source);
        this.rt("rt_len");
        this.setDefined(s.target);
        break;
      case "Scan":
        this.scan(s.source, s.key, s.value, s.block);
        break;
      case "Not": {
        const enclosingFail = this.fail;
        const holds = c.block();
        const end = c.block();
        this.frames.push({ fail: holds, brk: end });
        for (const st of s.block.stmts) this.stmt(st);
        this.frames.pop();
        c.end(); // end: the block ran to its end (or broke out), so Not fails
        c.br(enclosingFail);
        c.end(); // holds
        break;
      }
      case "AssignInt":
      case "MakeNumberInt":
        c.i32Const(pe.statics.number(String(s.value))).localSet(this.local(s.target));
        break;
      case "AssignVar":
        this.checkOperands(s.source);
        this.push(s.source);
        c.localSet(this.local(s.target));
        break;
      case "AssignVarOnce": {
        this.checkOperands(s.source);
        const target = this.local(s.target);
        this.push(s.source);
        c.localSet(this.scratch);
        c.localGet(target).op(OP.i32Eqz).if();
        c.localGet(this.scratch).localSet(target);
        c.else();
        c.localGet(target).localGet(this.scratch);
        this.rt("rt_equal");
        c.op(OP.i32Eqz).if();
        pe.abort(c, `${pe.location(s.loc)}eval_conflict_error: ${this.conflict}`);
        c.end().end();
        break;
      }
      case "ResetLocal":
        c.i32Const(0).localSet(this.local(s.target));
        break;
      case "MakeNull":
        c.i32Const(pe.statics.null()).localSet(this.local(s.target));
        break;
      case "MakeNumberRef":
        c.i32Const(pe.statics.number(pe.str(s.index))).localSet(this.local(s.target));
        break;
      case "MakeArray":
        c.i32Const(s.capacity);
        this.rt("rt_make_array");
        c.localSet(this.local(s.target));
        break;
      case "MakeObject":
        this.rt("rt_make_object");
        c.localSet(this.local(s.target));
        break;
      case "MakeSet":
        this.rt("rt_make_set");
        c.localSet(this.local(s.target));
        break;
      case "MakeConstant":
        c.i32Const(pe.statics.constant(s.value, (index) => pe.str(index))).localSet(this.local(s.target));
        break;
      case "Equal":
      case "NotEqual":
        this.checkOperands(s.a, s.b);
        if (s.b.type === "bool") {
          this.compareWithBoolean(s.type === "Equal", s.a, s.b.value);
          break;
        }
        if (s.a.type === "bool") {
          this.compareWithBoolean(s.type === "Equal", s.b, s.a.value);
          break;
        }
        this.push(s.a);
        this.push(s.b);
        this.rt("rt_equal");
        if (s.type === "Equal") c.op(OP.i32Eqz);
        c.brIf(this.fail);
        break;
      case "IsArray":
      case "IsObject":
      case "IsSet": {
        const tag = s.type === "IsArray" ? TAG.array : s.type === "IsObject" ? TAG.object : TAG.set;
        this.checkOperands(s.source);
        this.push(s.source);
        c.i32Load8U();
        c.i32Const(tag).op(OP.i32Eq).op(OP.i32Eqz).brIf(this.fail);
        break;
      }
      case "IsDefined":
        c.localGet(this.local(s.source)).op(OP.i32Eqz).brIf(this.fail);
        break;
      case "IsUndefined":
        c.localGet(this.local(s.source)).brIf(this.fail);
        break;
      case "ArrayAppend":
        this.checkOperands(s.value);
        this.check(s.array);
        c.localGet(this.local(s.array));
        this.push(s.value);
        this.rt("rt_array_append");
        break;
      case "ObjectInsert":
      case "ObjectInsertOnce":
        this.checkOperands(s.key, s.value);
        this.check(s.object);
        c.localGet(this.local(s.object));
        this.push(s.key);
        this.push(s.value);
        if (s.type === "ObjectInsert") {
          this.rt("rt_object_insert");
        } else {
          this.rt("rt_object_insert_once");
          c.op(OP.i32Eqz).if();
          pe.abort(c, `${pe.location(s.loc)}eval_conflict_error: object keys must be unique`);
          c.end();
        }
        break;
      case "ObjectMerge":
        this.check(s.a);
        this.check(s.b);
        c.localGet(this.local(s.a)).localGet(this.local(s.b));
        this.rt("rt_object_merge");
        this.setDefined(s.target);
        break;
      case "SetAdd":
        this.checkOperands(s.value);
        this.check(s.set);
        c.localGet(this.local(s.set));
        this.push(s.value);
        this.rt("rt_set_add");
        break;
      case "With":
        this.with(s.local, s.path, s.value, s.block);
        break;
      case "Nop":
        break;
      case "ResultSetAdd":
        this.check(s.value);
        c.localGet(this.local(s.value));
        this.rt("rt_result_add");
        break;
      default: {
        const unknown: never = s;
        throw new Error(`internal error: unknown IR statement ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * target := source[key] for a constant string key, the commonest statement: on an object without
   * a hash index, a scan of its entries in line (see LAYOUT), comparing each key
   * by pointer, then tag, length and text a word at a time; anything else goes to rt_dot.
   */
  private field(sourceOperand: Operand, key: Extract<Operand, { type: "string" }>, target: Local): void {
    const { c, pe } = this;
    const text = new TextEncoder().encode(pe.str(key.value));
    const keyAddr = pe.constant(key);
    this.fieldVars ??= { source: this.newVar(), entry: this.newVar(), end: this.newVar(), name: this.newVar() };
    const { source, entry, end, name } = this.fieldVars;
    this.push(sourceOperand);
    c.localSet(source);
    const done = c.block();
    const slow = c.block();
    c.localGet(source).i32Load8U().i32Const(TAG.object).op(OP.i32Ne).brIf(slow);
    c.localGet(source).i32Load(LAYOUT.index).brIf(slow);
    c.localGet(source).i32Load(LAYOUT.items).localTee(entry);
    c.localGet(source).i32Load(LAYOUT.length).i32Const(LAYOUT.entrySize).op(OP.i32Mul).op(OP.i32Add).localSet(end);
    const next = c.loop();
    c.localGet(entry).localGet(end).op(OP.i32GeU).brIf(this.fail);
    const match = c.block();
    const other = c.block();
    c.localGet(entry).i32Load().localTee(name).i32Const(keyAddr).op(OP.i32Eq).brIf(match);
    c.localGet(name).i32Load8U().i32Const(TAG.string).op(OP.i32Ne).brIf(other);
    c.localGet(name).i32Load(LAYOUT.stringLength).i32Const(text.length).op(OP.i32Ne).brIf(other);
    c.localGet(name).i32Load(LAYOUT.stringBytes).localSet(name);
    const words = new DataView(text.buffer, text.byteOffset, text.byteLength);
    if (text.length >= 4) {
      // Words at 0, 4, 8, ... and the last four bytes: every byte, none past the end.
      const offsets = new Set<number>();
      for (let o = 0; o + 4 <= text.length; o += 4) offsets.add(o);
      offsets.add(text.length - 4);
      for (const o of offsets) c.localGet(name).i32Load(o).i32Const(words.getInt32(o, true)).op(OP.i32Ne).brIf(other);
    } else {
      for (let o = 0; o < text.length; o++) c.localGet(name).i32Load8U(o).i32Const(text[o]!).op(OP.i32Ne).brIf(other);
    }
    c.br(match);
    c.end();
    c.localGet(entry).i32Const(LAYOUT.entrySize).op(OP.i32Add).localSet(entry).br(next);
    c.end();
    c.end();
    c.localGet(entry).i32Load(LAYOUT.entryValue).localSet(this.local(target)).br(done);
    c.end();
    c.localGet(source).i32Const(keyAddr);
    this.rt("rt_dot");
    this.setDefined(target);
    c.end();
  }

  /**
   * Pushes a planned function's value (0 when undefined), from its cache when the call passes
   * the pointers the cached call did. A planned function receives undefined arguments as they are
   * (input is undefined when the host gives none, and rules that never read it must still
   * evaluate).
   */
  private callPlanned(func: PlannedFunc, args: Operand[]): void {
    const { c } = this;
    this.callValue ??= this.newVar();
    const value = this.callValue;
    const done = c.block();
    const miss = c.block();
    c.globalGet(func.result).localTee(value).op(OP.i32Eqz).brIf(miss);
    for (const { param, global } of func.keys) {
      c.globalGet(global);
      this.push(args[param]!);
      c.op(OP.i32Ne).brIf(miss);
    }
    c.br(done);
    c.end();
    for (const a of args) this.push(a);
    c.call(func.body).localSet(value);
    for (const { param, global } of func.keys) {
      this.push(args[param]!);
      c.globalSet(global);
    }
    c.localGet(value).globalSet(func.result);
    c.end();
    c.localGet(value);
  }

  /**
   * `x == b` or `x != b` for a boolean constant b, in line: the commonest comparison (every
   * condition that calls a function or built-in checks its result against false), and a boolean
   * is its tag and one byte.
   */
  private compareWithBoolean(equal: boolean, x: Operand, b: boolean): void {
    const { c } = this;
    this.push(x);
    c.i32Load8U().i32Const(TAG.boolean).op(OP.i32Eq);
    this.push(x);
    c.i32Load8U(LAYOUT.booleanValue).i32Const(b ? 1 : 0).op(OP.i32Eq);
    c.op(OP.i32And);
    if (equal) c.op(OP.i32Eqz);
    c.brIf(this.fail);
  }

  /**
   * A loop over an array's elements or an object's or set's entries, reading them in line (see
   * LAYOUT: both are u32 pointers from the address at LAYOUT.items; a set's entries hold its
   * elements as keys). An array's keys are made (as integers) only when the function reads them.
   */
  private scan(sourceLocal: Local, key: Local, value: Local, body: Block): void {
    const { c } = this;
    // Each set before it is read, so they may be locals an earlier Scan or With was done with.
    const source = this.takeVar();
    const count = this.takeVar();
    const index = this.takeVar();
    const isArray = this.takeVar();
    const items = this.takeVar();
    const stride = this.takeVar();
    const valueOffset = this.takeVar();
    const at = this.takeVar();
    this.check(sourceLocal);
    c.localGet(this.local(sourceLocal)).localTee(source);
    this.rt("rt_iter_len");
    c.localSet(count);
    c.localGet(source).i32Load(LAYOUT.items).localSet(items);
    c.localGet(source).i32Load8U().i32Const(TAG.array).op(OP.i32Eq).localSet(isArray);
    c.i32Const(LAYOUT.elementSize).i32Const(LAYOUT.entrySize).localGet(isArray).op(OP.select).localSet(stride);
    c.i32Const(LAYOUT.entryValue).i32Const(0).localGet(source).i32Load8U().i32Const(TAG.object).op(OP.i32Eq).op(OP.select).localSet(valueOffset);
    c.i32Const(0).localSet(index);
    const done = c.block();
    const next = c.loop();
    c.localGet(index).localGet(count).op(OP.i32GeU).brIf(done);
    c.localGet(items).localGet(index).localGet(stride).op(OP.i32Mul).op(OP.i32Add).localSet(at);
    if (this.read.has(key)) {
      c.localGet(isArray).if();
      c.localGet(index);
      this.rt("rt_array_index");
      c.localSet(this.local(key));
      c.else();
      c.localGet(at).i32Load().localSet(this.local(key));
      c.end();
    }
    c.localGet(at).localGet(valueOffset).op(OP.i32Add).i32Load().localSet(this.local(value));
    this.block(body);
    c.localGet(index).i32Const(1).op(OP.i32Add).localSet(index);
    c.br(next);
    c.end().end();
    this.free.push(source, count, index, isArray, items, stride, valueOffset, at);
  }

  private with(target: Local, path: number[], value: Operand, body: Block): void {
    const { c, pe } = this;
    this.checkOperands(value);
    const local = this.local(target);
    const saved = this.takeVar();
    const keys = pe.statics.addressList(path.map((i) => pe.statics.string(pe.str(i))));
    c.localGet(local).localTee(saved);
    c.i32Const(keys).i32Const(path.length);
    this.push(value);
    this.rt("rt_upsert");
    c.localSet(local);
    this.block(body, { local, saved });
    c.localGet(saved).localSet(local);
    this.free.push(saved);
  }
}
