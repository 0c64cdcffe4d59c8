// String built-ins: search, slicing, case, replacement, trimming.

import { EMPTY_STRING, boolValue, makeInt, asInteger, intResult, makeString, allocString, strLen, strPtr, strCount, makeArray, arrAppend, countCodePoints } from "../value";
import { toAS, fromAS, findBytes, decodeAt, byteOffsetOf, substringValue, elemCount, isArrayOrSet, isString, seqLen, elemAt } from "./helpers";
import { lowerCase, upperCase } from "../lib/strings";

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

// strings.any_prefix_match / any_suffix_match: each operand is a string or an array or set of
// strings; true when some search string starts (ends) with some base.

export function b_strings_any_prefix_match(search: usize, base: usize): usize {
  return anyAffixMatch(search, base, false);
}

export function b_strings_any_suffix_match(search: usize, base: usize): usize {
  return anyAffixMatch(search, base, true);
}

function anyAffixMatch(search: usize, base: usize, suffix: bool): usize {
  if (!isStringOperand(search) || !isStringOperand(base)) return 0;
  let sn: u32 = isString(search) ? 1 : elemCount(search);
  let bn: u32 = isString(base) ? 1 : elemCount(base);
  for (let i: u32 = 0; i < sn; i++) {
    let s = isString(search) ? search : elemAt(search, i);
    let sl = strLen(s);
    for (let j: u32 = 0; j < bn; j++) {
      let b = isString(base) ? base : elemAt(base, j);
      let bl = strLen(b);
      if (bl <= sl && memory.compare(strPtr(s) + <usize>(suffix ? sl - bl : 0), strPtr(b), bl) == 0) return boolValue(true);
    }
  }
  return boolValue(false);
}

/** A string, or an array or set of strings only. */
function isStringOperand(v: usize): bool {
  if (isString(v)) return true;
  if (!isArrayOrSet(v)) return false;
  let n = elemCount(v);
  for (let i: u32 = 0; i < n; i++) if (!isString(elemAt(v, i))) return false;
  return true;
}
