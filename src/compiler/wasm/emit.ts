// IR → WebAssembly. The prebuilt runtime (build/opa-runtime.wasm, see ../runtime/build.ts) is
// linked with one Wasm function per plan and function of the policy, an entrypoint dispatch that
// replaces the runtime's rt_policy_eval placeholder, and the policy's constants as a data segment
// after the runtime's. Exports are cut down to OPA's Wasm ABI (1.2).
//
// Locals hold value addresses, 0 meaning undefined. Each IR block is a Wasm block: a failing
// statement branches to the end of the innermost one, Break N to the end of the (N+1)th.

import { readFileSync, statSync } from "node:fs";
import { BUILTINS } from "../builtins.ts";
import type { Block, Func, Local, Operand, Policy, SourceLocation, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { forEachStmt, readLocals } from "../ir/walk.ts";
import { RUNTIME_WASM_PATH } from "../runtime/build.ts";
import { ByteWriter, I32, OP } from "./encoding.ts";
import { EXTERNAL, ModuleBuilder, RuntimeModule } from "./link.ts";
import { inputFreeFuncs } from "./memo.ts";
import { LAYOUT, StaticData, TAG } from "./statics.ts";

const ABI_VERSION = 1;
const ABI_MINOR_VERSION = 2;

/** The runtime's exports that OPA's ABI defines; the rest are for the emitter only. */
const ABI_FUNCTIONS = [
  "opa_eval", "eval", "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data",
  "opa_eval_ctx_set_entrypoint", "opa_eval_ctx_get_result", "opa_malloc", "opa_free", "opa_json_parse",
  "opa_value_parse", "opa_json_dump", "opa_value_dump", "opa_heap_ptr_get", "opa_heap_ptr_set",
  "opa_value_add_path", "opa_value_remove_path",
];

const PAGE = 65536;

let runtimeCache: { mtimeMs: number; module: RuntimeModule } | undefined;

function runtime(): RuntimeModule {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(RUNTIME_WASM_PATH).mtimeMs;
  } catch {
    throw new Error(`${RUNTIME_WASM_PATH} is missing: run \`npm run build\` to build the policy runtime`);
  }
  if (runtimeCache?.mtimeMs !== mtimeMs) {
    runtimeCache = { mtimeMs, module: new RuntimeModule(readFileSync(RUNTIME_WASM_PATH)) };
  }
  return runtimeCache.module;
}

/** Compiles an IR policy into a Wasm module for OPA's JavaScript SDK (or any ABI 1.2 host). */
export function emitWasm(policy: Policy): Uint8Array<ArrayBuffer> {
  return new PolicyEmitter(runtime(), policy).emit();
}

class PolicyEmitter {
  readonly builder: ModuleBuilder;
  readonly statics: StaticData;
  /** Each planned function: its Wasm function and its cache (see callPlanned). */
  private readonly planned = new Map<string, PlannedFunc>();
  private readonly hostBuiltins = new Map<string, number>();
  /** The global holding each memoised function's last result (0: none). */
  private readonly memoResults: number[] = [];

  constructor(
    readonly rt: RuntimeModule,
    private readonly policy: Policy,
  ) {
    this.builder = new ModuleBuilder(rt);
    this.statics = new StaticData((rt.dataEnd + 15) & ~15);
    for (const b of policy.static.builtins) {
      if (BUILTINS.get(b.name)?.host) this.hostBuiltins.set(b.name, this.hostBuiltins.size);
    }
  }

