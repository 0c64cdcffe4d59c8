import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkModules } from "../../../src/compiler/check/index.ts";
import { CompileError } from "../../../src/compiler/errors.ts";
import { parseModule } from "../../../src/compiler/syntax/parser.ts";

// Rego-like token soup: whatever the parser and checker are given, they must either succeed or
// throw a CompileError with a location inside the text, never crash or hang.
const TOKENS = [
  "package", "import", "as", "default", "else", "not", "some", "with", "if", "contains", "in", "every",
  "p", "q", "f", "x", "_", "input", "data", "true", "null", "count", "set",
  "1", "-2.5e3", '"s"', "`r`", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "|", "&",
  "=", ":=", "==", "!=", "<", ">=", "+", "-", "*", "/", "%", "\n", "#c\n",
];

const tokens = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((ts) => ts.join(" "));
/** Whole modules, and single rule bodies (which get past the parser more often, to reach the checker). */
const soup = fc.oneof(
  tokens.map((t) => `package t\n${t}`),
  tokens.map((t) => `package t\nimport future.keywords\nq := 1\nf(x) := x\np if {\n${t}\n}`),
);

describe("robustness", () => {
  for (const regoVersion of [0, 1] as const) {
    it(`parses or rejects arbitrary token sequences cleanly (v${regoVersion})`, () => {
      fc.assert(
        fc.property(soup, (text) => {
          try {
            checkModules([parseModule(text, "f.rego", { regoVersion })]);
          } catch (e) {
            expect(e).toBeInstanceOf(CompileError);
            const { row, col } = (e as CompileError).loc;
            const lines = text.split("\n");
            expect(row).toBeGreaterThanOrEqual(1);
            expect(row).toBeLessThanOrEqual(lines.length);
            expect(col).toBeGreaterThanOrEqual(1);
            expect(col).toBeLessThanOrEqual([...lines[row - 1]].length + 1);
          }
        }),
        { numRuns: 400, seed: 42 },
      );
    });
  }
});
