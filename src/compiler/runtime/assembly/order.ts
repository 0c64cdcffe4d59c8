// The order of Rego values (sorting collections, comparing values) and their equality and hashes,
// as OPA defines them: by type first (null < boolean < number < string < array < object < set).

import { bigEqual, bigHash, compareWithBig } from "./bignum";
import { compareWithFloat } from "./float-values";
import { T_NULL, T_BOOL, T_INT, T_FLOAT, T_BIG, T_STRING, T_ARRAY, T_OBJECT, ENTRY_SIZE, tagOf, strLen, strPtr, bytesEqual, arrLen, arrGet, collLen, entryKey, entryValue, fillIndex, objectGet, setContains } from "./value";

/** Sorts an object's entries by key (or a set's elements) in place, once. */
export function sortCollection(v: usize): void {
  if (load<u8>(v, 1) != 0) return;
  let len = load<u32>(v, 4);
  let entries = <usize>load<u32>(v, 12);
  if (len <= 16) {
    insertionSort(entries, len);
  } else {
    let tmp = __bump(<usize>len * ENTRY_SIZE);
    mergeSort(entries, tmp, len);
  }
  store<u8>(v, 1, 1);
  // Refill the index where it is: v may outlive the allocations of the current evaluation
  // (data set with opa_json_parse before it), so it must not come to point into them.
  let index = <usize>load<u32>(v, 16);
  if (index != 0) fillIndex(v, index, load<u32>(v, 20) + 1);
}

function insertionSort(entries: usize, len: u32): void {
  for (let i: u32 = 1; i < len; i++) {
    let e = entries + <usize>i * ENTRY_SIZE;
    let k = load<u32>(e);
    let val = load<u32>(e, 4);
    let h = load<u32>(e, 8);
    let j = i;
    while (j > 0) {
      let p = entries + <usize>(j - 1) * ENTRY_SIZE;
      if (compareValues(<usize>load<u32>(p), <usize>k) <= 0) break;
      memory.copy(p + ENTRY_SIZE, p, ENTRY_SIZE);
      j--;
    }
    let d = entries + <usize>j * ENTRY_SIZE;
    store<u32>(d, k);
    store<u32>(d, val, 4);
    store<u32>(d, h, 8);
  }
}

/** Bottom-up merge sort of len entries, using tmp (same size) as scratch. */
function mergeSort(entries: usize, tmp: usize, len: u32): void {
  let src = entries;
  let dst = tmp;
  for (let width: u32 = 1; width < len; width *= 2) {
    for (let lo: u32 = 0; lo < len; lo += 2 * width) {
      let mid = min(lo + width, len);
      let hi = min(lo + 2 * width, len);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        let a = src + <usize>i * ENTRY_SIZE;
        let b = src + <usize>j * ENTRY_SIZE;
        if (compareValues(<usize>load<u32>(a), <usize>load<u32>(b)) <= 0) {
          memory.copy(dst + <usize>k * ENTRY_SIZE, a, ENTRY_SIZE);
          i++;
        } else {
          memory.copy(dst + <usize>k * ENTRY_SIZE, b, ENTRY_SIZE);
          j++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + <usize>k * ENTRY_SIZE, src + <usize>i * ENTRY_SIZE, <usize>(mid - i) * ENTRY_SIZE);
      if (j < hi) memory.copy(dst + <usize>(k + mid - i) * ENTRY_SIZE, src + <usize>j * ENTRY_SIZE, <usize>(hi - j) * ENTRY_SIZE);
    }
    let t = src;
    src = dst;
    dst = t;
  }
  if (src != entries) memory.copy(entries, src, <usize>len * ENTRY_SIZE);
}

function typeRank(t: u32): i32 {
  // null < boolean < number < string < array < object < set
  if (t == T_INT || t == T_FLOAT || t == T_BIG) return 2;
  if (t < T_INT) return <i32>t - 1;
  return <i32>t - 2;
}

function compareNumbers(a: usize, b: usize): i32 {
  let ta = tagOf(a), tb = tagOf(b);
  if (ta == T_INT && tb == T_INT) {
    let x = load<i64>(a, 8), y = load<i64>(b, 8);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta == T_FLOAT || tb == T_FLOAT) return compareWithFloat(a, b);
  return compareWithBig(a, b);
}

