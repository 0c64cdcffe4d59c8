// regex.ts against Go's regexp.MatchString (what OPA's regex.match calls).
// Expected values follow Go's documented RE2 semantics; error texts are Go's
// "error parsing regexp: <code>: `<fragment>`" messages.

import { beforeAll, describe, expect, test } from "vitest";
import { LOAD_TIMEOUT_MS, loadRuntimeLib, type RuntimeLib } from "./loader.ts";

let lib: RuntimeLib;
beforeAll(async () => {
  lib = await loadRuntimeLib();
}, LOAD_TIMEOUT_MS);

const matchCases: [pattern: string, input: string, expected: boolean][] = [
  // literals, unanchored search
  ["abc", "xxabcxx", true],
  ["abc", "ab", false],
  ["", "anything", true],
  ["x*", "", true],
  // anchors: without (?m), ^ and $ are the text's ends ($ does not match before a final \n)
  ["^abc$", "abc", true],
  ["^abc$", "abcd", false],
  ["abc$", "abc\n", false],
  ["\\Aabc\\z", "abc", true],
  ["\\Aabc\\z", "xabc", false],
  ["(?m)^b$", "a\nb\nc", true],
  ["^b$", "a\nb\nc", false],
  // dot
  ["a.c", "abc", true],
  ["a.c", "a\nc", false],
  ["(?s)a.c", "a\nc", true],
  // classes
  ["[a-z]+", "123", false],
  ["[a-z]+", "12b3", true],
  ["[^a-z]", "abc", false],
  ["[^a-z]", "abC", true],
  ["^[a-]+$", "a-a", true],
  ["[]a]", "]", true],
  ["^[\\d.]+$", "1.25", true],
  ["^[^\\d]+$", "ab1", false],
  // Perl classes are ASCII-only in RE2
  ["^\\d{3}-\\d{4}$", "555-1234", true],
  ["^\\d+$", "12a", false],
  ["^\\d$", "٣", false],
  ["\\w+@\\w+\\.com", "me@x.com", true],
  ["\\s", "a b", true],
  ["\\s", "a\u000bb", false],
  ["\\S+", "   ", false],
  ["\\D", "123", false],
  ["\\W", "abc_1", false],
  // POSIX classes
  ["[[:alpha:]]+", "123abc", true],
  ["^[[:digit:]]+$", "12a", false],
  ["[[:^alpha:]]", "abc", false],
  ["^[[:word:]]+$", "a_1", true],
  // alternation and groups
  ["^(foo|bar)$", "bar", true],
  ["^(foo|bar)$", "baz", false],
  ["^(?:ab)+$", "ababab", true],
  ["^(?:ab)+$", "ababa", false],
  ["a|", "zzz", true],
  ["^(?P<word>a+)b$", "aab", true],
  ["^(?<n>x)$", "x", true],
  // case folding
  ["(?i)hello", "HeLLo", true],
  ["hello", "HELLO", false],
  ["(?i:a)b", "Ab", true],
  ["(?i:a)b", "AB", false],
  ["(?i)[a-c]+$", "xABC", true],
  ["(?i)^[^a]$", "A", false],
  ["(?i)σ", "Σ", true],
  ["(?i)É", "é", true],
  ["a(?i)b|c", "C", true],
  // counted repetition
  ["^a{3}$", "aaa", true],
  ["^a{3}$", "aaaa", false],
  ["^a{2,}$", "a", false],
  ["^a{2,}$", "aaaaa", true],
  ["^a{2,3}$", "aaaa", false],
  ["^a{2,3}$", "aa", true],
  ["^a{0}b$", "b", true],
  ["a{,3}", "a{,3}", true],
  ["^x{01}$", "x{01}", true],
  // lazy and ungreedy forms accept the same strings
  ["^a*?$", "aaa", true],
  ["^a+?b$", "aaab", true],
  ["^a??b$", "b", true],
  ["^a{1,2}?$", "aa", true],
  ["(?U)^a+$", "aaa", true],
  // word boundaries
  ["\\bfoo\\b", "a foo b", true],
  ["\\bfoo\\b", "afoob", false],
  ["\\Boo", "foo", true],
  // code points, not UTF-16 units
  ["café", "un café noir", true],
  ["^.{4}$", "café", true],
  ["^.$", "😀", true],
  ["^[😀-😂]$", "😁", true],
  ["^[^a]$", "😀", true],
  ["^\\x{1F600}$", "😀", true],
  // escapes
  ["^\\x41\\101\\t$", "AA\t", true],
  ["\\.", "a.b", true],
  ["\\.", "ab", false],
  ["^\\Qa.b\\E$", "a.b", true],
  ["^\\Qa.b\\E$", "axb", false],
  ["^\\Qa.b", "a.b", true],
  // nested empty loops still terminate and match correctly
  ["^(a*)*b$", "aaab", true],
  ["^(a?){3}a{3}$", "aaa", true],
  ["^(|a)+$", "aa", true],
  // unanchored searches skip ASCII code points no match can start with: the skipped text still
  // counts for assertions, non-ASCII code points are never skipped, and folding widens the start
  ["\\bfoo", "xfoo", false],
  ["\\bfoo", "xfoo foo", true],
  ["\\Bfoo", "foo xfoo", true],
  ["(^a|b)", "xxa", false],
  ["(^a|b)", "xxab", true],
  ["(?i)(password|api_?key)", "DATABASE_PASSWORD", true],
  ["(?i)(password|api_?key)", "LOG_LEVEL", false],
  ["é", "caféx", true],
  // case folding takes a letter's whole orbit, as Go's does, but not the Turkish i's
  ["(?i)k", "\u212a", true],
  ["(?i)K", "\u212a", true],
  ["(?i)[k]", "\u212a", true],
  ["(?i)[K]", "\u212a", true],
  ["(?i)[a-z]", "\u212a", true],
  ["(?i)s", "\u017f", true],
  ["(?i)σ", "ς", true],
  ["(?i)μ", "\u00b5", true],
  ["(?i)i", "\u0130", false],
  ["(?i)i", "\u0131", false],
  ["(?i)[a-z]", "\u0130", false],
  ["(?i)[A-Z]", "\u0131", false],
  ["k", "\u212a", false],
  ["x$", "abx", true],
  ["x$", "abxy", false],
];

