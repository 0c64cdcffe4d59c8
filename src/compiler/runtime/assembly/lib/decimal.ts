// Exact decimal digits of doubles, for formatting them as Go's strconv does: a double is
// m × 2^e, whose decimal expansion is finite, so the digits are computed exactly with a small
// big-integer, then rounded half to even (Go's decimal rounding) or cut to the shortest digits
// that read back as the same double, the closest such when several are as short (Go's Ryu).

/** Decimal digits (ASCII) d[0..nd) with the point dp places from the left: 0.d × 10^dp. */
export class Decimal {
  d: StaticArray<u8>;
  nd: i32 = 0;
  dp: i32 = 0;
  constructor(capacity: i32) {
    this.d = new StaticArray<u8>(capacity);
  }
}

// The integer the conversions work on, little-endian 32-bit limbs. m × 5^1076 (the smallest
// subnormal's exact expansion) needs about 2560 bits.
// In the module's static data: a heap object would be lost when an evaluation resets the heap
// (allocator.ts), and the next evaluation's values would overwrite it.
const LIMBS: i32 = 90;
const big: usize = memory.data(LIMBS << 2);
let bigLen: i32 = 0;

// @ts-ignore: decorator
@inline function limb(i: i32): u32 {
  return load<u32>(big + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setLimb(i: i32, value: u32): void {
  store<u32>(big + (<usize>i << 2), value);
}

function bigSet(m: u64): void {
  setLimb(0, <u32>m);
  setLimb(1, <u32>(m >> 32));
  bigLen = limb(1) != 0 ? 2 : limb(0) != 0 ? 1 : 0;
}

function bigMulSmall(k: u32): void {
  let carry: u64 = 0;
  for (let i = 0; i < bigLen; i++) {
    let p = <u64>limb(i) * <u64>k + carry;
    setLimb(i, <u32>p);
    carry = p >> 32;
  }
  if (carry != 0) setLimb(bigLen++, <u32>carry);
}

/** Divides the integer by d in place; returns the remainder. */
function bigDivSmall(d: u32): u32 {
  let rem: u64 = 0;
  for (let i = bigLen - 1; i >= 0; i--) {
    let cur = (rem << 32) | <u64>limb(i);
    setLimb(i, <u32>(cur / <u64>d));
    rem = cur % <u64>d;
  }
  while (bigLen > 0 && limb(bigLen - 1) == 0) bigLen--;
  return <u32>rem;
}

/** The exact decimal digits of m × 2^e (trailing zeros trimmed). */
export function exactDecimal(m: u64, e: i32): Decimal {
  let r = new Decimal(800);
  if (m == 0) return r;
  bigSet(m);
  let scale: i32 = 0;
  if (e >= 0) {
    for (let s = e; s > 0; s -= 31) bigMulSmall(<u32>1 << <u32>min(s, 31));
  } else {
    // m / 2^k = m × 5^k / 10^k
    for (let k = -e; k > 0; k -= 13) bigMulSmall(k >= 13 ? 1220703125 : <u32>Math.pow(5, k));
    scale = e;
  }
  // Nine digits at a time, least significant first, into the end of r.d.
  let cap = r.d.length;
  let at = cap;
  while (bigLen > 0) {
    let chunk = bigDivSmall(1000000000);
    for (let i = 0; i < 9; i++) {
      r.d[--at] = <u8>(0x30 + chunk % 10);
      chunk /= 10;
    }
  }
  while (r.d[at] == 0x30) at++;
  let n = cap - at;
  memory.copy(changetype<usize>(r.d), changetype<usize>(r.d) + <usize>at, <usize>n);
  r.nd = n;
  r.dp = n + scale;
  trimZeros(r);
  return r;
}

function trimZeros(a: Decimal): void {
  while (a.nd > 0 && a.d[a.nd - 1] == 0x30) a.nd--;
}

/** Rounds a to nd digits, half to even (exact digits: a 5 with nothing after is a tie). */
export function roundDecimal(a: Decimal, nd: i32): void {
  if (nd < 0 || nd >= a.nd) return;
  let c = a.d[nd];
  let up = c == 0x35 && nd + 1 == a.nd ? nd > 0 && (a.d[nd - 1] & 1) == 1 : c >= 0x35;
  if (up) roundUp(a, nd);
  else {
    a.nd = nd;
    trimZeros(a);
  }
}

function roundUp(a: Decimal, nd: i32): void {
  for (let i = nd - 1; i >= 0; i--) {
    if (a.d[i] < 0x39) {
      a.d[i]++;
      a.nd = i + 1;
      return;
    }
  }
  // All nines (or no digits kept): 1 with the point one place further.
  a.d[0] = 0x31;
  a.nd = 1;
  a.dp++;
}

/** Compares two positive decimals (or zero, nd == 0). */
export function compareDecimal(a: Decimal, b: Decimal): i32 {
  if (a.nd == 0 || b.nd == 0) return a.nd == 0 ? (b.nd == 0 ? 0 : -1) : 1;
  if (a.dp != b.dp) return a.dp < b.dp ? -1 : 1;
  let n = max(a.nd, b.nd);
  for (let i = 0; i < n; i++) {
    let x = i < a.nd ? a.d[i] : <u8>0x30;
    let y = i < b.nd ? b.d[i] : <u8>0x30;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

function withinBounds(c: Decimal, low: Decimal, high: Decimal, inclusive: bool): bool {
  let l = compareDecimal(c, low);
  let h = compareDecimal(c, high);
  return inclusive ? l >= 0 && h <= 0 : l > 0 && h < 0;
}

/** The first k digits of v, rounded down (up: plus one unit in the last place). */
function truncated(v: Decimal, k: i32, up: bool): Decimal {
  let r = new Decimal(k + 1);
  memory.copy(changetype<usize>(r.d), changetype<usize>(v.d), <usize>k);
  r.nd = k;
  r.dp = v.dp;
  if (up) roundUp(r, k);
  trimZeros(r);
  return r;
}

/**
 * The shortest digits that identify the double m × 2^e among its neighbours, the closest to it
 * when several are as short; the bounds are the midpoints with the neighbours, included when m
 * is even. `lowerGapHalved`: m is a power of two above the smallest exponent, so the neighbour
 * below is half as far.
 */
export function shortestDecimal(m: u64, e: i32, lowerGapHalved: bool): Decimal {
  let v = exactDecimal(m, e);
  if (m == 0) return v;
  let high = exactDecimal(2 * m + 1, e - 1);
  let low = lowerGapHalved ? exactDecimal(4 * m - 1, e - 2) : exactDecimal(2 * m - 1, e - 1);
  let inclusive = (m & 1) == 0;
  for (let k = 0; k < v.nd; k++) {
    let down = truncated(v, k, false);
    let up = truncated(v, k, true);
    // Which is closer: what follows the first k digits against one half.
    let next = v.d[k];
    let preferUp = next > 0x35 || (next == 0x35 && (k + 1 < v.nd || (k > 0 && (v.d[k - 1] & 1) == 1)));
    let first = preferUp ? up : down;
    let second = preferUp ? down : up;
    if (withinBounds(first, low, high, inclusive)) return first;
    if (withinBounds(second, low, high, inclusive)) return second;
  }
  return v;
}

/** shortestDecimal of a finite double's magnitude. */
export function shortestDecimalOf(f: f64): Decimal {
  let bits = reinterpret<u64>(f) & 0x7fffffffffffffff;
  let biased = <i32>(bits >> 52);
  let frac = bits & 0xfffffffffffff;
  return shortestDecimal(biased == 0 ? frac : frac | 0x10000000000000, biased == 0 ? -1074 : biased - 1075, frac == 0 && biased > 1);
}

/**
 * The double nearest the number written `text` (an optional sign, digits with an optional point,
 * an optional exponent), ties to even, as Go's strconv.ParseFloat and JSON.parse read it.
 * It starts a few ulps away at most (AssemblyScript's parseFloat can be far off for long texts)
 * and moves ulp by ulp until the number lies between the midpoints with the double's neighbours.
 */
export function nearestDouble(text: string): f64 {
  let negative = text.charCodeAt(0) == 0x2d;
  let v = decimalOfText(text);
  let f = approximateMagnitude(v);
  while (isFinite(f) && v.nd > 0) {
    let bits = reinterpret<u64>(f);
    let biased = <i32>(bits >> 52);
    let frac = bits & 0xfffffffffffff;
    let m = biased == 0 ? frac : frac | 0x10000000000000;
    let e = biased == 0 ? -1074 : biased - 1075;
    // A tie goes to the even mantissa.
    let odd = (m & 1) == 1;
    let above = compareDecimal(v, exactDecimal(2 * m + 1, e - 1));
    if (above > 0 || (above == 0 && odd)) {
      f = reinterpret<f64>(bits + 1);
      continue;
    }
    if (m == 0) break;
    let lower = frac == 0 && biased > 1 ? exactDecimal(4 * m - 1, e - 2) : exactDecimal(2 * m - 1, e - 1);
    let below = compareDecimal(v, lower);
    if (below < 0 || (below == 0 && odd)) {
      f = reinterpret<f64>(bits - 1);
      continue;
    }
    break;
  }
  return negative ? -f : f;
}

/** The exact decimal of a number's text (sign ignored), 0.d × 10^dp, or none for zero. */
export function decimalOfText(text: string): Decimal {
  let n = text.length;
  let r = new Decimal(n);
  let i = 0;
  let c = text.charCodeAt(0);
  if (c == 0x2d || c == 0x2b) i++;
  let afterPoint = false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c == 0x2e) {
      afterPoint = true;
    } else if (c >= 0x30 && c <= 0x39) {
      if (r.nd == 0 && c == 0x30) {
        // A leading zero only moves the point of a fraction.
        if (afterPoint) r.dp--;
      } else {
        r.d[r.nd++] = <u8>c;
        if (!afterPoint) r.dp++;
      }
    } else {
      break;
    }
  }
  if (i < n) {
    // The exponent, bounded far past where every double is 0 or infinite.
    i++;
    let expNegative = text.charCodeAt(i) == 0x2d;
    if (expNegative || text.charCodeAt(i) == 0x2b) i++;
    let exp: i32 = 0;
    for (; i < n; i++) exp = min(exp * 10 + (text.charCodeAt(i) - 0x30), 100000);
    r.dp += expNegative ? -exp : exp;
  }
  trimZeros(r);
  if (r.nd == 0) r.dp = 0;
  return r;
}

/** Within a few ulps of the decimal: its first 19 digits, exact in a u64, scaled by exact powers of ten. */
function approximateMagnitude(v: Decimal): f64 {
  let n = min(v.nd, 19);
  let m: u64 = 0;
  for (let i = 0; i < n; i++) m = m * 10 + <u64>(v.d[i] - 0x30);
  let f = <f64>m;
  let e = v.dp - n;
  while (e != 0 && f != 0 && isFinite(f)) {
    let k = min(e < 0 ? -e : e, 22);
    if (e > 0) f *= unchecked(POWERS_OF_TEN[k]);
    else f /= unchecked(POWERS_OF_TEN[k]);
    e += e > 0 ? -k : k;
  }
  return f;
}

export const POWERS_OF_TEN: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
