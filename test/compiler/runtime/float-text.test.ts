// How the module reads and writes a non-integral number (JSON input, JSON results, json.marshal,
// %v of a composite): OPA writes a number from the input as the input's text, which JSON
// serializers (JSON.stringify, Go's encoding/json) write as the double's shortest digits, the
// closest such when several are as short. The module holds the nearest double to the text and
// must write those same digits.

import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { RenewedPolicy } from "../../../src/engines/gatekeeper/instance.ts";
import { prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

const REGO = `package t

r := [json.marshal(input.xs), sprintf("%v", [input.xs])]
`;

// Every double, subnormals included: the module must read the digits back as the same double
// (the nearest, as JSON.parse does) and write them as JSON.stringify does.
const nonIntegral = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x));

function texts(policy: RenewedPolicy, xs: number[]): unknown {
  return (policy.evaluate({ xs }, "t/r") as Array<{ result: unknown }>)[0]?.result;
}

test("a non-integral number from the input is written as its shortest digits", () => {
  const policy = new RenewedPolicy(compileRego([{ file: "t.rego", text: REGO, regoVersion: 1 }], ["t/r"]));
  // AssemblyScript's own conversions wrote 0.30000000000000007 for the first and read the
  // second and third as a neighbouring double.
  const known = [0.1 + 0.2, 3.664861849781836e-231, 1.174552490572507e-308, 10 / 3, 1.5e-7, -2.5e-300, 5e-324, 2.2250738585072014e-308, 123456.789, 0.000001, 9007199254740.5];
  const written = "0.30000000000000004,3.664861849781836e-231,1.174552490572507e-308,3.3333333333333335,1.5e-7,-2.5e-300,5e-324,2.2250738585072014e-308,123456.789,0.000001,9007199254740.5";
  expect(texts(policy, known)).toEqual([`[${written}]`, `[${written.replaceAll(",", ", ")}]`]);
  fc.assert(
    fc.property(fc.array(nonIntegral, { minLength: 1, maxLength: 20 }), (xs) => {
      expect(texts(policy, xs)).toEqual([JSON.stringify(xs), `[${xs.map(String).join(", ")}]`]);
    }),
    { numRuns: 2000 },
  );
});
