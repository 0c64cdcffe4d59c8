// Integers beyond i64, which OPA keeps exact: sign and magnitude in u32 limbs. Every integer that
// fits in i64 is a T_INT and every other one a T_BIG (finish() keeps it so), so the two never hold
// equal values and small integers never come here.
//
// Layout: [0] tag  [1] u8 negative  [4] u32 limb count n  [8] n u32 limbs, least significant
// first, the top one nonzero.

import { T_BIG, T_INT, tagOf, makeInt, intOf } from "./value";
import { nearestDouble } from "./lib/decimal";

// @ts-ignore: decorator
@inline function limbCount(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline function limbs(v: usize): usize {
  return v + 8;
}

// @ts-ignore: decorator
@inline export function bigNegative(v: usize): bool {
  return load<u8>(v, 1) != 0;
}

// @ts-ignore: decorator
@inline function limbAt(v: usize, i: u32): u32 {
  return load<u32>(v + 8 + (<usize>i << 2));
}

function allocBig(n: u32, negative: bool): usize {
  let v = __bump(8 + (<usize>n << 2));
  store<u32>(v, T_BIG | (negative ? 1 << 8 : 0));
  store<u32>(v, n, 4);
  memory.fill(limbs(v), 0, <usize>n << 2);
  return v;
}

/** v with its leading zero limbs dropped, as an int when it fits in i64. */
function finish(v: usize): usize {
  let n = limbCount(v);
  while (n > 0 && limbAt(v, n - 1) == 0) n--;
  store<u32>(v, n, 4);
  if (n > 2) return v;
  let m: u64 = n == 0 ? 0 : n == 1 ? <u64>limbAt(v, 0) : (<u64>limbAt(v, 1) << 32) | <u64>limbAt(v, 0);
  if (!bigNegative(v)) return m <= <u64>i64.MAX_VALUE ? makeInt(<i64>m) : v;
  return m <= 0x8000000000000000 ? makeInt(-<i64>m) : v;
}

/** A T_BIG-shaped copy of an integer of either kind (not normalised: an i64 stays small). */
function asBig(v: usize): usize {
  if (tagOf(v) == T_BIG) return v;
  let i = intOf(v);
  let u: u64 = i < 0 ? <u64>(-i) : <u64>i; // -i64.MIN wraps to 2^63, which is right as u64
  let r = allocBig(2, i < 0);
  store<u32>(limbs(r), <u32>u);
  store<u32>(limbs(r), <u32>(u >> 32), 4);
  return r;
}

/** Whether v is an integer of either kind. */
// @ts-ignore: decorator
@inline export function isInteger(v: usize): bool {
  let t = tagOf(v);
  return t == T_INT || t == T_BIG;
}

// ---- magnitudes ----

function compareMagnitude(a: usize, b: usize): i32 {
  let na = limbCount(a), nb = limbCount(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    let x = limbAt(a, <u32>i), y = limbAt(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

function addMagnitudes(a: usize, b: usize, negative: bool): usize {
  let na = limbCount(a), nb = limbCount(b);
  let n = max(na, nb);
  let r = allocBig(n + 1, negative);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let s = (i < na ? <u64>limbAt(a, i) : 0) + (i < nb ? <u64>limbAt(b, i) : 0) + carry;
    store<u32>(limbs(r) + (<usize>i << 2), <u32>s);
    carry = s >> 32;
  }
  store<u32>(limbs(r) + (<usize>n << 2), <u32>carry);
  return finish(r);
}

/** |a| - |b| with |a| >= |b|. */
function subtractMagnitudes(a: usize, b: usize, negative: bool): usize {
  let na = limbCount(a), nb = limbCount(b);
  let r = allocBig(na, negative);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < na; i++) {
    let d = <i64>limbAt(a, i) - (i < nb ? <i64>limbAt(b, i) : 0) - borrow;
    borrow = d < 0 ? 1 : 0;
    store<u32>(limbs(r) + (<usize>i << 2), <u32>(d + (borrow << 32)));
  }
  return finish(r);
}

// ---- arithmetic on integers of either kind ----

/** a + b, or a - b when `subtract`. */
export function bigAdd(a: usize, b: usize, subtract: bool): usize {
  let x = asBig(a), y = asBig(b);
  let nx = bigNegative(x);
  let ny = bigNegative(y) != subtract;
  if (nx == ny) return addMagnitudes(x, y, nx);
  return compareMagnitude(x, y) >= 0 ? subtractMagnitudes(x, y, nx) : subtractMagnitudes(y, x, ny);
}

export function bigMul(a: usize, b: usize): usize {
  let x = asBig(a), y = asBig(b);
  let nx = limbCount(x), ny = limbCount(y);
  let r = allocBig(nx + ny, bigNegative(x) != bigNegative(y));
  let out = limbs(r);
  for (let i: u32 = 0; i < nx; i++) {
    let carry: u64 = 0;
    let xi = <u64>limbAt(x, i);
    for (let j: u32 = 0; j < ny; j++) {
      let p = out + (<usize>(i + j) << 2);
      let t = xi * <u64>limbAt(y, j) + <u64>load<u32>(p) + carry;
      store<u32>(p, <u32>t);
      carry = t >> 32;
    }
    store<u32>(out + (<usize>(i + ny) << 2), <u32>carry);
  }
  return finish(r);
}

/** The quotient and remainder of the last bigDivide. */
export let bigQuotient: usize = 0;
export let bigRemainder: usize = 0;

/**
 * Truncated division of integers of either kind, b nonzero: the quotient rounds toward zero and
 * the remainder has a's sign, as Go's big.Int Quo and Rem.
 */
export function bigDivide(a: usize, b: usize): void {
  let x = asBig(a), y = asBig(b);
  let nx = limbCount(x), ny = limbCount(y);
  while (ny > 0 && limbAt(y, ny - 1) == 0) ny--;
  // Shift-and-subtract, a bit at a time: the remainder stays below |b| and fits in ny + 1 limbs.
  let q = allocBig(nx, bigNegative(x) != bigNegative(y));
  let r = allocBig(ny + 1, bigNegative(x));
  let rl = limbs(r);
  let divisor = allocBig(ny + 1, false);
  memory.copy(limbs(divisor), limbs(y), <usize>ny << 2);
  for (let i = <i32>nx * 32 - 1; i >= 0; i--) {
    let bit = (limbAt(x, <u32>i >> 5) >> (<u32>i & 31)) & 1;
    for (let k = <i32>ny; k > 0; k--) {
      let p = rl + (<usize>k << 2);
      store<u32>(p, (load<u32>(p) << 1) | (load<u32>(p - 4) >> 31));
    }
    store<u32>(rl, (load<u32>(rl) << 1) | bit);
    if (compareMagnitude(r, divisor) >= 0) {
      subtractInPlace(rl, limbs(divisor), ny + 1);
      let p = limbs(q) + (<usize>(<u32>i >> 5) << 2);
      store<u32>(p, load<u32>(p) | (1 << (<u32>i & 31)));
    }
  }
  bigQuotient = finish(q);
  bigRemainder = finish(r);
}

function subtractInPlace(a: usize, b: usize, n: u32): void {
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let p = a + (<usize>i << 2);
    let d = <i64>load<u32>(p) - <i64>load<u32>(b + (<usize>i << 2)) - borrow;
    borrow = d < 0 ? 1 : 0;
    store<u32>(p, <u32>(d + (borrow << 32)));
  }
}

export function bigNegate(v: usize): usize {
  let x = asBig(v);
  let n = limbCount(x);
  let r = allocBig(n, !bigNegative(x));
  memory.copy(limbs(r), limbs(x), <usize>n << 2);
  return finish(r);
}

/** Orders two integers of which at least one is a T_BIG. */
export function compareWithBig(a: usize, b: usize): i32 {
  if (tagOf(a) != T_BIG) return -compareWithBig(b, a);
  let negative = bigNegative(a);
  // A T_BIG lies beyond every i64.
  if (tagOf(b) != T_BIG || negative != bigNegative(b)) return negative ? -1 : 1;
  let c = compareMagnitude(a, b);
  return negative ? -c : c;
}

export function bigEqual(a: usize, b: usize): bool {
  return bigNegative(a) == bigNegative(b) && compareMagnitude(a, b) == 0;
}

export function bigHash(v: usize): u32 {
  let h: u32 = bigNegative(v) ? 0x6a09e667 : 0xbb67ae85;
  let n = limbCount(v);
  for (let i: u32 = 0; i < n; i++) h = rotl<u32>((h ^ limbAt(v, i)) * 0x01000193, 13);
  return h;
}

// ---- conversions ----

/** The integer written by n ASCII digits at p followed by `zeros` zeros. */
export function bigFromDigits(p: usize, n: usize, zeros: i32, negative: bool): usize {
  // log2(10) < 3.33: room for every digit, then fixed by finish().
  let r = allocBig(<u32>((<f64>(<i32>n + zeros) * 3.33) / 32) + 2, negative);
  store<u32>(r, 0, 4);
  for (let i: usize = 0; i < n; i += 9) {
    let chunk: u32 = 0;
    let scale: u32 = 1;
    for (let k = i; k < n && k < i + 9; k++) {
      chunk = chunk * 10 + (<u32>load<u8>(p + k) - 0x30);
      scale *= 10;
    }
    mulAddSmall(r, scale, chunk);
  }
  for (let z = zeros; z > 0; z -= 9) mulAddSmall(r, z >= 9 ? 1000000000 : <u32>Math.pow(10, z), 0);
  return finish(r);
}

/** r = r × k + c, growing r's limb count (its allocation has room). */
function mulAddSmall(r: usize, k: u32, c: u32): void {
  let n = limbCount(r);
  let carry = <u64>c;
  for (let i: u32 = 0; i < n; i++) {
    let p = limbs(r) + (<usize>i << 2);
    let t = <u64>load<u32>(p) * <u64>k + carry;
    store<u32>(p, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0) {
    store<u32>(limbs(r) + (<usize>n << 2), <u32>carry);
    store<u32>(r, n + 1, 4);
  }
}

/** |v|'s digits in base 2, 8, 10 or 16, lower-case, without a sign. */
export function bigDigits(v: usize, base: u32): string {
  let x = asBig(v);
  let n = limbCount(x);
  let work = allocBig(n, false);
  memory.copy(limbs(work), limbs(x), <usize>n << 2);
  // The largest power of the base a limb holds, and how many digits it is.
  let width: i32 = base == 10 ? 9 : base == 16 ? 7 : base == 8 ? 10 : 31;
  let chunkBase = <u32>Math.pow(<f64>base, <f64>width);
  const DIGITS = "0123456789abcdef";
  let parts = new Array<string>();
  while (n > 0) {
    let rem: u64 = 0;
    for (let i = <i32>n - 1; i >= 0; i--) {
      let p = limbs(work) + (<usize>i << 2);
      let cur = (rem << 32) | <u64>load<u32>(p);
      store<u32>(p, <u32>(cur / <u64>chunkBase));
      rem = cur % <u64>chunkBase;
    }
    while (n > 0 && limbAt(work, n - 1) == 0) n--;
    let chunk = <u32>rem;
    let piece = "";
    for (let k = 0; k < width && (n > 0 || chunk != 0 || k == 0); k++) {
      piece = DIGITS.charAt(<i32>(chunk % base)) + piece;
      chunk /= base;
    }
    parts.push(piece);
  }
  parts.reverse();
  return parts.join("");
}

/** The double nearest v. */
export function bigToF64(v: usize): f64 {
  let f = nearestDouble(bigDigits(v, 10));
  return bigNegative(v) ? -f : f;
}

// ---- bits of magnitudes (for lib/bigfloat.ts) ----

/** The number of bits of |v|: 0 for zero. */
export function bitLength(v: usize): i32 {
  let x = asBig(v);
  let n = limbCount(x);
  while (n > 0 && limbAt(x, n - 1) == 0) n--;
  return n == 0 ? 0 : <i32>(n * 32) - <i32>clz<u32>(limbAt(x, n - 1));
}

/** Whether bit i (0 the lowest) of |v| is set. */
export function bitAt(v: usize, i: i32): bool {
  let x = asBig(v);
  let limb = <u32>i >> 5;
  return i >= 0 && limb < limbCount(x) && ((limbAt(x, limb) >> (<u32>i & 31)) & 1) != 0;
}

/** Whether any of the n lowest bits of |v| is set. */
export function lowBitsSet(v: usize, n: i32): bool {
  let x = asBig(v);
  let count = limbCount(x);
  for (let i: u32 = 0; i < count && n > 0; i++, n -= 32) {
    let mask: u32 = n >= 32 ? 0xffffffff : (<u32>1 << <u32>n) - 1;
    if ((limbAt(x, i) & mask) != 0) return true;
  }
  return false;
}

/** |v| × 2^n (n >= 0). */
export function shiftLeft(v: usize, n: i32): usize {
  let x = asBig(v);
  let count = limbCount(x);
  let words = <u32>n >> 5, bits = <u32>n & 31;
  let r = allocBig(count + words + 1, false);
  for (let i: u32 = 0; i < count; i++) {
    let w = <u64>limbAt(x, i) << bits;
    let p = limbs(r) + (<usize>(i + words) << 2);
    store<u32>(p, load<u32>(p) | <u32>w);
    store<u32>(p, <u32>(w >> 32), 4);
  }
  return finish(r);
}

/** |v| ÷ 2^n rounded down (n >= 0). */
export function shiftRight(v: usize, n: i32): usize {
  let x = asBig(v);
  let count = limbCount(x);
  let words = <u32>n >> 5, bits = <u32>n & 31;
  if (words >= count) return makeInt(0);
  let r = allocBig(count - words, false);
  for (let i: u32 = 0; i < count - words; i++) {
    let lo = <u64>limbAt(x, i + words);
    let hi = i + words + 1 < count ? <u64>limbAt(x, i + words + 1) : 0;
    store<u32>(limbs(r) + (<usize>i << 2), <u32>(((hi << 32) | lo) >> bits));
  }
  return finish(r);
}

/** Whether an integer of either kind is below zero. */
export function isNegativeInteger(v: usize): bool {
  return tagOf(v) == T_INT ? intOf(v) < 0 : bigNegative(v);
}

/** |v|. */
export function magnitude(v: usize): usize {
  if (tagOf(v) == T_INT) return intOf(v) >= 0 ? v : bigNegate(v);
  return bigNegative(v) ? bigNegate(v) : v;
}
