// Native built-ins, each called from a compiled policy through the SDK. `undefined` means the
// call is undefined (OPA's behaviour for type errors when strict built-in errors are off).

import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTINS } from "../../../src/compiler/builtins.ts";
import { builtinPolicy, call, INPUT, local, PolicyBuilder, prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

type Case = [args: unknown[], expected: unknown];

const CASES: Record<string, Case[]> = {
  neq: [[[1, 1.0], false], [["a", "b"], true]],
  lt: [[[1, 2], true], [[null, false], true], [["b", "a"], false]],
  lte: [[[2, 2], true]],
  gt: [[[[1], "z"], true]],
  gte: [[[{}, []], true]],
  plus: [[[1, 2], 3], [[1.5, 1], 2.5], [[9007199254740993, 0], 9007199254740992], [["1", 2], undefined]],
  minus: [[[5, 7], -2], [[0.5, 0.25], 0.25]],
  mul: [[[6, 7], 42], [[1.5, 2], 3], [[3000000000, 3000000000], 9e18]],
  div: [[[7, 2], 3.5], [[8, 2], 4], [[1, 0], undefined]],
  rem: [[[7, 3], 1], [[-7, 3], -1], [[7, 0], undefined], [[7.5, 2], undefined]],
  abs: [[[-3], 3], [[-2.5], 2.5]],
  round: [[[2.5], 3], [[-2.5], -3], [[2.4], 2]],
  ceil: [[[1.2], 2], [[-1.2], -1]],
  floor: [[[1.8], 1], [[-1.2], -2]],
  count: [[["héllo"], 5], [[[1, 2, 3]], 3]],
  sum: [[[[1, 2, 3.5]], 6.5], [[[]], 0], [[["a"]], undefined]],
  product: [[[[2, 3, 4]], 24]],
  max: [[[[3, 1, 2]], 3], [[[]], undefined], [[["a", 1]], "a"]],
  min: [[[[3, 1, 2]], 1]],
  sort: [[[[3, 1, 2, 1]], [1, 1, 2, 3]]],
  "numbers.range": [[[1, 4], [1, 2, 3, 4]], [[2, -1], [2, 1, 0, -1]]],
  to_number: [[["42"], 42], [["-1.5"], -1.5], [[true], 1], [[null], 0], [["x"], undefined], [["1x"], undefined]],
  format_int: [[[255, 16], "ff"], [[-5, 2], "-101"], [[10.9, 10], "10"], [[1, 3], undefined]],
  "units.parse": [[["10k"], 10000], [["1Ki"], 1024], [["100m"], 0.1], [["1x"], undefined]],
  "units.parse_bytes": [[["1KiB"], 1024], [["2MB"], 2000000], [["bad"], undefined]],
  "array.concat": [[[[1], [2, 3]], [1, 2, 3]]],
  "array.slice": [[[[1, 2, 3, 4], 1, 3], [2, 3]], [[[1, 2], -5, 10], [1, 2]], [[[1, 2], 2, 1], []]],
  "array.reverse": [[[[1, 2, 3]], [3, 2, 1]]],
  "object.get": [
    [[{ a: 1 }, "a", 0], 1],
    [[{ a: 1 }, "b", 0], 0],
    [[{ a: { b: [5, 6] } }, ["a", "b", 1], 0], 6],
    [[{ a: { b: 1 } }, ["a", "x"], "d"], "d"],
    [[{ a: 1 }, [], 0], { a: 1 }],
  ],
  "object.union": [[[{ a: 1, b: { c: 1, d: 2 } }, { b: { c: 3 }, e: 4 }], { a: 1, b: { c: 3, d: 2 }, e: 4 }]],
  "object.remove": [[[{ a: 1, b: 2, c: 3 }, ["a", "c"]], { b: 2 }], [[{ a: 1, b: 2 }, { b: 0 }], { a: 1 }]],
  "object.filter": [[[{ a: 1, b: 2, c: 3 }, ["a", "c"]], { a: 1, c: 3 }]],
  concat: [[["-", ["a", "b", "c"]], "a-b-c"], [[",", []], ""], [[",", [1]], undefined]],
  contains: [[["hello", "ll"], true], [["hello", "x"], false], [["a", ""], true]],
  startswith: [[["hello", "he"], true], [["hello", "lo"], false]],
  "strings.any_prefix_match": [[["hello", ["x", "he"]], true], [[["a", "b"], "c"], false], [[1, "a"], undefined]],
  "strings.any_suffix_match": [[[["x.io/a:dev"], [":latest", ":dev"]], true], [["lo", "hello"], false], [["a", [1]], undefined]],
  endswith: [[["hello", "lo"], true]],
  sprintf: [[["%s-%d", ["a", 1]], "a-1"], [[1, []], undefined], [["%v", "x"], undefined]],
  indexof: [[["café bar", "bar"], 5], [["abc", "x"], -1], [["abc", ""], undefined]],
  substring: [[["café bar", 3, 3], "é b"], [["abc", 1, -1], "bc"], [["abc", 5, 1], ""], [["abc", -1, 1], undefined]],
  split: [[["a,b,,c", ","], ["a", "b", "", "c"]], [["né", ""], ["n", "é"]], [["", ","], [""]]],
  lower: [[["HeLLo"], "hello"], [["ÉCOLE"], "école"]],
  upper: [[["abc"], "ABC"], [["straße"], "STRAßE"]],
  replace: [[["a.b.c", ".", "/"], "a/b/c"], [["abc", "", "-"], "-a-b-c-"], [["aaa", "aa", "b"], "ba"]],
  trim: [[["xxhixx", "x"], "hi"], [["  a  ", " "], "a"]],
  trim_left: [[["xxhix", "x"], "hix"]],
  trim_right: [[["xhixx", "x"], "xhi"]],
  trim_prefix: [[["prefix-x", "prefix-"], "x"], [["x", "y"], "x"]],
  trim_suffix: [[["x.yaml", ".yaml"], "x"]],
  trim_space: [[["\t a b \n\u00a0"], "a b"]],
  "regex.match": [[["^[a-z]+:[0-9]+$", "nginx:12"], true], [["^a", "ba"], false], [["(", "x"], undefined]],
  "glob.match": [[["*.example.com", ["."], "api.example.com"], true], [["*.example.com", ["."], "a.b.example.com"], false], [["**.com", null, "a.b.com"], true]],
  is_number: [[[1.5], true], [["1"], false]],
  is_string: [[["a"], true], [[1], false]],
  is_boolean: [[[false], true]],
  is_array: [[[[]], true], [[{}], false]],
  is_object: [[[{}], true]],
  is_null: [[[null], true], [[0], false]],
  type_name: [[[null], "null"], [[true], "boolean"], [[1], "number"], [["s"], "string"], [[[]], "array"], [[{}], "object"]],
  "internal.member_2": [[[2, [1, 2]], true], [[3, { a: 3 }], true], [[4, [1]], false], [[1, "1"], false]],
  "internal.member_3": [[[1, "b", ["a", "b"]], true], [["a", 1, { a: 1 }], true], [[0, "b", ["a"]], false]],
  "object.union_n": [[[[{ a: 1, b: { c: 1 } }, { b: { d: 2 } }, { a: 3 }]], { a: 3, b: { c: 1, d: 2 } }], [[[]], {}], [[[{}, 1]], undefined]],
  "strings.count": [[["cheese", "e"], 3], [["aaaa", "aa"], 2], [["né", ""], 3], [[1, "1"], undefined]],
  indexof_n: [[["aaaa", "aa"], [0, 1, 2]], [["héllo héllo", "l"], [2, 3, 8, 9]], [["abc", ""], undefined]],
  "strings.replace_n": [[[{ a: "1", ab: "2" }, "abc"], "1bc"], [[{ "": "-" }, "ab"], "-a-b-"], [[{ a: 1 }, "a"], undefined]],
  "json.marshal": [[[{ b: [1, "<&>"], a: null }], '{"a":null,"b":[1,"\\u003c\\u0026\\u003e"]}']],
  "json.unmarshal": [[['{"a": [1, "x"]}'], { a: [1, "x"] }], [["[1"], undefined], [[1], undefined]],
  "json.is_valid": [[["[1, 2]"], true], [["[1, 2"], false], [[1], false]],
  "base64.encode": [[["hello"], "aGVsbG8="], [[""], ""]],
  "base64.decode": [[["aGVsbG8="], "hello"], [["aGVsbG8"], undefined], [["YQ==YQ=="], undefined]],
  "base64.is_valid": [[["YQ=="], true], [["YQ="], false]],
  "base64url.encode": [[["a?>~"], "YT8-fg=="]],
  "base64url.encode_no_pad": [[["a?>~"], "YT8-fg"]],
  "base64url.decode": [[["YT8-fg"], "a?>~"], [["YT8-fg=="], "a?>~"], [["Y"], undefined]],
  trace: [[["note"], true], [[1], undefined]],
  "time.parse_rfc3339_ns": [[["2017-06-02T19:00:00.5-07:00"], 1496455200500000000], [["2017-06-02"], undefined]],
};

describe("native built-ins", () => {
  for (const [name, cases] of Object.entries(CASES)) {
    it(name, async () => {
      const policy: LoadedPolicy = await builtinPolicy(name, BUILTINS.get(name)!.arity);
      for (const [args, expected] of cases) {
        expect([name, args, call(policy, ...args)]).toEqual([name, args, expected]);
      }
    });
  }

  it("builds ranges larger than the initial capacity cap", async () => {
    const range = await builtinPolicy("numbers.range", 2);
    const r = call(range, 1, 70_000) as number[];
    expect(r.length).toBe(70_000);
    expect(r[69_999]).toBe(70_000);
  });

  it("covers every non-host built-in the compiler accepts", () => {
    // mock-only built-ins have no implementation: the planner refuses a call that no `with` replaces
    const untested = [...BUILTINS.values()]
      .filter((b) => !b.host && !b.mockOnly && !(b.name in CASES))
      .map((b) => b.name);
    // equal is exercised in json.test.ts, the set built-ins below, print (which the planner turns
    // into internal.print) in test/compiler/pipeline/print.test.ts.
    expect(untested.sort()).toEqual(["and", "equal", "internal.print", "intersection", "is_set", "object.keys", "or", "print", "union"]);
  });
});

describe("set built-ins", () => {
  // Sets cannot cross the SDK as JSON, so these build them in the policy with object.keys.
  it("object.keys, is_set, union, intersection, or, and, minus", async () => {
    const b = new PolicyBuilder().useBuiltin("object.keys", 1);
    const ops = ["or", "and", "minus"] as const;
    for (const op of ops) b.useBuiltin(op, 2);
    b.useBuiltin("union", 1).useBuiltin("intersection", 1).useBuiltin("is_set", 1);
    const keys = (i: number, target: number) => [
      { type: "MakeNumberInt" as const, value: i, target: 40 + i },
      { type: "Dot" as const, source: local(INPUT), key: local(40 + i), target: 50 + i },
      { type: "Call" as const, func: "object.keys", args: [local(50 + i)], result: target },
    ];
    b.plan("is_set", [...keys(0, 2), { type: "Call", func: "is_set", args: [local(2)], result: 4 }, { type: "ResultSetAdd", value: 4 }]);
    for (const op of ops) b.plan(op, [...keys(0, 2), ...keys(1, 3), { type: "Call", func: op, args: [local(2), local(3)], result: 4 }, { type: "ResultSetAdd", value: 4 }]);
    for (const op of ["union", "intersection"]) {
      b.plan(op, [
        ...keys(0, 2), ...keys(1, 3),
        { type: "MakeSet", target: 5 },
        { type: "SetAdd", value: local(2), set: 5 },
        { type: "SetAdd", value: local(3), set: 5 },
        { type: "Call", func: op, args: [local(5)], result: 4 },
        { type: "ResultSetAdd", value: 4 },
      ]);
    }
    const policy = await b.load();
    const input = [{ a: 0, b: 0, c: 0 }, { b: 0, c: 0, d: 0 }];
    const run = (ep: string) => (policy.evaluate(input, ep) as Array<{ result: unknown }>)[0]?.result;
    expect(run("or")).toEqual(["a", "b", "c", "d"]);
    expect(run("and")).toEqual(["b", "c"]);
    expect(run("minus")).toEqual(["a"]);
    expect(run("union")).toEqual(["a", "b", "c", "d"]);
    expect(run("intersection")).toEqual(["b", "c"]);
    expect(run("is_set")).toBe(true);
  });
});
