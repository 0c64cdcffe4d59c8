// How the module writes a non-integral number inside a value (JSON results, json.marshal, %v of a
// composite): OPA writes a number from the input as the input's text, which JSON serializers
// (JSON.stringify, Go's encoding/json) write as the double's shortest digits, the closest such
// when several are as short. The module holds the double and must write those same digits.

import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { RenewedPolicy } from "../../../src/engines/gatekeeper/instance.ts";
import { prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

const REGO = `package t

r := [json.marshal(input.xs), sprintf("%v", [input.xs])]
`;

// m / 10^k: digits the module's JSON parser reads as the nearest double (one correctly rounded
// operation), as JSON.parse does.
const nonIntegral = fc
  .record({ m: fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }), k: fc.integer({ min: 1, max: 22 }) })
  .map(({ m, k }) => m / 10 ** k)
  .filter((x) => !Number.isInteger(x));

function texts(policy: RenewedPolicy, xs: number[]): unknown {
  return (policy.evaluate({ xs }, "t/r") as Array<{ result: unknown }>)[0]?.result;
}

test("a non-integral number from the input is written as its shortest digits", () => {
  const policy = new RenewedPolicy(compileRego([{ file: "t.rego", text: REGO, regoVersion: 1 }], ["t/r"]));
  // Where the shortest digits are not the first that read back: AssemblyScript's own conversion wrote 0.30000000000000007.
  const known = [0.1 + 0.2, 10 / 3, 1.5e-7, -2.5e-300, 5e-324, 123456.789, 0.000001, 9007199254740.5];
  expect(texts(policy, known)).toEqual([
    "[0.30000000000000004,3.3333333333333335,1.5e-7,-2.5e-300,5e-324,123456.789,0.000001,9007199254740.5]",
    "[0.30000000000000004, 3.3333333333333335, 1.5e-7, -2.5e-300, 5e-324, 123456.789, 0.000001, 9007199254740.5]",
  ]);
  fc.assert(
    fc.property(fc.array(nonIntegral, { minLength: 1, maxLength: 20 }), (xs) => {
      expect(texts(policy, xs)).toEqual([JSON.stringify(xs), `[${xs.map(String).join(", ")}]`]);
    }),
    { numRuns: 2000 },
  );
});
