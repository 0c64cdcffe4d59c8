// JSON with exact integers: what the host reads a module's results with.

import { describe, expect, it } from "vitest";
import { parseExactJson, stringifyExactJson } from "../src/exact-json.ts";

describe("parseExactJson", () => {
  it("keeps integers a JavaScript number holds as numbers and larger ones as bigints", () => {
    expect(parseExactJson('[9007199254740991, -9007199254740991, 9007199254740992, 9007199254740993, -18446744073709551617, 0, -0]')).toEqual([
      9007199254740991,
      -9007199254740991,
      9007199254740992n,
      9007199254740993n,
      -18446744073709551617n,
      0,
      -0,
    ]);
  });

  it("reads other numbers as doubles", () => {
    expect(parseExactJson('{"a": 1.5, "b": 0.30000000000000004, "c": 1e21, "d": 2.5e-7}')).toEqual({ a: 1.5, b: 0.30000000000000004, c: 1e21, d: 2.5e-7 });
  });

  it("throws a SyntaxError on text that is not JSON", () => {
    expect(() => parseExactJson("[1,")).toThrow(SyntaxError);
  });
});

describe("stringifyExactJson", () => {
  it("writes bigints in digits and round-trips what parseExactJson reads", () => {
    const text = '{"big":[1000000000000000000000,-9007199254740993],"half":1.5,"small":7}';
    expect(stringifyExactJson(parseExactJson(text))).toBe(text);
    expect(stringifyExactJson({ n: 12345678901234567890n }, 2)).toBe('{\n  "n": 12345678901234567890\n}');
  });
});

describe("parseExactJson's two readers", () => {
  it("give the same values whether or not the text holds a long run of digits", () => {
    const short = '{"a": [1, -2.5, "x"], "b": {"c": null, "d": true}}';
    const long = '{"a": [1, -2.5, "x"], "b": {"c": null, "d": true}, "e": "1234567890123456"}';
    expect(parseExactJson(short)).toEqual({ a: [1, -2.5, "x"], b: { c: null, d: true } });
    expect(parseExactJson(long)).toEqual({ a: [1, -2.5, "x"], b: { c: null, d: true }, e: "1234567890123456" });
    expect(() => parseExactJson('{"a": 1234567890123456, ')).toThrow(SyntaxError);
  });
});
