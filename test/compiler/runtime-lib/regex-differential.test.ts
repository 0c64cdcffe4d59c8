// Differential test: on a syntax subset where RE2 (Go) and JavaScript agree —
// ASCII literals, '.', bracket classes, groups, alternation, greedy and lazy
// quantifiers, counted repetition, ^ $ without the m flag, \b — the NFA must
// answer exactly as JavaScript's backtracking RegExp does.

import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { LOAD_TIMEOUT_MS, loadRuntimeLib, type RuntimeLib } from "./loader.ts";

let lib: RuntimeLib;
beforeAll(async () => {
  lib = await loadRuntimeLib();
}, LOAD_TIMEOUT_MS);

const atom = fc.constantFrom("a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "x");
const quantifier = fc.constantFrom("", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,2}", "{0,}", "{2,3}?");

// Group nesting is bounded because JavaScript's backtracking reference (not the
// NFA under test) goes exponential on deeply nested quantifiers.
const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; term: string }>((tie) => ({
  term: fc.oneof(
    { maxDepth: 2, depthIdentifier: "group" },
    { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.tuple(tie("expr"), quantifier).map(([e, q]) => `(${e})${q}`) },
    { weight: 1, arbitrary: fc.tuple(tie("expr"), quantifier).map(([e, q]) => `(?:${e})${q}`) },
    { weight: 1, arbitrary: fc.constantFrom("^", "$", "\\b") },
  ),
  expr: fc.oneof(
    { weight: 3, arbitrary: fc.array(tie("term"), { minLength: 0, maxLength: 4 }).map((ts) => ts.join("")) },
    { weight: 1, arbitrary: fc.tuple(tie("term"), tie("term")).map(([l, r]) => `${l}|${r}`) },
  ),
})).expr;

const input = fc.stringMatching(/^[abcx1 ]{0,12}$/);

test("matches what JavaScript's RegExp matches on the shared subset", () => {
  fc.assert(
    fc.property(pattern, input, (p, s) => {
      expect(lib.regexMatch(p, s), `pattern ${JSON.stringify(p)} on ${JSON.stringify(s)}`).toBe(
        String(new RegExp(p, "u").test(s)),
      );
    }),
    { numRuns: 3000, seed: 20240611 },
  );
});

// The inputs are ASCII, so the DFA of a constant pattern answers unless the pattern has a word
// assertion or needs too many states; it must answer for nearly every pattern here.
test("the DFA of a constant pattern answers as JavaScript's RegExp does", () => {
  let runs = 0;
  let answered = 0;
  fc.assert(
    fc.property(pattern, input, (p, s) => {
      runs++;
      const result = lib.regexMatchDfa(p, s);
      if (result === "no dfa") return;
      answered++;
      expect(p, "a pattern with a word assertion has no DFA").not.toContain("\\b");
      expect(result, `pattern ${JSON.stringify(p)} on ${JSON.stringify(s)}`).toBe(String(new RegExp(p, "u").test(s)));
    }),
    { numRuns: 3000, seed: 20261122 },
  );
  expect(answered / runs).toBeGreaterThan(0.75);
});
