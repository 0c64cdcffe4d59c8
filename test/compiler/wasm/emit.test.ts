import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Stmt } from "../../../src/compiler/ir/types.ts";
import { emitWasm } from "../../../src/compiler/wasm/index.ts";
import { block, DATA, INPUT, local, PolicyBuilder, prepareRuntime, RUNTIME_BUILD_TIMEOUT, bool } from "./helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

describe("emitWasm", () => {
  it("exports exactly OPA's ABI and imports only env functions and memory", () => {
    const bytes = emitWasm(new PolicyBuilder().plan("p/r", [{ type: "ResultSetAdd", value: INPUT }]).build());
    const module = new WebAssembly.Module(bytes);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    expect(exports).toEqual(
      [
        "builtins", "entrypoints", "eval", "opa_eval", "opa_eval_ctx_get_result", "opa_eval_ctx_new",
        "opa_eval_ctx_set_data", "opa_eval_ctx_set_entrypoint", "opa_eval_ctx_set_input", "opa_free",
        "opa_heap_ptr_get", "opa_heap_ptr_set", "opa_json_dump", "opa_json_parse", "opa_malloc",
        "opa_value_add_path", "opa_value_dump", "opa_value_parse", "opa_value_remove_path",
        "opa_wasm_abi_minor_version", "opa_wasm_abi_version",
      ].sort(),
    );
    const allowed = new Set(["memory", "opa_abort", "opa_println", "opa_builtin0", "opa_builtin1", "opa_builtin2", "opa_builtin3", "opa_builtin4"]);
    for (const i of WebAssembly.Module.imports(module)) {
      expect(i.module).toBe("env");
      expect(allowed.has(i.name)).toBe(true);
    }
  });

  it("returns [] when the plan is undefined", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "Dot", source: local(INPUT), key: b.str("missing"), target: 2 },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    expect(policy.evaluate({ present: 1 })).toEqual([]);
    expect(policy.evaluate(undefined)).toEqual([]);
  });

  it("builds a set with a Scan over an input array", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/names", [
      { type: "MakeSet", target: 2 },
      { type: "Dot", source: local(INPUT), key: b.str("items"), target: 3 },
      {
        type: "Scan", source: 3, key: 4, value: 5,
        block: block(
          { type: "Dot", source: local(5), key: b.str("name"), target: 6 },
          { type: "SetAdd", value: local(6), set: 2 },
        ),
      },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    const input = { items: [{ name: "b" }, { name: "a" }, { other: 1 }, { name: "b" }, { name: 3 }] };
    expect(policy.evaluate(input)).toEqual([{ result: [3, "a", "b"] }]);
  });

  it("scans objects and sets in sorted key order", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/keys", [
      { type: "MakeArray", capacity: 0, target: 2 },
      { type: "Scan", source: INPUT, key: 4, value: 5, block: block({ type: "ArrayAppend", value: local(4), array: 2 }) },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    expect(policy.evaluate({ zeta: 1, alpha: 2, mid: 3 })).toEqual([{ result: ["alpha", "mid", "zeta"] }]);
    expect(policy.evaluate(["x", "y"])).toEqual([{ result: [0, 1] }]);
  });

  it("negates a block with Not", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "Not", block: block({ type: "Dot", source: local(INPUT), key: b.str("deny"), target: 2 }) },
      { type: "ResultSetAdd", value: INPUT },
    ]).load();
    expect(policy.evaluate({ allow: true })).toEqual([{ result: { allow: true } }]);
    expect(policy.evaluate({ deny: false })).toEqual([]);
  });

  it("replaces input inside With and restores it afterwards", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "MakeArray", capacity: 2, target: 2 },
      {
        type: "With", local: INPUT, path: [b.index("a"), b.index("b")], value: b.str("mocked"),
        block: block({ type: "ArrayAppend", value: local(INPUT), array: 2 }),
      },
      { type: "ArrayAppend", value: local(INPUT), array: 2 },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    expect(policy.evaluate({ a: { c: 1 }, d: 2 })).toEqual([
      { result: [{ a: { b: "mocked", c: 1 }, d: 2 }, { a: { c: 1 }, d: 2 }] },
    ]);
    expect(policy.evaluate(undefined)).toEqual([]);
  });

  it("restores a With's local when Break leaves its block", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      {
        type: "Block",
        blocks: [
          block({
            type: "With", local: INPUT, path: [], value: b.str("inside"),
            block: block({ type: "Break", index: 1 }),
          }),
        ],
      },
      { type: "ResultSetAdd", value: INPUT },
    ]).load();
    expect(policy.evaluate("outside")).toEqual([{ result: "outside" }]);
  });

  it("aborts with the rule's location on an AssignVarOnce conflict", async () => {
    const b = new PolicyBuilder();
    const assign = (key: string) => [
      { type: "Dot" as const, source: local(INPUT), key: b.str(key), target: 3 },
      { type: "AssignVarOnce" as const, source: local(3), target: 2, loc: { file: 0, row: 3, col: 1 } },
    ];
    const policy = await b.plan("p/r", assign("a"), assign("b"), [{ type: "ResultSetAdd", value: 2 }]).load();
    expect(policy.evaluate({ a: 1, b: 1.0 })).toEqual([{ result: 1 }]);
    expect(policy.evaluate({ a: 1 })).toEqual([{ result: 1 }]);
    expect(() => policy.evaluate({ a: 1, b: 2 })).toThrow(
      "policy.rego:3:1: eval_conflict_error: complete rules must not produce multiple outputs",
    );
    // The module stays usable after an abort.
    expect(policy.evaluate({ a: 5 })).toEqual([{ result: 5 }]);
  });

  it("aborts on an ObjectInsertOnce conflict", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "MakeObject", target: 2 },
      { type: "ObjectInsertOnce", key: b.str("k"), value: b.str("v1"), object: 2 },
      { type: "ObjectInsertOnce", key: b.str("k"), value: local(INPUT), object: 2, loc: { file: 0, row: 7, col: 2 } },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    expect(policy.evaluate("v1")).toEqual([{ result: { k: "v1" } }]);
    expect(() => policy.evaluate("v2")).toThrow("policy.rego:7:2: eval_conflict_error: object keys must be unique");
  });

  it("formats sprintf in the module, never calling the host's", async () => {
    const b = new PolicyBuilder().useBuiltin("sprintf", 2).useBuiltin("concat", 2);
    b.plan("p/msg", [
      { type: "Dot", source: local(INPUT), key: b.str("name"), target: 2 },
      { type: "MakeArray", capacity: 2, target: 3 },
      { type: "ArrayAppend", value: local(2), array: 3 },
      { type: "MakeNumberInt", value: 42, target: 4 },
      { type: "ArrayAppend", value: local(4), array: 3 },
      { type: "Call", func: "sprintf", args: [b.str("container %s uses %d"), local(3)], result: 5 },
      { type: "ResultSetAdd", value: 5 },
    ]);
    const wasm = emitWasm(b.build());
    expect(await hostBuiltinsOf(wasm)).toEqual({});
    const policy = await loadPolicy(wasm);
    expect(policy.evaluate({ name: "nginx" })).toEqual([{ result: "container nginx uses 42" }]);
  });

  it("calls planned functions and treats their undefined result as failure", async () => {
    const b = new PolicyBuilder();
    b.func({
      name: "g0.data.lib.double_name", path: ["lib", "double_name"], params: [INPUT, DATA, 2], arity: 1, result: 3,
      blocks: [
        block(
          { type: "Dot", source: local(2), key: b.str("name"), target: 4 },
          { type: "AssignVarOnce", source: local(4), target: 3 },
        ),
        block({ type: "ReturnLocal", source: 3 }),
      ],
    });
    const policy = await b.plan("p/r", [
      { type: "Call", func: "g0.data.lib.double_name", args: [local(INPUT), local(DATA), local(INPUT)], result: 2 },
      { type: "ResultSetAdd", value: 2 },
    ]).load();
    expect(policy.evaluate({ name: "x" })).toEqual([{ result: "x" }]);
    expect(policy.evaluate({ other: "x" })).toEqual([]);
  });

  it("selects entrypoints by name and reads data set with setData", async () => {
    const b = new PolicyBuilder();
    const policy = await b
      .plan("p/input", [{ type: "ResultSetAdd", value: INPUT }])
      .plan("p/data", [
        { type: "Dot", source: local(DATA), key: b.str("cfg"), target: 2 },
        { type: "ResultSetAdd", value: 2 },
      ])
      .load();
    expect(policy.entrypoints).toEqual({ "p/input": 0, "p/data": 1 });
    expect(policy.evaluate(1, "p/input")).toEqual([{ result: 1 }]);
    expect(policy.evaluate(1, "p/data")).toEqual([]);
    policy.setData({ cfg: { limit: 3 } });
    expect(policy.evaluate(1, "p/data")).toEqual([{ result: { limit: 3 } }]);
    expect(policy.evaluate(2, 1)).toEqual([{ result: { limit: 3 } }]);
    expect(() => policy.evaluate(1, "p/none")).toThrow("entrypoint p/none is not valid");
    expect(() => policy.evaluate(1, 7)).toThrow("invalid entrypoint id");
  });

  it("keeps data intact across evaluations that iterate and look it up", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "Dot", source: local(DATA), key: b.str("limits"), target: 2 },
      { type: "MakeArray", capacity: 0, target: 3 },
      { type: "Scan", source: 2, key: 4, value: 5, block: block({ type: "ArrayAppend", value: local(4), array: 3 }) },
      { type: "Dot", source: local(2), key: local(INPUT), target: 6 },
      { type: "ArrayAppend", value: local(6), array: 3 },
      { type: "ResultSetAdd", value: 3 },
    ]).load();
    const limits: Record<string, number> = {};
    for (let i = 20; i > 0; i--) limits[`k${String(i).padStart(2, "0")}`] = i;
    policy.setData({ limits });
    const keys = Object.keys(limits).sort();
    for (let i = 1; i <= 20; i++) {
      const key = `k${String(i).padStart(2, "0")}`;
      expect(policy.evaluate(key)).toEqual([{ result: [...keys, i] }]);
      // Fill the heap region of the next evaluation with unrelated values.
      policy.evaluate({ filler: Array.from({ length: 50 }, (_, j) => ({ [`x${j}`]: "y".repeat(j) })) });
    }
  });

  it("adds one result per distinct value, in sorted order", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan("p/r", [
      { type: "Scan", source: INPUT, key: 2, value: 3, block: block({ type: "ResultSetAdd", value: 3 }) },
    ]).load();
    expect(policy.evaluate(["b", "a", "b", 1])).toEqual([{ result: 1 }, { result: "a" }, { result: "b" }]);
  });

  it("runs Equal, NotEqual and type checks", async () => {
    const check = (build: (b: PolicyBuilder) => Stmt[]) => {
      const b = new PolicyBuilder();
      return b.plan("p", [...build(b), { type: "ResultSetAdd", value: INPUT }]).load();
    };
    const one = await check((b) => [
      { type: "MakeNumberRef", index: b.index("1.0"), target: 2 },
      { type: "Equal", a: local(INPUT), b: local(2) },
    ]);
    expect(one.evaluate(1)).toEqual([{ result: 1 }]);
    expect(one.evaluate(2)).toEqual([]);
    const isArray = await check(() => [{ type: "IsArray", source: local(INPUT) }]);
    expect(isArray.evaluate([1])).toEqual([{ result: [1] }]);
    expect(isArray.evaluate({ a: 1 })).toEqual([]);
    const isObject = await check(() => [{ type: "IsObject", source: local(INPUT) }]);
    expect(isObject.evaluate({ a: 1 })).toEqual([{ result: { a: 1 } }]);
    const notTrue = await check(() => [{ type: "NotEqual", a: local(INPUT), b: bool(true) }]);
    expect(notTrue.evaluate(true)).toEqual([]);
    expect(notTrue.evaluate("true")).toEqual([{ result: "true" }]);
  });

  it("starts a block's own locals undefined, though Wasm locals an earlier block was done with hold them", async () => {
    const b = new PolicyBuilder();
    const policy = await b.plan(
      "p/r",
      [
        { type: "Dot", source: local(INPUT), key: b.str("items"), target: 2 },
        { type: "Scan", source: 2, key: 3, value: 4, block: block({ type: "AssignVar", source: local(4), target: 5 }) },
      ],
      [
        { type: "IsUndefined", source: 6 },
        { type: "IsUndefined", source: 7 },
        { type: "AssignVar", source: bool(true), target: 8 },
        { type: "ResultSetAdd", value: 8 },
      ],
    ).load();
    expect(policy.evaluate({ items: ["a", "b"] })).toEqual([{ result: true }]);
  });

  it("gives a plan of many blocks no more Wasm locals than one of its blocks needs", async () => {
    // Each block reads a field, scans it, and keeps the last element: locals of its own.
    const planOf = (blocks: number) => {
      const b = new PolicyBuilder();
      const stmts = Array.from({ length: blocks }, (_, i): Stmt[] => {
        const at = 2 + 5 * i;
        return [
          { type: "Dot", source: local(INPUT), key: b.str(`field${i}`), target: at },
          { type: "Scan", source: at, key: at + 1, value: at + 2, block: block({ type: "AssignVar", source: local(at + 2), target: at + 3 }) },
          { type: "AssignVar", source: local(at + 3), target: at + 4 },
          { type: "ResultSetAdd", value: at + 4 },
        ];
      });
      return emitWasm(b.plan("p/r", ...stmts).build());
    };
    const { default: binaryen } = await import("binaryen");
    const mostLocals = (wasm: Uint8Array) => {
      const module = binaryen.readBinary(wasm);
      const counts = Array.from({ length: module.getNumFunctions() }, (_, i) => binaryen.getFunctionInfo(module.getFunctionByIndex(i)).vars.length);
      module.dispose();
      return Math.max(...counts);
    };
    expect(mostLocals(planOf(200))).toBe(mostLocals(planOf(1)));
  });

  it("keeps memory flat over 100,000 evaluations", async () => {
    const b = new PolicyBuilder().useBuiltin("concat", 2);
    const policy = await b.plan("p/r", [
      { type: "Dot", source: local(INPUT), key: b.str("spec"), target: 2 },
      { type: "Dot", source: local(2), key: b.str("containers"), target: 3 },
      { type: "MakeSet", target: 4 },
      {
        type: "Scan", source: 3, key: 5, value: 6,
        block: block(
          { type: "Dot", source: local(6), key: b.str("image"), target: 7 },
          { type: "SetAdd", value: local(7), set: 4 },
        ),
      },
      { type: "Call", func: "concat", args: [b.str(","), local(4)], result: 8 },
      { type: "ResultSetAdd", value: 8 },
    ]).load();
    const input = { spec: { containers: [{ image: "a:1", name: "x" }, { image: "b:2", name: "y" }] } };
    const memory = (policy as unknown as { mem: WebAssembly.Memory }).mem;
    for (let i = 0; i < 1000; i++) policy.evaluate(input);
    const size = memory.buffer.byteLength;
    for (let i = 0; i < 100_000; i++) policy.evaluate(input);
    expect(memory.buffer.byteLength).toBe(size);
    expect(policy.evaluate(input)).toEqual([{ result: "a:1,b:2" }]);
  });
});

/** The module's `builtins` export: the built-ins it asks the host for, by name. */
async function hostBuiltinsOf(wasm: Uint8Array<ArrayBuffer>): Promise<unknown> {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const fail = () => {
    throw new Error("unexpected call into the host");
  };
  const env = { memory, opa_abort: fail, opa_println: fail, opa_builtin0: fail, opa_builtin1: fail, opa_builtin2: fail, opa_builtin3: fail, opa_builtin4: fail };
  const { instance } = await WebAssembly.instantiate(wasm, { env });
  const exports = instance.exports as Record<string, (...args: number[]) => number>;
  const text = exports.opa_json_dump!(exports.builtins!());
  const bytes = new Uint8Array(memory.buffer, text);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0))));
}
