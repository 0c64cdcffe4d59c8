// Binary floating-point numbers with a mantissa of a chosen number of bits, rounded to nearest
// even, as Go's math/big Float computes: OPA runs arithmetic on numbers that are not integers
// through big.Float at precision 64 (product at 53), reads a number's text with SetString and
// writes a result with Text('g', -1), or Text('f', -1) when it is an integer.
//
// A BinaryFloat is ±mant × 2^exp, mant a non-negative integer value (T_INT or T_BIG, bignum.ts).

import { makeInt, intOf, tagOf, T_INT } from "../value";
import { bigAdd, bigMul, bigDivide, bigQuotient, bigRemainder, bigDigits, bigFromDigits, bigNegate, isNegativeInteger, bitLength, bitAt, lowBitsSet, shiftLeft, shiftRight, magnitude } from "../bignum";

export class BinaryFloat {
  constructor(
    public negative: bool,
    public mant: usize,
    public exp: i64,
  ) {}

  isZero(): bool {
    return tagOf(this.mant) == T_INT && intOf(this.mant) == 0;
  }
}

/** The largest decimal exponent a text may have to be read: beyond it an operation is undefined. */
export const MAX_DECIMAL_EXPONENT: i32 = 4000;

function zero(negative: bool): BinaryFloat {
  return new BinaryFloat(negative, makeInt(0), 0);
}

/**
 * mant × 2^exp rounded to `prec` bits, half to even; `sticky` says that the exact value lies
 * above mant × 2^exp by less than one unit of mant's last bit.
 */
function rounded(negative: bool, mant: usize, exp: i64, prec: i32, sticky: bool): BinaryFloat {
  let bits = bitLength(mant);
  if (bits <= prec) return new BinaryFloat(negative, mant, exp);
  let drop = bits - prec;
  let kept = shiftRight(mant, drop);
  let half = bitAt(mant, drop - 1);
  let rest = sticky || lowBitsSet(mant, drop - 1);
  if (half && (rest || bitAt(kept, 0))) {
    kept = bigAdd(kept, makeInt(1), false);
    if (bitLength(kept) > prec) {
      kept = shiftRight(kept, 1);
      drop++;
    }
  }
  return new BinaryFloat(negative, kept, exp + drop);
}

export function roundTo(x: BinaryFloat, prec: i32): BinaryFloat {
  return rounded(x.negative, x.mant, x.exp, prec, false);
}

/** An integer value (T_INT or T_BIG) as an exact BinaryFloat. */
export function fromInteger(v: usize): BinaryFloat {
  return new BinaryFloat(isNegativeInteger(v), magnitude(v), 0);
}

function signed(negative: bool, m: usize): usize {
  return negative ? bigNegate(m) : m;
}

export function multiply(a: BinaryFloat, b: BinaryFloat, prec: i32): BinaryFloat {
  return rounded(a.negative != b.negative, bigMul(a.mant, b.mant), a.exp + b.exp, prec, false);
}

/** a ÷ b, b nonzero. */
export function divide(a: BinaryFloat, b: BinaryFloat, prec: i32): BinaryFloat {
  if (a.isZero()) return zero(a.negative != b.negative);
  // Enough quotient bits for the precision, a rounding bit and one to spare.
  let shift = max(0, prec + 2 + bitLength(b.mant) - bitLength(a.mant));
  bigDivide(shiftLeft(a.mant, shift), b.mant);
  let remainder = bigRemainder;
  let sticky = !(tagOf(remainder) == T_INT && intOf(remainder) == 0);
  return rounded(a.negative != b.negative, bigQuotient, a.exp - b.exp - <i64>shift, prec, sticky);
}

/** a + b (a - b when `subtract`). */
export function add(a: BinaryFloat, b: BinaryFloat, subtract: bool, prec: i32): BinaryFloat {
  let bNegative = b.negative != subtract;
  if (b.isZero()) return roundTo(a, prec);
  if (a.isZero()) return rounded(bNegative, b.mant, b.exp, prec, false);
  // An operand more than prec + 4 bits below the other's top bit moves the rounded sum only by
  // its sign: it stands in as one bit far below the rounding position, so that no huge shift is made.
  let topA = a.exp + <i64>bitLength(a.mant), topB = b.exp + <i64>bitLength(b.mant);
  let bMant = b.mant, bExp = b.exp, aMant = a.mant, aExp = a.exp;
  if (topA - topB > <i64>(prec + 4)) {
    bMant = makeInt(1);
    bExp = topA - <i64>prec - 6;
  } else if (topB - topA > <i64>(prec + 4)) {
    aMant = makeInt(1);
    aExp = topB - <i64>prec - 6;
  }
  let exp = min(aExp, bExp);
  let x = shiftLeft(aMant, <i32>(aExp - exp));
  let y = shiftLeft(bMant, <i32>(bExp - exp));
  let sum = bigAdd(signed(a.negative, x), signed(bNegative, y), false);
  // An exact zero sum is +0 under rounding to nearest.
  return rounded(isNegativeInteger(sum), magnitude(sum), exp, prec, false);
}

