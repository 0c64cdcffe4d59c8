import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatModule } from "../../../src/compiler/syntax/format.ts";
import { parseModule } from "../../../src/compiler/syntax/parser.ts";

// Hand-written Gatekeeper-style templates (v0 and v1, with `lib` packages imported as
// data.lib.x); each `.ast.txt` holds the reviewed canonical print of its module.
const dir = join(import.meta.dirname, "gatekeeper");
const sources = readdirSync(dir).filter((f) => f.endsWith(".rego"));

describe("gatekeeper-style templates", () => {
  it("has the v0 and v1 fixtures", () => {
    expect(sources.length).toBe(6);
  });

  for (const file of sources) {
    it(`parses ${file}`, () => {
      const regoVersion = file.includes(".v1.") ? 1 : 0;
      const module = parseModule(readFileSync(join(dir, file), "utf8"), file, { regoVersion });
      expect(formatModule(module) + "\n").toBe(readFileSync(join(dir, file.replace(/\.rego$/, ".ast.txt")), "utf8"));
    });
  }

  it("rejects the v0 templates in v1 mode with the v1 spelling as hint", () => {
    const text = readFileSync(join(dir, "required-labels.v0.rego"), "utf8");
    expect(() => parseModule(text, "required-labels.rego", { regoVersion: 1 })).toThrow(
      "required-labels.rego:5:1: `if` keyword is required before rule body (hint: write `get_message(parameters, _default) = msg if { … }` or pass --v0-compatible)",
    );
  });
});
