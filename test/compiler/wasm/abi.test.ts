// The ABI calls the JavaScript SDK does not make (it uses the 1.2 fast path), driven directly.

import { beforeAll, describe, expect, it } from "vitest";
import { emitWasm } from "../../../src/compiler/wasm/index.ts";
import { DATA, INPUT, local, PolicyBuilder, prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "./helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

interface Abi {
  memory: WebAssembly.Memory;
  exports: Record<string, (...args: number[]) => number> & {
    opa_wasm_abi_version: WebAssembly.Global;
    opa_wasm_abi_minor_version: WebAssembly.Global;
  };
  /** Writes text into the module's heap and parses it (JSON, or Rego value text). */
  parse(text: string, rego?: boolean): number;
  dump(addr: number, rego?: boolean): string;
  /** The NUL-terminated text at addr. */
  text(addr: number): string;
}

function instantiate(): Abi {
  const b = new PolicyBuilder();
  b.plan("p/pair", [
    { type: "MakeArray", capacity: 2, target: 2 },
    { type: "ArrayAppend", value: local(INPUT), array: 2 },
    { type: "Dot", source: local(DATA), key: b.str("d"), target: 3 },
    { type: "ArrayAppend", value: local(3), array: 2 },
    { type: "ResultSetAdd", value: 2 },
  ]);
  const memory = new WebAssembly.Memory({ initial: 5 });
  const readString = (addr: number) => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const env = {
    memory,
    opa_abort: (addr: number) => {
      throw new Error(readString(addr));
    },
    opa_println: () => undefined,
    opa_builtin0: () => 0,
    opa_builtin1: () => 0,
    opa_builtin2: () => 0,
    opa_builtin3: () => 0,
    opa_builtin4: () => 0,
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(emitWasm(b.build())), { env });
  const exports = instance.exports as Abi["exports"];
  return {
    memory,
    exports,
    parse(text, rego = false) {
      const bytes = new TextEncoder().encode(text);
      const addr = exports.opa_malloc(bytes.length);
      new Uint8Array(memory.buffer).set(bytes, addr);
      return (rego ? exports.opa_value_parse : exports.opa_json_parse)(addr, bytes.length);
    },
    dump(addr, rego = false) {
      return readString((rego ? exports.opa_value_dump : exports.opa_json_dump)(addr));
    },
    text: readString,
  };
}

describe("OPA Wasm ABI", () => {
  it("declares ABI version 1.2", () => {
    const { exports } = instantiate();
    expect(exports.opa_wasm_abi_version.value).toBe(1);
    expect(exports.opa_wasm_abi_minor_version.value).toBe(2);
  });

  it("evaluates through an evaluation context", () => {
    const abi = instantiate();
    const { exports: x } = abi;
    const ctx = x.opa_eval_ctx_new();
    x.opa_eval_ctx_set_input(ctx, abi.parse('{"i": 1}'));
    x.opa_eval_ctx_set_data(ctx, abi.parse('{"d": [true]}'));
    x.opa_eval_ctx_set_entrypoint(ctx, 0);
    expect(x.eval(ctx)).toBe(0);
    expect(JSON.parse(abi.dump(x.opa_eval_ctx_get_result(ctx)))).toEqual([{ result: [{ i: 1 }, [true]] }]);
  });

  it("evaluates in one call and resets the heap to the pointer given", () => {
    const abi = instantiate();
    const { exports: x } = abi;
    const data = abi.parse('{"d": 2}');
    const heap = x.opa_heap_ptr_get();
    const input = new TextEncoder().encode("[3]");
    new Uint8Array(abi.memory.buffer).set(input, heap);
    for (let i = 0; i < 3; i++) {
      const result = x.opa_eval(0, 0, data, heap, input.length, heap + input.length, 0);
      expect(JSON.parse(abi.text(result))).toEqual([{ result: [[3], 2] }]);
    }
    const regoText = x.opa_eval(0, 0, data, heap, input.length, heap + input.length, 1);
    expect(abi.text(regoText)).toBe('{{"result":[[3],2]}}');
  });

  it("parses and dumps Rego value text with sets", () => {
    const abi = instantiate();
    const v = abi.parse('{"b", 1, {"k": set()}, 1}', true);
    expect(v).not.toBe(0);
    expect(abi.dump(v, true)).toBe('{1,"b",{"k":set()}}');
    expect(abi.dump(v)).toBe('[1,"b",{"k":[]}]');
    expect(abi.dump(abi.parse("{1: 2}", true))).toBe('{"1":2}');
    expect(abi.parse("{1: 2}")).toBe(0);
  });

  it("adds and removes values at paths", () => {
    const abi = instantiate();
    const { exports: x } = abi;
    const base = abi.parse('{"a": {"b": 1}}');
    expect(x.opa_value_add_path(base, abi.parse('["a", "c", "d"]'), abi.parse("true"))).toBe(0);
    expect(JSON.parse(abi.dump(base))).toEqual({ a: { b: 1, c: { d: true } } });
    expect(x.opa_value_remove_path(base, abi.parse('["a", "b"]'))).toBe(0);
    expect(JSON.parse(abi.dump(base))).toEqual({ a: { c: { d: true } } });
    expect(x.opa_value_add_path(base, abi.parse('["a", "c", "d", "e"]'), abi.parse("1"))).toBe(3);
  });

  it("keeps integers of any size exact from JSON text to JSON text, never in exponent form", () => {
    const abi = instantiate();
    const exact = "[12345678901234567890123,-9223372036854775809,9223372036854775807,18446744073709551616,0.5]";
    expect(abi.dump(abi.parse(exact))).toBe(exact);
    expect(abi.dump(abi.parse(exact, true), true)).toBe(exact);
    // An integer written with a fraction or an exponent is the same integer, written in digits.
    expect(abi.dump(abi.parse("[1e21, 1.5e30, 123456789012345678.0, -2e19, 1e400]"))).toBe(
      `[1000000000000000000000,1500000000000000000000000000000,123456789012345678,-20000000000000000000,1${"0".repeat(400)}]`,
    );
    // Beyond 2^53 without a fraction: still exact.
    expect(abi.dump(abi.parse("9007199254740993.000e0"))).toBe("9007199254740993");
    expect(abi.dump(abi.parse("[1.5e-7, 2.5]"))).toBe("[1.5e-7,2.5]");
    expect(abi.parse(`1e${"9".repeat(6)}`)).toBe(0);
  });

  it("reports JSON parse failures as 0", () => {
    const abi = instantiate();
    expect(abi.parse("[1,")).toBe(0);
    expect(abi.parse("nul")).toBe(0);
    expect(abi.parse('"\\x"')).toBe(0);
  });

  it("keeps the last value of a key an object repeats, wherever it repeats", () => {
    const abi = instantiate();
    expect(JSON.parse(abi.dump(abi.parse('{"a":1,"b":2,"a":3}')))).toEqual({ a: 3, b: 2 });
    expect(JSON.parse(abi.dump(abi.parse('{"ab":1,"ac":2,"ab":3,"ac":4,"x":{"k":1,"k":[2]}}')))).toEqual({ ab: 3, ac: 4, x: { k: [2] } });
  });

  // The parser scans strings eight bytes at a time: a quote, backslash or control character must
  // be found wherever it falls relative to those eight bytes.
  it("finds the end, escapes and control characters of a string at every offset", () => {
    const abi = instantiate();
    for (let length = 0; length <= 20; length++) {
      for (let at = 0; at < length; at++) {
        const before = "a".repeat(at);
        const after = "é".repeat(length - at - 1);
        for (const special of ['\\"', "\\\\", "\\n", "\\u00e9", "~\u007f"]) {
          const text = `"${before}${special}${after}"`;
          expect(JSON.parse(abi.dump(abi.parse(text))), text).toBe(JSON.parse(text));
        }
        expect(abi.parse(`"${before}\u0001${after}"`), "a control character").toBe(0);
        expect(abi.parse(`"${before}${after}`), "no closing quote").toBe(0);
      }
    }
  });
});
