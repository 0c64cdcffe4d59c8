// A Wasm instance whose memory grew past its bound is replaced by a fresh one of the same module,
// with the data document set again: its memory is back at the baseline and its answers unchanged.

import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { MAX_INSTANCE_MEMORY_BYTES, RenewedPolicy } from "../../../src/engines/gatekeeper/instance.ts";

// Counts the input's items and says whether the data's marker is among them.
const WASM = compileRego(
  [{ file: "count.rego", regoVersion: 1, text: "package count\n\nimport rego.v1\n\nanswer := {\"items\": count(input.items), \"marked\": data.marker in input.items}\n" }],
  ["count/answer"],
);
const MIB = 1024 * 1024;
const small = { items: ["a", "b", "marked"] };
// About 8 MiB of JSON: the module's memory grows past the 4 MiB bound to hold it.
const big = { items: Array.from({ length: 100_000 }, (_, i) => `item-${i}-${"x".repeat(64)}`) };

describe("RenewedPolicy", () => {
  it("keeps 256 MiB between evaluations by default", () => {
    expect(MAX_INSTANCE_MEMORY_BYTES).toBe(256 * MIB);
  });

  it("replaces an instance left past its bound; memory is back at the baseline and the answers are right", () => {
    const policy = new RenewedPolicy(WASM, 4 * MIB);
    policy.setData({ marker: "marked" });
    expect(policy.evaluate(small, "count/answer")).toEqual([{ result: { items: 3, marked: true } }]);
    const baseline = policy.memoryBytes;
    expect(baseline).toBeLessThan(4 * MIB);

    expect(policy.evaluate(big, "count/answer")).toEqual([{ result: { items: 100_000, marked: false } }]);
    expect(policy.replacements).toBe(1);
    // The data document came along: the marker is still found.
    expect(policy.evaluate(small, "count/answer")).toEqual([{ result: { items: 3, marked: true } }]);
    expect(policy.memoryBytes).toBe(baseline);
  });

  it("keeps an instance that stayed within its bound", () => {
    const policy = new RenewedPolicy(WASM, 64 * MIB);
    policy.setData({ marker: "marked" });
    expect(policy.evaluate(big, "count/answer")).toEqual([{ result: { items: 100_000, marked: false } }]);
    expect(policy.replacements).toBe(0);
    expect(policy.memoryBytes).toBeGreaterThan(4 * MIB);
  });
});

describe("RenewedPolicy's results", () => {
  const exact = compileRego(
    [{ file: "exact.rego", regoVersion: 1, text: "package exact\n\nnext := input.n + 1\n\nhuge := 1000000000000000000000\n" }],
    ["exact/next", "exact/huge"],
  );

  it("are read with integers exact: bigints past 2^53, from a value or JSON bytes", () => {
    const policy = new RenewedPolicy(exact);
    expect(policy.evaluate({ n: 9007199254740992n }, "exact/next")).toEqual([{ result: 9007199254740993n }]);
    expect(policy.evaluate(new TextEncoder().encode('{"n": 18446744073709551615}').buffer, "exact/next")).toEqual([{ result: 18446744073709551616n }]);
    expect(policy.evaluate({ n: 41 }, "exact/next")).toEqual([{ result: 42 }]);
    expect(policy.evaluate(undefined, "exact/huge")).toEqual([{ result: 1000000000000000000000n }]);
  });

  it("refuse an unknown entrypoint and input bytes that are not JSON", () => {
    const policy = new RenewedPolicy(exact);
    expect(() => policy.evaluate({}, "exact/nope")).toThrow(new Error("entrypoint exact/nope is not valid in this instance"));
    expect(() => policy.evaluate(new TextEncoder().encode("{").buffer, "exact/next")).toThrow(new Error("the input is not valid JSON"));
  });
});
