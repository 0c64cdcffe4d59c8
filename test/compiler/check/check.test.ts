import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkModules } from "../../../src/compiler/check/index.ts";
import { CompileError } from "../../../src/compiler/errors.ts";
import { parseModule } from "../../../src/compiler/syntax/parser.ts";

/** Parses each source as a v1 module named a.rego, b.rego, … and checks them together. */
function check(...sources: string[]): void {
  checkModules(sources.map((s, i) => parseModule(s, `${String.fromCharCode(97 + i)}.rego`, { regoVersion: 1 })));
}

function error(...sources: string[]): string {
  try {
    check(...sources);
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return (e as CompileError).message;
  }
  throw new Error("expected a compile error");
}

describe("programs that must pass", () => {
  it("accepts the gatekeeper-style templates and their libraries", () => {
    const dir = join(import.meta.dirname, "..", "syntax", "gatekeeper");
    const modules = readdirSync(dir)
      .filter((f) => f.endsWith(".rego"))
      .map((f) => parseModule(readFileSync(join(dir, f), "utf8"), f, { regoVersion: f.includes(".v1.") ? 1 : 0 }));
    expect(() => checkModules(modules)).not.toThrow();
  });

  it("accepts bodies whose bindings come after their uses", () => {
    check("package t\np contains y if {\n  y := x + 1\n  x = input.a\n}");
    check("package t\np if {\n  not input.deny[name]\n  name = input.user\n}");
    check("package t\nq := n if { n := count(ys); ys = [y | some y in input.a; y > m]; m = 3 }");
  });

  it("refuses a var declared after its first use in the same body, as OPA does", () => {
    expect(error("package t\np contains y if {\n  y := x + 1\n  x := input.a\n}")).toBe(
      "a.rego:4:3: var x referenced above (hint: a var declared with `:=` or `some` is a new var from there on; declare it before its first use)",
    );
    expect(error("package t\np if { x := x + 1 }")).toMatch(/^a\.rego:2:8: var x referenced above /);
    check("package t\np if { ys := [x | x := input.a[_]]; x := count(ys) }");
  });

  it("keeps a comprehension's var apart from one the body declares after it, as OPA scopes :=", () => {
    check("package t\nq := x if { y := {x | some x in input.a}; x := count(y) }");
    expect(error("package t\nq := ys if { ys := [y | some y in input.a; y > m]; m := 3 }")).toBe(
      "a.rego:2:44: var m is unsafe (hint: bind it in a positive expression of the body, e.g. `m := …` or `some m in …`)",
    );
  });

  it("accepts refs that bind their operands, also inside call arguments", () => {
    check('package t\np contains i if { startswith(input.images[i], "docker.io/") }');
    check("package t\np contains [k, v] if { v := input.labels[k] }");
    check("package t\np contains x if { input.a[i][j] = x }");
  });

  it("accepts unification in either direction and element-wise", () => {
    check("package t\np := [a, b] if { [a, 1] = [2, b] }");
    check('package t\np := v if { {"k": v} = input.o }');
    check("package t\np := x if { input.a = x }");
    check("package t\np contains [k, v] if { some k, v in input.o }");
  });

  it("accepts every, comprehensions, with and else", () => {
    check("package t\np if {\n  m := 1\n  every x in input.a { x > m }\n}");
    check("package t\np := {k: v | some k in object.keys(input.o); v := input.o[k]}");
    check("package t\np if { q with input.a as 1 with data.t.r as 2 }\nq if input.a\nr := 1");
    check("package t\nf(x) := 1 if { x > 1 } else := y if { y := x * 2 }");
    check("package t\ndefault p := false\np if input.a");
  });

  it("resolves functions by package, by data path and through imports", () => {
    const lib = "package lib.util\nf(x) := x + 1\ng(x, y) := x * y";
    check(lib, "package t\nimport data.lib.util\np := util.f(1)");
    check(lib, "package t\nimport data.lib.util as u\nimport data.lib.util.g\np := u.f(g(1, 2))");
    check(lib, "package t\np := data.lib.util.f(1)");
    check("package t\nf(x) := x\np := f(1)");
    check("package t\nlib.f(x) := x\np := lib.f(1)");
  });

  it("lets local declarations shadow rules of the same name", () => {
    check("package t\nname := 1\np if { name := input.a; name == 2 }");
    check("package t\nname := 1\nf(name) := name");
  });
});

