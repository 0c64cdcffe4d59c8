// Native built-in functions. Each `b_<name>` (dots in the Rego name become underscores) takes
// value pointers and returns a value pointer, or 0 when the result is undefined — which is also
// how type errors end up, as in OPA when strict built-in errors are off.

import {
  T_NULL, T_BOOL, T_INT, T_FLOAT, T_STRING, T_ARRAY, T_OBJECT, T_SET,
  EMPTY_STRING, tagOf, boolValue, makeInt, makeNumber, isNumber, intOf, numberAsF64,
  asInteger, intResult, makeString, allocString, strLen, strPtr, strCount, makeArray, arrLen, arrGet,
  arrAppend, makeObject, makeSet, collLen, entryKey, entryValue, sortCollection, objectGet,
  objectInsert, setAdd, setContains, compareValues, valueEqual, objectCopy, setCopy,
  countCodePoints,
} from "./value";
import { parseJSON, printLine } from "./json";
import { RegexCompileResult, regexCompile, regexPrecompile } from "./lib/regex";
import { globMatch } from "./lib/glob";
import { unitsParse, unitsParseBytes } from "./lib/units";
import { lowerCase, upperCase } from "./lib/strings";

// ---- helpers ----

// The engines in lib/ work on AssemblyScript (UTF-16) strings.
function toAS(v: usize): string {
  return String.UTF8.decodeUnsafe(strPtr(v), strLen(v));
}

function fromAS(s: string): usize {
  let bytes = String.UTF8.encode(s);
  return makeString(changetype<usize>(bytes), <u32>bytes.byteLength);
}

// @ts-ignore: decorator
@inline function isString(v: usize): bool {
  return tagOf(v) == T_STRING;
}

function isInt(v: usize): bool {
  return tagOf(v) == T_INT;
}

/** Byte offset of needle in haystack at or after from, or -1. */
function findBytes(h: usize, hl: u32, n: usize, nl: u32, from: u32): i32 {
  if (nl == 0) return <i32>from;
  if (nl > hl) return -1;
  let first = load<u8>(n);
  let last = hl - nl;
  for (let i = from; i <= last; i++) {
    if (load<u8>(h + i) == first && memory.compare(h + i, n, nl) == 0) return <i32>i;
  }
  return -1;
}

