// IR → WebAssembly. The prebuilt runtime (build/opa-runtime.wasm, see ../runtime/build.ts) is
// linked with one Wasm function per plan and function of the policy, an entrypoint dispatch that
// replaces the runtime's rt_policy_eval placeholder, and the policy's constants as a data segment
// after the runtime's. Exports are cut down to OPA's Wasm ABI (1.2).
//
// Locals hold value addresses, 0 meaning undefined. Each IR block is a Wasm block: a failing
// statement branches to the end of the innermost one, Break N to the end of the (N+1)th.

import { readFileSync, statSync } from "node:fs";
import { BUILTINS } from "../builtins.ts";
import type { Func, Operand, Policy, SourceLocation } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { forEachStmt } from "../ir/walk.ts";
import { RUNTIME_WASM_PATH } from "../runtime/build.ts";
import { Code } from "./code.ts";
import { OP } from "./encoding.ts";
import { FunctionEmitter, type PlannedFunc } from "./function.ts";
import { EXTERNAL, ModuleBuilder, RuntimeModule } from "./link.ts";
import { inputFreeFuncs } from "./memo.ts";
import { StaticData } from "./statics.ts";

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

export class PolicyEmitter {
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
    // A host built-in is called through its runtime wrapper, rt_host_<name>, which takes the id the
    // host knows it by and calls the SDK's opa_builtinN import (time.now_ns keeps one answer per evaluation).
    c.call(this.rt.func(decl.host ? `rt_host_${symbol}` : `b_${symbol}`));
  }

  location(loc: SourceLocation | undefined): string {
    if (!loc) return "";
    return `${this.policy.static.files[loc.file] ?? "?"}:${loc.row}:${loc.col}: `;
  }
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
  return f.arity > 0
    ? "functions must not produce multiple outputs for same inputs"
    : "complete rules must not produce multiple outputs";
}
