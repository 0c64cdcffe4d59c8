// A compiled Rego module's instance that gives its memory back and reads its results exactly.
//
// WebAssembly memory only grows: one huge input leaves the instance holding what its evaluation
// needed for as long as the process lives. After an evaluation that left the memory past a bound,
// the instance is dropped and a fresh one of the same compiled module takes its place, its data
// document set again.
//
// The SDK loads the module (instance, memory, host built-ins, data), but its evaluate reads the
// result set with JSON.parse, which rounds integers past 2^53 that the module holds exactly. So an
// evaluation here goes through OPA's Wasm ABI on the SDK's instance (the calls the SDK itself makes
// for a module of ABI 1.0 or 1.1, which every 1.x module exports) and reads the module's JSON text
// with parseExactJson.

import { createRequire } from "node:module";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { HOST_BUILTINS } from "../../compiler/host-builtins.ts";
import { parseExactJson, stringifyExactJson } from "../../exact-json.ts";

// The SDK's ES module entry exports only the asynchronous loadPolicy; its CommonJS entry has
// loadPolicySync too, which an evaluation (synchronous) needs to replace its instance.
const { loadPolicySync } = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as typeof import("@open-policy-agent/opa-wasm");

/** The memory an instance may keep between evaluations; far above what a manifest of the API server's size needs. */
export const MAX_INSTANCE_MEMORY_BYTES = 256 * 1024 * 1024;

/** The exports of OPA's Wasm ABI that one evaluation calls; addresses are numbers. */
interface EvaluationAbi {
  opa_heap_ptr_set(address: number): void;
  opa_malloc(bytes: number): number;
  opa_json_parse(address: number, length: number): number;
  opa_eval_ctx_new(): number;
  opa_eval_ctx_set_input(context: number, value: number): void;
  opa_eval_ctx_set_data(context: number, value: number): void;
  opa_eval_ctx_set_entrypoint(context: number, entrypoint: number): void;
  eval(context: number): number;
  opa_eval_ctx_get_result(context: number): number;
  opa_json_dump(value: number): number;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export class RenewedPolicy {
  private readonly module: WebAssembly.Module;
  private policy: LoadedPolicy;
  /** The data document's JSON bytes, set again on a fresh instance. */
  private data: ArrayBuffer | undefined;
  /** How many times the instance was replaced. */
  replacements = 0;

  constructor(
    wasm: Uint8Array,
    private readonly maxMemoryBytes = MAX_INSTANCE_MEMORY_BYTES,
  ) {
    // The compiler's bytes are never a SharedArrayBuffer's.
    this.module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    this.policy = loadPolicySync(this.module, undefined, HOST_BUILTINS);
  }

  /** The current instance's memory, in bytes. */
  get memoryBytes(): number {
    return this.policy.mem.buffer.byteLength;
  }

  /** The module's entrypoints, by name. */
  get entrypoints(): Readonly<Record<string, number>> {
    return this.policy.entrypoints as Record<string, number>;
  }

  /** Sets the data document: a value (bigints allowed) or its JSON bytes, which the module reads with integers exact. */
  setData(data: object | ArrayBuffer): void {
    this.data = data instanceof ArrayBuffer ? data : jsonBytes(data);
    this.policy.setData(this.data);
  }

  /**
   * The result set for `input` at `entrypoint`, as the SDK gives it but with integers exact
   * (parseExactJson). `input` is a value (bigints allowed), JSON bytes, or undefined for none.
   * Throws an Error for an unknown entrypoint or input bytes that are not JSON, and (from the
   * SDK's import) the module's abort message as a string.
   */
  evaluate(input: unknown, entrypoint: string): unknown {
    return parseExactJson(this.evaluateToText(input, entrypoint));
  }

  /** The result set's JSON text as the module writes it: every number as its text, as OPA writes it. */
  evaluateToText(input: unknown, entrypoint: string): string {
    const text = resultSetText(this.policy, input, entrypoint);
    if (this.memoryBytes > this.maxMemoryBytes) {
      this.policy = loadPolicySync(this.module, undefined, HOST_BUILTINS);
      if (this.data !== undefined) this.policy.setData(this.data);
      this.replacements++;
    }
    return text;
  }
}

function jsonBytes(value: unknown): ArrayBuffer {
  return utf8.encode(stringifyExactJson(value)).buffer as ArrayBuffer;
}

/** The result set's JSON text, as the module writes it. */
function resultSetText(policy: LoadedPolicy, input: unknown, entrypoint: string): string {
  const entrypoints = policy.entrypoints as Record<string, number>;
  if (!Object.hasOwn(entrypoints, entrypoint)) throw new Error(`entrypoint ${entrypoint} is not valid in this instance`);
  const instance = policy.wasmInstance instanceof WebAssembly.Instance ? policy.wasmInstance : policy.wasmInstance.instance;
  const abi = instance.exports as unknown as EvaluationAbi;
  // Every evaluation starts on the heap as setData left it.
  abi.opa_heap_ptr_set(policy.dataHeapPtr as number);
  let inputValue = 0;
  if (input !== undefined) {
    const bytes = new Uint8Array(input instanceof ArrayBuffer ? input : jsonBytes(input));
    const address = abi.opa_malloc(bytes.byteLength);
    new Uint8Array(policy.mem.buffer).set(bytes, address);
    inputValue = abi.opa_json_parse(address, bytes.byteLength);
    if (inputValue === 0) throw new Error("the input is not valid JSON");
  }
  const context = abi.opa_eval_ctx_new();
  abi.opa_eval_ctx_set_input(context, inputValue);
  abi.opa_eval_ctx_set_data(context, policy.dataAddr);
  abi.opa_eval_ctx_set_entrypoint(context, entrypoints[entrypoint]!);
  abi.eval(context);
  const text = abi.opa_json_dump(abi.opa_eval_ctx_get_result(context));
  const memory = new Uint8Array(policy.mem.buffer);
  return utf8Decoder.decode(memory.subarray(text, memory.indexOf(0, text)));
}
