// sprintf of non-integral numbers against JavaScript's own correctly rounded conversions: %v (Go's
// shortest %g) against Number's shortest digits, %.Ne and %.Nf against toExponential and
// toFixed. The numbers are m / 10^k, computed alike by the module and here; JavaScript rounds
// exact ties away from zero where Go rounds them to even, so numbers whose expansion is short
// enough to hold a tie are left out (the conformance cases pin the ties).

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

const REGO = `package t
import rego.v1

x := input.m / input.d

r := [sprintf("%v", [x]), sprintf(sprintf("%%.%de", [input.p]), [x]), sprintf(sprintf("%%.%df", [input.p]), [x])]
`;

/** Go's %v of a float64 (strconv 'g', shortest) from JavaScript's shortest digits. */
function goShortest(x: number): string {
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const e = Number(exp);
  let text: string;
  if (e < -4 || e >= 6) {
    text = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  } else if (e < 0) {
    text = `0.${"0".repeat(-e - 1)}${digits}`;
  } else {
    const whole = digits.slice(0, e + 1).padEnd(e + 1, "0");
    const fraction = digits.slice(e + 1);
    text = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative ? `-${text}` : text;
}

/** toExponential's exponent as Go writes it: at least two digits. */
const goExponent = (s: string) => s.replace(/e([+-])(\d)$/, "e$10$2");

test("sprintf formats non-integral numbers as Go does", async () => {
  const policy = await loadPolicy(compileRego([{ file: "t.rego", text: REGO, regoVersion: 1 }], ["t/r"]));
  const numbers = fc
    .record({
      m: fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
      k: fc.integer({ min: 1, max: 22 }),
      p: fc.integer({ min: 0, max: 20 }),
    })
    .filter(({ m, k }) => {
      const x = m / 10 ** k;
      return !Number.isInteger(x) && !Number.isInteger(x * 2 ** 48) && Math.abs(x) < 1e21;
    });
  fc.assert(
    fc.property(numbers, ({ m, k, p }) => {
      const x = m / 10 ** k;
      const [result] = policy.evaluate({ m, d: 10 ** k, p }, "t/r") as Array<{ result: string[] }>;
      expect(result!.result).toEqual([goShortest(x), goExponent(x.toExponential(p)), x.toFixed(p)]);
    }),
    { numRuns: 3000 },
  );
});