  emit(): Uint8Array<ArrayBuffer> {
    const { builder, policy, rt } = this;
    const bodies = new Map<string, number>();
    for (const f of policy.funcs) {
      if (bodies.has(f.name)) throw new Error(`internal error: function ${f.name} is planned twice`);
      bodies.set(f.name, builder.declareFunction(f.params.length, 1));
    }
    // Callers call each function through a one-entry cache (see memo.ts), keyed on the argument
    // pointers, and on input's and data's too unless the function reads neither; the cache is
    // checked at the call site (FunctionEmitter.callPlanned), sparing a call when it hits.
    const inputFree = inputFreeFuncs(policy);
    for (const f of policy.funcs) {
      const keys = f.params.map((_, i) => i).slice(inputFree.has(f.name) ? 2 : 0);
      const result = builder.addMutableGlobal(0);
      this.memoResults.push(result);
      this.planned.set(f.name, { body: bodies.get(f.name)!, result, keys: keys.map((param) => ({ param, global: builder.addMutableGlobal(0) })) });
    }
    const plans = policy.plans.map(() => builder.declareFunction(2, 0));
    for (const f of policy.funcs) {
      const fe = new FunctionEmitter(this, f.params, f.result, conflictMessage(f), f.blocks);
      builder.defineFunction(bodies.get(f.name)!, fe.body(f.blocks));
    }
    policy.plans.forEach((p, i) => {
      const fe = new FunctionEmitter(this, [INPUT, DATA], undefined, "complete rules must not produce multiple outputs", p.blocks);
      builder.defineFunction(plans[i]!, fe.body(p.blocks));
    });
    builder.defineFunction(rt.func("rt_policy_eval"), this.dispatch(plans));

    for (const name of ABI_FUNCTIONS) builder.export(name, EXTERNAL.func, rt.func(name));
    this.exportJSON("entrypoints", JSON.stringify(Object.fromEntries(policy.plans.map((p, i) => [p.name, i]))));
    this.exportJSON("builtins", JSON.stringify(Object.fromEntries(this.hostBuiltins)));
    builder.export("opa_wasm_abi_version", EXTERNAL.global, builder.addConstGlobal(ABI_VERSION));
    builder.export("opa_wasm_abi_minor_version", EXTERNAL.global, builder.addConstGlobal(ABI_MINOR_VERSION));

    const patterns = constantRegexPatterns(policy).map((pattern) => this.statics.string(pattern));
    // Every constant is known from here on.
    const heapStart = (this.statics.end + 15) & ~15;
    this.emitStart(heapStart, patterns);
    builder.addData(this.statics.base, this.statics.contents());
    builder.requireMemoryPages(Math.ceil(heapStart / PAGE));
    const bytes = builder.emit();
    // A fraction of a millisecond; turns an emitter bug into an error here rather than at load.
    if (!WebAssembly.validate(bytes)) throw new Error("internal error: the emitted Wasm module does not validate");
    return bytes;
  }

  /** rt_policy_eval(entrypoint, input, data): re-run initialisers, then call the plan. */
  private dispatch(plans: number[]): Uint8Array {
    const c = new Code();
    // The runtime's module initialisers (e.g. pattern caches) allocate from the heap, which the
    // host resets before every evaluation, so they run again each time.
    this.callStart(c);
    // Memoised values lived on the heap the host has just reset.
    for (const result of this.memoResults) c.i32Const(0).globalSet(result);
    plans.forEach((plan, i) => {
      c.localGet(0).i32Const(i).op(OP.i32Eq).if();
      c.localGet(1).localGet(2).call(plan).op(OP.return);
      c.end();
    });
    this.abort(c, "invalid entrypoint id");
    return c.finish();
  }

  private callStart(c: Code): void {
    if (this.rt.exports.has("rt_start")) c.call(this.rt.func("rt_start"));
  }

  /**
   * Instantiation: point the heap past the static data, run the runtime's initialisers, and
   * compile the policy's constant regex patterns once for every evaluation (`patterns`: their
   * string values' addresses), as the host keeps what instantiation allocates.
   */
  private emitStart(heapStart: number, patterns: number[]): void {
    const start = this.builder.declareFunction(0, 0);
    const c = new Code();
    c.i32Const(heapStart).call(this.rt.func("rt_init"));
    this.callStart(c);
    for (const pattern of patterns) c.i32Const(pattern).call(this.rt.func("rt_regex_precompile"));
    this.builder.defineFunction(start, c.finish());
    this.builder.setStart(start);
  }

