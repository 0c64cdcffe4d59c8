// The emitter's and runtime's speed-ups that the pack relies on, checked for unchanged results:
// per-function caches across `with` (src/compiler/wasm/memo.ts), sprintf's in-module formatting,
// and regex patterns compiled at instantiation serving every evaluation.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";

async function policyOf(rego: string, entrypoint: string) {
  const policy = await loadPolicy(compileRego([{ file: "test.rego", text: rego, regoVersion: 1 }], [entrypoint]));
  return (input: unknown) => (policy.evaluate(input, entrypoint) as Array<{ result: unknown }>).map((r) => r.result);
}

describe("per-function caches", () => {
  it("see input replaced by `with`, and tell arguments apart", async () => {
    const run = await policyOf(
      `package t
import rego.v1

p := input.x

f(a) := concat("-", [a, input.y])

g(a) := upper(a)

table := {"a": 1, "b": 2}

inner := v if {
	v := p with input.x as "w"
}

f_inner := v if {
	v := f("a") with input.y as "z"
}

r := {
	"outer": p, "inner": inner, "after": p,
	"f": [f("a"), f_inner, f("a"), f("b")],
	"g": [g("a"), g("b"), g("a")],
	"table": [table.a, table.b, count(table)],
}
`,
      "t/r",
    );
    const expected = (x: string, y: string) => ({
      outer: x, inner: "w", after: x,
      f: [`a-${y}`, "a-z", `a-${y}`, `b-${y}`],
      g: ["A", "B", "A"],
      table: [1, 2, 2],
    });
    expect(run({ x: "X", y: "Y" })).toEqual([expected("X", "Y")]);
    // A second evaluation starts with empty caches.
    expect(run({ x: "X2", y: "Y2" })).toEqual([expected("X2", "Y2")]);
  });
});

describe("sprintf", () => {
  it("formats strings, numbers and booleans in the module, UTF-8 and escapes kept", async () => {
    const run = await policyOf(
      `package t
import rego.v1

r := [
	sprintf("%s-%v 100%%", ["a", "b"]),
	sprintf("é%sü", ["ß"]),
	sprintf("%s", [""]),
	sprintf("no directives", []),
	sprintf("%s has %d", ["x", 3]),
	sprintf("%v and %s", [1.5, true]),
	sprintf("%s", [input.name]),
]
`,
      "t/r",
    );
    const name = 'quote " and \\ backslash';
    expect(run({ name })).toEqual([["a-b 100%", "éßü", "", "no directives", "x has 3", "1.5 and true", name]]);
  });
});

describe("regex patterns compiled at instantiation", () => {
  it("match alike in every evaluation, next to patterns only known at evaluation", async () => {
    const run = await policyOf(
      `package t
import rego.v1

r := [regex.match("(?i)^(pass|tok)en?", input.s), regex.match(input.p, input.s)]
`,
      "t/r",
    );
    for (let i = 0; i < 3; i++) {
      expect(run({ s: "TOKEN", p: "^T" })).toEqual([[true, true]]);
      expect(run({ s: "other", p: "^T" })).toEqual([[false, false]]);
      expect(run({ s: "passe", p: "e$" })).toEqual([[true, true]]);
    }
  });
});
