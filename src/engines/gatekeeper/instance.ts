// A compiled Rego module's instance that gives its memory back. WebAssembly memory only grows: one
// huge input leaves the instance holding what its evaluation needed for as long as the process
// lives. After an evaluation that left the memory past a bound, the instance is dropped and a fresh
// one of the same compiled module takes its place, its data document set again.

import { createRequire } from "node:module";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { HOST_BUILTINS } from "../../compiler/host-builtins.ts";

// The SDK's ES module entry exports only the asynchronous loadPolicy; its CommonJS entry has
// loadPolicySync too, which an evaluation (synchronous) needs to replace its instance.
const { loadPolicySync } = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as typeof import("@open-policy-agent/opa-wasm");

/** The memory an instance may keep between evaluations; far above what a manifest of the API server's size needs. */
export const MAX_INSTANCE_MEMORY_BYTES = 256 * 1024 * 1024;

export class RenewedPolicy {
  private readonly module: WebAssembly.Module;
  private policy: LoadedPolicy;
  private data: object | undefined;
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

  setData(data: object): void {
    this.policy.setData(data);
    this.data = data;
  }

  /** The SDK's result set for `input` (a value, or JSON bytes) at `entrypoint`. */
  evaluate(input: unknown, entrypoint: string): unknown {
    const resultSet: unknown = this.policy.evaluate(input, entrypoint);
    if (this.memoryBytes > this.maxMemoryBytes) {
      this.policy = loadPolicySync(this.module, undefined, HOST_BUILTINS);
      if (this.data !== undefined) this.policy.setData(this.data);
      this.replacements++;
    }
    return resultSet;
  }
}
