// Code-point aware string helpers behind OPA's string built-ins. AssemblyScript
// strings are UTF-16; Rego (Go) strings are sequences of code points, so every
// index and length here counts code points, never UTF-16 code units.

import { casemap } from "~lib/util/casemap";
import { nearestDouble } from "./decimal";

/** The string made of the code points `cps`. */
export function stringFromCodePoints(cps: Array<i32>): string {
  const units = new Array<i32>();
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    if (cp >= 0x10000) {
      units.push(0xd800 + ((cp - 0x10000) >> 10));
      units.push(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      units.push(cp);
    }
  }
  return String.fromCharCodes(units);
}

/** Number of UTF-16 units the code point `cp` occupies. */
// @ts-ignore: decorator
@inline
export function codePointWidth(cp: i32): i32 {
  return cp >= 0x10000 ? 2 : 1;
}

export function countCodePoints(s: string): i32 {
  let count = 0;
  const len = s.length;
  for (let i = 0; i < len; i += codePointWidth(s.codePointAt(i))) count++;
  return count;
}

/** UTF-16 index of the code point numbered `cpIndex`, or s.length past the end. */
function unitIndexOfCodePoint(s: string, cpIndex: i32): i32 {
  let i = 0;
  const len = s.length;
  for (let n = 0; n < cpIndex && i < len; n++) i += codePointWidth(s.codePointAt(i));
  return i;
}

/**
 * `indexof`: code-point index of the first occurrence of `search`, -1 if absent.
 * OPA rejects an empty search ("empty search character"); the caller raises that.
 */
export function indexOfCodePoints(s: string, search: string): i32 {
  const unit = s.indexOf(search);
  if (unit < 0) return -1;
  // A match found on UTF-16 units starts on a code-point boundary whenever
  // `search` does not start with a low surrogate, which well-formed text never does.
  return countCodePoints(s.substring(0, unit));
}

/**
 * `substring`: `length` code points from code point `start`; `length` < 0 means
 * to the end; a start at or past the end gives "". OPA rejects a negative start
 * ("negative offset"); the caller raises that.
 */
export function substringCodePoints(s: string, start: i32, length: i32): string {
  const from = unitIndexOfCodePoint(s, start);
  if (from >= s.length) return "";
  if (length < 0) return s.substring(from);
  let to = from;
  const len = s.length;
  for (let n = 0; n < length && to < len; n++) to += codePointWidth(s.codePointAt(to));
  return s.substring(from, to);
}

function cutsetContains(cutset: string, cp: i32): bool {
  const len = cutset.length;
  for (let i = 0; i < len; ) {
    const c = cutset.codePointAt(i);
    if (c == cp) return true;
    i += codePointWidth(c);
  }
  return false;
}

/** UTF-16 index just past the leading code points that are in `cutset`. */
function leftCut(s: string, cutset: string): i32 {
  let i = 0;
  const len = s.length;
  while (i < len) {
    const cp = s.codePointAt(i);
    if (!cutsetContains(cutset, cp)) break;
    i += codePointWidth(cp);
  }
  return i;
}

/** UTF-16 index of the start of the trailing code points that are in `cutset`. */
function rightCut(s: string, cutset: string, floor: i32): i32 {
  let end = s.length;
  while (end > floor) {
    let start = end - 1;
    const unit = s.charCodeAt(start);
    if ((unit & 0xfc00) == 0xdc00 && start > floor && (s.charCodeAt(start - 1) & 0xfc00) == 0xd800) start--;
    if (!cutsetContains(cutset, s.codePointAt(start))) break;
    end = start;
  }
  return end;
}

/** `trim` (Go strings.Trim): drop leading and trailing code points found in `cutset`. */
export function trimChars(s: string, cutset: string): string {
  if (cutset.length == 0) return s;
  const from = leftCut(s, cutset);
  return s.substring(from, rightCut(s, cutset, from));
}

/** `trim_left` (Go strings.TrimLeft). */
export function trimLeft(s: string, cutset: string): string {
  if (cutset.length == 0) return s;
  return s.substring(leftCut(s, cutset));
}

/** `trim_right` (Go strings.TrimRight). */
export function trimRight(s: string, cutset: string): string {
  if (cutset.length == 0) return s;
  return s.substring(0, rightCut(s, cutset, 0));
}

