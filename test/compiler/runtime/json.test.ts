// The runtime's value model through OPA's SDK: parsing, dumping, ordering, equality, limits.

import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinPolicy, call, echoPolicy, prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

const text = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;

let echo: LoadedPolicy;
beforeAll(async () => {
  await prepareRuntime();
  echo = await echoPolicy();
}, RUNTIME_BUILD_TIMEOUT);

const roundTrip = (v: unknown) => (echo.evaluate(v) as Array<{ result: unknown }>)[0]?.result;

describe("JSON round trips", () => {
  it("keeps scalars, arrays and objects", () => {
    const value = { s: "x", n: null, t: true, f: false, i: -42, a: [1, [2, []], {}], o: { "": 0, k: { deep: "v" } } };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip("")).toBeUndefined(); // the SDK sends falsy input as "no input"
    expect(roundTrip(true)).toBe(true);
  });

  it("keeps unicode, escapes and surrogate pairs", () => {
    const s = 'café ☃ 𝄞 "quoted" back\\slash \n\t\r\b\f \u0001 \u007f é\u2028';
    expect(roundTrip(s)).toBe(s);
    expect(roundTrip({ [s]: s })).toEqual({ [s]: s });
    expect(echo.evaluate(text('"\\u00e9\\ud834\\udd1e\\/"'))).toEqual([{ result: "é𝄞/" }]);
    // A lone surrogate becomes U+FFFD.
    expect(echo.evaluate(text('"a\\ud800b"'))).toEqual([{ result: "a\uFFFDb" }]);
  });

  it("parses numbers like OPA", () => {
    expect(echo.evaluate(text("1e3"))).toEqual([{ result: 1000 }]);
    expect(echo.evaluate(text("[1.5, -0.25, 1E-7, 2.0, 0]"))).toEqual([{ result: [1.5, -0.25, 1e-7, 2, 0] }]);
    expect(echo.evaluate(text("9223372036854775807"))).toEqual([{ result: 9223372036854775807 }]);
    expect(echo.evaluate(text("12345678901234567890123"))).toEqual([{ result: 12345678901234567890123 }]);
    expect(roundTrip(0.1)).toBe(0.1);
    expect(roundTrip(123456.789e-30)).toBe(123456.789e-30);
    expect(roundTrip(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(roundTrip(-1.7976931348623157e308)).toBe(-1.7976931348623157e308);
  });

  it("takes the last of duplicate keys", () => {
    expect(echo.evaluate(text('{"a":1,"a":2}'))).toEqual([{ result: { a: 2 } }]);
  });

  it("handles a 10 MB input and long strings", () => {
    const long = "x".repeat(5_000_000);
    const items = Array.from({ length: 50_000 }, (_, i) => ({ i, name: `item-${i}`, tags: ["a", "b"] }));
    const big = { long, items };
    expect(JSON.stringify(big).length).toBeGreaterThan(7_000_000);
    const result = roundTrip(big) as typeof big;
    expect(result.long.length).toBe(long.length);
    expect(result.items.length).toBe(items.length);
    expect(result.items[49_999]).toEqual(items[49_999]);
  });

  it("rejects malformed JSON input with a clear error", () => {
    expect(() => echo.evaluate(text('{"a": [1, 2}'))).toThrow(/malformed input JSON at byte 11: expected ',' or '\]' in array/);
    expect(() => echo.evaluate(text("[1] x"))).toThrow(/unexpected text after the JSON value/);
    expect(() => echo.evaluate(text('"abc'))).toThrow(/unterminated string/);
    expect(() => echo.evaluate(text("01"))).toThrow(/unexpected text/);
    expect(() => echo.setData(text("{"))).toThrow("failed to parse json value");
    expect(roundTrip({ ok: 1 })).toEqual({ ok: 1 });
  });

  it("accepts 1000 nesting levels and rejects deeper input cleanly", () => {
    const nest = (n: number) => "[".repeat(n) + "]".repeat(n);
    const ok = echo.evaluate(text(nest(1000))) as Array<{ result: unknown }>;
    let depth = 0;
    for (let v: unknown = ok[0]!.result; Array.isArray(v); v = v[0]) depth++;
    expect(depth).toBe(1000);
    expect(() => echo.evaluate(text(nest(1001)))).toThrow(/nesting is deeper than 1000 levels/);
    expect(() => echo.evaluate(text(nest(10_000)))).toThrow(/nesting is deeper than 1000 levels/);
    expect(() => echo.evaluate(text('{"a":'.repeat(10_000)))).toThrow(/nesting is deeper than 1000 levels/);
  });
});

describe("ordering and equality", () => {
  let sort: LoadedPolicy;
  let equal: LoadedPolicy;
  let count: LoadedPolicy;
  beforeAll(async () => {
    sort = await builtinPolicy("sort", 1);
    equal = await builtinPolicy("equal", 2);
    count = await builtinPolicy("count", 1);
  });

  it("orders values across types as OPA does", () => {
    const values = [{ a: 1 }, "b", [1], 2.5, null, true, "a", false, [0, 1], -1, { a: 0 }, "é", "z"];
    expect(call(sort, values)).toEqual([null, false, true, -1, 2.5, "a", "b", "z", "é", [0, 1], [1], { a: 0 }, { a: 1 }]);
  });

  it("sorts long arrays, keeping duplicates", () => {
    const numbers = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1000 - 500 + (i % 3) / 4);
    expect(call(sort, numbers)).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("compares strings by code point", () => {
    expect(call(sort, ["\uFFFF", "𝄞", "a"])).toEqual(["a", "\uFFFF", "𝄞"]);
  });

  it("treats 1 and 1.0 as equal, and collections by content", () => {
    expect(equal.evaluate(text("[1, 1.0]"))).toEqual([{ result: true }]);
    expect(call(equal, { a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(call(equal, [1, 2], [2, 1])).toBe(false);
    expect(call(equal, "1", 1)).toBe(false);
  });

  it("counts code points", () => {
    expect(call(count, "café")).toBe(4);
    expect(call(count, "𝄞")).toBe(1);
    expect(call(count, { a: 1, b: 2 })).toBe(2);
    expect(call(count, 5)).toBeUndefined();
  });

  it("keeps large objects consistent (hash index)", () => {
    const obj: Record<string, number> = {};
    for (let i = 0; i < 500; i++) obj[`k${(i * 7919) % 500}`] = i;
    const same = Object.fromEntries(Object.entries(obj).reverse());
    expect(call(equal, obj, same)).toBe(true);
    expect(call(count, obj)).toBe(500);
    expect(roundTrip(obj)).toEqual(obj);
  });
});