/** Length in bytes of the UTF-8 sequence starting with byte b. */
// @ts-ignore: decorator
@inline function seqLen(b: u32): u32 {
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

function decodeAt(p: usize): u32 {
  let b = <u32>load<u8>(p);
  if (b < 0x80) return b;
  if (b < 0xe0) return ((b & 0x1f) << 6) | (load<u8>(p + 1) & 0x3f);
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((load<u8>(p + 1) & 0x3f) << 6) | (load<u8>(p + 2) & 0x3f);
  return ((b & 0x07) << 18) | ((load<u8>(p + 1) & 0x3f) << 12) | ((load<u8>(p + 2) & 0x3f) << 6) | (load<u8>(p + 3) & 0x3f);
}

/** Byte offset of code point number index (clamped to the end). */
function byteOffsetOf(p: usize, len: u32, index: u32): u32 {
  let off: u32 = 0;
  while (index > 0 && off < len) {
    off += seqLen(load<u8>(p + off));
    index--;
  }
  return off < len ? off : len;
}

function substringValue(s: usize, from: u32, to: u32): usize {
  if (to <= from) return EMPTY_STRING;
  if (from == 0 && to == strLen(s)) return s;
  return makeString(strPtr(s) + from, to - from);
}

function concatBytes(a: usize, al: u32, b: usize, bl: u32): usize {
  let s = allocString(al + bl);
  if (al + bl == 0) return s;
  memory.copy(strPtr(s), a, al);
  memory.copy(strPtr(s) + al, b, bl);
  return s;
}

/** Elements of an array, or a set in sorted order; 0 length for anything else. */
function elemCount(coll: usize): u32 {
  let t = tagOf(coll);
  if (t == T_ARRAY) return arrLen(coll);
  if (t == T_SET) {
    sortCollection(coll);
    return collLen(coll);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function elemAt(coll: usize, i: u32): usize {
  return tagOf(coll) == T_ARRAY ? arrGet(coll, i) : entryKey(coll, i);
}

function isArrayOrSet(v: usize): bool {
  let t = tagOf(v);
  return t == T_ARRAY || t == T_SET;
}

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

function floatResult(f: f64): usize {
  return isFinite(f) ? makeNumber(f) : 0;
}

export function b_plus(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    let r = x + y;
    // Overflow when both operands have the sign the result lacks.
    if (((x ^ r) & (y ^ r)) >= 0) return makeInt(r);
  }
  return floatResult(numberAsF64(a) + numberAsF64(b));
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
  return floatResult(numberAsF64(a) - numberAsF64(b));
}

export function b_mul(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intOf(a), y = intOf(b);
    // Exact when both fit in 31 bits; otherwise go through floats and back.
    if (x > -0x80000000 && x < 0x80000000 && y > -0x80000000 && y < 0x80000000) return makeInt(x * y);
  }
  return floatResult(numberAsF64(a) * numberAsF64(b));
}

export function b_div(a: usize, b: usize): usize {
  if (!isNumber(a) || !isNumber(b)) return 0;
  let y = numberAsF64(b);
  if (y == 0) return 0;
  if (isInt(a) && isInt(b) && intOf(b) != 0 && intOf(a) % intOf(b) == 0 && !(intOf(a) == i64.MIN_VALUE && intOf(b) == -1)) {
    return makeInt(intOf(a) / intOf(b));
  }
  return floatResult(numberAsF64(a) / y);
}

export function b_rem(a: usize, b: usize): usize {
  if (!asInteger(a)) return 0;
  let x = intResult;
  if (!asInteger(b)) return 0;
  let y = intResult;
  if (y == 0) return 0;
  if (y == -1) return makeInt(0);
  return makeInt(x % y);
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

export function b_abs(a: usize): usize {
  if (isInt(a)) {
    let x = intOf(a);
    return x >= 0 ? a : x == i64.MIN_VALUE ? makeNumber(-<f64>x) : makeInt(-x);
  }
  if (tagOf(a) != T_FLOAT) return 0;
  return makeNumber(Math.abs(load<f64>(a, 8)));
}

export function b_round(a: usize): usize {
  if (isInt(a)) return a;
  if (tagOf(a) != T_FLOAT) return 0;
  let f = load<f64>(a, 8);
  // Half away from zero.
  let r = f < 0 ? -Math.floor(-f + 0.5) : Math.floor(f + 0.5);
  return makeNumber(r);
}

export function b_ceil(a: usize): usize {
  if (isInt(a)) return a;
  if (tagOf(a) != T_FLOAT) return 0;
  return makeNumber(Math.ceil(load<f64>(a, 8)));
}

export function b_floor(a: usize): usize {
  if (isInt(a)) return a;
  if (tagOf(a) != T_FLOAT) return 0;
  return makeNumber(Math.floor(load<f64>(a, 8)));
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

export function b_sum(a: usize): usize {
  return foldElements(a, makeInt(0), b_plus);
}

export function b_product(a: usize): usize {
  return foldElements(a, makeInt(1), b_mul);
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
  if (!asInteger(a)) return 0;
  let x = intResult;
  if (!asInteger(b)) return 0;
  let y = intResult;
  let step: i64 = x <= y ? 1 : -1;
  let n = (x <= y ? y - x : x - y) + 1;
  let r = makeArray(<u32>n);
  for (let i: i64 = 0; i < n; i++) arrAppend(r, makeInt(x + i * step));
  return r;
}

export function b_to_number(a: usize): usize {
  let t = tagOf(a);
  if (t == T_NULL) return makeInt(0);
  if (t == T_BOOL) return makeInt(load<u8>(a, 4));
  if (t == T_INT || t == T_FLOAT) return a;
  if (t != T_STRING || strLen(a) == 0) return 0;
  let first = load<u8>(strPtr(a));
  if (first != 0x2d && (first < 0x30 || first > 0x39)) return 0;
  let v = parseJSON(strPtr(a), strLen(a), false);
  return v != 0 && isNumber(v) ? v : 0;
}

const DIGITS: string = "0123456789abcdef";

export function b_format_int(a: usize, base: usize): usize {
  if (!isNumber(a) || !asInteger(base)) return 0;
  let radix = intResult;
  if (radix != 2 && radix != 8 && radix != 10 && radix != 16) return 0;
  let f = Math.trunc(numberAsF64(a));
  let x: i64 = isInt(a) ? intOf(a) : <i64>f;
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

export function b_units_parse(a: usize): usize {
  if (!isString(a)) return 0;
  let r = unitsParse(toAS(a));
  return r.error.length == 0 ? floatResult(r.value) : 0;
}

export function b_units_parse_bytes(a: usize): usize {
  if (!isString(a)) return 0;
  let r = unitsParseBytes(toAS(a));
  return r.error.length == 0 ? makeInt(r.value) : 0;
}

// ---- collections ----

export function b_array_concat(a: usize, b: usize): usize {
  if (tagOf(a) != T_ARRAY || tagOf(b) != T_ARRAY) return 0;
  let la = arrLen(a), lb = arrLen(b);
  let r = makeArray(la + lb);
  for (let i: u32 = 0; i < la; i++) arrAppend(r, arrGet(a, i));
  for (let i: u32 = 0; i < lb; i++) arrAppend(r, arrGet(b, i));
  return r;
}

export function b_array_slice(a: usize, start: usize, stop: usize): usize {
  if (tagOf(a) != T_ARRAY || !asInteger(start)) return 0;
  let from = intResult;
  if (!asInteger(stop)) return 0;
  let to = intResult;
  let len = <i64>arrLen(a);
  if (from < 0) from = 0;
  if (to > len) to = len;
  let r = makeArray(from < to ? <u32>(to - from) : 0);
  for (let i = from; i < to; i++) arrAppend(r, arrGet(a, <u32>i));
  return r;
}

export function b_array_reverse(a: usize): usize {
  if (tagOf(a) != T_ARRAY) return 0;
  let n = arrLen(a);
  let r = makeArray(n);
  for (let i = n; i > 0; i--) arrAppend(r, arrGet(a, i - 1));
  return r;
}

function lookup(node: usize, key: usize): usize {
  let t = tagOf(node);
  if (t == T_OBJECT) return objectGet(node, key);
  if (t == T_SET) return setContains(node, key) ? key : 0;
  if (t == T_ARRAY) {
    if (!asInteger(key) || intResult < 0 || intResult >= <i64>arrLen(node)) return 0;
    return arrGet(node, <u32>intResult);
  }
  return 0;
}

export function b_object_get(obj: usize, key: usize, fallback: usize): usize {
  if (tagOf(obj) != T_OBJECT) return 0;
  if (tagOf(key) != T_ARRAY) {
    let v = objectGet(obj, key);
    return v != 0 ? v : fallback;
  }
  // An array key is a path.
  let node = obj;
  let n = arrLen(key);
  for (let i: u32 = 0; i < n; i++) {
    node = lookup(node, arrGet(key, i));
    if (node == 0) return fallback;
  }
  return node;
}

export function b_object_keys(obj: usize): usize {
  if (tagOf(obj) != T_OBJECT) return 0;
  let r = makeSet();
  let n = collLen(obj);
  for (let i: u32 = 0; i < n; i++) setAdd(r, entryKey(obj, i));
  return r;
}

function unionObjects(a: usize, b: usize): usize {
  let r = objectCopy(a);
  let n = collLen(b);
  for (let i: u32 = 0; i < n; i++) {
    let k = entryKey(b, i);
    let bv = entryValue(b, i);
    let av = objectGet(a, k);
    if (av != 0 && tagOf(av) == T_OBJECT && tagOf(bv) == T_OBJECT) bv = unionObjects(av, bv);
    objectInsert(r, k, bv);
  }
  return r;
}

export function b_object_union(a: usize, b: usize): usize {
  if (tagOf(a) != T_OBJECT || tagOf(b) != T_OBJECT) return 0;
  return unionObjects(a, b);
}

/** The keys named by an array, set or object (its keys), as a set; 0 for other types. */
function keySet(keys: usize): usize {
  let t = tagOf(keys);
  if (t == T_SET) return keys;
  let r = makeSet();
  if (t == T_ARRAY) {
    let n = arrLen(keys);
    for (let i: u32 = 0; i < n; i++) setAdd(r, arrGet(keys, i));
    return r;
  }
  if (t == T_OBJECT) {
    let n = collLen(keys);
    for (let i: u32 = 0; i < n; i++) setAdd(r, entryKey(keys, i));
    return r;
  }
  return 0;
}

function filterObject(obj: usize, keys: usize, keep: bool): usize {
  if (tagOf(obj) != T_OBJECT) return 0;
  let set = keySet(keys);
  if (set == 0) return 0;
  let r = makeObject();
  let n = collLen(obj);
  for (let i: u32 = 0; i < n; i++) {
    let k = entryKey(obj, i);
    if (setContains(set, k) == keep) objectInsert(r, k, entryValue(obj, i));
  }
  return r;
}

export function b_object_remove(obj: usize, keys: usize): usize {
  return filterObject(obj, keys, false);
}

export function b_object_filter(obj: usize, keys: usize): usize {
  return filterObject(obj, keys, true);
}

export function b_union(sets: usize): usize {
  if (tagOf(sets) != T_SET) return 0;
  let r = makeSet();
  let n = collLen(sets);
  for (let i: u32 = 0; i < n; i++) {
    let s = entryKey(sets, i);
    if (tagOf(s) != T_SET) return 0;
    let m = collLen(s);
    for (let j: u32 = 0; j < m; j++) setAdd(r, entryKey(s, j));
  }
  return r;
}

export function b_intersection(sets: usize): usize {
  if (tagOf(sets) != T_SET) return 0;
  let n = collLen(sets);
  if (n == 0) return makeSet();
  for (let i: u32 = 0; i < n; i++) if (tagOf(entryKey(sets, i)) != T_SET) return 0;
  let r = setCopy(entryKey(sets, 0));
  for (let i: u32 = 1; i < n; i++) r = b_and(r, entryKey(sets, i));
  return r;
}

export function b_internal_member_2(x: usize, coll: usize): usize {
  let t = tagOf(coll);
  if (t == T_SET) return boolValue(setContains(coll, x));
  if (t == T_ARRAY) {
    let n = arrLen(coll);
    for (let i: u32 = 0; i < n; i++) if (valueEqual(arrGet(coll, i), x)) return boolValue(true);
  } else if (t == T_OBJECT) {
    let n = collLen(coll);
    for (let i: u32 = 0; i < n; i++) if (valueEqual(entryValue(coll, i), x)) return boolValue(true);
  }
  return boolValue(false);
}

export function b_internal_member_3(k: usize, v: usize, coll: usize): usize {
  let found = lookup(coll, k);
  return boolValue(found != 0 && valueEqual(found, v));
}

// ---- strings ----

export function b_concat(delim: usize, coll: usize): usize {
  if (!isString(delim) || !isArrayOrSet(coll)) return 0;
  let n = elemCount(coll);
  let dl = strLen(delim);
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let e = elemAt(coll, i);
    if (!isString(e)) return 0;
    total += strLen(e) + (i > 0 ? dl : 0);
  }
  let r = allocString(total);
  let o = strPtr(r);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) {
      memory.copy(o, strPtr(delim), dl);
      o += dl;
    }
    let e = elemAt(coll, i);
    memory.copy(o, strPtr(e), strLen(e));
    o += strLen(e);
  }
  return r;
}

export function b_contains(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  return boolValue(findBytes(strPtr(s), strLen(s), strPtr(sub), strLen(sub), 0) >= 0);
}

export function b_startswith(s: usize, prefix: usize): usize {
  if (!isString(s) || !isString(prefix)) return 0;
  let n = strLen(prefix);
  return boolValue(n <= strLen(s) && memory.compare(strPtr(s), strPtr(prefix), n) == 0);
}

export function b_endswith(s: usize, suffix: usize): usize {
  if (!isString(s) || !isString(suffix)) return 0;
  let n = strLen(suffix), l = strLen(s);
  return boolValue(n <= l && memory.compare(strPtr(s) + l - n, strPtr(suffix), n) == 0);
}

export function b_indexof(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  if (strLen(sub) == 0) return 0; // OPA: "empty search character"
  let at = findBytes(strPtr(s), strLen(s), strPtr(sub), strLen(sub), 0);
  if (at < 0) return makeInt(-1);
  return makeInt(countCodePoints(strPtr(s), <usize>at));
}

export function b_substring(s: usize, start: usize, length: usize): usize {
  if (!isString(s) || !asInteger(start)) return 0;
  let from = intResult;
  if (!asInteger(length)) return 0;
  let count = intResult;
  if (from < 0) return 0;
  let total = <i64>strCount(s);
  if (from >= total) return EMPTY_STRING;
  let to = count < 0 || from + count > total ? total : from + count;
  let p = strPtr(s), l = strLen(s);
  let a = byteOffsetOf(p, l, <u32>from);
  let b = a + byteOffsetOf(p + a, l - a, <u32>(to - from));
  return substringValue(s, a, b);
}

export function b_split(s: usize, delim: usize): usize {
  if (!isString(s) || !isString(delim)) return 0;
  let p = strPtr(s), l = strLen(s);
  let d = strPtr(delim), dl = strLen(delim);
  let r = makeArray(0);
  if (dl == 0) {
    // Split into code points.
    let off: u32 = 0;
    while (off < l) {
      let n = seqLen(load<u8>(p + off));
      if (off + n > l) n = l - off;
      arrAppend(r, makeString(p + off, n));
      off += n;
    }
    return r;
  }
  let from: u32 = 0;
  while (true) {
    let at = findBytes(p, l, d, dl, from);
    if (at < 0) break;
    arrAppend(r, substringValue(s, from, <u32>at));
    from = <u32>at + dl;
  }
  arrAppend(r, substringValue(s, from, l));
  return r;
}

/** Maps ASCII letters in [lo, hi] to the other case; false when s has non-ASCII text. */
function mapAscii(s: usize, lo: u32, hi: u32, r: usize): bool {
  let l = strLen(s), p = strPtr(s);
  let o = strPtr(r);
  for (let i: u32 = 0; i < l; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 0x80) return false;
    store<u8>(o + i, <u8>(c >= lo && c <= hi ? c ^ 0x20 : c));
  }
  return true;
}