/** `trim_prefix` (Go strings.TrimPrefix): remove one leading `prefix`. */
export function trimPrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.substring(prefix.length) : s;
}

/** `trim_suffix` (Go strings.TrimSuffix): remove one trailing `suffix`. */
export function trimSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.substring(0, s.length - suffix.length) : s;
}

/** Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space (Z*) set. */
export function isUnicodeSpace(cp: i32): bool {
  if (cp <= 0xff) {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0;
  }
  if (cp >= 0x2000 && cp <= 0x200a) return true;
  return cp == 0x1680 || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/** `trim_space` (Go strings.TrimSpace). */
export function trimSpace(s: string): string {
  let from = 0;
  const len = s.length;
  while (from < len && isUnicodeSpace(s.charCodeAt(from))) from++;
  let to = len;
  // Every space is in the BMP, so a surrogate never matches and stops the scan.
  while (to > from && isUnicodeSpace(s.charCodeAt(to - 1))) to--;
  return s.substring(from, to);
}

/**
 * `split` (Go strings.Split): an empty separator splits into code points (and
 * "" into no parts); a separator that does not occur gives [s].
 */
export function splitString(s: string, separator: string): Array<string> {
  const parts = new Array<string>();
  if (separator.length == 0) {
    const len = s.length;
    for (let i = 0; i < len; ) {
      const w = codePointWidth(s.codePointAt(i));
      parts.push(s.substring(i, i + w));
      i += w;
    }
    return parts;
  }
  let from = 0;
  let at = s.indexOf(separator, 0);
  while (at >= 0) {
    parts.push(s.substring(from, at));
    from = at + separator.length;
    at = s.indexOf(separator, from);
  }
  parts.push(s.substring(from));
  return parts;
}

/**
 * `replace`: every non-overlapping occurrence of `old`, left to right. An empty
 * `old` inserts `replacement` at every code-point boundary, both ends included.
 */
export function replaceAll(s: string, old: string, replacement: string): string {
  if (old.length == 0) {
    const parts = splitString(s, "");
    return replacement + parts.join(replacement) + (parts.length > 0 ? replacement : "");
  }
  return s.replaceAll(old, replacement);
}

/** Go unicode.ToLower for one code point (simple case mapping, no context). */
export function simpleLower(cp: i32): i32 {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (cp == 0x0130) return 0x69; // İ: the simple mapping, not the special-casing "i̇"
  if (cp >= 0x24b6 && cp <= 0x24cf) return cp + 26; // circled letters, outside casemap's table
  if (cp >= 0x20000) return cp;
  return casemap(<u32>cp, 0) & 0x1fffff;
}

/** Go unicode.ToUpper for one code point (simple case mapping: ß stays ß). */
export function simpleUpper(cp: i32): i32 {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp;
  if (cp >= 0x24d0 && cp <= 0x24e9) return cp - 26;
  if (cp == 0xdf) return cp; // ß has no simple uppercase; casemap would give ẞ
  if (cp >= 0x20000) return cp;
  return casemap(<u32>cp, 1) & 0x1fffff;
}

function mapCodePoints(s: string, upper: bool): string {
  const len = s.length;
  let ascii = true;
  for (let i = 0; i < len; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  const units = new Array<i32>();
  for (let i = 0; i < len; ) {
    const cp = s.codePointAt(i);
    units.push(upper ? simpleUpper(cp) : simpleLower(cp));
    i += codePointWidth(cp);
  }
  return stringFromCodePoints(units);
}

/** `lower` (Go strings.ToLower: per code point, simple mappings). */
export function lowerCase(s: string): string {
  return mapCodePoints(s, false);
}

/** `upper` (Go strings.ToUpper: per code point, simple mappings). */
export function upperCase(s: string): string {
  return mapCodePoints(s, true);
}

/**
 * Order of two strings by code point (Go compares UTF-8 bytes, which orders by
 * code point). Plain UTF-16 unit order differs only when a surrogate meets a
 * unit in U+E000..U+FFFF, so those units are shifted before comparing.
 */
export function compareCodePoints(a: string, b: string): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x == y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length == b.length ? 0 : a.length < b.length ? -1 : 1;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * `format_int`: the number truncated toward zero, in `base` (2..36; OPA allows
 * 2, 8, 10 and 16 and the caller enforces that), lowercase, "-" for negatives.
 * Integers past 2^64 are written exactly from their binary representation.
 */
export function formatInt(n: f64, base: i32): string {
  const t = Math.trunc(n);
  if (t == 0 || !isFinite(t)) return "0";
  const negative = t < 0;
  const magnitude = Math.abs(t);
  let digits: string;
  if (magnitude < 18446744073709551616.0) {
    digits = u64ToBase(<u64>magnitude, base);
  } else {
    digits = bigFloatToBase(magnitude, base);
  }
  return negative ? "-" + digits : digits;
}

function u64ToBase(value: u64, base: i32): string {
  if (value == 0) return "0";
  const codes = new Array<i32>();
  while (value > 0) {
    codes.push(DIGITS.charCodeAt(<i32>(value % <u64>base)));
    value /= <u64>base;
  }
  codes.reverse();
  return String.fromCharCodes(codes);
}

/** Exact digits of an integral f64 ≥ 2^64: mantissa × 2^exp held in 16-bit limbs. */
function bigFloatToBase(value: f64, base: i32): string {
  const bits = reinterpret<u64>(value);
  const exp = <i32>((bits >> 52) & 0x7ff) - 1075;
  const mantissa = (bits & 0xfffffffffffff) | 0x10000000000000;
  // Little-endian base-65536 limbs; exp > 0 since value ≥ 2^64.
  const limbs = new Array<u32>();
  let m = mantissa;
  while (m > 0) {
    limbs.push(<u32>(m & 0xffff));
    m >>= 16;
  }
  for (let i = 0; i < exp; i++) {
    let carry: u32 = 0;
    for (let j = 0; j < limbs.length; j++) {
      const v = (limbs[j] << 1) | carry;
      limbs[j] = v & 0xffff;
      carry = v >> 16;
    }
    if (carry) limbs.push(carry);
  }
  const codes = new Array<i32>();
  while (limbs.length > 0) {
    let remainder: u32 = 0;
    for (let j = limbs.length - 1; j >= 0; j--) {
      const cur = (remainder << 16) | limbs[j];
      limbs[j] = cur / <u32>base;
      remainder = cur % <u32>base;
    }
    codes.push(DIGITS.charCodeAt(<i32>remainder));
    while (limbs.length > 0 && limbs[limbs.length - 1] == 0) limbs.pop();
  }
  codes.reverse();
  return String.fromCharCodes(codes);
}

/** Result of parseNumber: `error` is "" when `value` is valid. */
export class NumberResult {
  constructor(public value: f64, public error: string) {}
}

function isDigitUnit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

/**
 * `to_number` on a string: decimal number text as Go's strconv.ParseFloat reads
 * it (sign, digits with an optional point, optional exponent). OPA refuses
 * "Inf"/"Infinity"/"NaN"; hexadecimal and underscore forms are refused here too.
 * Errors carry OPA's wording.
 */
export function parseNumber(s: string): NumberResult {
  const len = s.length;
  let i = 0;
  if (i < len && (s.charCodeAt(i) == 0x2b || s.charCodeAt(i) == 0x2d)) i++;
  let mantissaDigits = 0;
  while (i < len && isDigitUnit(s.charCodeAt(i))) {
    i++;
    mantissaDigits++;
  }
  if (i < len && s.charCodeAt(i) == 0x2e) {
    i++;
    while (i < len && isDigitUnit(s.charCodeAt(i))) {
      i++;
      mantissaDigits++;
    }
  }
  let valid = mantissaDigits > 0;
  if (valid && i < len && (s.charCodeAt(i) | 0x20) == 0x65) {
    i++;
    if (i < len && (s.charCodeAt(i) == 0x2b || s.charCodeAt(i) == 0x2d)) i++;
    let exponentDigits = 0;
    while (i < len && isDigitUnit(s.charCodeAt(i))) {
      i++;
      exponentDigits++;
    }
    valid = exponentDigits > 0;
  }
  if (!valid || i != len) {
    const word = trimLeft(s, "+-").toLowerCase();
    if (word == "inf" || word == "infinity" || word == "nan") {
      return new NumberResult(0, "operand 1 must be valid number string but got string");
    }
    return new NumberResult(0, 'strconv.ParseFloat: parsing "' + s + '": invalid syntax');
  }
  const value = nearestDouble(s);
  if (!isFinite(value)) {
    return new NumberResult(0, 'strconv.ParseFloat: parsing "' + s + '": value out of range');
  }
  return new NumberResult(value, "");
}
