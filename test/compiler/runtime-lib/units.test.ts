// units.ts against OPA's units.parse (exact big.Rat arithmetic, non-integers
// printed with 10 decimals) and units.parse_bytes (big.Float, truncated to an
// integer). Error texts are OPA's.

import { beforeAll, describe, expect, test } from "vitest";
import { LOAD_TIMEOUT_MS, loadRuntimeLib, type RuntimeLib } from "./loader.ts";

let lib: RuntimeLib;
beforeAll(async () => {
  lib = await loadRuntimeLib();
}, LOAD_TIMEOUT_MS);

describe("unitsParse", () => {
  test.each([
    ["1", 1],
    ["10K", 10_000],
    ["10k", 10_000],
    ["1.5G", 1.5e9],
    ["1500m", 1.5],
    ["1m", 0.001],
    ["5M", 5e6],
    ["2T", 2e12],
    ["3P", 3e15],
    ["1E", 1e18],
    ["1e", 1e18],
    ["1Ki", 1024],
    ["1ki", 1024],
    ["1KI", 1024],
    ["1Mi", 1_048_576],
    ["1mi", 1_048_576],
    ["1.5Mi", 1_572_864],
    ["2Gi", 2_147_483_648],
    ["1Ti", 1_099_511_627_776],
    ["0.1Ki", 102.4],
    ["1e-3K", 1],
    ["2.5e6M", 2.5e12],
    ["1E3", 1000],
    ['"10K"', 10_000],
    ["-1K", -1000],
    ["+2k", 2000],
    [".5k", 500],
    ["0", 0],
    ["-0", 0],
    ["1.23456789012345m", 0.0012345679],
    ["0.00000000004", 0],
    ["0.00000000005", 0.0000000001],
  ] as [string, number][])("%j → %d", (input, expected) => {
    expect(lib.unitsParse(input)).toBe(expected);
  });

  test.each([
    ["10 K", "units.parse: spaces not allowed in resource strings"],
    ["", "units.parse: no amount provided"],
    ["K", "units.parse: no amount provided"],
    ['""', "units.parse: no amount provided"],
    ["10X", "units.parse: unit X not recognized"],
    ["10KB", "units.parse: unit Kb not recognized"],
    ["10mb", "units.parse: unit mb not recognized"],
    ["1/3", "units.parse: unit /3 not recognized"],
    ["1.2.3K", "units.parse: could not parse amount to a number"],
    ["1e+K", "units.parse: could not parse amount to a number"],
    ["1-2", "units.parse: could not parse amount to a number"],
    ["1e1234567", "units.parse: exponent too large"],
  ])("%j is refused", (input, message) => {
    expect(lib.unitsParse(input)).toBe(`error: ${message}`);
  });
});

describe("unitsParseBytes", () => {
  test.each([
    ["100", 100n],
    ["10KB", 10_000n],
    ["10kb", 10_000n],
    ["10K", 10_000n],
    ["5Mi", 5_242_880n],
    ["5MiB", 5_242_880n],
    ["4mb", 4_000_000n],
    ["4M", 4_000_000n],
    ["1.5GiB", 1_610_612_736n],
    ["1kib", 1024n],
    ["2TB", 2_000_000_000_000n],
    ["1TiB", 1_099_511_627_776n],
    ["1PB", 1_000_000_000_000_000n],
    ["1PiB", 1_125_899_906_842_624n],
    ["7EiB", 8_070_450_532_247_928_832n],
    ["1e6KB", 1_000_000_000n],
    ["1.5e3MB", 1_500_000_000n],
    ["2e6GiB", 2_147_483_648_000_000n],
    ["0.5", 0n],
    ["1.9KB", 1900n],
    ["1.0001KiB", 1024n],
    ["0.3KB", 300n],
    ["-1.5KB", -1500n],
    ['"12MB"', 12_000_000n],
    ["1e-30", 0n],
  ] as [string, bigint][])("%j → %d", (input, expected) => {
    expect(lib.unitsParseBytes(input)).toBe(expected);
  });

  test.each([
    ["10 MB", "units.parse_bytes: spaces not allowed in resource strings"],
    ["MB", "units.parse_bytes: no byte amount provided"],
    ["", "units.parse_bytes: no byte amount provided"],
    ["10XB", "units.parse_bytes: byte unit xb not recognized"],
    ["10bytes", "units.parse_bytes: byte unit bytes not recognized"],
    ["1..5KB", "units.parse_bytes: could not parse byte amount to a number"],
    ["1e9999999KB", "units.parse_bytes: exponent too large"],
  ])("%j is refused", (input, message) => {
    expect(lib.unitsParseBytes(input)).toBe(`error: ${message}`);
  });

  test("amounts beyond int64 are exact integers, as OPA's", () => {
    expect(lib.unitsParseBytes("10EB")).toBe(10_000_000_000_000_000_000n);
    expect(lib.unitsParseBytes("9223372036854775807")).toBe(9_223_372_036_854_775_807n);
    expect(lib.unitsParseBytes("9223372036854775808")).toBe(9_223_372_036_854_775_808n);
    expect(lib.unitsParseBytes("-16EiB")).toBe(-18_446_744_073_709_551_616n);
  });
});