describe("regexMatch", () => {
  test.each(matchCases)("%j on %j → %j", (pattern, input, expected) => {
    expect(lib.regexMatch(pattern, input)).toBe(String(expected));
  });
});

// A constant pattern gets a DFA that runs on the UTF-8 bytes of ASCII text; every case it
// answers must agree with the NFA's expected answer.
describe("regexMatchDfa", () => {
  test.each(matchCases)("%j on %j → %j, or no DFA", (pattern, input, expected) => {
    expect(lib.regexMatchDfa(pattern, input)).toBeOneOf([String(expected), "no dfa"]);
  });

  test.each([
    // the pack's patterns, on ASCII text
    ["(?i)(password|passwd|secret|token|api_?key|private_?key)", "OUTPUT_PASSWORD", "true"],
    ["(?i)(password|passwd|secret|token|api_?key|private_?key)", "PRIVATEKEY_PATH", "true"],
    ["(?i)(password|passwd|secret|token|api_?key|private_?key)", "LOG_LEVEL", "false"],
    ["(?i)^(ALL|SYS_ADMIN|NET_ADMIN)$", "sys_admin", "true"],
    ["(?i)^(ALL|SYS_ADMIN|NET_ADMIN)$", "SYS_ADMINX", "false"],
    ["(?i)^ALL$", "", "false"],
    [":[^/:@]+$", "registry:5000/app:1.2", "true"],
    [":[^/:@]+$", "registry:5000/app", "false"],
    [":latest$", "nginx:latest", "true"],
    [":latest$", "nginx:latest-alpine", "false"],
    ["@sha256:", "nginx@sha256:abc", "true"],
    // begin and end of text
    ["^$", "", "true"],
    ["^$", "a", "false"],
    ["a^b", "ab", "false"],
    ["(^a|b)", "xxa", "false"],
    ["x*", "", "true"],
    ["a$|b", "ab", "true"],
    // a match found in the ASCII text before a non-ASCII byte stands; a dead end too
    ["abc", "abcé", "true"],
    ["^abc", "xé", "false"],
    // non-ASCII text the answer depends on, and line or word assertions, are left to the NFA
    ["(?i)k", "\u212a", "no dfa"],
    ["é", "café", "no dfa"],
    ["\\bfoo", "foo", "no dfa"],
    ["(?m)^a", "b\na", "no dfa"],
  ])("%j on %j → %s", (pattern, input, expected) => {
    expect(lib.regexMatchDfa(pattern, input)).toBe(expected);
  });
});

