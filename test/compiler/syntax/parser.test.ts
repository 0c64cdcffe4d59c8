import { describe, expect, it } from "vitest";
import type { Module, Term } from "../../../src/compiler/ast/types.ts";
import { formatBody, formatModule, formatRule, formatTerm } from "../../../src/compiler/syntax/format.ts";
import { parseModule } from "../../../src/compiler/syntax/parser.ts";

const v1 = (src: string): Module => parseModule(src, "t.rego", { regoVersion: 1 });
const v0 = (src: string): Module => parseModule(src, "t.rego", { regoVersion: 0 });

/** The value of `p := <src>` in a v1 module, printed canonically. */
const term = (src: string): string => formatTerm(v1(`package t\np := ${src}`).rules[0].head.value as Term);
/** The body of `p if { <src> }` in a v1 module, printed canonically. */
const body = (src: string): string => formatBody(v1(`package t\np if {\n${src}\n}`).rules[0].body);
/** Every rule of a module, printed canonically. */
const rules = (m: Module): string[] => m.rules.map(formatRule);

describe("scalars", () => {
  it("parses null, booleans and numbers keeping their literal text", () => {
    expect(term("null")).toBe("null");
    expect(term("true")).toBe("true");
    expect(term("false")).toBe("false");
    expect(term("0")).toBe("0");
    expect(term("42")).toBe("42");
    expect(term("2.50")).toBe("2.50");
    expect(term("1e3")).toBe("1e3");
    expect(term("1.5E-7")).toBe("1.5E-7");
    expect(term("6e+2")).toBe("6e+2");
  });

  it("parses negative number literals as numbers, and unary minus on other terms as minus(0, x)", () => {
    const m = v1("package t\np := -12.5");
    expect(m.rules[0].head.value).toEqual({ type: "number", value: "-12.5", loc: { file: "t.rego", row: 2, col: 6 } });
    expect(term("[-1, - 2]")).toBe("[-1, -2]");
    expect(term("-x")).toBe("minus(0, x)");
    expect(term("-x.y * 2")).toBe("mul(minus(0, x.y), 2)");
    expect(term("3 - -1")).toBe("minus(3, -1)");
    expect(term("3 -1")).toBe("minus(3, 1)");
  });

  it("decodes string escapes, including surrogate pairs", () => {
    const value = (src: string) => (v1(`package t\np := ${src}`).rules[0].head.value as { value: string }).value;
    expect(value(String.raw`"a\"b\\c\/d"`)).toBe('a"b\\c/d');
    expect(value(String.raw`"\b\f\n\r\t"`)).toBe("\b\f\n\r\t");
    expect(value(String.raw`"\u00e9\u00C9"`)).toBe("éÉ");
    expect(value(String.raw`"\ud83d\ude00"`)).toBe("😀");
    expect(value('"😀 direct"')).toBe("😀 direct");
  });

  it("keeps raw strings verbatim, across lines", () => {
    const m = v1("package t\np := `a\\nb\n\"c\"`");
    expect(m.rules[0].head.value).toMatchObject({ type: "string", value: 'a\\nb\n"c"' });
  });
});

