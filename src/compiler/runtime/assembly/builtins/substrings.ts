// String built-ins that count, find or replace every occurrence of a substring, as Go's strings
// package does for OPA (strings.Count, strings.NewReplacer), byte-wise over UTF-8.

import { T_OBJECT, tagOf, makeInt, makeArray, arrAppend, allocString, strLen, strPtr, strCount, collLen, entryKey, entryValue, countCodePoints } from "../value";
import { sortCollection } from "../order";
import { findBytes, isString } from "./helpers";

/** strings.count: non-overlapping occurrences; an empty substring occurs once per code point, plus one. */
export function b_strings_count(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  let nl = strLen(sub);
  if (nl == 0) return makeInt(<i64>strCount(s) + 1);
  let p = strPtr(s), l = strLen(s);
  let count: i64 = 0;
  let at = findBytes(p, l, strPtr(sub), nl, 0);
  while (at >= 0) {
    count++;
    at = findBytes(p, l, strPtr(sub), nl, <u32>at + nl);
  }
  return makeInt(count);
}

/**
 * indexof_n: the code-point index of every occurrence, overlapping ones included; an empty
 * substring is an error in OPA ("empty search character"), so undefined.
 */
export function b_indexof_n(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub) || strLen(sub) == 0) return 0;
  let p = strPtr(s), l = strLen(s);
  let r = makeArray(0);
  // A match starts at a code point: sub starts with a lead byte, which no continuation byte equals.
  let counted: u32 = 0;
  let index: u32 = 0;
  let at = findBytes(p, l, strPtr(sub), strLen(sub), 0);
  while (at >= 0) {
    index += countCodePoints(p + counted, <usize>(<u32>at - counted));
    counted = <u32>at;
    arrAppend(r, makeInt(index));
    at = findBytes(p, l, strPtr(sub), strLen(sub), <u32>at + 1);
  }
  return r;
}

/**
 * strings.replace_n(patterns, s): Go's strings.NewReplacer over the patterns in key order. At
 * each position the first pattern in that order that matches wins (not the longest), the text
 * it replaced is skipped, and an empty pattern matches between bytes, though not twice in a row.
 */
export function b_strings_replace_n(patterns: usize, s: usize): usize {
  if (tagOf(patterns) != T_OBJECT || !isString(s)) return 0;
  sortCollection(patterns);
  let n = collLen(patterns);
  for (let k: u32 = 0; k < n; k++) {
    if (!isString(entryKey(patterns, k)) || !isString(entryValue(patterns, k))) return 0;
  }
  let r = allocString(replaceInto(0, patterns, s));
  replaceInto(strPtr(r), patterns, s);
  return r;
}

/** Writes the replaced text to out (nothing when out is 0); returns its length in bytes. */
function replaceInto(out: usize, patterns: usize, s: usize): u32 {
  let p = strPtr(s), l = strLen(s);
  let n = collLen(patterns);
  let written: u32 = 0;
  let last: u32 = 0;
  let previousEmpty = false;
  let i: u32 = 0;
  while (i <= l) {
    let found = -1;
    for (let k: u32 = 0; k < n; k++) {
      let key = entryKey(patterns, k);
      let kl = strLen(key);
      if (kl == 0 ? previousEmpty : kl > l - i || memory.compare(p + i, strPtr(key), kl) != 0) continue;
      found = <i32>k;
      break;
    }
    if (found < 0) {
      previousEmpty = false;
      i++;
      continue;
    }
    let key = entryKey(patterns, <u32>found);
    let value = entryValue(patterns, <u32>found);
    written += copyOut(out, written, p + last, i - last);
    written += copyOut(out, written, strPtr(value), strLen(value));
    i += strLen(key);
    last = i;
    previousEmpty = strLen(key) == 0;
  }
  if (last < l) written += copyOut(out, written, p + last, l - last);
  return written;
}

// @ts-ignore: decorator
@inline function copyOut(out: usize, at: u32, from: usize, n: u32): u32 {
  if (out != 0 && n > 0) memory.copy(out + at, from, n);
  return n;
}