export function b_lower(s: usize): usize {
  if (!isString(s)) return 0;
  let r = allocString(strLen(s));
  return mapAscii(s, 0x41, 0x5a, r) ? r : fromAS(lowerCase(toAS(s)));
}

export function b_upper(s: usize): usize {
  if (!isString(s)) return 0;
  let r = allocString(strLen(s));
  return mapAscii(s, 0x61, 0x7a, r) ? r : fromAS(upperCase(toAS(s)));
}

export function b_replace(s: usize, old: usize, repl: usize): usize {
  if (!isString(s) || !isString(old) || !isString(repl)) return 0;
  let p = strPtr(s), l = strLen(s);
  let op = strPtr(old), ol = strLen(old);
  let rp = strPtr(repl), rl = strLen(repl);
  // Count matches first to size the result exactly.
  let matches: u32 = 0;
  if (ol == 0) {
    matches = strCount(s) + 1;
  } else {
    let at = findBytes(p, l, op, ol, 0);
    while (at >= 0) {
      matches++;
      at = findBytes(p, l, op, ol, <u32>at + ol);
    }
  }
  if (matches == 0) return s;
  let r = allocString(l + matches * rl - matches * ol);
  let o = strPtr(r);
  if (ol == 0) {
    // An empty pattern matches before every code point and at the end.
    let off: u32 = 0;
    while (true) {
      memory.copy(o, rp, rl);
      o += rl;
      if (off >= l) break;
      let n = seqLen(load<u8>(p + off));
      memory.copy(o, p + off, n);
      o += n;
      off += n;
    }
    return r;
  }
  let from: u32 = 0;
  let at = findBytes(p, l, op, ol, 0);
  while (at >= 0) {
    memory.copy(o, p + from, <u32>at - from);
    o += <u32>at - from;
    memory.copy(o, rp, rl);
    o += rl;
    from = <u32>at + ol;
    at = findBytes(p, l, op, ol, from);
  }
  memory.copy(o, p + from, l - from);
  return r;
}