describe("composite terms", () => {
  it("parses arrays, objects and sets", () => {
    expect(term("[]")).toBe("[]");
    expect(term("[1, \"a\", [true]]")).toBe('[1, "a", [true]]');
    expect(term("[1, 2,]")).toBe("[1, 2]");
    expect(term("{}")).toBe("{}");
    expect(term('{"a": 1, "b": {"c": null}}')).toBe('{"a": 1, "b": {"c": null}}');
    expect(term("{x: y, 1: 2}")).toBe("{x: y, 1: 2}");
    expect(term("{1, 2, 3}")).toBe("set(1, 2, 3)");
    expect(term("set()")).toBe("set()");
    expect(term("{a + 1: 2}")).toBe("{plus(a, 1): 2}");
    expect(term("{a + 1, 2}")).toBe("set(plus(a, 1), 2)");
  });

  it("parses array, set and object comprehensions", () => {
    expect(term("[x | some x in xs]")).toBe("[x | some x in xs]");
    expect(term("{x | x := input.a[_]; x > 1}")).toBe("{x | x := input.a[$wildcard0]; gt(x, 1)}");
    expect(term("{k: v | some k, v in input.o\n v != 1}")).toBe("{k: v | some k, v in input.o; neq(v, 1)}");
    expect(term("[x.name | x := input.items[_]]")).toBe("[x.name | x := input.items[$wildcard0]]");
    expect(term("[(a | b)]")).toBe("[or(a, b)]");
  });

  it("gives a comprehension head every operator binding tighter than `|`", () => {
    expect(term("[x * 2 | x := input.xs[_]]")).toBe("[mul(x, 2) | x := input.xs[$wildcard0]]");
    expect(term("{a & b | some a in xs; b := ys}")).toBe("{and(a, b) | some a in xs; b := ys}");
    expect(term("{k + 1: v - 1 | some k, v in xs}")).toBe("{plus(k, 1): minus(v, 1) | some k, v in xs}");
    expect(term("[x, y | z]")).toBe("[x, or(y, z)]");
  });

  it("parses refs with dots, brackets and calls", () => {
    expect(term("input.review.object")).toBe("input.review.object");
    expect(term('input.a["b-c"][0][x]')).toBe('input.a["b-c"][0][x]');
    expect(term("data.lib.f(x).y[0]")).toBe("(data.lib.f(x)).y[0]");
    expect(term("[1, 2][0]")).toBe("([1, 2])[0]");
    expect(term('object.get(input, ["a", "b"], "default")')).toBe('object.get(input, ["a", "b"], "default")');
    expect(term("count(input.xs)")).toBe("count(input.xs)");
    expect(term("contains(x, \"a\")")).toBe('contains(x, "a")');
    expect(term("f(\n  x,\n  y,\n)")).toBe("f(x, y)");
    expect(term("input.in.contains")).toBe("input.in.contains");
  });

  it("builds a ref node whose head is the var and path the operands", () => {
    const t = v1('package t\np := input.a[x]["b"]').rules[0].head.value;
    expect(t).toEqual({
      type: "ref",
      head: { type: "var", name: "input", loc: { file: "t.rego", row: 2, col: 6 } },
      path: [
        { type: "string", value: "a", loc: { file: "t.rego", row: 2, col: 12 } },
        { type: "var", name: "x", loc: { file: "t.rego", row: 2, col: 14 } },
        { type: "string", value: "b", loc: { file: "t.rego", row: 2, col: 17 } },
      ],
      loc: { file: "t.rego", row: 2, col: 6 },
    });
  });

  it("builds call nodes with the dotted name and its location", () => {
    const t = v1("package t\np := data.lib.f(1)").rules[0].head.value;
    expect(t).toEqual({
      type: "call",
      op: ["data", "lib", "f"],
      opLoc: { file: "t.rego", row: 2, col: 6 },
      args: [{ type: "number", value: "1", loc: { file: "t.rego", row: 2, col: 17 } }],
      loc: { file: "t.rego", row: 2, col: 6 },
    });
  });

  it("renames every wildcard to a distinct var", () => {
    expect(body("input.a[_][_] = _")).toBe("input.a[$wildcard0][$wildcard1] = $wildcard2");
  });
});

