// Integer arithmetic, comparison and printing at any size against JavaScript's BigInt: the input
// is JSON text (so that no JavaScript number rounds it), results are printed with %d. Division is
// OPA's: exact in int64, otherwise through 64-bit-mantissa floats (lib/bigfloat.ts).

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { prepareRuntime, RUNTIME_BUILD_TIMEOUT } from "../wasm/helpers.ts";

beforeAll(prepareRuntime, RUNTIME_BUILD_TIMEOUT);

const REGO = `package t
import rego.v1

a := input.a
b := input.b

remainder := sprintf("%d", [a % b]) if b != 0
else := "none"

# OPA divides exactly only through 64-bit-mantissa floats: exact where the dividend fits in them.
quotient := sprintf("%d", [input.product / b]) if {
  b != 0
  abs(input.product) < 18446744073709551616
} else := "rounded" if b != 0
else := "none"

r := [sprintf("%d", [a + b]), sprintf("%d", [a - b]), sprintf("%d", [a * b]), remainder, quotient, a < b, a == b, a > b, json.marshal([a, b]), count({a, b})]
`;

const I64 = 2n ** 63n;
/** Integers near the edges where the representation changes, and far past them. */
const integer = fc.oneof(
  fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.constantFrom(0n, 1n, -1n, I64 - 1n, I64, I64 + 1n, -I64, -I64 - 1n, 2n ** 64n, -(2n ** 64n), 2n ** 96n - 1n),
);

const text = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;

test("integers of any size add, subtract, multiply, divide, compare and print exactly", async () => {
  const policy = await loadPolicy(compileRego([{ file: "t.rego", text: REGO, regoVersion: 1 }], ["t/r"]));
  fc.assert(
    fc.property(integer, integer, (a, b) => {
      const input = `{"a": ${a}, "b": ${b}, "product": ${a * b}}`;
      const [result] = policy.evaluate(text(input), "t/r") as Array<{ result: unknown[] }>;
      expect(result!.result).toEqual([
        String(a + b),
        String(a - b),
        String(a * b),
        b === 0n ? "none" : String(a % b), // BigInt's % truncates, as Go's big.Int Rem
        b === 0n ? "none" : (a * b < 0n ? -(a * b) : a * b) < 2n ** 64n ? String(a) : "rounded",
        a < b,
        a === b,
        a > b,
        `[${a},${b}]`,
        a === b ? 1 : 2,
      ]);
    }),
    { numRuns: 1500 },
  );
});
