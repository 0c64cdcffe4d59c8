// Array, object and set built-ins, and membership (`in`).

import { b_and } from "./numbers";
import { T_ARRAY, T_OBJECT, T_SET, tagOf, boolValue, asInteger, intResult, makeArray, arrLen, arrGet, arrAppend, makeObject, makeSet, collLen, entryKey, entryValue, objectGet, objectInsert, setAdd, setContains, objectCopy, setCopy } from "../value";
import { valueEqual } from "../order";

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

/** object.union of an array of objects, left to right: later objects win, nested objects merge. */
export function b_object_union_n(objects: usize): usize {
  if (tagOf(objects) != T_ARRAY) return 0;
  let r = makeObject();
  let n = arrLen(objects);
  for (let i: u32 = 0; i < n; i++) {
    let o = arrGet(objects, i);
    if (tagOf(o) != T_OBJECT) return 0;
    r = unionObjects(r, o);
  }
  return r;
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
