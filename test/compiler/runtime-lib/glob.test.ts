// glob.ts against OPA's glob.match (gobwas/glob semantics). The first rows are
// the examples from OPA's policy reference; the rest follow gobwas's rules:
// `*` stops at delimiters, `**` does not, `?` is one non-delimiter code point,
// brackets are a single range or a list and ignore delimiters.

import { beforeAll, describe, expect, test } from "vitest";
import { LOAD_TIMEOUT_MS, loadRuntimeLib, type RuntimeLib } from "./loader.ts";

let lib: RuntimeLib;
beforeAll(async () => {
  lib = await loadRuntimeLib();
}, LOAD_TIMEOUT_MS);

const matchCases: [pattern: string, delimiters: string[] | null, input: string, expected: boolean][] = [
  // OPA reference examples
  ["*.github.com", [], "api.github.com", true],
  ["*.github.com", [], "api.cdn.github.com", false],
  ["*hub.com", null, "api.cdn.github.com", true],
  ["*:github:com", [":"], "api:github:com", true],
  ["api.**.com", [], "api.github.com", true],
  ["api.**.com", [], "api.cdn.github.com", true],
  // delimiters
  ["*.example.com", ["."], "a.b.example.com", false],
  ["a*", [], "a.b", false],
  ["a**", [], "a.b", true],
  ["*", null, "a.b.c", true],
  ["*/*", ["/"], "a/b", true],
  ["*", ["/"], "a/b", false],
  ["*", ["/"], "a.b", true],
  ["*", [".", ":"], "a:b", false],
  ["**", [], "", true],
  ["*", [], "", true],
  ["", [], "", true],
  ["", [], "a", false],
  // single code point
  ["?at", [], "cat", true],
  ["?at", [], "at", false],
  ["?at", [], ".at", false],
  ["?at", null, ".at", true],
  ["caf?", [], "café", true],
  ["?", [], "😀", true],
  ["😀*", [], "😀abc", true],
  ["café.*", [], "café.org", true],
  // brackets
  ["[abc]at", [], "bat", true],
  ["[abc]at", [], "mat", false],
  ["[!abc]at", [], "mat", true],
  ["[!abc]at", [], "cat", false],
  ["[a-c]at", [], "bat", true],
  ["[!a-c]at", [], "bat", false],
  ["[!a]", [], ".", true],
  ["[ab-c]", [], "-", true],
  ["[\\]]", [], "]", true],
  // alternatives
  ["{cat,bat,[fr]at}", [], "rat", true],
  ["{cat,bat}", [], "mat", false],
  ["api.{github,gitlab}.com", [], "api.gitlab.com", true],
  ["{a,{b,c}}", [], "c", true],
  ["x{,y}", [], "x", true],
  ["{*.com,*.org}", [], "a.b.org", false],
  // literals and escapes
  ["\\*.com", [], "*.com", true],
  ["\\*.com", [], "x.com", false],
  ["a,b", [], "a,b", true],
  ["a}b", [], "a}b", true],
];

describe("globMatch", () => {
  test.each(matchCases)("%j with %j on %j → %j", (pattern, delimiters, input, expected) => {
    expect(lib.globMatch(pattern, delimiters, input)).toBe(String(expected));
  });

  test("the same pattern with other delimiters is compiled separately", () => {
    expect(lib.globMatch("a*", ["."], "a.b")).toBe("false");
    expect(lib.globMatch("a*", [":"], "a.b")).toBe("true");
    expect(lib.globMatch("a*", null, "a.b")).toBe("true");
  });
});

describe("invalid patterns", () => {
  test.each([
    ["[a-z0-9]", "glob: expected ']' after range in pattern: `[a-z0-9]`"],
    ["[abc", "glob: unclosed '[' in pattern: `[abc`"],
    ["{a,b", "glob: unclosed '{' in pattern: `{a,b`"],
    ["a\\", "glob: unexpected end of pattern after escape: `a\\`"],
    ["[z-a]", "glob: invalid range in pattern: `[z-a]`"],
  ])("%j", (pattern, message) => {
    expect(lib.globMatch(pattern, [], "a")).toBe(`error: ${message}`);
  });

  test("a delimiter must be a single character", () => {
    expect(lib.globMatch("*", ["ab"], "x")).toBe(
      "error: glob.match: operand 2 must be array of single-character strings",
    );
  });
});