/** Rego's total order over values: -1, 0 or 1. */
export function compareValues(a: usize, b: usize): i32 {
  if (a == b) return 0;
  let ta = tagOf(a), tb = tagOf(b);
  let ra = typeRank(ta), rb = typeRank(tb);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ta) {
    case T_NULL:
      return 0;
    case T_BOOL: {
      let x = load<u8>(a, 4), y = load<u8>(b, 4);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case T_INT:
    case T_FLOAT:
    case T_BIG:
      return compareNumbers(a, b);
    case T_STRING:
      return compareBytes(strPtr(a), strLen(a), strPtr(b), strLen(b));
    case T_ARRAY: {
      let la = arrLen(a), lb = arrLen(b);
      let n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        let c = compareValues(arrGet(a, i), arrGet(b, i));
        if (c != 0) return c;
      }
      return la < lb ? -1 : la > lb ? 1 : 0;
    }
    default: {
      sortCollection(a);
      sortCollection(b);
      let la = collLen(a), lb = collLen(b);
      let n = la < lb ? la : lb;
      let isObject = ta == T_OBJECT;
      for (let i: u32 = 0; i < n; i++) {
        let c = compareValues(entryKey(a, i), entryKey(b, i));
        if (c != 0) return c;
        if (isObject) {
          c = compareValues(entryValue(a, i), entryValue(b, i));
          if (c != 0) return c;
        }
      }
      return la < lb ? -1 : la > lb ? 1 : 0;
    }
  }
}

/** Rego equality: numbers by value (1 == 1.0), collections by content. */
export function valueEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  let ta = tagOf(a), tb = tagOf(b);
  // Integers are T_INT or T_BIG by size and floats are never integral, so equal numbers have one tag.
  if (ta != tb) return false;
  switch (ta) {
    case T_NULL:
      return true;
    case T_BOOL:
      return load<u8>(a, 4) == load<u8>(b, 4);
    case T_INT:
      return load<i64>(a, 8) == load<i64>(b, 8);
    case T_FLOAT:
      return compareWithFloat(a, b) == 0;
    case T_BIG:
      return bigEqual(a, b);
    case T_STRING: {
      let l = strLen(a);
      return l == strLen(b) && bytesEqual(strPtr(a), strPtr(b), l);
    }
    case T_ARRAY: {
      let l = arrLen(a);
      if (l != arrLen(b)) return false;
      for (let i: u32 = 0; i < l; i++) {
        if (!valueEqual(arrGet(a, i), arrGet(b, i))) return false;
      }
      return true;
    }
    case T_OBJECT: {
      let l = collLen(a);
      if (l != collLen(b)) return false;
      for (let i: u32 = 0; i < l; i++) {
        let other = objectGet(b, entryKey(a, i));
        if (other == 0 || !valueEqual(entryValue(a, i), other)) return false;
      }
      return true;
    }
    default: {
      let l = collLen(a);
      if (l != collLen(b)) return false;
      for (let i: u32 = 0; i < l; i++) {
        if (!setContains(b, entryKey(a, i))) return false;
      }
      return true;
    }
  }
}

// @ts-ignore: decorator
@inline function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

function hashI64(i: i64): u32 {
  return mix(<u32>i ^ mix(<u32>(i >>> 32) + 0x9e3779b9));
}

/** A hash consistent with valueEqual. */
export function hashValue(v: usize): u32 {
  switch (tagOf(v)) {
    case T_NULL:
      return 0x2545f491;
    case T_BOOL:
      return load<u8>(v, 4) ? 0x9e3779b9 : 0x7f4a7c15;
    case T_INT:
      return hashI64(load<i64>(v, 8));
    case T_FLOAT:
      // Equal floats have equal texts' values and so the same nearest double.
      return hashI64(reinterpret<i64>(load<f64>(v, 8)));
    case T_BIG:
      return bigHash(v);
    case T_STRING: {
      // Cached in the header's spare 24 bits (top bit set, so never 0), as the same keys (rule
      // ids, field names of violations) are hashed again and again.
      let cached = load<u32>(v) >>> 8;
      if (cached != 0) return cached;
      // A word at a time (rotated so that every byte reaches the low bits the index masks), then
      // the tail bytes, then a final mix.
      let h: u32 = 0x811c9dc5 ^ strLen(v);
      let p = strPtr(v);
      let end = p + strLen(v);
      while (p + 4 <= end) {
        h = rotl<u32>((h ^ load<u32>(p)) * 0x01000193, 13);
        p += 4;
      }
      while (p < end) {
        h = (h ^ load<u8>(p)) * 0x01000193;
        p++;
      }
      let hash = (mix(h) & 0x7fffff) | 0x800000;
      store<u32>(v, (hash << 8) | T_STRING);
      return hash;
    }
    case T_ARRAY: {
      let h: u32 = 0x3c6ef372;
      let l = arrLen(v);
      for (let i: u32 = 0; i < l; i++) h = mix(h * 31 + hashValue(arrGet(v, i)));
      return h;
    }
    case T_OBJECT: {
      let h: u32 = 0xa54ff53a;
      let l = collLen(v);
      for (let i: u32 = 0; i < l; i++) h += mix(hashValue(entryKey(v, i)) * 31 + hashValue(entryValue(v, i)));
      return h;
    }
    default: {
      let h: u32 = 0x510e527f;
      let l = collLen(v);
      for (let i: u32 = 0; i < l; i++) h += mix(hashValue(entryKey(v, i)));
      return h;
    }
  }
}

function compareBytes(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  let n = la < lb ? la : lb;
  let c = memory.compare(pa, pb, n);
  if (c != 0) return c < 0 ? -1 : 1;
  return la < lb ? -1 : la > lb ? 1 : 0;
}