/** Whether code point cp occurs in the cutset string. */
function inCutset(cutset: usize, cp: u32): bool {
  let p = strPtr(cutset), l = strLen(cutset);
  let off: u32 = 0;
  while (off < l) {
    if (decodeAt(p + off) == cp) return true;
    off += seqLen(load<u8>(p + off));
  }
  return false;
}

/** Start of the last code point ending at byte offset end. */
function prevStart(p: usize, end: u32): u32 {
  let i = end - 1;
  while (i > 0 && (load<u8>(p + i) & 0xc0) == 0x80) i--;
  return i;
}

function isUnicodeSpace(cp: u32): bool {
  if (cp == 0x20 || (cp >= 0x09 && cp <= 0x0d)) return true;
  if (cp < 0x85) return false;
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
    cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/** Trims code points matching (cutset, or Unicode space when cutset is 0) from the chosen ends. */
function trimWith(s: usize, cutset: usize, left: bool, right: bool): usize {
  let p = strPtr(s), l = strLen(s);
  let from: u32 = 0, to: u32 = l;
  if (left) {
    while (from < to) {
      let cp = decodeAt(p + from);
      if (cutset != 0 ? !inCutset(cutset, cp) : !isUnicodeSpace(cp)) break;
      from += seqLen(load<u8>(p + from));
    }
  }
  if (right) {
    while (to > from) {
      let at = prevStart(p, to);
      let cp = decodeAt(p + at);
      if (cutset != 0 ? !inCutset(cutset, cp) : !isUnicodeSpace(cp)) break;
      to = at;
    }
  }
  return substringValue(s, from, to);
}

export function b_trim(s: usize, cutset: usize): usize {
  if (!isString(s) || !isString(cutset)) return 0;
  return trimWith(s, cutset, true, true);
}

export function b_trim_left(s: usize, cutset: usize): usize {
  if (!isString(s) || !isString(cutset)) return 0;
  return trimWith(s, cutset, true, false);
}

export function b_trim_right(s: usize, cutset: usize): usize {
  if (!isString(s) || !isString(cutset)) return 0;
  return trimWith(s, cutset, false, true);
}

export function b_trim_space(s: usize): usize {
  if (!isString(s)) return 0;
  return trimWith(s, 0, true, true);
}

export function b_trim_prefix(s: usize, prefix: usize): usize {
  if (!isString(s) || !isString(prefix)) return 0;
  let n = strLen(prefix), l = strLen(s);
  if (n > l || memory.compare(strPtr(s), strPtr(prefix), n) != 0) return s;
  return substringValue(s, n, l);
}

export function b_trim_suffix(s: usize, suffix: usize): usize {
  if (!isString(s) || !isString(suffix)) return 0;
  let n = strLen(suffix), l = strLen(s);
  if (n > l || memory.compare(strPtr(s) + l - n, strPtr(suffix), n) != 0) return s;
  return substringValue(s, 0, l - n);
}

// ---- patterns (engines in lib/) ----

/**
 * The policy's constant patterns by the address of their string value: static data, which no
 * evaluation reuses, so the address names the text and a lookup needs no decoding or string
 * hashing. Filled at instantiation, below the heap the host resets; a constant initialiser, so the
 * per-evaluation re-run of the module's initialisers leaves it alone.
 */
let precompiledByValue: Map<usize, RegexCompileResult> | null = null;

export function b_regex_match(pattern: usize, value: usize): usize {
  if (!isString(pattern) || !isString(value)) return 0;
  let byValue = precompiledByValue;
  let compiled = byValue !== null && byValue.has(pattern) ? byValue.get(pattern) : regexCompile(toAS(pattern));
  let regex = compiled.regex;
  if (regex === null) return 0;
  let ascii = regex.matchesAscii(strPtr(value), strLen(value));
  return boolValue(ascii >= 0 ? ascii == 1 : regex.matches(toAS(value)));
}

/** At instantiation: compiles a constant pattern of the policy for every evaluation. */
export function rt_regex_precompile(pattern: usize): void {
  if (!isString(pattern)) return;
  if (precompiledByValue === null) precompiledByValue = new Map<usize, RegexCompileResult>();
  precompiledByValue!.set(pattern, regexPrecompile(toAS(pattern)));
}

export function b_glob_match(pattern: usize, delimiters: usize, match: usize): usize {
  if (!isString(pattern) || !isString(match)) return 0;
  let t = tagOf(delimiters);
  let delims: Array<string> | null = null;
  if (t == T_ARRAY) {
    let n = arrLen(delimiters);
    let list = new Array<string>();
    for (let i: u32 = 0; i < n; i++) {
      let d = arrGet(delimiters, i);
      if (!isString(d)) return 0;
      list.push(toAS(d));
    }
    delims = list;
  } else if (t != T_NULL) {
    return 0;
  }
  let r = globMatch(toAS(pattern), delims, toAS(match));
  return r.error.length == 0 ? boolValue(r.matched) : 0;
}

// ---- types ----

export function b_is_number(a: usize): usize {
  return boolValue(isNumber(a));
}

export function b_is_string(a: usize): usize {
  return boolValue(tagOf(a) == T_STRING);
}

export function b_is_boolean(a: usize): usize {
  return boolValue(tagOf(a) == T_BOOL);
}

export function b_is_array(a: usize): usize {
  return boolValue(tagOf(a) == T_ARRAY);
}

export function b_is_set(a: usize): usize {
  return boolValue(tagOf(a) == T_SET);
}

export function b_is_object(a: usize): usize {
  return boolValue(tagOf(a) == T_OBJECT);
}

export function b_is_null(a: usize): usize {
  return boolValue(tagOf(a) == T_NULL);
}

const TYPE_NAMES: StaticArray<string> = ["", "null", "boolean", "number", "number", "string", "array", "object", "set"];

export function b_type_name(a: usize): usize {
  let name = unchecked(TYPE_NAMES[tagOf(a)]);
  let n = <u32>name.length;
  let r = allocString(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(strPtr(r) + i, <u8>name.charCodeAt(<i32>i));
  return r;
}

// ---- print ----

// The host prints the NUL-terminated text at `text` (the SDK does console.log).
@external("env", "opa_println")
declare function opa_println(text: usize): void;

/**
 * print's runtime half: the planner passes one set per argument holding the argument's values
 * (empty when undefined). Prints one line per combination of values and always holds.
 */
export function b_internal_print(args: usize): usize {
  if (tagOf(args) != T_ARRAY) return 0;
  let n = arrLen(args);
  for (let i: u32 = 0; i < n; i++) {
    let set = arrGet(args, i);
    if (tagOf(set) != T_SET) return 0;
    sortCollection(set);
  }
  let picks = new StaticArray<u32>(n);
  let more = true;
  while (more) {
    opa_println(printLine(args, picks));
    // the next combination, the last argument varying fastest
    more = false;
    for (let i = <i32>n - 1; i >= 0 && !more; i--) {
      if (picks[i] + 1 < collLen(arrGet(args, i))) {
        picks[i]++;
        more = true;
      } else {
        picks[i] = 0;
      }
    }
  }
  return boolValue(true);
}