  private exportJSON(name: string, json: string): void {
    const text = this.statics.text(json);
    const index = this.builder.declareFunction(0, 1);
    const c = new Code();
    c.i32Const(text.addr).i32Const(text.len).call(this.rt.func("opa_json_parse"));
    this.builder.defineFunction(index, c.finish());
    this.builder.export(name, EXTERNAL.func, index);
  }

  // ---- helpers for function emitters ----

  /** Emits rt_abort(message); unreachable. */
  abort(c: Code, message: string): void {
    c.i32Const(this.statics.cString(message)).call(this.rt.func("rt_abort")).op(OP.unreachable);
  }

  constant(op: Operand): number {
    if (op.type === "bool") return this.statics.boolean(op.value);
    if (op.type === "string") return this.statics.string(this.str(op.value));
    throw new Error("internal error: not a constant");
  }

  str(index: number): string {
    const s = this.policy.static.strings[index];
    if (s === undefined) throw new Error(`internal error: string index ${index} out of range`);
    return s;
  }

  func(name: string): PlannedFunc | undefined {
    return this.planned.get(name);
  }

  /** The id the host knows built-in `name` by, for built-ins the host implements. */
  hostBuiltinId(name: string): number | undefined {
    return BUILTINS.get(name)?.host ? this.hostBuiltins.get(name) : undefined;
  }

  /** Emits the call of built-in `name`; its arguments (after the host id, if any) are on the stack. */
  builtinCall(c: Code, name: string, arity: number): void {
    const decl = BUILTINS.get(name);
    if (!decl) throw new Error(`unknown function ${name}`);
    if (arity !== decl.arity) throw new Error(`${name} takes ${decl.arity} arguments, got ${arity}`);
    if (decl.host && this.hostBuiltins.get(name) === undefined) {
      throw new Error(`internal error: host built-in ${name} is missing from Policy.static.builtins`);
    }
    const symbol = name.replace(/\./g, "_");
    // A host built-in may have a fast path in the runtime (rt_host_<name>), taking rt_hostN's
    // arguments and calling the host itself for what it does not handle.
    const host = this.rt.exports.has(`rt_host_${symbol}`) ? `rt_host_${symbol}` : `rt_host${arity}`;
    c.call(this.rt.func(decl.host ? host : `b_${symbol}`));
  }

  location(loc: SourceLocation | undefined): string {
    if (!loc) return "";
    return `${this.policy.static.files[loc.file] ?? "?"}:${loc.row}:${loc.col}: `;
  }
}

/**
 * A planned function and its one-entry cache: the last call's result (0: none, or undefined),
 * reused when a call passes the same pointers in the `keys` parameters as that call did. The
 * dispatch clears the results before each evaluation.
 */
interface PlannedFunc {
  body: number;
  result: number;
  keys: Array<{ param: number; global: number }>;
}

/** The distinct constant first arguments of regex.match calls, in the order first met. */
function constantRegexPatterns(policy: Policy): string[] {
  const patterns = new Set<string>();
  for (const f of [...policy.funcs, ...policy.plans]) {
    forEachStmt(f.blocks, (s) => {
      if (s.type === "Call" && s.func === "regex.match" && s.args[0]?.type === "string") patterns.add(policy.static.strings[s.args[0].value]!);
    });
  }
  return [...patterns];
}

function conflictMessage(f: Func): string {
  return f.params.length > 2
    ? "functions must not produce multiple outputs for same inputs"
    : "complete rules must not produce multiple outputs";
}

/** Instruction writer that tracks structured-control nesting to compute branch depths. */
class Code {
  readonly w = new ByteWriter();
  /** Label ids of the enclosing blocks, loops and ifs, innermost last (-1: not a target). */
  private readonly labels: number[] = [];
  private nextLabel = 0;

