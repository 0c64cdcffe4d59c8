// Comparison, arithmetic, aggregates and units built-ins.

import { bigAdd, bigMul, bigDivide, bigRemainder, bigDigits, bigNegative, isInteger, isNegativeInteger } from "../bignum";
import { T_NULL, T_BOOL, T_INT, T_FLOAT, T_BIG, T_STRING, T_ARRAY, T_OBJECT, T_SET, tagOf, boolValue, makeInt, isNumber, intOf, numberAsF64, asInteger, intResult, makeString, strLen, strPtr, strCount, makeArray, arrLen, arrGet, arrAppend, makeSet, collLen, entryKey, setAdd, setContains, setCopy } from "../value";
import { compareValues, valueEqual } from "../order";
import { toAS, fromAS, isInt, elemCount, isArrayOrSet, isString, elemAt } from "./helpers";
import { parseJSON } from "../json";
import { unitsParse, unitsParseBytes, UnitsResult } from "../lib/units";
import { BinaryFloat, add, multiply, divide, truncate, isIntegral } from "../lib/bigfloat";
import { PRECISION, toBinary, fromBinary } from "../float-values";

// ---- comparison and equality ----

export function b_equal(a: usize, b: usize): usize {
  return boolValue(valueEqual(a, b));
}

export function b_neq(a: usize, b: usize): usize {
  return boolValue(!valueEqual(a, b));
}

export function b_lt(a: usize, b: usize): usize {
  return boolValue(compareValues(a, b) < 0);
}

export function b_lte(a: usize, b: usize): usize {
  return boolValue(compareValues(a, b) <= 0);
}

export function b_gt(a: usize, b: usize): usize {
  return boolValue(compareValues(a, b) > 0);
}

export function b_gte(a: usize, b: usize): usize {
  return boolValue(compareValues(a, b) >= 0);
}

// ---- arithmetic ----

// Integers are exact at any size (i64 while they fit, then bignum.ts), as OPA's big.Int
// arithmetic; any other operand makes the operation OPA's big.Float one (float-values.ts).

const OP_ADD: i32 = 0;
const OP_SUBTRACT: i32 = 1;
const OP_MULTIPLY: i32 = 2;
const OP_DIVIDE: i32 = 3;

/** a op b with both read at OPA's precision and the result written back as a number. */
function floatArithmetic(a: usize, b: usize, op: i32): usize {
  let x = toBinary(a, PRECISION), y = toBinary(b, PRECISION);
  if (x === null || y === null) return 0;
  let r: BinaryFloat;
  if (op == OP_MULTIPLY) r = multiply(x, y, PRECISION);
  else if (op == OP_DIVIDE) r = divide(x, y, PRECISION);
  else r = add(x, y, op == OP_SUBTRACT, PRECISION);
  return fromBinary(r, PRECISION);
}

export function b_plus(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    let r = x + y;
    // Overflow when both operands have the sign the result lacks.
    if (((x ^ r) & (y ^ r)) >= 0) return makeInt(r);
  }
  if (isInteger(a) && isInteger(b)) return bigAdd(a, b, false);
  return floatArithmetic(a, b, OP_ADD);
}

function setDifference(a: usize, b: usize): usize {
  let r = makeSet();
  let n = collLen(a);
  for (let i: u32 = 0; i < n; i++) {
    let e = entryKey(a, i);
    if (!setContains(b, e)) setAdd(r, e);
  }
  return r;
}

export function b_minus(a: usize, b: usize): usize {
  if (tagOf(a) == T_SET && tagOf(b) == T_SET) return setDifference(a, b);
  if (!isNumber(a) || !isNumber(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    let r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return makeInt(r);
  }
  if (isInteger(a) && isInteger(b)) return bigAdd(a, b, true);
  return floatArithmetic(a, b, OP_SUBTRACT);
}

export function b_mul(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    // Exact in i64 when both fit in 31 bits.
    if (x > -0x80000000 && x < 0x80000000 && y > -0x80000000 && y < 0x80000000) return makeInt(x * y);
  }
  if (isInteger(a) && isInteger(b)) return bigMul(a, b);
  return floatArithmetic(a, b, OP_MULTIPLY);
}

export function b_div(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  // Floats are never zero: a zero written 0.0 is the integer 0.
  if (isInt(b) && intOf(b) == 0) return 0;
  // OPA divides integers exactly only when the divisor divides the dividend, and otherwise (big
  // integers too) through big.Float; within i64 the two agree.
  if (isInt(a) && isInt(b) && intOf(a) % intOf(b) == 0 && !(intOf(a) == i64.MIN_VALUE && intOf(b) == -1)) {
    return makeInt(intOf(a) / intOf(b));
  }
  return floatArithmetic(a, b, OP_DIVIDE);
}

export function b_rem(a: usize, b: usize): usize {
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    if (y == 0) return 0;
    if (y == -1) return makeInt(0);
    return makeInt(x % y);
  }
  if (!isInteger(a) || !isInteger(b) || (isInt(b) && intOf(b) == 0)) return 0;
  bigDivide(a, b);
  return bigRemainder;
}