describe("unknown functions and arity", () => {
  it("reports unknown built-ins and user functions", () => {
    expect(error("package t\np if { foo(1) }")).toBe(
      "a.rego:2:8: undefined function foo (hint: it is neither a supported built-in nor a function defined in any module)",
    );
    expect(error("package lib\nf(x) := x", "package t\np := data.lib.g(1)")).toBe(
      "b.rego:2:6: undefined function data.lib.g (hint: no module defines `data.lib.g`)",
    );
    expect(error("package lib\nf(x) := x", "package t\nimport data.lib\np := lib.h(1)")).toBe(
      "b.rego:3:6: undefined function lib.h (hint: no module defines `data.lib.h`)",
    );
    expect(error("package t\nq := 1\np if { q(1) }")).toBe("a.rego:3:8: `q` is a complete rule, not a function (hint: refer to it without parentheses)");
    expect(error("package t\np if { input.f(1) }")).toBe("a.rego:2:8: `input.f` refers to input and cannot be called");
  });

  it("reports wrong arity of built-ins and user functions", () => {
    expect(error("package t\np if { count(1, 2, 3) }")).toBe("a.rego:2:8: arity mismatch: count takes 1 argument, got 3");
    expect(error("package t\np if { x := count(1, 2) }")).toBe("a.rego:2:13: arity mismatch: count takes 1 argument, got 2");
    expect(error('package t\np := object.get({}, "a")')).toBe("a.rego:2:6: arity mismatch: object.get takes 3 arguments, got 2");
    expect(error("package t\nf(x, y) := x\np := [f(1)]")).toBe("a.rego:3:7: arity mismatch: f takes 2 arguments, got 1");
  });
});

describe("safety (body errors point at the expression, as OPA does; head errors at the var)", () => {
  it("reports head vars the body does not bind", () => {
    expect(error("package t\np contains x if { true }")).toBe(
      "a.rego:2:12: var x is unsafe (hint: bind it in a positive expression of the body, e.g. `x := …` or `some x in …`)",
    );
    expect(error("package t\np := y")).toBe("a.rego:2:6: var y is unsafe (hint: bind it in a positive expression of the body, e.g. `y := …` or `some y in …`)");
    expect(error("package t\np[k] := 1 if { input.a }")).toBe(
      "a.rego:2:3: var k is unsafe (hint: bind it in a positive expression of the body, e.g. `k := …` or `some k in …`)",
    );
    expect(error("package t\nf(x) := x if { x > 1 } else := z if { true }")).toBe(
      "a.rego:2:32: var z is unsafe (hint: bind it in a positive expression of the body, e.g. `z := …` or `some z in …`)",
    );
  });

  it("reports vars only used in negated expressions", () => {
    expect(error("package t\np if { not input.xs[i] }")).toBe(
      "a.rego:2:8: var i is unsafe (hint: bind it in a positive expression of the body, e.g. `i := …` or `some i in …`)",
    );
    expect(error("package t\np if { not input.xs[_] }")).toBe(
      "a.rego:2:8: var _ is unsafe (hint: a `_` is never bound inside `not` or a call's arguments; iterate in a helper rule instead)",
    );
    expect(error("package t\np if { not x == 1; x = y }")).toBe(
      "a.rego:2:8: var x is unsafe (hint: bind it in a positive expression of the body, e.g. `x := …` or `some x in …`)",
    );
  });

  it("reports unbound call arguments, with values and comprehension terms", () => {
    expect(error("package t\np if { count(x) > 0; x == 1 }")).toBe(
      "a.rego:2:8: var x is unsafe (hint: bind it in a positive expression of the body, e.g. `x := …` or `some x in …`)",
    );
    expect(error("package t\np if { q with input as v }\nq if input")).toBe(
      "a.rego:2:8: var v is unsafe (hint: bind it in a positive expression of the body, e.g. `v := …` or `some v in …`)",
    );
    expect(error("package t\np := [y | input.a > 1]")).toBe(
      "a.rego:2:7: var y is unsafe (hint: bind it in a positive expression of the body, e.g. `y := …` or `some y in …`)",
    );
    expect(error("package t\np if { every x in input.a { x > m } }")).toBe(
      "a.rego:2:29: var m is unsafe (hint: bind it in a positive expression of the body, e.g. `m := …` or `some m in …`)",
    );
  });

  it("reports unifications that cannot bind either side, and some without a binding", () => {
    expect(error("package t\np if { x = y }")).toBe(
      "a.rego:2:8: var x is unsafe (hint: bind it in a positive expression of the body, e.g. `x := …` or `some x in …`)",
    );
    expect(error("package t\np if { some x; input.a }")).toBe(
      "a.rego:2:8: var x is unsafe (hint: bind it in a positive expression of the body, e.g. `x := …` or `some x in …`)",
    );
  });

  it("requires constant default values", () => {
    expect(error("package t\ndefault p := [x]")).toBe("a.rego:2:15: default value of `p` must be a constant (hint: var x is not allowed here)");
  });
});

