// Kubernetes resource quantities ("500m", "1Gi", "2", "1e3") in the rule model: whether a value is
// one, and comparing two by value, the same in every engine. No maintained npm package parses
// Kubernetes quantities exactly (client libraries convert them to floating point), so the grammar
// and value rules of k8s.io/apimachinery's resource.Quantity are stated here once:
// - syntax: a sign, a decimal number (`1`, `1.5`, `.5`, `5.`), then at most one suffix: a binary
//   one (Ki Mi Gi Ti Pi Ei), a decimal one (n u m k M G T P E) or an exponent (`e3`, `E-2`);
// - value: the number times its suffix, rounded up (away from zero) to a multiple of 10^-9 and
//   capped at 2^63-1, as ParseQuantity does; so "1000m" equals "1", "1Gi" is above "1G".
// A JSON number is the quantity it spells (the API server decodes `cpu: 2` as "2").

import { type Comparison, type Condition, type Value, compares } from "./expr.ts";
import { type Operand, toValue } from "./dsl.ts";

/** The quantity syntax as an RE2 expression, matched by every engine. */
export const QUANTITY_PATTERN = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$";
const QUANTITY = new RegExp(QUANTITY_PATTERN);

export type QuantityCondition =
  /** `value` present and a quantity: a number, or a string in quantity syntax. */
  | { op: "quantity"; value: Value }
  /** Both present quantities and `left cmp right` by their values. */
  | { op: "compareQuantity"; cmp: Comparison; left: Value; right: Value };

/** Holds for a value that is a Kubernetes quantity. */
export const isQuantity = (value: Operand<unknown>): Condition => ({ op: "quantity", value: toValue(value) });

/** Holds when both are quantities and `left` is above `right` by value ("2" above "1500m"). */
export const quantityAbove = (left: Operand<unknown>, right: Operand<string>): Condition => ({
  op: "compareQuantity",
  cmp: ">",
  left: toValue(left),
  right: toValue(right),
});

const NANO_PER_UNIT = 10n ** 9n;
/** ParseQuantity's cap: 2^63-1, in nano units. */
const CAP = (2n ** 63n - 1n) * NANO_PER_UNIT;
const BINARY: Record<string, bigint> = { Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Past this power of ten every non-zero quantity is at the cap, below its negation at one nano unit. */
const EXPONENT_BOUND = 40;

/** The value of a quantity in units of 10^-9, as Kubernetes parses it; undefined for anything that is no quantity. */
export function quantityNanos(value: unknown): bigint | undefined {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string" || !QUANTITY.test(text)) return undefined;
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text)!;
  const [, sign, whole = "", fraction = "", suffix = ""] = match;
  let numerator = BigInt(`${whole}${fraction}` || "0");
  let exponent = -fraction.length;
  let denominator = 1n;
  if (suffix in BINARY) numerator *= BINARY[suffix]!;
  else if (suffix in DECIMAL) exponent += DECIMAL[suffix]!;
  else exponent += Number(suffix.slice(1));
  exponent += 9;
  if (numerator === 0n) return 0n;
  if (exponent > EXPONENT_BOUND) return sign === "-" ? -CAP : CAP;
  if (exponent < -EXPONENT_BOUND) return sign === "-" ? -1n : 1n;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator = 10n ** BigInt(-exponent);
  // Rounded up, away from zero, then capped.
  let nanos = (numerator + denominator - 1n) / denominator;
  if (nanos > CAP) nanos = CAP;
  return sign === "-" ? -nanos : nanos;
}

/** `left cmp right` for two quantities; false when either is none. */
export function compareQuantities(cmp: Comparison, left: unknown, right: unknown): boolean {
  const [a, b] = [quantityNanos(left), quantityNanos(right)];
  return a !== undefined && b !== undefined && compares(cmp, a, b);
}