export function b_or(a: usize, b: usize): usize {
  if (tagOf(a) != T_SET || tagOf(b) != T_SET) return 0;
  let r = setCopy(a);
  let n = collLen(b);
  for (let i: u32 = 0; i < n; i++) setAdd(r, entryKey(b, i));
  return r;
}

export function b_and(a: usize, b: usize): usize {
  if (tagOf(a) != T_SET || tagOf(b) != T_SET) return 0;
  let r = makeSet();
  let n = collLen(a);
  for (let i: u32 = 0; i < n; i++) {
    let e = entryKey(a, i);
    if (setContains(b, e)) setAdd(r, e);
  }
  return r;
}

// OPA computes abs, round, ceil and floor on ints in the int32 window directly, and on every other
// number through big.Float.

/** v read at OPA's precision, or null when v is an int of the int32 window (or not a number). */
function unaryOperand(v: usize): BinaryFloat | null {
  if (!isNumber(v) || (isInt(v) && intOf(v) >= -0x80000000 && intOf(v) <= 0x7fffffff)) return null;
  return toBinary(v, PRECISION);
}

export function b_abs(a: usize): usize {
  let x = unaryOperand(a);
  if (x === null) return isInt(a) ? makeInt(intOf(a) < 0 ? -intOf(a) : intOf(a)) : 0;
  x.negative = false;
  return fromBinary(x, PRECISION);
}

export function b_round(a: usize): usize {
  let x = unaryOperand(a);
  if (x === null) return isInt(a) ? a : 0;
  // Half away from zero: ±0.5, then the integer part.
  return truncate(add(x, new BinaryFloat(false, makeInt(1), -1), x.negative, PRECISION));
}

// OPA's ceil and floor move the integer part by one when it is not negative (ceil) or is
// negative (floor), so between -1 and 0, where the integer part is 0, ceil gives 1 and floor 0.

export function b_ceil(a: usize): usize {
  let x = unaryOperand(a);
  if (x === null) return isInt(a) ? a : 0;
  let i = truncate(x);
  return isNegativeInteger(i) || isIntegral(x) ? i : bigAdd(i, makeInt(1), false);
}

export function b_floor(a: usize): usize {
  let x = unaryOperand(a);
  if (x === null) return isInt(a) ? a : 0;
  let i = truncate(x);
  return !isNegativeInteger(i) || isIntegral(x) ? i : bigAdd(i, makeInt(1), true);
}


// ---- aggregates ----

export function b_count(a: usize): usize {
  let t = tagOf(a);
  if (t == T_STRING) return makeInt(strCount(a));
  if (t == T_ARRAY) return makeInt(arrLen(a));
  if (t == T_OBJECT || t == T_SET) return makeInt(collLen(a));
  return 0;
}

/** Combines the elements of an array or set in order, from `start`; undefined when any step is. */
function foldElements(a: usize, start: usize, combine: (total: usize, element: usize) => usize): usize {
  if (!isArrayOrSet(a)) return 0;
  let n = elemCount(a);
  let total = start;
  for (let i: u32 = 0; i < n; i++) {
    total = combine(total, elemAt(a, i));
    if (total == 0) return 0;
  }
  return total;
}

/**
 * The sum or product of an array or set of numbers: exact when all are integers, otherwise
 * accumulated in one big.Float as OPA does, from 0 for a sum (precision 64) and from
 * big.NewFloat(1) for a product, whose precision stays 53.
 */
function accumulate(a: usize, product: bool): usize {
  if (!isArrayOrSet(a)) return 0;
  let n = elemCount(a);
  let integers = true;
  for (let i: u32 = 0; i < n; i++) {
    let e = elemAt(a, i);
    if (!isNumber(e)) return 0;
    if (!isInteger(e)) integers = false;
  }
  if (integers) return foldElements(a, makeInt(product ? 1 : 0), product ? b_mul : b_plus);
  let prec = product ? 53 : PRECISION;
  let total = new BinaryFloat(false, makeInt(product ? 1 : 0), 0);
  for (let i: u32 = 0; i < n; i++) {
    let x = toBinary(elemAt(a, i), PRECISION);
    if (x === null) return 0;
    total = product ? multiply(total, x, prec) : add(total, x, false, prec);
  }
  return fromBinary(total, prec);
}

export function b_sum(a: usize): usize {
  return accumulate(a, false);
}

export function b_product(a: usize): usize {
  return accumulate(a, true);
}

/** The element for which `sign * compare(element, best) > 0` over all others; undefined when empty. */
function extremeElement(a: usize, sign: i32): usize {
  if (!isArrayOrSet(a)) return 0;
  let n = elemCount(a);
  if (n == 0) return 0;
  let best = elemAt(a, 0);
  for (let i: u32 = 1; i < n; i++) {
    let e = elemAt(a, i);
    if (sign * compareValues(e, best) > 0) best = e;
  }
  return best;
}