/** The integer part, rounded toward zero, as an integer value. */
export function truncate(x: BinaryFloat): usize {
  return signed(x.negative, x.exp >= 0 ? shiftLeft(x.mant, <i32>x.exp) : shiftRight(x.mant, <i32>-x.exp));
}

export function isIntegral(x: BinaryFloat): bool {
  return x.exp >= 0 || !lowBitsSet(x.mant, <i32>-x.exp);
}

// ---- reading text (Go's Float.SetString) ----

/** 5^n at precision prec + 64, as Go's pow5: exact to 5^27, then by squaring, rounding as it goes. */
function pow5(n: i32, prec: i32): BinaryFloat {
  let z = new BinaryFloat(false, makeInt(7450580596923828125), 0); // 5^27
  if (n <= 27) {
    let p: i64 = 1;
    for (let i = 0; i < n; i++) p *= 5;
    return new BinaryFloat(false, makeInt(p), 0);
  }
  n -= 27;
  let zPrec = prec + 64;
  let f = new BinaryFloat(false, makeInt(5), 0);
  while (n > 0) {
    if ((n & 1) != 0) z = multiply(z, f, zPrec);
    f = multiply(f, f, zPrec + 64);
    n >>= 1;
  }
  return z;
}

/**
 * The number written by the ASCII text at p (a JSON number), at precision prec, as Go's
 * SetString reads it: the digits exactly, then the decimal exponent applied by one multiplication
 * or division by pow5; null when the exponent is beyond MAX_DECIMAL_EXPONENT.
 */
export function readDecimal(p: usize, len: usize, prec: i32): BinaryFloat | null {
  let i: usize = 0;
  let negative = load<u8>(p) == 0x2d;
  if (negative) i++;
  let digits = __bump(len);
  let nd: usize = 0;
  let exp5: i32 = 0;
  let afterPoint = false;
  for (; i < len; i++) {
    let c = load<u8>(p + i);
    if (c == 0x2e) afterPoint = true;
    else if (c >= 0x30 && c <= 0x39) {
      store<u8>(digits + nd++, c);
      if (afterPoint) exp5--;
    } else break;
  }
  if (i < len) {
    i++; // e or E
    let expNegative = load<u8>(p + i) == 0x2d;
    if (expNegative || load<u8>(p + i) == 0x2b) i++;
    let e: i32 = 0;
    for (; i < len; i++) e = min(e * 10 + <i32>(load<u8>(p + i) - 0x30), 1000000);
    exp5 += expNegative ? -e : e;
  }
  let mant = bigFromDigits(digits, nd, 0, false);
  if (tagOf(mant) == T_INT && intOf(mant) == 0) return zero(negative);
  if (exp5 > MAX_DECIMAL_EXPONENT || exp5 < -MAX_DECIMAL_EXPONENT) return null;
  // Go keeps the digits unrounded until the one operation with 5^|exp5| (10^e = 5^e × 2^e).
  let z = new BinaryFloat(negative, mant, <i64>exp5);
  if (exp5 == 0) return roundTo(z, prec);
  let p5 = pow5(exp5 < 0 ? -exp5 : exp5, prec);
  return exp5 > 0 ? multiply(z, p5, prec) : divide(z, p5, prec);
}

// ---- writing text (Go's Float.Text with precision -1) ----

/** Exact decimal digits of mant × 2^exp: digits (no leading zeros, trailing ones trimmed) and the point dp places from the left. */
class Digits {
  constructor(
    public d: string,
    public dp: i32,
  ) {}
}

function exactDigits(mant: usize, exp: i64): Digits {
  let m = mant;
  let scale: i32 = 0;
  if (exp >= 0) m = shiftLeft(m, <i32>exp);
  else {
    // m / 2^k = m × 5^k / 10^k
    m = bigMul(m, pow5Exact(<i32>-exp));
    scale = <i32>exp;
  }
  let d = bigDigits(m, 10);
  let dp = d.length + scale;
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) == 0x30) end--;
  return new Digits(d.substring(0, end), dp);
}

