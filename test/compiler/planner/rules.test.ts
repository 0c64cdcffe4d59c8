import { describe, expect, it } from "vitest";
import { EvalError, Interpreter } from "./ir-interpreter.ts";
import { plan, run, value } from "./helpers.ts";

describe("complete rules", () => {
  it("gives the value of a rule whose body holds", () => {
    expect(run(`package a\np := 7 if input.x == 1`, "a/p", { x: 1 })).toEqual([{ result: 7 }]);
  });

  it("gives an empty result set when the rule is undefined", () => {
    expect(run(`package a\np := 7 if input.x == 1`, "a/p", { x: 2 })).toEqual([]);
  });

  it("defaults to true without a value", () => {
    expect(value(`package a\nallow if input.user == "bob"`, "a/allow", { user: "bob" })).toBe(true);
  });

  it("uses the default when no definition holds", () => {
    const src = `package a\ndefault allow := false\nallow if input.user == "bob"`;
    expect(value(src, "a/allow", { user: "eve" })).toBe(false);
    expect(value(src, "a/allow", { user: "bob" })).toBe(true);
  });

  it("accepts several definitions that agree", () => {
    const src = `package a\np := 1 if input.a\np := 1 if input.b`;
    expect(value(src, "a/p", { a: true, b: true })).toBe(1);
    expect(value(src, "a/p", { a: false, b: true })).toBe(1);
  });

  it("raises a conflict when definitions disagree", () => {
    const src = `package a\np := 1 if input.a\np := 2 if input.b`;
    expect(value(src, "a/p", { a: true, b: false })).toBe(1);
    expect(() => value(src, "a/p", { a: true, b: true })).toThrow(EvalError);
  });

  it("raises a conflict when one body yields several values", () => {
    const src = `package a\np := x if some x in input.xs`;
    expect(value(src, "a/p", { xs: [3, 3] })).toBe(3);
    expect(() => value(src, "a/p", { xs: [3, 4] })).toThrow(EvalError);
  });

  it("takes the first else clause that holds", () => {
    const src = `package a
grade := "a" if { input.score > 90 } else := "b" if { input.score > 80 } else := "c" if { true }`;
    expect(value(src, "a/grade", { score: 95 })).toBe("a");
    expect(value(src, "a/grade", { score: 85 })).toBe("b");
    expect(value(src, "a/grade", { score: 10 })).toBe("c");
  });

  it("leaves an else chain undefined when no clause holds", () => {
    const src = `package a\np := 1 if { input.x == 1 } else := 2 if { input.x == 2 }`;
    expect(run(src, "a/p", { x: 3 })).toEqual([]);
  });

  it("defines a rule with a dotted ref head", () => {
    const src = `package a\nlimits.cpu := 2\nlimits.mem := input.m`;
    expect(value(src, "a/limits", { m: 4 })).toEqual({ cpu: 2, mem: 4 });
    expect(value(src, "a/limits/cpu")).toBe(2);
  });
});

describe("partial rules", () => {
  it("collects a set without duplicates", () => {
    const src = `package a\nnames contains n if { some c in input.cs; n := c.name }`;
    expect(value(src, "a/names", { cs: [{ name: "x" }, { name: "y" }, { name: "x" }] })).toEqual(["x", "y"]);
  });

  it("is the empty set when no body holds", () => {
    expect(value(`package a\ns contains 1 if input.no`, "a/s")).toEqual([]);
  });

  it("merges several set definitions", () => {
    const src = `package a\ns contains "a" if input.a\ns contains "b" if input.b\ns contains "a"`;
    expect(value(src, "a/s", { a: true, b: true })).toEqual(["a", "b"]);
  });

  it("builds an object", () => {
    const src = `package a\nports[c.name] := c.port if some c in input.cs`;
    expect(value(src, "a/ports", { cs: [{ name: "web", port: 80 }, { name: "db", port: 5432 }] })).toEqual({ web: 80, db: 5432 });
  });

  it("accepts a repeated object key with the same value and rejects a different one", () => {
    const src = `package a\nports[c.name] := c.port if some c in input.cs`;
    expect(value(src, "a/ports", { cs: [{ name: "w", port: 1 }, { name: "w", port: 1 }] })).toEqual({ w: 1 });
    expect(() => value(src, "a/ports", { cs: [{ name: "w", port: 1 }, { name: "w", port: 2 }] })).toThrow(EvalError);
  });

  it("looks a key up in a partial set and a partial object", () => {
    const src = `package a
s contains x if some x in input.xs
o[k] := 1 if some k in input.xs
has_s if s["b"]
has_o := o[input.k]`;
    expect(value(src, "a/has_s", { xs: ["a", "b"] })).toBe(true);
    expect(run(src, "a/has_s", { xs: ["a"] })).toEqual([]);
    expect(value(src, "a/has_o", { xs: ["a"], k: "a" })).toBe(1);
    expect(run(src, "a/has_o", { xs: ["a"], k: "z" })).toEqual([]);
  });

  it("iterates a partial set with a var key and a pattern key", () => {
    const src = `package a
violation contains {"msg": m, "n": 1} if some m in input.ms
msgs contains m if violation[{"msg": m, "n": 1}]
doubled contains y if { violation[v]; y := v.n * 2 }`;
    expect(value(src, "a/msgs", { ms: ["p", "q"] })).toEqual(["p", "q"]);
    expect(value(src, "a/doubled", { ms: ["p", "q"] })).toEqual([2]);
  });
});