export function b_max(a: usize): usize {
  return extremeElement(a, 1);
}

export function b_min(a: usize): usize {
  return extremeElement(a, -1);
}

export function b_sort(a: usize): usize {
  if (!isArrayOrSet(a)) return 0;
  let n = elemCount(a);
  if (tagOf(a) == T_SET) {
    let r = makeArray(n);
    for (let i: u32 = 0; i < n; i++) arrAppend(r, entryKey(a, i));
    return r;
  }
  let r = makeArray(n);
  for (let i: u32 = 0; i < n; i++) arrAppend(r, arrGet(a, i));
  if (n > 1) sortPointers(<usize>load<u32>(r, 12), n);
  return r;
}

/** Stable bottom-up merge sort of n value pointers (u32) by Rego order. */
function sortPointers(ptrs: usize, n: u32): void {
  let src = ptrs;
  let dst = __bump(<usize>n << 2);
  for (let width: u32 = 1; width < n; width *= 2) {
    for (let lo: u32 = 0; lo < n; lo += 2 * width) {
      let mid = min(lo + width, n);
      let hi = min(lo + 2 * width, n);
      let i = lo, j = mid;
      for (let k = lo; k < hi; k++) {
        let take = i < mid && (j >= hi || compareValues(<usize>load<u32>(src + (<usize>i << 2)), <usize>load<u32>(src + (<usize>j << 2))) <= 0);
        store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>(take ? i++ : j++) << 2)));
      }
    }
    let t = src;
    src = dst;
    dst = t;
  }
  if (src != ptrs) memory.copy(ptrs, src, <usize>n << 2);
}

export function b_numbers_range(a: usize, b: usize): usize {
  if (!isInteger(a) || !isInteger(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    let step: i64 = x <= y ? 1 : -1;
    let n = (x <= y ? y - x : x - y) + 1;
    let r = makeArray(<u32>n);
    for (let i: i64 = 0; i < n; i++) arrAppend(r, makeInt(x + i * step));
    return r;
  }
  // Bounds past i64: only a range short enough to be held is, counted with exact steps.
  let span = bigAdd(b, a, true);
  if (!isInt(span)) return 0;
  let n = intOf(span);
  let step = makeInt(n >= 0 ? 1 : -1);
  if (n < 0) n = -n;
  let r = makeArray(<u32>(n + 1));
  let v = a;
  for (let i: i64 = 0; i <= n; i++) {
    arrAppend(r, v);
    v = bigAdd(v, step, false);
  }
  return r;
}

export function b_to_number(a: usize): usize {
  let t = tagOf(a);
  if (t == T_NULL) return makeInt(0);
  if (t == T_BOOL) return makeInt(load<u8>(a, 4));
  if (isNumber(a)) return a;
  if (t != T_STRING || strLen(a) == 0) return 0;
  let first = load<u8>(strPtr(a));
  if (first != 0x2d && (first < 0x30 || first > 0x39)) return 0;
  let v = parseJSON(strPtr(a), strLen(a), false);
  if (v == 0 || !isNumber(v)) return 0;
  // OPA first checks the text with Go's ParseFloat, which refuses what a double cannot reach.
  return tagOf(v) == T_BIG && !isFinite(numberAsF64(v)) ? 0 : v;
}

const DIGITS: string = "0123456789abcdef";

export function b_format_int(a: usize, base: usize): usize {
  if (!isNumber(a) || !asInteger(base)) return 0;
  let radix = intResult;
  if (radix != 2 && radix != 8 && radix != 10 && radix != 16) return 0;
  if (tagOf(a) == T_FLOAT) {
    // OPA: the integer part of the number read as a big.Float.
    let f = toBinary(a, PRECISION);
    if (f === null) return 0;
    a = truncate(f);
  }
  if (tagOf(a) == T_BIG) return fromAS((bigNegative(a) ? "-" : "") + bigDigits(a, <u32>radix));
  let x = intOf(a);
  let negative = x < 0;
  let u: u64 = negative ? <u64>(-x) : <u64>x;
  let buf = __bump(66);
  let p = buf + 66;
  do {
    p--;
    store<u8>(p, <u8>DIGITS.charCodeAt(<i32>(u % <u64>radix)));
    u /= <u64>radix;
  } while (u != 0);
  if (negative) store<u8>(--p, 0x2d);
  return makeString(p, <u32>(buf + 66 - p));
}

// ---- units (parsers in lib/units) ----

/** The number a units parser's exact text stands for, or undefined for its error. */
function unitsNumber(r: UnitsResult): usize {
  if (r.error.length != 0) return 0;
  let text = String.UTF8.encode(r.text);
  return parseJSON(changetype<usize>(text), <usize>text.byteLength, false);
}

export function b_units_parse(a: usize): usize {
  return isString(a) ? unitsNumber(unitsParse(toAS(a))) : 0;
}

export function b_units_parse_bytes(a: usize): usize {
  return isString(a) ? unitsNumber(unitsParseBytes(toAS(a))) : 0;
}