function pow5Exact(n: i32): usize {
  let r = makeInt(1);
  let base = makeInt(5);
  while (n > 0) {
    if ((n & 1) != 0) r = bigMul(r, base);
    base = bigMul(base, base);
    n >>= 1;
  }
  return r;
}

function digitAt(x: Digits, i: i32): i32 {
  return i < x.d.length ? x.d.charCodeAt(i) : 0x30;
}

/** x cut to n digits, rounded up in the last one. */
function roundedUp(x: Digits, n: i32): Digits {
  let i = n - 1;
  while (i >= 0 && x.d.charCodeAt(i) == 0x39) i--;
  if (i < 0) return new Digits("1", x.dp + 1);
  return new Digits(x.d.substring(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), x.dp);
}

/** x cut to n digits. */
function roundedDown(x: Digits, n: i32): Digits {
  let end = n;
  while (end > 0 && x.d.charCodeAt(end - 1) == 0x30) end--;
  return new Digits(x.d.substring(0, end), x.dp);
}

/** x to n digits, half to even on an exact tie. */
function roundedNearest(x: Digits, n: i32): Digits {
  if (n >= x.d.length) return x;
  let c = x.d.charCodeAt(n);
  let up = c == 0x35 && n + 1 == x.d.length ? n > 0 && ((x.d.charCodeAt(n - 1) - 0x30) & 1) != 0 : c >= 0x35;
  return up ? roundedUp(x, n) : roundedDown(x, n);
}

/**
 * The fewest digits that read back as x at precision prec, as Go's roundShortest finds them: the
 * bounds half an ulp either side (inclusive when the mantissa is even), compared digit by digit
 * at the same index.
 */
function shortestDigits(x: BinaryFloat, prec: i32): Digits {
  // The mantissa widened to exactly prec + 1 bits, its lowest bit half an ulp.
  let bits = bitLength(x.mant);
  let shift = prec + 1 - bits;
  let mant = shift >= 0 ? shiftLeft(x.mant, shift) : shiftRight(x.mant, -shift);
  let exp = x.exp - <i64>shift;
  let d = exactDigits(mant, exp);
  let lower = exactDigits(bigAdd(mant, makeInt(1), true), exp);
  let upper = exactDigits(bigAdd(mant, makeInt(1), false), exp);
  let inclusive = !bitAt(mant, 1);
  for (let i = 0; i < d.d.length; i++) {
    let l = digitAt(lower, i), m = d.d.charCodeAt(i), u = digitAt(upper, i);
    let okDown = l != m || (inclusive && i + 1 == lower.d.length);
    let okUp = m != u && (inclusive || m + 1 < u || i + 1 < upper.d.length);
    if (okDown && okUp) return roundedNearest(d, i + 1);
    if (okDown) return roundedDown(d, i + 1);
    if (okUp) return roundedUp(d, i + 1);
  }
  return d;
}

/** Go's %e of digits with every digit kept: d.ddde±XX. */
function formatE(x: Digits): string {
  let s = x.d.substring(0, 1);
  if (x.d.length > 1) s += "." + x.d.substring(1);
  let e = x.d.length == 0 ? 0 : x.dp - 1;
  let sign = e < 0 ? "-" : "+";
  if (e < 0) e = -e;
  return s + "e" + sign + (e < 10 ? "0" : "") + e.toString();
}

/** Go's %f of digits with every fraction digit kept. */
function formatF(x: Digits): string {
  let s = "";
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) s += String.fromCharCode(digitAt(x, i));
  } else s = "0";
  let frac = x.d.length - x.dp;
  if (frac > 0) {
    s += ".";
    for (let i = 0; i < frac; i++) {
      let at = x.dp + i;
      s += at < 0 ? "0" : String.fromCharCode(digitAt(x, at));
    }
  }
  return s;
}

/** Text('g', -1), or Text('f', -1) when x is an integer, as OPA's FloatToNumber writes a result. */
export function numberText(x: BinaryFloat, prec: i32): string {
  let sign = x.negative ? "-" : "";
  if (x.isZero()) return sign + "0";
  let d = shortestDigits(x, prec);
  if (isIntegral(x)) return sign + formatF(d);
  let e = d.dp - 1;
  return sign + (e < -4 || e >= 6 ? formatE(d) : formatF(d));
}