describe("functions", () => {
  it("calls a function with arguments", () => {
    const src = `package a\ndouble(x) := x * 2\np := double(input.n)`;
    expect(value(src, "a/p", { n: 21 })).toBe(42);
  });

  it("is undefined when no definition holds", () => {
    const src = `package a\npos(x) if x > 0\np if pos(input.n)`;
    expect(value(src, "a/p", { n: 1 })).toBe(true);
    expect(run(src, "a/p", { n: -1 })).toEqual([]);
  });

  it("lets every definition that holds agree, and fails on disagreement", () => {
    const src = `package a
kind(x) := "small" if x < 10
kind(x) := "big" if x >= 10
kind(x) := "small" if x == 1
kind(x) := "odd" if x == 3
p := kind(input.n)`;
    expect(value(src, "a/p", { n: 1 })).toBe("small");
    expect(value(src, "a/p", { n: 50 })).toBe("big");
    expect(() => value(src, "a/p", { n: 3 })).toThrow(EvalError);
  });

  it("matches constant and pattern arguments", () => {
    const src = `package a
name("a") := "alpha"
name("b") := "beta"
first([x, _]) := x
p := [name(input.k), first(input.pair)]`;
    expect(value(src, "a/p", { k: "b", pair: [7, 8] })).toEqual(["beta", 7]);
    expect(run(src, "a/p", { k: "c", pair: [7, 8] })).toEqual([]);
    expect(run(src, "a/p", { k: "a", pair: [7] })).toEqual([]);
  });

  it("supports else on functions and a default function", () => {
    const src = `package a
sign(x) := -1 if { x < 0 } else := 1 if { x > 0 }
default label(_) := "none"
label(x) := "one" if x == 1
p := [sign(input.a), label(input.b), label(1)]`;
    expect(value(src, "a/p", { a: -5, b: 7 })).toEqual([-1, "none", "one"]);
    expect(run(src, "a/p", { a: 0, b: 7 })).toEqual([]);
  });

  it("lets functions read input and call other functions", () => {
    const src = `package a
prefixed(s) := concat("", [input.prefix, s])
twice(s) := [prefixed(s), prefixed(s)]
p := twice("x")`;
    expect(value(src, "a/p", { prefix: "k8s-" })).toEqual(["k8s-x", "k8s-x"]);
  });

  it("can shadow a rule name with an argument", () => {
    const src = `package a\nq := 5\nf(q) := q + 1\np := f(1)`;
    expect(value(src, "a/p")).toBe(2);
  });

});

describe("documents across packages", () => {
  const lib = `package lib.k8s
containers contains c if some c in input.review.object.spec.containers
image_of(c) := c.image
info := {"kind": input.review.kind, "n": count(containers)}
default enabled := false`;

  it("reads rules of another package through data and imports", () => {
    const src = `package check
import data.lib.k8s
import data.lib.k8s.image_of as img
images contains img(c) if some c in k8s.containers
kind := data.lib.k8s.info.kind
n := k8s.info["n"]`;
    const input = { review: { kind: "Pod", object: { spec: { containers: [{ image: "a" }, { image: "b" }] } } } };
    expect(value([lib, src], "check/images", input)).toEqual(["a", "b"]);
    expect(value([lib, src], "check/kind", input)).toBe("Pod");
    expect(value([lib, src], "check/n", input)).toBe(2);
  });

  it("calls a function of another package by its data path", () => {
    const src = `package check\np := data.lib.k8s.image_of({"image": "x"})`;
    expect(value([lib, src], "check/p")).toBe("x");
  });

  it("builds a package document from its rules, leaving out undefined ones", () => {
    const src = `package p\na := 1\nb := 2 if input.b\ns contains 3\nf(x) := x`;
    expect(value(src, "p", {})).toEqual({ a: 1, s: [3] });
    expect(value(src, "p", { b: true })).toEqual({ a: 1, b: 2, s: [3] });
  });

  it("builds nested package documents and merges base data", () => {
    const srcs = [`package x.y\na := 1`, `package x\nb := 2`];
    expect(value(srcs, "x", {}, { x: { base: true } })).toEqual({ b: 2, base: true, y: { a: 1 } });
  });

  it("reads base data where no rule is defined", () => {
    const src = `package a\nallowed := data.config.registries\nn := count(data.config.registries)`;
    expect(value(src, "a/allowed", {}, { config: { registries: ["r1"] } })).toEqual(["r1"]);
    expect(run(src, "a/n", {}, {})).toEqual([]);
  });

  it("iterates over a package document with a var key", () => {
    const srcs = [`package rules.one\ndeny := "one" if input.one`, `package rules.two\ndeny := "two" if input.two`, `package main\nall contains m if { m := data.rules[_].deny }`];
    expect(value(srcs, "main/all", { one: true, two: true })).toEqual(["one", "two"]);
    expect(value(srcs, "main/all", { one: true })).toEqual(["one"]);
  });

  it("refers to rules of the same package defined in several files", () => {
    const srcs = [`package a\ns contains 1`, `package a\ns contains 2\nn := count(s)`];
    expect(value(srcs, "a/n")).toBe(2);
  });

  it("imports input paths under an alias", () => {
    const src = `package a\nimport input.review.object as obj\nname := obj.metadata.name`;
    expect(value(src, "a/name", { review: { object: { metadata: { name: "nginx" } } } })).toBe("nginx");
  });
});

