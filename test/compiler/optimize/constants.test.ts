// Constant folding (src/compiler/optimize/constants.ts): which literals become MakeConstant, that
// the IR means the same before and after (by the planner's IR interpreter), and that the Wasm
// module's shared constants answer alike on every evaluation.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import type { Constant, Policy } from "../../../src/compiler/ir/types.ts";
import { foldConstants } from "../../../src/compiler/optimize/index.ts";
import { Interpreter } from "../planner/ir-interpreter.ts";
import { allStmts, plan } from "../planner/helpers.ts";

function folded(rego: string, entrypoint: string): Policy {
  return foldConstants(plan(rego, [entrypoint]));
}

/** The folded constants of the policy, written as JSON-like text. */
function constants(p: Policy): string[] {
  const text = (c: Constant): string => {
    switch (c.type) {
      case "null":
        return "null";
      case "bool":
      case "int":
        return String(c.value);
      case "number":
        return p.static.strings[c.index]!;
      case "string":
        return JSON.stringify(p.static.strings[c.value]);
      case "array":
        return `[${c.items.map(text).join(",")}]`;
      case "object":
        return `{${c.entries.map(([k, v]) => `${text(k)}:${text(v)}`).join(",")}}`;
      case "set":
        return `{${c.items.map(text).join(",")}}s`;
    }
  };
  const all = [...p.plans, ...p.funcs].flatMap((f) => allStmts(f.blocks));
  return all.flatMap((s) => (s.type === "MakeConstant" ? [text(s.value)] : []));
}

const collectionsBuilt = (p: Policy) =>
  [...p.plans, ...p.funcs].flatMap((f) => allStmts(f.blocks)).filter((s) => s.type === "MakeArray" || s.type === "MakeObject" || s.type === "MakeSet").length;

describe("which literals fold", () => {
  it("folds nested literals of constants into one constant, keys sorted", () => {
    const p = folded(`package a\np := {"b": ["x", 2, 2.5, null, true], "a": {"k": set()}, "c": {"z", "y", "z"}}`, "a/p");
    expect(constants(p)).toEqual([
      '["x",2,2.5,null,true]',
      "{}s",
      '{"k":{}s}',
      '{"y","z"}s',
      '{"a":{"k":{}s},"b":["x",2,2.5,null,true],"c":{"y","z"}s}',
    ]);
    expect(collectionsBuilt(p)).toBe(0);
  });

  it("orders keys as Rego does: null, false, true, then strings by their UTF-8 bytes", () => {
    const p = folded(`package a\np := {"\u{10000}": 1, "\u{e000}": 2, "b": 3, true: 4, false: 5, null: 6}`, "a/p");
    expect(constants(p)).toEqual(['{null:6,false:5,true:4,"b":3,"\u{e000}":2,"\u{10000}":1}']);
  });

  it("keeps the last value of a repeated object key, as the object literal's inserts do", () => {
    expect(constants(folded(`package a\np := {"k": 1, "k": 2}`, "a/p"))).toEqual(['{"k":2}']);
  });

  it("leaves literals with a part known only at run time, or with number keys", () => {
    expect(constants(folded(`package a\np := [input.x, "y"]`, "a/p"))).toEqual([]);
    expect(constants(folded(`package a\np := {1: "a"}`, "a/p"))).toEqual([]);
    expect(constants(folded(`package a\np := {"a": [input.y], "b": ["c"]}`, "a/p"))).toEqual(['["c"]']);
  });

  it("leaves comprehensions, which fill their collection in a loop", () => {
    const p = folded(`package a\np := [x | some x in ["a", "b"]]`, "a/p");
    expect(constants(p)).toEqual(['["a","b"]']);
    expect(collectionsBuilt(p)).toBe(1);
  });
});

describe("calls of constant functions", () => {
  it("become the constant, for a function that yields one and does nothing else", () => {
    const p = folded(`package a\nimport rego.v1\npresent(_) := true\nf(x) := true if x > 1\np := [present(input.a), f(input.b)]`, "a/p");
    const calls = [...p.plans, ...p.funcs].flatMap((f) => allStmts(f.blocks)).filter((s) => s.type === "Call").map((s) => (s as { func: string }).func);
    expect(calls.some((name) => name.endsWith(".present"))).toBe(false);
    expect(calls.some((name) => name.endsWith(".f"))).toBe(true);
  });
});

describe("meaning", () => {
  const programs: Array<[rego: string, entrypoint: string, input: unknown]> = [
    [`package a\np := {"b": ["x", 2], "a": {"k": set()}, "c": {"z", "y", "z"}}`, "a/p", {}],
    [`package a\np := {"k": 1, "k": 2}`, "a/p", {}],
    [`package a\np := [k | some k, _ in {"b": 1, "a": 2, "c": 3}]`, "a/p", {}],
    [`package a\np contains x if { some x in {"b", "a"}; x != input.skip }`, "a/p", { skip: "a" }],
    [`package a\nt := {"apps": {"Deployment", "StatefulSet"}}\np if input.kind in t[input.group]`, "a/p", { group: "apps", kind: "Deployment" }],
    [`package a\np := [{"a": [], "b": 1}, input]`, "a/p", { b: 2, c: 3 }],
    [`package a\nf(x) := [x, ["k"]]\np := [f(1), f(2)]`, "a/p", {}],
    [`package a\nimport rego.v1\npresent(_) := true\np := [x | some x in input.xs; present(x)]`, "a/p", { xs: [false, null, 0] }],
    [`package a\nimport rego.v1\npresent(_) := true\np if not present(input.missing)`, "a/p", {}],
  ];

  it.each(programs)("%s evaluates alike before and after folding", (rego, entrypoint, input) => {
    const unfolded = plan(rego, [entrypoint]);
    const expected = new Interpreter(unfolded).run(entrypoint, input, {});
    expect(new Interpreter(foldConstants(unfolded)).run(entrypoint, input, {})).toEqual(expected);
  });
});

describe("shared constants in the module", () => {
  it("answer alike on every evaluation, whatever the evaluations did with them", async () => {
    const rego = `package a
import rego.v1

table := {"z": 1, "a": 2, "m": [3, 2, 1], "s": {"b", "a"}, "big": {"k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6, "k7": 7, "k8": 8, "k9": 9, "k10": 10}}

replaced := x if {
	x := object.get(input, "t", "none") with input.t as table.s
}

r := {
	"keys": [k | some k, _ in table],
	"sorted": sort(table.m),
	"set": [x | some x in table.s],
	"with": replaced,
	"union": object.union(table, {"z": input.z}),
	"big": [table.big.k9, object.get(table.big, input.key, "missing")],
}
`;
    const policy = await loadPolicy(compileRego([{ file: "t.rego", text: rego, regoVersion: 1 }], ["a/r"]));
    const evaluate = (input: unknown) => (policy.evaluate(input, "a/r") as Array<{ result: unknown }>)[0]!.result;
    const expected = (z: number, key: string) => ({
      keys: ["a", "big", "m", "s", "z"],
      sorted: [1, 2, 3],
      set: ["a", "b"],
      with: ["a", "b"],
      union: { a: 2, big: { k1: 1, k10: 10, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9 }, m: [3, 2, 1], s: ["a", "b"], z },
      big: [9, key === "k10" ? 10 : "missing"],
    });
    expect(evaluate({ z: 10, key: "k10" })).toEqual(expected(10, "k10"));
    expect(evaluate({ z: 20, key: "nope" })).toEqual(expected(20, "nope"));
    expect(evaluate({ z: 10, key: "k10" })).toEqual(expected(10, "k10"));
  });
});