describe("undefined names", () => {
  it("reports ref heads that are neither local, input, data, an import nor a rule", () => {
    expect(error("package t\np if { x := foo.bar }")).toBe(
      "a.rego:2:8: unknown reference: foo is undefined (hint: no local variable, import or rule of package `t` is called `foo`)",
    );
    expect(error("package t\np if { inptu.review.object }")).toBe(
      "a.rego:2:8: unknown reference: inptu is undefined (hint: no local variable, import or rule of package `t` is called `inptu`)",
    );
  });

  it("knows rules of the same package in other files, and imports", () => {
    check("package t\nq := {}", "package t\np if { q.a }");
    check("package t\nimport input.review\np if { review.object.kind == \"Pod\" }");
  });
});

describe("declarations", () => {
  it("reports := on a var already declared in scope (as OPA words it)", () => {
    expect(error("package t\np if { x := 1; x := 2 }")).toBe(
      "a.rego:2:16: var x assigned above (hint: each scope declares a var once; use `=` or `==` to compare with it, or choose another name)",
    );
    expect(error("package t\nf(x) := y if { x := 1; y := 2 }")).toBe(
      "a.rego:2:16: var x assigned above (hint: each scope declares a var once; use `=` or `==` to compare with it, or choose another name)",
    );
    expect(error("package t\np if { x := 1; ys := [1 | x := 2] }")).toBe(
      "a.rego:2:27: var x assigned above (hint: each scope declares a var once; use `=` or `==` to compare with it, or choose another name)",
    );
    expect(error("package t\np if { some x in input.a; some x in input.b }")).toBe(
      "a.rego:2:32: var x assigned above (hint: each scope declares a var once; use `=` or `==` to compare with it, or choose another name)",
    );
  });

  it("reports assignments to input, data and non-variables", () => {
    expect(error("package t\np if { input := 1 }")).toBe(
      "a.rego:2:8: cannot assign to `input` (hint: `input` is the root document; use `with input as …` to replace it)",
    );
    expect(error("package t\np if { [data, x] := [1, 2] }")).toBe(
      "a.rego:2:9: cannot assign to `data` (hint: `data` is the root document; use `with data as …` to replace it)",
    );
    expect(error("package t\np if { input.x := 1 }")).toBe("a.rego:2:8: cannot assign to this term (hint: `:=` declares local variables; use `==` to compare)");
  });

  it("reports with targets other than input, data and functions", () => {
    expect(error("package t\np if { x := 1; q with x as 2 }\nq := 1")).toBe(
      "a.rego:2:23: with keyword target must reference existing input, data, or a function",
    );
    expect(error("package t\nf(x) := x\np if { q with f as concat }\nq := 1")).toBe(
      "a.rego:3:10: data.t.f: arity mismatch (hint: data.t.f takes 1 argument(s), concat takes 2; a replacing function takes as many as the one it replaces)",
    );
  });

  it("reports imports that clash", () => {
    expect(error("package t\nimport data.a.x\nimport data.b.x\np := 1")).toBe(
      "a.rego:3:1: import `x` is declared twice (hint: give one of the imports another name with `as`)",
    );
    expect(error("package t\nimport data.a.p\np := 1")).toBe(
      "a.rego:2:1: import `p` has the name of a rule of package `t` (hint: import it under another name with `as`)",
    );
  });
});

