// Rego values in linear memory. A value is addressed by its pointer; 0 means "undefined".
//
// Layout (byte offsets; every value is 8-byte aligned and starts with its type tag):
//   null    [0] tag
//   boolean [0] tag  [4] u8 0|1
//   int     [0] tag  [8] i64                         -- integers that fit in i64
//   big     [0] tag  [1] u8 negative  [4] u32 n  [8] n u32 limbs  -- every other integer (bignum.ts)
//   float   [0] tag  [8] f64 the nearest double  [16] u32 pointer to the number's text  [20] u32 its
//           byte length  -- numbers that are not integers (float-values.ts)
//   string  [0] tag  [1] u24 cached hash, or 0 until first needed  [4] u32 byte length
//           [8] u32 pointer to UTF-8 bytes  [12] u32 code-point count, or UNKNOWN_COUNT until first needed
//   array   [0] tag  [4] u32 length  [8] u32 capacity  [12] u32 pointer to u32 element pointers
//   object  [0] tag  [1] u8 sorted  [4] u32 length  [8] u32 capacity  [12] u32 pointer to entries
//           [16] u32 pointer to hash index or 0  [20] u32 index mask
//   set     as object; an entry's value slot is unused
// Object and set entries are ENTRY_SIZE bytes: key, value, hash. Small collections are searched
// linearly; past INDEX_THRESHOLD entries an open-addressing index (u32 entry number + 1 per slot)
// is kept. Collections are sorted lazily, in place, the first time something needs the order
// (iteration, dumping, comparison), because Rego iterates and prints them in sorted order.

import { sortCollection, compareValues, valueEqual, hashValue } from "./order";
import { bigToF64 } from "./bignum";

export const T_NULL: u32 = 1;
export const T_BOOL: u32 = 2;
export const T_INT: u32 = 3;
export const T_FLOAT: u32 = 4;
export const T_STRING: u32 = 5;
export const T_ARRAY: u32 = 6;
export const T_OBJECT: u32 = 7;
export const T_SET: u32 = 8;
export const T_BIG: u32 = 9;

export const UNKNOWN_COUNT: u32 = 0xffffffff;
export const ENTRY_SIZE: usize = 12;
const INDEX_THRESHOLD: u32 = 16;
/** The first index's slots: a power of two with room to spare past INDEX_THRESHOLD entries. */
const INDEX_SLOTS: u32 = 64;

