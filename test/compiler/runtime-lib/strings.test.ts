// strings.ts against OPA's string built-ins, which wrap Go's strings package
// and count code points (runes). Where OPA's answer comes from Go's library the
// row says which function decides it.

import { beforeAll, describe, expect, test } from "vitest";
import { LOAD_TIMEOUT_MS, loadRuntimeLib, type RuntimeLib } from "./loader.ts";

let lib: RuntimeLib;
beforeAll(async () => {
  lib = await loadRuntimeLib();
}, LOAD_TIMEOUT_MS);

describe("countCodePoints", () => {
  test.each([
    ["", 0],
    ["abc", 3],
    ["café", 4],
    ["😀x", 2],
    ["👍🏽", 2],
  ] as [string, number][])("%j → %d", (s, expected) => {
    expect(lib.countCodePoints(s)).toBe(expected);
  });
});

describe("indexOfCodePoints (indexof)", () => {
  test.each([
    ["hello", "l", 2],
    ["café au lait", "au", 5],
    ["😀abc", "b", 2],
    ["x😀y😀", "😀", 1],
    ["abc", "d", -1],
    ["aaa", "aa", 0],
    ["", "a", -1],
  ] as [string, string, number][])("%j in %j → %d", (s, search, expected) => {
    expect(lib.indexOfCodePoints(s, search)).toBe(expected);
  });
});

describe("substringCodePoints (substring)", () => {
  test.each([
    ["hello", 1, 3, "ell"],
    ["hello", 1, -1, "ello"],
    ["hello", 0, 100, "hello"],
    ["hello", 5, 1, ""],
    ["hello", 10, 2, ""],
    ["hello", 2, 0, ""],
    ["café", 3, 1, "é"],
    ["café", 2, -5, "fé"],
    ["😀😁😂", 1, 1, "😁"],
    ["a😀b", 1, 2, "😀b"],
    ["", 0, 1, ""],
  ] as [string, number, number, string][])("%j from %d for %d → %j", (s, start, length, expected) => {
    expect(lib.substringCodePoints(s, start, length)).toBe(expected);
  });
});

describe("trim family (Go strings.Trim, TrimLeft, TrimRight, TrimPrefix, TrimSuffix)", () => {
  test.each([
    ["  xx  ", " ", "xx"],
    ["abcba", "ab", "c"],
    ["aaa", "a", ""],
    ["éxé", "é", "x"],
    ["😀x😀", "😀", "x"],
    ["abc", "", "abc"],
    ["", "a", ""],
  ])("trim(%j, %j) → %j", (s, cutset, expected) => {
    expect(lib.trimChars(s, cutset)).toBe(expected);
  });

  test.each([
    ["aabca", "a", "bca"],
    ["😀😀x😀", "😀", "x😀"],
    ["abc", "", "abc"],
  ])("trim_left(%j, %j) → %j", (s, cutset, expected) => {
    expect(lib.trimLeft(s, cutset)).toBe(expected);
  });

  test.each([
    ["aabca", "a", "aabc"],
    ["x😀😀", "😀", "x"],
    ["xé", "é", "x"],
    ["aaa", "a", ""],
  ])("trim_right(%j, %j) → %j", (s, cutset, expected) => {
    expect(lib.trimRight(s, cutset)).toBe(expected);
  });

  test.each([
    ["prefix-body", "prefix-", "body"],
    ["body", "x", "body"],
    ["aaa", "a", "aa"],
    ["😀x", "😀", "x"],
    ["abc", "", "abc"],
  ])("trim_prefix(%j, %j) → %j", (s, prefix, expected) => {
    expect(lib.trimPrefix(s, prefix)).toBe(expected);
  });

  test.each([
    ["file.tar.gz", ".gz", "file.tar"],
    ["file", ".gz", "file"],
    ["aaa", "a", "aa"],
    ["café", "é", "caf"],
  ])("trim_suffix(%j, %j) → %j", (s, suffix, expected) => {
    expect(lib.trimSuffix(s, suffix)).toBe(expected);
  });
});

describe("trimSpace (Go strings.TrimSpace, unicode.IsSpace)", () => {
  test.each([
    [" \t\n hello \r\n", "hello"],
    ["\u000b\u000cx\u0085", "x"],
    ["\u00a0\u3000x\u2003", "x"],
    ["\u2028\u2029x\u202f\u205f\u1680", "x"],
    ["\u200bx", "\u200bx"],
    ["\ufeffx", "\ufeffx"],
    ["a b", "a b"],
    ["   ", ""],
    ["", ""],
  ])("%j → %j", (s, expected) => {
    expect(lib.trimSpace(s)).toBe(expected);
  });
});

describe("splitString (Go strings.Split)", () => {
  test.each([
    ["a,b,c", ",", ["a", "b", "c"]],
    ["abc", ",", ["abc"]],
    ["a,,b", ",", ["a", "", "b"]],
    [",a,", ",", ["", "a", ""]],
    ["", ",", [""]],
    ["a--b--c", "--", ["a", "b", "c"]],
    ["café", "", ["c", "a", "f", "é"]],
    ["😀x", "", ["😀", "x"]],
    ["", "", []],
    ["x😀y", "😀", ["x", "y"]],
  ] as [string, string, string[]][])("%j by %j → %j", (s, separator, expected) => {
    expect(lib.splitString(s, separator)).toEqual(expected);
  });
});

