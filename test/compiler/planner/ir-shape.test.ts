import { describe, expect, it } from "vitest";
import { CompileError } from "../../../src/compiler/errors.ts";
import { allStmts, plan } from "./helpers.ts";

describe("IR shape", () => {
  it("plans each rule once as a Func taking input and data", () => {
    const p = plan(`package a\nxs contains 1\np := count(xs) + count(xs)\nf(x, y) := x + y\nq := f(1, 2)`, ["a/p", "a/q"]);
    expect(p.plans.map((x) => x.name)).toEqual(["a/p", "a/q"]);
    expect(p.funcs.map((f) => f.name).sort()).toEqual(["g0.data.a.f", "g0.data.a.p", "g0.data.a.q", "g0.data.a.xs"]);
    const f = p.funcs.find((x) => x.name === "g0.data.a.f")!;
    expect(f.params).toEqual([0, 1, 2, 3]);
    expect(f.path).toEqual(["a", "f"]);
  });

  it("adds the entrypoint value with ResultSetAdd", () => {
    const p = plan(`package a\np := 1`, ["a/p"]);
    const stmts = allStmts(p.plans[0].blocks);
    expect(stmts.map((s) => s.type)).toEqual(["Call", "ResultSetAdd"]);
  });

  it("keeps small integers as MakeNumberInt and everything else as literal text", () => {
    const p = plan(`package a\np := [7, -3, 2.50, 1e3, 99999999999999999999]`, ["a/p"]);
    const stmts = allStmts(p.funcs[0].blocks);
    expect(stmts.filter((s) => s.type === "MakeNumberInt").map((s) => (s as { value: number }).value)).toEqual([7, -3]);
    const refs = stmts.filter((s) => s.type === "MakeNumberRef").map((s) => p.static.strings[(s as { index: number }).index]);
    expect(refs).toEqual(["2.50", "1e3", "99999999999999999999"]);
  });

  it("lists the built-ins called, with their arity, and deduplicates strings", () => {
    const p = plan(`package a\np if { startswith(input.s, "x"); input.s != "x"; count(input.t) > 1 }`, ["a/p"]);
    expect(p.static.builtins).toEqual([
      { name: "startswith", arity: 2 },
      { name: "count", arity: 1 },
      { name: "gt", arity: 2 },
    ]);
    expect(p.static.strings.filter((s) => s === "x")).toHaveLength(1);
    expect(p.static.files).toContain("m0.rego");
  });

  it("maps == and != in a body to Equal / NotEqual statements", () => {
    const p = plan(`package a\np if { input.a == 1; input.b != 2 }`, ["a/p"]);
    const types = allStmts(p.funcs[0].blocks).map((s) => s.type);
    expect(types).toContain("Equal");
    expect(types).toContain("NotEqual");
    expect(p.static.builtins).toEqual([]);
  });

  it("plans a separate generation of functions under `with data`", () => {
    const p = plan(`package a\nr := data.x\nq := r\np := v if { v := q with data.a.r as 1 }`, ["a/p"]);
    expect(p.funcs.map((f) => f.name).sort()).toEqual(["g0.data.a.p", "g1.data.a.q"]);
  });

  it("attaches source locations to calls and conflict-raising statements", () => {
    const p = plan(`package a\n\np := input.x`, ["a/p"]);
    const assign = allStmts(p.funcs[0].blocks).find((s) => s.type === "AssignVarOnce")!;
    expect(assign.loc).toEqual({ file: p.static.files.indexOf("m0.rego"), row: 3, col: 1 });
  });
});

// Plans go through the check stage first (the planner trusts its order), so most problems are
// reported by check; the planner's own are about entrypoints and `with`.
describe("compile errors", () => {
  const error = (src: string | string[], entry: string): CompileError => {
    try {
      plan(src, [entry]);
    } catch (e) {
      if (e instanceof CompileError) return e;
      throw e;
    }
    throw new Error("no error");
  };

  it("reports an unsafe var with its location", () => {
    expect(error(`package a\np := y if { x := 1 }`, "a/p").message).toBe(
      "m0.rego:2:6: var y is unsafe (hint: bind it in a positive expression of the body, e.g. `y := …` or `some y in …`)",
    );
  });

  it("reports a var only bound inside a negation", () => {
    expect(error(`package a\np if { not input.xs[i] }`, "a/p").message).toMatch(/^m0\.rego:2:8: var i is unsafe /);
    expect(error(`package a\np if not input.xs[_] == "root"`, "a/p").message).toMatch(/^m0\.rego:2:6: var _ is unsafe /);
  });

  it("reports an unknown function and a wrong argument count", () => {
    expect(error(`package a\np := nope(1)`, "a/p").message).toMatch(/^m0\.rego:2:6: undefined function nope /);
    expect(error(`package a\np := count(1, 2, 3)`, "a/p").message).toBe("m0.rego:2:6: arity mismatch: count takes 1 argument, got 3");
    // One argument more is the output-argument form; two more is an error.
    expect(error(`package a\np := n if count(input.xs, n, m)`, "a/p").message).toBe("m0.rego:2:11: arity mismatch: count takes 1 argument, got 3");
  });

  it("reports recursion", () => {
    expect(error(`package a\np if q\nq if p`, "a/p").message).toMatch(/^m0\.rego:2:1: rule p is recursive: p → q → p /);
  });

  it("reports a function used as a value and a function entrypoint", () => {
    expect(error(`package a\nf(x) := x\np := f`, "a/p").message).toMatch(/function data\.a\.f is used as a value/);
    expect(error(`package a\nf(x) := x`, "a/f").message).toMatch(/entrypoint a\/f is a function/);
  });

  it("reports an entrypoint that names nothing", () => {
    expect(error(`package a\np := 1`, "a/zzz").message).toMatch(/entrypoint a\/zzz names no rule or package/);
  });

  it("reports conflicting rule kinds", () => {
    expect(error(`package a\np := 1\np contains 2`, "a/p").message).toMatch(/^m0\.rego:3:1: rule `p` is a partial set rule here but a complete rule at m0\.rego:2:1 /);
  });

  it("reports `with` on part of a rule value and on a package holding a called function", () => {
    expect(error(`package a\nr := {"a": 1}\np if { r.a with data.a.r.a as 2 }`, "a/p").message).toMatch(/replaces part of the value of rule data\.a\.r/);
    expect(error(`package a\nf(x) := x\np if { f(1) with data.a as {} }`, "a/p").message).toMatch(/^m0\.rego:3:8: function f is called under a `with` that replaces it/);
  });

  it("reports a set pattern with unbound vars", () => {
    expect(error(`package a\np := x if { {x} = input.s }`, "a/p").message).toMatch(/^m0\.rego:2:13: var x is unsafe /);
  });
});