describe("operators", () => {
  it("names infix operators as OPA does", () => {
    expect(term("a == b")).toBe("equal(a, b)");
    expect(term("a != b")).toBe("neq(a, b)");
    expect(term("a < b")).toBe("lt(a, b)");
    expect(term("a <= b")).toBe("lte(a, b)");
    expect(term("a > b")).toBe("gt(a, b)");
    expect(term("a >= b")).toBe("gte(a, b)");
    expect(term("a + b")).toBe("plus(a, b)");
    expect(term("a - b")).toBe("minus(a, b)");
    expect(term("a * b")).toBe("mul(a, b)");
    expect(term("a / b")).toBe("div(a, b)");
    expect(term("a % b")).toBe("rem(a, b)");
    expect(term("a | b")).toBe("or(a, b)");
    expect(term("a & b")).toBe("and(a, b)");
    expect(term("a in b")).toBe("internal.member_2(a, b)");
  });

  it("applies OPA's precedence: in < comparison < | < & < + - < * / %", () => {
    expect(term("a + b * c")).toBe("plus(a, mul(b, c))");
    expect(term("a * b + c")).toBe("plus(mul(a, b), c)");
    expect(term("(a + b) * c")).toBe("mul(plus(a, b), c)");
    expect(term("a - b - c")).toBe("minus(minus(a, b), c)");
    expect(term("a / b % c")).toBe("rem(div(a, b), c)");
    expect(term("a | b & c")).toBe("or(a, and(b, c))");
    expect(term("a & b | c")).toBe("or(and(a, b), c)");
    expect(term("a & b + c")).toBe("and(a, plus(b, c))");
    expect(term("a | b == c")).toBe("equal(or(a, b), c)");
    expect(term("a + 1 > b * 2")).toBe("gt(plus(a, 1), mul(b, 2))");
    expect(term("a == b == c")).toBe("equal(equal(a, b), c)");
    expect(term("x + 1 in xs | ys")).toBe("internal.member_2(plus(x, 1), or(xs, ys))");
    expect(term("x in xs == false")).toBe("internal.member_2(x, equal(xs, false))");
    expect(term("(x in xs) == false")).toBe("equal(internal.member_2(x, xs), false)");
  });

  it("parses `k, v in xs` at the top of an expression, and keeps commas as separators in lists", () => {
    expect(body("k, v in input.o")).toBe("internal.member_3(k, v, input.o)");
    expect(body('"a", 1 in {"a": 1}')).toBe('internal.member_3("a", 1, {"a": 1})');
    expect(term("[a, b in c]")).toBe("[a, internal.member_2(b, c)]");
    expect(term("f(a, b in c)")).toBe("f(a, internal.member_2(b, c))");
  });

  it("continues an expression over a line break after an operator", () => {
    expect(body("x := a +\n  b")).toBe("x := plus(a, b)");
    expect(body("x := [\n1,\n2\n]")).toBe("x := [1, 2]");
  });
});

describe("expressions in bodies", () => {
  it("separates literals by line breaks and semicolons", () => {
    expect(body("a; b\nc")).toBe("a; b; c");
    expect(formatBody(v1("package t\np if { a; b; }").rules[0].body)).toBe("a; b");
  });

  it("parses unification, assignment and comparisons", () => {
    expect(body("x = input.a")).toBe("x = input.a");
    expect(body("[a, b] := split(s, \",\")")).toBe('[a, b] := split(s, ",")');
    expect(body("x == 1")).toBe("equal(x, 1)");
  });

  it("parses not and with modifiers", () => {
    expect(body("not allowed")).toBe("not allowed");
    expect(body("not f(x) with input as {} with data.lib.y as 1")).toBe("not f(x) with input as {} with data.lib.y as 1");
    const e = v1("package t\np if { x with input.a as 1 }").rules[0].body[0];
    expect(e.with).toEqual([
      {
        target: {
          type: "ref",
          head: { type: "var", name: "input", loc: { file: "t.rego", row: 2, col: 15 } },
          path: [{ type: "string", value: "a", loc: { file: "t.rego", row: 2, col: 21 } }],
          loc: { file: "t.rego", row: 2, col: 15 },
        },
        value: { type: "number", value: "1", loc: { file: "t.rego", row: 2, col: 26 } },
        loc: { file: "t.rego", row: 2, col: 10 },
      },
    ]);
  });

  it("parses some declarations and some … in", () => {
    expect(body("some x")).toBe("some x");
    expect(body("some x, y")).toBe("some x, y");
    expect(body("some x in xs")).toBe("some x in xs");
    expect(body("some k, v in input.o")).toBe("some k, v in input.o");
    expect(body("some [a, b] in pairs")).toBe("some [a, b] in pairs");
    expect(body("some _, c in input.review.object.spec.containers")).toBe("some $wildcard0, c in input.review.object.spec.containers");
    const e = v1("package t\np if { some k, v in o }").rules[0].body[0];
    expect(e.node).toEqual({
      type: "somein",
      key: { type: "var", name: "k", loc: { file: "t.rego", row: 2, col: 13 } },
      value: { type: "var", name: "v", loc: { file: "t.rego", row: 2, col: 16 } },
      collection: { type: "var", name: "o", loc: { file: "t.rego", row: 2, col: 21 } },
    });
  });

  it("parses every", () => {
    expect(body("every x in xs { x > 0 }")).toBe("every x in xs { gt(x, 0) }");
    expect(body("every k, v in input.o {\n  startswith(k, \"a\")\n  v != null\n}")).toBe('every k, v in input.o { startswith(k, "a"); neq(v, null) }');
  });
});

