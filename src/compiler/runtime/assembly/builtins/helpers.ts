// Conversions and byte-level helpers the built-in families share.

import { T_INT, T_STRING, T_ARRAY, T_SET, EMPTY_STRING, tagOf, makeString, allocString, strLen, strPtr, arrLen, arrGet, collLen, entryKey } from "../value";
import { sortCollection } from "../order";

// The engines in lib/ work on AssemblyScript (UTF-16) strings.
export function toAS(v: usize): string {
  return String.UTF8.decodeUnsafe(strPtr(v), strLen(v));
}

export function fromAS(s: string): usize {
  let bytes = String.UTF8.encode(s);
  return makeString(changetype<usize>(bytes), <u32>bytes.byteLength);
}

// @ts-ignore: decorator
@inline export function isString(v: usize): bool {
  return tagOf(v) == T_STRING;
}

export function isInt(v: usize): bool {
  return tagOf(v) == T_INT;
}

/** Byte offset of needle in haystack at or after from, or -1. */
export function findBytes(h: usize, hl: u32, n: usize, nl: u32, from: u32): i32 {
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
@inline export function seqLen(b: u32): u32 {
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

export function decodeAt(p: usize): u32 {
  let b = <u32>load<u8>(p);
  if (b < 0x80) return b;
  if (b < 0xe0) return ((b & 0x1f) << 6) | (load<u8>(p + 1) & 0x3f);
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((load<u8>(p + 1) & 0x3f) << 6) | (load<u8>(p + 2) & 0x3f);
  return ((b & 0x07) << 18) | ((load<u8>(p + 1) & 0x3f) << 12) | ((load<u8>(p + 2) & 0x3f) << 6) | (load<u8>(p + 3) & 0x3f);
}

/** Byte offset of code point number index (clamped to the end). */
export function byteOffsetOf(p: usize, len: u32, index: u32): u32 {
  let off: u32 = 0;
  while (index > 0 && off < len) {
    off += seqLen(load<u8>(p + off));
    index--;
  }
  return off < len ? off : len;
}

export function substringValue(s: usize, from: u32, to: u32): usize {
  if (to <= from) return EMPTY_STRING;
  if (from == 0 && to == strLen(s)) return s;
  return makeString(strPtr(s) + from, to - from);
}

export function concatBytes(a: usize, al: u32, b: usize, bl: u32): usize {
  let s = allocString(al + bl);
  if (al + bl == 0) return s;
  memory.copy(strPtr(s), a, al);
  memory.copy(strPtr(s) + al, b, bl);
  return s;
}

/** Elements of an array, or a set in sorted order; 0 length for anything else. */
export function elemCount(coll: usize): u32 {
  let t = tagOf(coll);
  if (t == T_ARRAY) return arrLen(coll);
  if (t == T_SET) {
    sortCollection(coll);
    return collLen(coll);
  }
  return 0;
}

// @ts-ignore: decorator
@inline export function elemAt(coll: usize, i: u32): usize {
  return tagOf(coll) == T_ARRAY ? arrGet(coll, i) : entryKey(coll, i);
}

export function isArrayOrSet(v: usize): bool {
  let t = tagOf(v);
  return t == T_ARRAY || t == T_SET;
}