describe("replaceAll (replace)", () => {
  test.each([
    ["aaa", "a", "b", "bbb"],
    ["aaaa", "aa", "b", "bb"],
    ["aaa", "aa", "b", "ba"],
    ["café", "é", "e", "cafe"],
    ["abc", "x", "y", "abc"],
    ["a.b.c", ".", "", "abc"],
    ["abc", "", "-", "-a-b-c-"],
    ["", "", "-", "-"],
    ["😀😀", "😀", ":)", ":):)"],
  ])("replace(%j, %j, %j) → %j", (s, old, replacement, expected) => {
    expect(lib.replaceAll(s, old, replacement)).toBe(expected);
  });
});

describe("lowerCase / upperCase (Go strings.ToLower / ToUpper: simple per-rune mappings)", () => {
  test.each([
    ["HeLLo", "hello"],
    ["ÀÉÎ", "àéî"],
    ["ΣΑΣ", "σασ"],
    ["İ", "i"],
    ["Ǆ", "ǆ"],
    ["😀A", "😀a"],
    ["ⒶⒷ", "ⓐⓑ"],
    ["", ""],
  ])("lower(%j) → %j", (s, expected) => {
    expect(lib.lowerCase(s)).toBe(expected);
  });

  test.each([
    ["hello", "HELLO"],
    ["café", "CAFÉ"],
    ["straße", "STRAßE"],
    ["ﬁ", "ﬁ"],
    ["ǆ", "Ǆ"],
    ["σας", "ΣΑΣ"],
    ["😀a", "😀A"],
    ["ⓐ", "Ⓐ"],
  ])("upper(%j) → %j", (s, expected) => {
    expect(lib.upperCase(s)).toBe(expected);
  });
});

describe("formatInt (format_int: truncates toward zero, lowercase digits)", () => {
  test.each([
    [255, 16, "ff"],
    [255, 2, "11111111"],
    [8, 8, "10"],
    [42, 10, "42"],
    [0, 2, "0"],
    [-255, 16, "-ff"],
    [3.9, 10, "3"],
    [-3.9, 10, "-3"],
    [-0.5, 10, "0"],
    [1e20, 10, "100000000000000000000"],
    [2 ** 64, 10, "18446744073709551616"],
    [2 ** 70, 16, "400000000000000000"],
    [-(2 ** 70), 2, "-1" + "0".repeat(70)],
    [1e21, 10, "1000000000000000000000"],
    [9007199254740993, 10, "9007199254740992"],
  ] as [number, number, string][])("format_int(%d, %d) → %j", (n, base, expected) => {
    expect(lib.formatInt(n, base)).toBe(expected);
  });
});

describe("parseNumber (to_number on a string)", () => {
  test.each([
    ["42", 42],
    ["-3.5", -3.5],
    ["1e3", 1000],
    ["1E-2", 0.01],
    ["+5", 5],
    [".5", 0.5],
    ["5.", 5],
    ["0.1", 0.1],
    ["007", 7],
    ["123456789012345678", 123456789012345678],
    ["1e-400", 0],
  ] as [string, number][])("%j → %d", (s, expected) => {
    expect(lib.parseNumber(s)).toBe(expected);
  });

  test.each([
    ["abc", 'strconv.ParseFloat: parsing "abc": invalid syntax'],
    ["", 'strconv.ParseFloat: parsing "": invalid syntax'],
    [" 1", 'strconv.ParseFloat: parsing " 1": invalid syntax'],
    ["1 ", 'strconv.ParseFloat: parsing "1 ": invalid syntax'],
    ["1e", 'strconv.ParseFloat: parsing "1e": invalid syntax'],
    [".", 'strconv.ParseFloat: parsing ".": invalid syntax'],
    ["0x10", 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    ["1e400", 'strconv.ParseFloat: parsing "1e400": value out of range'],
    ["Inf", "operand 1 must be valid number string but got string"],
    ["-infinity", "operand 1 must be valid number string but got string"],
    ["NaN", "operand 1 must be valid number string but got string"],
  ])("%j is refused", (s, message) => {
    expect(lib.parseNumber(s)).toBe(`error: ${message}`);
  });
});

describe("compareCodePoints", () => {
  test.each([
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["", "", 0],
    ["a", "ab", -1],
    ["ab", "a", 1],
    ["é", "z", 1],
    // U+FFFF < U+1F600 by code point although the UTF-16 unit 0xD83D < 0xFFFF
    ["\uffff", "😀", -1],
    ["😀", "\uffff", 1],
    ["\ue000", "😀", -1],
    ["😀", "😁", -1],
  ] as [string, string, number][])("%j vs %j → %d", (a, b, expected) => {
    expect(lib.compareCodePoints(a, b)).toBe(expected);
  });
});