describe("rules (v1)", () => {
  it("parses complete rules", () => {
    const m = v1(`package t
a := 1
b = x if { x := 2 }
c if { input.x }
d if input.y == 2
default e := false
default e = {"a": 1}
f := 1 if input.z
`);
    expect(rules(m)).toEqual([
      "complete a := 1",
      "complete b = x if { x := 2 }",
      "complete c if { input.x }",
      "complete d if { equal(input.y, 2) }",
      "default complete e := false",
      'default complete e = {"a": 1}',
      "complete f := 1 if { input.z }",
    ]);
  });

  it("parses partial set and partial object rules", () => {
    const m = v1(`package t
violation contains {"msg": msg} if { msg := "x" }
s contains 1
o[k] := v if { some k, v in input.o }
o["fixed"] := 1
`);
    expect(rules(m)).toEqual([
      'partialSet violation contains {"msg": msg} if { msg := "x" }',
      "partialSet s contains 1",
      "partialObject o[k] := v if { some k, v in input.o }",
      'partialObject o["fixed"] := 1',
    ]);
  });

  it("parses functions, several definitions and function defaults", () => {
    const m = v1(`package t
f(x) := y if { y := x + 1 }
f(x) := 0 if x < 0
g(x, [a, _]) if { a == x }
default h(_) := false
`);
    expect(rules(m)).toEqual([
      "function f(x) := y if { y := plus(x, 1) }",
      "function f(x) := 0 if { lt(x, 0) }",
      "function g(x, [a, $wildcard0]) if { equal(a, x) }",
      "default function h($wildcard1) := false",
    ]);
  });

  it("parses else chains", () => {
    const m = v1(`package t
p := 1 if { input.a } else := 2 if { input.b } else := 3 if input.c
f(x) := "big" if { x > 10 }
else := "small" if { true }
g(x) := 1 if { x } else := 0
`);
    expect(rules(m)).toEqual([
      "complete p := 1 if { input.a } else = 2 if { input.b } else = 3 if { input.c }",
      'function f(x) := "big" if { gt(x, 10) } else = "small" if { true }',
      "function g(x) := 1 if { x } else = 0",
    ]);
    expect(m.rules[2].else).toEqual({ value: { type: "number", value: "0", loc: { file: "t.rego", row: 5, col: 28 } }, body: [], loc: { file: "t.rego", row: 5, col: 20 } });
    expect(m.rules[0].else?.loc).toEqual({ file: "t.rego", row: 2, col: 23 });
  });

  it("parses dotted rule heads into the path", () => {
    const m = v1(`package t
a.b.c := 1
a.s contains x if { x := 1 }
a.o[k] := 1 if { k := "z" }
a["x-y"].z := 2
lib.f(x) := x
`);
    expect(m.rules.map((r) => [r.head.path, r.head.kind])).toEqual([
      [["a", "b", "c"], "complete"],
      [["a", "s"], "partialSet"],
      [["a", "o"], "partialObject"],
      [["a", "x-y", "z"], "complete"],
      [["lib", "f"], "function"],
    ]);
  });

  it("builds the rule and head nodes with their locations", () => {
    const m = v1("package t\n\nviolation contains msg if {\n  msg := input.m\n}");
    expect(m.rules[0]).toEqual({
      default: false,
      head: {
        path: ["violation"],
        kind: "partialSet",
        key: { type: "var", name: "msg", loc: { file: "t.rego", row: 3, col: 20 } },
        assign: false,
        loc: { file: "t.rego", row: 3, col: 1 },
      },
      body: [
        {
          negated: false,
          with: [],
          node: {
            type: "assign",
            left: { type: "var", name: "msg", loc: { file: "t.rego", row: 4, col: 3 } },
            right: {
              type: "ref",
              head: { type: "var", name: "input", loc: { file: "t.rego", row: 4, col: 10 } },
              path: [{ type: "string", value: "m", loc: { file: "t.rego", row: 4, col: 16 } }],
              loc: { file: "t.rego", row: 4, col: 10 },
            },
          },
          loc: { file: "t.rego", row: 4, col: 3 },
        },
      ],
      loc: { file: "t.rego", row: 3, col: 1 },
    });
  });
});