const errorCases: [pattern: string, message: string][] = [
  ["(abc", "missing closing ): `(abc`"],
  ["abc)", "unexpected ): `abc)`"],
  ["[a-z", "missing closing ]: `[a-z`"],
  ["[]", "missing closing ]: `[]`"],
  ["*a", "missing argument to repetition operator: `*`"],
  ["(?i)*", "missing argument to repetition operator: `*`"],
  ["a|*", "missing argument to repetition operator: `*`"],
  ["a**", "invalid nested repetition operator: `**`"],
  ["a*??", "invalid nested repetition operator: `*??`"],
  ["a{2,1}", "invalid repeat count: `{2,1}`"],
  ["a{1001}", "invalid repeat count: `{1001}`"],
  ["\\q", "invalid escape sequence: `\\q`"],
  ["\\1", "invalid escape sequence: `\\1`"],
  ["\\8", "invalid escape sequence: `\\8`"],
  ["\\xZZ", "invalid escape sequence: `\\xZZ`"],
  ["a\\xZ", "invalid escape sequence: `\\xZ`"],
  ["[z-a]", "invalid character class range: `z-a`"],
  ["[[:foo:]]", "invalid character class range: `[:foo:]`"],
  ["(?=a)", "invalid or unsupported Perl syntax: `(?=`"],
  ["(?!a)", "invalid or unsupported Perl syntax: `(?!`"],
  ["(?z)", "invalid or unsupported Perl syntax: `(?z`"],
  ["(?P<>a)", "invalid named capture: `(?P<>`"],
  ["abc\\", "trailing backslash at end of expression: ``"],
  ["((a{1000}){1000}){1000}", "expression too large: `((a{1000}){1000}){1000}`"],
];

describe("invalid patterns", () => {
  test.each(errorCases)("%j", (pattern, message) => {
    expect(lib.regexMatch(pattern, "abc")).toBe(`error: error parsing regexp: ${message}`);
  });

  test("Unicode property classes are refused, not mis-matched (policypack limitation)", () => {
    expect(lib.regexMatch("\\pL", "a")).toBe("error: error parsing regexp: unsupported Unicode character class: `\\pL`");
    expect(lib.regexMatch("[\\p{Greek}]", "a")).toBe(
      "error: error parsing regexp: unsupported Unicode character class: `\\p{Greek}`",
    );
  });

  test("a cached error is reported again", () => {
    expect(lib.regexMatch("(abc", "x")).toBe("error: error parsing regexp: missing closing ): `(abc`");
    expect(lib.regexMatch("(abc", "y")).toBe("error: error parsing regexp: missing closing ): `(abc`");
  });
});

describe("linear time", () => {
  const long = "a".repeat(100_000);
  test.each([
    ["(a*)*b", false],
    ["(a|aa)*c", false],
    ["(x+x+)+y", false],
    ["^(a+)+$", true],
    ["(a|a)*a{20}$", true],
  ] as [string, boolean][])("%j on 100k characters", (pattern, expected) => {
    const started = performance.now();
    expect(lib.regexMatch(pattern, long)).toBe(String(expected));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test("a pattern reused across many inputs keeps its answers", () => {
    const inputs = ["a1", "b", "c2", "", "zz9"];
    const results = inputs.map((s) => lib.regexMatch("[a-z]\\d", s));
    expect(results).toEqual(["true", "false", "true", "false", "true"]);
  });
});