describe("a Gatekeeper-style template in Rego v0", () => {
  const lib = `package lib.exclude_update

is_update(review) {
  review.operation == "UPDATE"
}`;
  const template = `package k8spsphostnamespace

import data.lib.exclude_update.is_update

violation[{"msg": msg, "details": {}}] {
  not is_update(input.review)
  input_share_hostnamespace(input.review.object)
  msg := sprintf("Sharing the host namespace is not allowed: %v", [input.review.object.metadata.name])
}

input_share_hostnamespace(o) {
  o.spec.hostPID
}

input_share_hostnamespace(o) {
  o.spec.hostIPC
}`;
  const review = (spec: object, operation = "CREATE") => ({ review: { operation, object: { metadata: { name: "p1" }, spec } } });

  it("reports a violation for a pod sharing a host namespace", () => {
    expect(runV0([lib, template], "k8spsphostnamespace/violation", review({ hostIPC: true }))).toEqual([
      { result: [{ msg: "Sharing the host namespace is not allowed: p1", details: {} }] },
    ]);
    expect(runV0([lib, template], "k8spsphostnamespace/violation", review({ hostPID: true, hostIPC: true }))).toHaveLength(1);
  });

  it("reports nothing for a compliant pod or an update", () => {
    expect(runV0([lib, template], "k8spsphostnamespace/violation", review({}))).toEqual([{ result: [] }]);
    expect(runV0([lib, template], "k8spsphostnamespace/violation", review({ hostPID: true }, "UPDATE"))).toEqual([{ result: [] }]);
  });
});

function runV0(sources: string[], entrypoint: string, input: unknown): unknown[] {
  return new Interpreter(plan(sources, [entrypoint], 0)).run(entrypoint, input);
}

describe("Rego v0 rule forms", () => {
  const src = `package v0
import future.keywords.in

p = x { x := input.n + 1 }
s[x] { x := input.xs[_] }
o[k] = v { v := input.o[k] }
f(x) = y { y := x * 10 }
g := f(input.n)
member { 2 in input.xs }`;
  const input = { n: 1, xs: [2, 3], o: { a: "b" } };
  const v0 = (entry: string) => new Interpreter(plan(src, [entry], 0)).run(entry, input);

  it("plans complete, set, object and function rules", () => {
    expect(v0("v0/p")).toEqual([{ result: 2 }]);
    expect(v0("v0/s")).toEqual([{ result: [2, 3] }]);
    expect(v0("v0/o")).toEqual([{ result: { a: "b" } }]);
    expect(v0("v0/g")).toEqual([{ result: 10 }]);
    expect(v0("v0/member")).toEqual([{ result: true }]);
  });
});

describe("a required-labels template", () => {
  const src = `package k8srequiredlabels
violation contains {"msg": msg, "missing": missing} if {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("you must provide %v labels", [count(missing)])
}`;
  const input = (labels: object) => ({ parameters: { labels: ["app", "team"] }, review: { object: { metadata: { labels } } } });

  it("lists the missing labels", () => {
    expect(value(src, "k8srequiredlabels/violation", input({ app: "x" }))).toEqual([{ msg: "you must provide 1 labels", missing: ["team"] }]);
    expect(value(src, "k8srequiredlabels/violation", input({ app: "x", team: "y" }))).toEqual([]);
  });

  it("collects violations of another package through a pattern key", () => {
    const audit = `package audit\nmsgs contains m if data.k8srequiredlabels.violation[{"msg": m, "missing": _}]`;
    expect(value([src, audit], "audit/msgs", input({}))).toEqual(["you must provide 2 labels"]);
  });
});