describe("modules and imports", () => {
  it("parses package, imports and aliases", () => {
    const m = v1(`package k8s.lib["my-pkg"]

import data.lib.core
import data.lib.helpers as h
import input.review
import rego.v1
import future.keywords.in

p := 1
`);
    expect(m.package).toEqual(["k8s", "lib", "my-pkg"]);
    expect(m.imports).toEqual([
      { path: ["data", "lib", "core"], loc: { file: "t.rego", row: 3, col: 1 } },
      { path: ["data", "lib", "helpers"], alias: "h", loc: { file: "t.rego", row: 4, col: 1 } },
      { path: ["input", "review"], loc: { file: "t.rego", row: 5, col: 1 } },
      { path: ["rego", "v1"], loc: { file: "t.rego", row: 6, col: 1 } },
      { path: ["future", "keywords", "in"], loc: { file: "t.rego", row: 7, col: 1 } },
    ]);
    expect(m.regoVersion).toBe(1);
    expect(m.loc).toEqual({ file: "t.rego", row: 1, col: 1 });
  });

  it("ignores comments", () => {
    const m = v1("# header\npackage t # trailing\n# between\np := 1 # value\n# end");
    expect(formatModule(m)).toBe("package t\ncomplete p := 1");
  });

  it("counts columns in code points", () => {
    const m = v1('package t\np := ["😀😀", x]');
    const items = (m.rules[0].head.value as { items: Term[] }).items;
    expect(items[1].loc).toEqual({ file: "t.rego", row: 2, col: 13 });
  });
});

describe("v0 syntax", () => {
  it("parses v0 rule forms", () => {
    const m = v0(`package t
default allow = false
allow { input.a }
violation[{"msg": msg}] { msg := "m" }
s["a"]
o[k] = v { k := "a"; v := 1 }
f(x) = y { y := x }
g(x) { x > 1 }
h(x) = "a" { x } else = "b" { true } else { false }
`);
    expect(rules(m)).toEqual([
      "default complete allow = false",
      "complete allow if { input.a }",
      'partialSet violation contains {"msg": msg} if { msg := "m" }',
      'partialSet s contains "a"',
      'partialObject o[k] = v if { k := "a"; v := 1 }',
      "function f(x) = y if { y := x }",
      "function g(x) if { gt(x, 1) }",
      'function h(x) = "a" if { x } else = "b" if { true } else if { false }',
    ]);
    expect(m.regoVersion).toBe(0);
  });

  it("splits a rule with several bodies into one rule per body", () => {
    const m = v0("package t\np { input.a }\n{ input.b }");
    expect(rules(m)).toEqual(["complete p if { input.a }", "complete p if { input.b }"]);
  });

  it("treats in, every, if and contains as names unless imported", () => {
    const m = v0("package t\np { in := 1; if := 2; every := in + if; contains(\"ab\", \"a\") }");
    expect(rules(m)).toEqual(['complete p if { in := 1; if := 2; every := plus(in, if); contains("ab", "a") }']);
  });

  it("enables the future keywords one by one or all together", () => {
    const one = v0("package t\nimport future.keywords.in\np { x in input.xs }");
    expect(rules(one)).toEqual(["complete p if { internal.member_2(x, input.xs) }"]);
    const all = v0("package t\nimport future.keywords\np contains x if { some x in input.xs; every y in x { y } }\nq if input.a");
    expect(rules(all)).toEqual(["partialSet p contains x if { some x in input.xs; every y in x { y } }", "complete q if { input.a }"]);
    expect(all.regoVersion).toBe(0);
  });

  it("enables `in` together with `every`", () => {
    const m = v0("package t\nimport future.keywords.every\np { every x in input.xs { x } }");
    expect(rules(m)).toEqual(["complete p if { every x in input.xs { x } }"]);
  });

  it("skips a byte order mark", () => {
    expect(v0("\uFEFFpackage t\np { true }").loc).toEqual({ file: "t.rego", row: 1, col: 1 });
  });

  it("switches to v1 rules with import rego.v1", () => {
    const m = v0("package t\nimport rego.v1\np contains 1 if true");
    expect(m.regoVersion).toBe(1);
    expect(() => v0("package t\nimport rego.v1\np { true }")).toThrow("t.rego:3:1: `if` keyword is required before rule body (hint: write `p if { … }` or pass --v0-compatible)");
  });
});