  op(opcode: number): this {
    this.w.u8(opcode);
    return this;
  }

  /** Opens a block; returns its label. */
  block(): number {
    const label = this.nextLabel++;
    this.w.u8(OP.block).u8(OP.voidBlock);
    this.labels.push(label);
    return label;
  }

  loop(): number {
    const label = this.nextLabel++;
    this.w.u8(OP.loop).u8(OP.voidBlock);
    this.labels.push(label);
    return label;
  }

  if(): this {
    this.w.u8(OP.if).u8(OP.voidBlock);
    this.labels.push(-1);
    return this;
  }

  else(): this {
    this.w.u8(OP.else);
    return this;
  }

  end(): this {
    this.w.u8(OP.end);
    this.labels.pop();
    return this;
  }

  private depth(label: number): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error("internal error: branch to a label not in scope");
    return this.labels.length - 1 - i;
  }

  br(label: number): this {
    this.w.u8(OP.br).u32(this.depth(label));
    return this;
  }

  brIf(label: number): this {
    this.w.u8(OP.brIf).u32(this.depth(label));
    return this;
  }

  call(index: number): this {
    this.w.u8(OP.call).u32(index);
    return this;
  }

  globalGet(i: number): this {
    this.w.u8(OP.globalGet).u32(i);
    return this;
  }

  globalSet(i: number): this {
    this.w.u8(OP.globalSet).u32(i);
    return this;
  }

  localGet(i: number): this {
    this.w.u8(OP.localGet).u32(i);
    return this;
  }

  localSet(i: number): this {
    this.w.u8(OP.localSet).u32(i);
    return this;
  }

  localTee(i: number): this {
    this.w.u8(OP.localTee).u32(i);
    return this;
  }

  i32Const(n: number): this {
    this.w.u8(OP.i32Const).i32(n);
    return this;
  }

  /** Loads the byte at the address on the stack plus `offset`. */
  i32Load8U(offset = 0): this {
    this.w.u8(OP.i32Load8U).u32(0).u32(offset);
    return this;
  }

  /** Loads the u32 at the address on the stack plus `offset`. */
  i32Load(offset = 0): this {
    this.w.u8(OP.i32Load).u32(2).u32(offset);
    return this;
  }

  /** The function body: `vars` i32 locals, the code, the final `end`. */
  finish(vars = 0): Uint8Array {
    const body = new ByteWriter();
    if (vars > 0) body.u32(1).u32(vars).u8(I32);
    else body.u32(0);
    body.bytes(this.w.contents()).u8(OP.end);
    return body.contents();
  }
}

interface Frame {
  /** Where a failing statement branches. */
  fail: number;
  /** Where Break lands. */
  brk: number;
  /** A With's saved local, restored when a Break leaves the With's block. */
  restore?: { local: number; saved: number };
}

class FunctionEmitter {
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
  }

  private newVar(): number {
    return this.params.length + this.vars++;
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
    for (const b of blocks) this.block(b);
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
    const source = this.newVar();
    const count = this.newVar();
    const index = this.newVar();
    const isArray = this.newVar();
    const items = this.newVar();
    const stride = this.newVar();
    const valueOffset = this.newVar();
    const at = this.newVar();
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
  }

  private with(target: Local, path: number[], value: Operand, body: Block): void {
    const { c, pe } = this;
    this.checkOperands(value);
    const local = this.local(target);
    const saved = this.newVar();
    const keys = pe.statics.addressList(path.map((i) => pe.statics.string(pe.str(i))));
    c.localGet(local).localTee(saved);
    c.i32Const(keys).i32Const(path.length);
    this.push(value);
    this.rt("rt_upsert");
    c.localSet(local);
    this.block(body, { local, saved });
    c.localGet(saved).localSet(local);
  }
}
