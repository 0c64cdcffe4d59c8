// Numbers that are not integers, as OPA holds them: a number is its text. It is printed as
// written (1.50 stays 1.50), compared by the exact value of that text, and computed on through
// math/big floats (lib/bigfloat.ts), whose result is written back as text. The double a float
// value also carries serves what OPA runs on float64 (sprintf) and the quick path of comparison.

import { T_INT, T_FLOAT, T_BIG, tagOf, intOf, numberAsF64, floatTextPtr, floatTextLen } from "./value";
import { bigDigits, isNegativeInteger } from "./bignum";
import { Decimal, decimalOfText, compareDecimal } from "./lib/decimal";
import { BinaryFloat, readDecimal, fromInteger, roundTo, numberText } from "./lib/bigfloat";
import { parseJSON } from "./json";

/** OPA's precision for arithmetic on numbers that are not integers. */
export const PRECISION: i32 = 64;

function isNegative(v: usize): bool {
  return tagOf(v) == T_FLOAT ? load<u8>(floatTextPtr(v)) == 0x2d : isNegativeInteger(v);
}

/** The exact decimal of |v| (decimalOfText ignores the sign). */
function magnitudeDecimal(v: usize): Decimal {
  let t = tagOf(v);
  if (t == T_INT) return decimalOfText(intOf(v).toString());
  if (t == T_BIG) return decimalOfText(bigDigits(v, 10));
  return decimalOfText(String.UTF8.decodeUnsafe(floatTextPtr(v), floatTextLen(v)));
}

/**
 * Orders two numbers of which one is a float by their exact values. Rounding to the nearest
 * double keeps order, so different doubles settle it; only equal ones need the digits.
 */
export function compareWithFloat(a: usize, b: usize): i32 {
  let x = numberAsF64(a), y = numberAsF64(b);
  if (x != y) return x < y ? -1 : 1;
  let na = isNegative(a), nb = isNegative(b);
  let da = magnitudeDecimal(a), db = magnitudeDecimal(b);
  // A zero (the int 0) has no digits, and a float's sign is that of its text.
  if (da.nd == 0 || db.nd == 0) {
    let sa = da.nd == 0 ? 0 : na ? -1 : 1;
    let sb = db.nd == 0 ? 0 : nb ? -1 : 1;
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  if (na != nb) return na ? -1 : 1;
  let c = compareDecimal(da, db);
  return na ? -c : c;
}

/** OPA's NumberToFloat: the number read at `prec` bits; null past the exponents handled. */
export function toBinary(v: usize, prec: i32): BinaryFloat | null {
  if (tagOf(v) != T_FLOAT) return roundTo(fromInteger(v), prec);
  return readDecimal(floatTextPtr(v), floatTextLen(v), prec);
}

/** OPA's FloatToNumber: the number whose text is x's shortest digits at `prec` bits. */
export function fromBinary(x: BinaryFloat, prec: i32): usize {
  let bytes = String.UTF8.encode(numberText(x, prec));
  return parseJSON(changetype<usize>(bytes), <usize>bytes.byteLength, false);
}
