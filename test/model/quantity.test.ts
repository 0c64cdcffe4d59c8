// Kubernetes quantities as every engine reads them (model/quantity.ts): the syntax of
// resource.Quantity, values compared exactly, rounded up to nano units and capped at 2^63-1.

import { describe, expect, it } from "vitest";
import { compareQuantities, quantityNanos } from "../../src/model/quantity.ts";

describe("quantityNanos", () => {
  it.each([
    ["1", 1_000_000_000n],
    ["500m", 500_000_000n],
    ["0.5", 500_000_000n],
    [".5", 500_000_000n],
    ["5.", 5_000_000_000n],
    ["+2", 2_000_000_000n],
    ["-1", -1_000_000_000n],
    ["100n", 100n],
    ["3u", 3000n],
    ["1k", 1000n * 10n ** 9n],
    ["1M", 10n ** 6n * 10n ** 9n],
    ["1G", 10n ** 9n * 10n ** 9n],
    ["1Gi", 2n ** 30n * 10n ** 9n],
    ["1.5Ki", 1536n * 10n ** 9n],
    ["1e3", 1000n * 10n ** 9n],
    ["1E-3", 1_000_000n],
    ["1E", 10n ** 18n * 10n ** 9n],
    ["0", 0n],
    ["0.0000000001", 1n],
    ["1.0000000001", 1_000_000_001n],
    ["-0.0000000001", -1n],
    ["10E", (2n ** 63n - 1n) * 10n ** 9n],
    ["1e400", (2n ** 63n - 1n) * 10n ** 9n],
    [2, 2_000_000_000n],
    [1.5, 1_500_000_000n],
  ])("reads %j", (text, nanos) => {
    expect(quantityNanos(text)).toBe(nanos);
  });

  it.each(["", " 1", "1 ", "1K", "1KB", "1mi", "1e", "1ee3", ".", "-", "1.2.3", "2 Gi", "1Ki3", "e3", "0x10", true, null, {}, ["1"]])(
    "refuses %j",
    (text) => {
      expect(quantityNanos(text)).toBeUndefined();
    },
  );
});

describe("compareQuantities", () => {
  it("compares by value across notations", () => {
    expect(compareQuantities(">", "1", "500m")).toBe(true);
    expect(compareQuantities(">", "1000m", "1")).toBe(false);
    expect(compareQuantities(">=", "1000m", "1")).toBe(true);
    expect(compareQuantities(">", "1Gi", "1G")).toBe(true);
    expect(compareQuantities("<", "1024Mi", "1Gi")).toBe(false);
    expect(compareQuantities("<=", "1024Mi", "1Gi")).toBe(true);
    expect(compareQuantities(">", 2, "1500m")).toBe(true);
  });

  it("is false when either side is no quantity", () => {
    expect(compareQuantities(">", "lots", "1")).toBe(false);
    expect(compareQuantities("<", "1", "lots")).toBe(false);
    expect(compareQuantities(">", undefined, "1")).toBe(false);
  });
});