describe("recursion", () => {
  it("reports direct and indirect recursion with the cycle", () => {
    expect(error("package t\np if { p }")).toBe("a.rego:2:1: rule p is recursive: p → p (hint: through the reference at a.rego:2:8; Rego does not allow rules that depend on themselves)");
    expect(error("package t\np if { q }\nq if { r }\nr if { p }")).toBe(
      "a.rego:2:1: rule p is recursive: p → q → r → p (hint: through the reference at a.rego:2:8; Rego does not allow rules that depend on themselves)",
    );
    expect(error("package t\nf(x) := y if { y := f(x - 1) }")).toBe(
      "a.rego:2:1: function f is recursive: f → f (hint: through the reference at a.rego:2:21; Rego does not allow rules that depend on themselves)",
    );
  });

  it("follows data refs and imports across packages", () => {
    expect(error("package a\np if { data.b.q }", "package b\nimport data.a\nq if { a.p }")).toBe(
      "a.rego:2:1: rule p is recursive: p → data.b.q → p (hint: through the reference at a.rego:2:8; Rego does not allow rules that depend on themselves)",
    );
    expect(error("package t\np if { data.t }")).toBe(
      "a.rego:2:1: rule p is recursive: p → p (hint: through the reference at a.rego:2:8; Rego does not allow rules that depend on themselves)",
    );
  });

  it("does not count with targets as dependencies", () => {
    check("package t\np if { q with data.t.p as true }\nq if input.a");
  });
});

describe("rule conflicts", () => {
  it("reports rules of different kinds under one name", () => {
    expect(error("package t\np := 1\np contains 2")).toBe(
      "a.rego:3:1: rule `p` is a partial set rule here but a complete rule at a.rego:2:1 (hint: rules of one name must all be of the same kind; rename one of them)",
    );
    expect(error("package t\nf(x) := 1", "package t\nf := 2")).toBe(
      "b.rego:2:1: rule `f` is a complete rule here but a function at a.rego:2:1 (hint: rules of one name must all be of the same kind; rename one of them)",
    );
    expect(error("package t\nf(x) := 1\nf(x, y) := 2")).toBe("a.rego:3:1: function `f` takes 2 arguments here but 1 at a.rego:2:1");
  });

  it("reports more than one default", () => {
    expect(error("package t\ndefault p := 1\ndefault p := 2")).toBe(
      "a.rego:3:1: more than one default for rule `p` (the first is at a.rego:2:1) (hint: keep a single `default` rule)",
    );
  });

  it("reports rules nested in other rules or packages", () => {
    expect(error("package t\na.b := 1\na.b.c := 2")).toBe(
      "a.rego:3:1: rule `data.t.a.b.c` conflicts with rule `data.t.a.b` at a.rego:2:1 (hint: a rule's value cannot also hold other rules; rename one of them)",
    );
    expect(error("package t\nlib := 1", "package t.lib")).toBe(
      "a.rego:2:1: rule `data.t.lib` conflicts with package `t.lib` at b.rego:1:1 (hint: rename the rule or the package)",
    );
  });
});

describe("what check hands the planner", () => {
  const checked = (source: string) => {
    const module = parseModule(source, "a.rego", { regoVersion: 1 });
    return { module, result: checkModules([module]) };
  };
  const text = (e: { loc: { row: number } }, source: string) => source.split("\n")[e.loc.row - 1]!.trim();

  it("orders each body so that every var is bound before it is needed, else keeps source order", () => {
    const source = "package t\nq := n if {\n  n > 1\n  ys := [y | some y in input.a; y > m; m = 2]\n  n = count(ys)\n  input.on\n}";
    const { module, result } = checked(source);
    const [rule] = module.rules;
    expect(result.order.get(rule!.body)!.map((e) => text(e, source))).toEqual([
      "ys := [y | some y in input.a; y > m; m = 2]",
      "n = count(ys)",
      "n > 1",
      "input.on",
    ]);
    const comprehension = rule!.body[1]!.node.type === "assign" ? rule!.body[1]!.node.right : undefined;
    if (comprehension?.type !== "arraycomp") throw new Error("expected the comprehension");
    expect(result.order.get(comprehension.body)!.map((e) => e.node.type)).toEqual(["somein", "unify", "term"]);
  });

  it("resolves every call to a built-in or a function group, and indexes rules as a tree below data", () => {
    const { result } = checked("package t\nf(x) := x + 1\np := f(count(input.a))");
    const callees = [...result.calls].map(([call, callee]) => `${call.op.join(".")} → ${callee.kind === "builtin" ? `built-in ${callee.decl.name}` : callee.group.path.join(".")}`);
    expect(callees.sort()).toEqual(["count → built-in count", "f → data.t.f", "plus → built-in plus"]);
    expect(result.program.node(["t", "f"])?.rule?.arity).toBe(1);
    expect([...result.program.node(["t"])!.children.keys()]).toEqual(["f", "p"]);
  });
});
