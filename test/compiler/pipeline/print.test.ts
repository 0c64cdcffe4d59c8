// What print writes: the module calls the host's env.opa_println, which the SDK turns into
// console.log, once per line.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";

async function printed(body: string, input: unknown): Promise<{ lines: unknown[][]; result: unknown }> {
  const bytes = compileRego([{ file: "t.rego", text: `package t\n\np if {\n${body}\n}\n`, regoVersion: 1 }], ["t/p"]);
  const policy = await loadPolicy(bytes);
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const result = policy.evaluate(input, "t/p");
  return { lines: log.mock.calls, result };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("print", () => {
  it("writes strings as they are, other values as OPA formats them, and <undefined> for an undefined argument", async () => {
    const { lines, result } = await printed(`print("a", 1, {"b": [true]}, input.missing)`, {});
    expect(lines).toEqual([[`a 1 {"b": [true]} <undefined>`]]);
    expect(result).toEqual([{ result: true }]);
  });

  it("formats nested values, sets, null and floats", async () => {
    const { lines } = await printed(`print(["x", null, 2.5], {1, 2}, set(), "q\\"uote", {"k": {"n": "v"}, "a": 0})`, {});
    expect(lines).toEqual([[`["x", null, 2.5] {1, 2} set() q"uote {"a": 0, "k": {"n": "v"}}`]]);
  });

  // (Only ASCII: the SDK turns each byte of the line into a character.)
  it("quotes strings inside values as Go's strconv.Quote does", async () => {
    const { lines } = await printed(`print(["tab\\there", "\\u00a0\\u0001\\u007f"], {"new\\nline": "\\\\"})`, {});
    expect(lines).toEqual([[`["tab\\there", "\\u00a0\\x01\\x7f"] {"new\\nline": "\\\\"}`]]);
  });

  it("writes an empty line for no arguments", async () => {
    const { lines } = await printed(`print()`, {});
    expect(lines).toEqual([[""]]);
  });

  it("writes one line per combination of an iterated argument's values", async () => {
    const { lines } = await printed(`print("x", input.xs[_], input.ys[_])`, { xs: [1, 2], ys: ["a"] });
    expect(lines).toEqual([["x 1 a"], ["x 2 a"]]);
  });

  it("writes once per solution of the body", async () => {
    const { lines } = await printed(`some x in input.xs\nprint("saw", x)`, { xs: ["b", "a"] });
    expect(lines).toEqual([["saw b"], ["saw a"]]);
  });

  it("makes the module import env.opa_println", () => {
    const bytes = compileRego([{ file: "t.rego", text: `package t\n\np if print(1)\n`, regoVersion: 1 }], ["t/p"]);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(new Uint8Array(bytes)));
    expect(imports).toContainEqual({ module: "env", name: "opa_println", kind: "function" });
  });
});