export const NULL_VALUE: usize = memory.data<u8>([1, 0, 0, 0, 0, 0, 0, 0], 8);
export const FALSE_VALUE: usize = memory.data<u8>([2, 0, 0, 0, 0, 0, 0, 0], 8);
export const TRUE_VALUE: usize = memory.data<u8>([2, 0, 0, 0, 1, 0, 0, 0], 8);
export const EMPTY_STRING: usize = memory.data<u8>([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8);

// @ts-ignore: decorator
@inline export function tagOf(v: usize): u32 {
  return load<u8>(v);
}

// @ts-ignore: decorator
@inline export function boolValue(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

// ---- numbers ----

export function makeInt(i: i64): usize {
  let v = __bump(16);
  store<u32>(v, T_INT);
  store<i64>(v, i, 8);
  return v;
}

/** A number that is not an integer, from its nearest double and its text (as OPA keeps a number). */
export function makeFloat(f: f64, text: usize, len: u32): usize {
  let v = __bump(24);
  store<u32>(v, T_FLOAT);
  store<f64>(v, f, 8);
  store<u32>(v, <u32>text, 16);
  store<u32>(v, len, 20);
  return v;
}

// @ts-ignore: decorator
@inline export function floatTextPtr(v: usize): usize {
  return <usize>load<u32>(v, 16);
}

// @ts-ignore: decorator
@inline export function floatTextLen(v: usize): u32 {
  return load<u32>(v, 20);
}

// @ts-ignore: decorator
@inline export function isNumber(v: usize): bool {
  let t = tagOf(v);
  return t == T_INT || t == T_FLOAT || t == T_BIG;
}

// @ts-ignore: decorator
@inline export function intOf(v: usize): i64 {
  return load<i64>(v, 8);
}

export function numberAsF64(v: usize): f64 {
  let t = tagOf(v);
  return t == T_INT ? <f64>load<i64>(v, 8) : t == T_BIG ? bigToF64(v) : load<f64>(v, 8);
}

/** Whether v is an integer that fits in i64 (a T_INT: floats are never integral); the value is left in intResult. */
export let intResult: i64 = 0;
export function asInteger(v: usize): bool {
  if (tagOf(v) != T_INT) return false;
  intResult = load<i64>(v, 8);
  return true;
}

// ---- strings ----

export function makeString(ptr: usize, len: u32): usize {
  if (len == 0) return EMPTY_STRING;
  let v = __bump(16);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>ptr, 8);
  store<u32>(v, UNKNOWN_COUNT, 12);
  return v;
}

/** A fresh string value with an uninitialised buffer of len bytes; write into strPtr(result). */
export function allocString(len: u32): usize {
  if (len == 0) return EMPTY_STRING;
  let v = __bump(16 + <usize>len);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>(v + 16), 8);
  store<u32>(v, UNKNOWN_COUNT, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function strLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline export function strPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}

export function countCodePoints(ptr: usize, len: usize): u32 {
  let n: u32 = 0;
  for (let i: usize = 0; i < len; i++) {
    if ((load<u8>(ptr + i) & 0xc0) != 0x80) n++;
  }
  return n;
}

export function strCount(v: usize): u32 {
  let n = load<u32>(v, 12);
  if (n == UNKNOWN_COUNT) {
    n = countCodePoints(strPtr(v), strLen(v));
    store<u32>(v, n, 12);
  }
  return n;
}

/** Whether n bytes at pa and at pb are equal; a word at a time, as keys are compared far more than ordered. */
export function bytesEqual(pa: usize, pb: usize, n: usize): bool {
  if (pa == pb) return true;
  while (n >= 8) {
    if (load<u64>(pa) != load<u64>(pb)) return false;
    pa += 8;
    pb += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(pa) != load<u8>(pb)) return false;
    pa++;
    pb++;
    n--;
  }
  return true;
}

// ---- arrays ----

/** Capacity hints are capped: collections grow on demand, and a huge hint must not overflow. */
const MAX_INITIAL_CAPACITY: u32 = 1 << 16;

export function makeArray(capacity: u32): usize {
  capacity = min(capacity, MAX_INITIAL_CAPACITY);
  let v = __bump(16);
  store<u32>(v, T_ARRAY);
  store<u32>(v, 0, 4);
  store<u32>(v, capacity, 8);
  store<u32>(v, capacity > 0 ? <u32>__bump(<usize>capacity << 2) : 0, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function arrLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline export function arrGet(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + (<usize>i << 2));
}

export function arrAppend(v: usize, elem: usize): void {
  let len = load<u32>(v, 4);
  let cap = load<u32>(v, 8);
  let elems = <usize>load<u32>(v, 12);
  if (len == cap) {
    let newCap = cap < 4 ? 4 : cap * 2;
    elems = cap == 0 ? __bump(<usize>newCap << 2) : __bump_grow(elems, <usize>cap << 2, <usize>newCap << 2);
    store<u32>(v, newCap, 8);
    store<u32>(v, <u32>elems, 12);
  }
  store<u32>(elems + (<usize>len << 2), <u32>elem);
  store<u32>(v, len + 1, 4);
}

// ---- objects and sets ----

export function makeCollection(tag: u32, capacity: u32): usize {
  capacity = min(capacity, MAX_INITIAL_CAPACITY);
  let v = __bump(24);
  store<u32>(v, tag | (1 << 8)); // sorted while empty
  store<u32>(v, 0, 4);
  store<u32>(v, capacity, 8);
  store<u32>(v, capacity > 0 ? <u32>__bump(<usize>capacity * ENTRY_SIZE) : 0, 12);
  store<u32>(v, 0, 16);
  store<u32>(v, 0, 20);
  return v;
}

export function makeObject(): usize {
  return makeCollection(T_OBJECT, 0);
}

export function makeSet(): usize {
  return makeCollection(T_SET, 0);
}

// @ts-ignore: decorator
@inline export function collLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline function entryAt(v: usize, i: u32): usize {
  return <usize>load<u32>(v, 12) + <usize>i * ENTRY_SIZE;
}

/** The key of object entry i, or element i of a set (in sorted order once sortCollection ran). */
// @ts-ignore: decorator
@inline export function entryKey(v: usize, i: u32): usize {
  return <usize>load<u32>(entryAt(v, i));
}

// @ts-ignore: decorator
@inline export function entryValue(v: usize, i: u32): usize {
  return <usize>load<u32>(entryAt(v, i), 4);
}

/**
 * Index of the entry whose key is string `key` in collection v without a hash index, or -1: the
 * common case (object field lookup), in line where it is used. Tag and length are one word, and
 * keys of 4+ bytes are told apart by their first 4 bytes before a full comparison.
 */
// @ts-ignore: decorator
@inline function findStringKey(v: usize, key: usize): i32 {
  let len = load<u32>(v, 4);
  let e = <usize>load<u32>(v, 12);
  let kl = strLen(key);
  let kp = strPtr(key);
  let head = (<u64>kl << 32) | <u64>T_STRING;
  const TAG_AND_LENGTH: u64 = 0xffffffff000000ff;
  if (kl >= 4) {
    let first = load<u32>(kp);
    for (let i: u32 = 0; i < len; i++, e += ENTRY_SIZE) {
      let k = <usize>load<u32>(e);
      if (k == key) return <i32>i;
      if ((load<u64>(k) & TAG_AND_LENGTH) != head) continue;
      let p = strPtr(k);
      if (load<u32>(p) == first && bytesEqual(p + 4, kp + 4, kl - 4)) return <i32>i;
    }
    return -1;
  }
  for (let i: u32 = 0; i < len; i++, e += ENTRY_SIZE) {
    let k = <usize>load<u32>(e);
    if (k == key || ((load<u64>(k) & TAG_AND_LENGTH) == head && bytesEqual(strPtr(k), kp, kl))) return <i32>i;
  }
  return -1;
}

/** Index of the entry whose key equals key, or -1. */
export function findEntry(v: usize, key: usize): i32 {
  let len = load<u32>(v, 4);
  let index = <usize>load<u32>(v, 16);
  if (index == 0) {
    if (tagOf(key) == T_STRING) return findStringKey(v, key);
    let e = <usize>load<u32>(v, 12);
    for (let i: u32 = 0; i < len; i++, e += ENTRY_SIZE) {
      if (valueEqual(<usize>load<u32>(e), key)) return <i32>i;
    }
    return -1;
  }
  let mask = load<u32>(v, 20);
  let h = hashValue(key);
  let slot = h & mask;
  while (true) {
    let n = load<u32>(index + (<usize>slot << 2));
    if (n == 0) return -1;
    let e = entryAt(v, n - 1);
    if (load<u32>(e, 8) == h && valueEqual(<usize>load<u32>(e), key)) return <i32>(n - 1);
    slot = (slot + 1) & mask;
  }
  return -1;
}

function buildIndex(v: usize, slots: u32): void {
  fillIndex(v, __bump(<usize>slots << 2), slots);
}

/** Fills index (slots u32s) for v's entries and installs it. */
export function fillIndex(v: usize, index: usize, slots: u32): void {
  memory.fill(index, 0, <usize>slots << 2);
  let mask = slots - 1;
  let len = load<u32>(v, 4);
  for (let i: u32 = 0; i < len; i++) {
    let e = entryAt(v, i);
    let slot = load<u32>(e, 8) & mask;
    while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<u32>(index + (<usize>slot << 2), i + 1);
  }
  store<u32>(v, <u32>index, 16);
  store<u32>(v, mask, 20);
}

/** Appends an entry known not to be present. */
function appendEntry(v: usize, key: usize, value: usize): void {
  let len = load<u32>(v, 4);
  let cap = load<u32>(v, 8);
  if (len == cap) {
    let newCap = cap < 4 ? 4 : cap * 2;
    let entries = <usize>load<u32>(v, 12);
    entries = cap == 0
      ? __bump(<usize>newCap * ENTRY_SIZE)
      : __bump_grow(entries, <usize>cap * ENTRY_SIZE, <usize>newCap * ENTRY_SIZE);
    store<u32>(v, newCap, 8);
    store<u32>(v, <u32>entries, 12);
  }
  let sorted = load<u8>(v, 1) != 0;
  if (sorted && len > 0 && compareValues(entryKey(v, len - 1), key) > 0) store<u8>(v, 0, 1);
  let e = entryAt(v, len);
  store<u32>(e, <u32>key);
  store<u32>(e, <u32>value, 4);
  let index = <usize>load<u32>(v, 16);
  let needIndex = index != 0 || len + 1 > INDEX_THRESHOLD;
  store<u32>(e, needIndex ? hashValue(key) : 0, 8);
  store<u32>(v, len + 1, 4);
  if (!needIndex) return;
  if (index == 0) {
    // Hashes were not kept while the collection was small.
    for (let i: u32 = 0; i < len; i++) store<u32>(entryAt(v, i), hashValue(entryKey(v, i)), 8);
    buildIndex(v, INDEX_SLOTS);
    return;
  }
  let mask = load<u32>(v, 20);
  if ((len + 1) * 2 > mask) {
    buildIndex(v, (mask + 1) * 2);
    return;
  }
  let slot = load<u32>(e, 8) & mask;
  while (load<u32>(index + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
  store<u32>(index + (<usize>slot << 2), len + 1);
}

/** Object get: the value under key, or 0. */
export function objectGet(obj: usize, key: usize): usize {
  let i = findEntry(obj, key);
  return i < 0 ? 0 : entryValue(obj, <u32>i);
}

/** objectGet with a string key of a small object, the commonest field read, in line. */
// @ts-ignore: decorator
@inline export function objectField(obj: usize, key: usize): usize {
  if (load<u32>(obj, 16) != 0 || tagOf(key) != T_STRING) return objectGet(obj, key);
  let i = findStringKey(obj, key);
  return i < 0 ? 0 : entryValue(obj, <u32>i);
}

/** Object insert-or-overwrite. */
export function objectInsert(obj: usize, key: usize, value: usize): void {
  let i = findEntry(obj, key);
  if (i >= 0) {
    store<u32>(entryAt(obj, <u32>i), <u32>value, 4);
    return;
  }
  appendEntry(obj, key, value);
}

/** Object insert of a key known to be absent (the JSON parser's, see parseObject). */
export function objectInsertNew(obj: usize, key: usize, value: usize): void {
  appendEntry(obj, key, value);
}

/** Insert unless present; returns false when the key is present with a different value. */
export function objectInsertOnce(obj: usize, key: usize, value: usize): bool {
  let i = findEntry(obj, key);
  if (i >= 0) return valueEqual(entryValue(obj, <u32>i), value);
  appendEntry(obj, key, value);
  return true;
}

export function setAdd(set: usize, elem: usize): void {
  if (findEntry(set, elem) < 0) appendEntry(set, elem, 0);
}

export function setContains(set: usize, elem: usize): bool {
  return findEntry(set, elem) >= 0;
}

// ---- copying ----

/** A shallow copy of an object (new entry table, same keys and values). */
export function objectCopy(obj: usize): usize {
  let len = collLen(obj);
  let copy = makeCollection(T_OBJECT, len);
  for (let i: u32 = 0; i < len; i++) appendEntry(copy, entryKey(obj, i), entryValue(obj, i));
  return copy;
}

export function setCopy(set: usize): usize {
  let len = collLen(set);
  let copy = makeCollection(T_SET, len);
  for (let i: u32 = 0; i < len; i++) appendEntry(copy, entryKey(set, i), 0);
  return copy;
}

