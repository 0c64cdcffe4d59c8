// JSON (and Rego value text) parsing; dump.ts writes values back out.
//
// The parser is recursive descent with a hard nesting limit, so that no input can exhaust the
// Wasm stack here or later in the recursive value algorithms (equality, hashing, dumping).
// Strings without escapes are not copied: the value points into the source text, which lives in
// the same heap and is never freed before the values made from it.

import {
  NULL_VALUE, TRUE_VALUE, FALSE_VALUE, makeInt, makeFloat, makeString, strLen, strPtr, makeArray, arrAppend, makeObject, makeSet, objectInsert, objectInsertNew, setAdd,
} from "./value";
import { sortCollection } from "./order";
import { bigFromDigits } from "./bignum";
import { Decimal, nearestDouble, decimalOfText, POWERS_OF_TEN } from "./lib/decimal";

export const MAX_DEPTH: i32 = 1000;

// Parser state (one parse at a time; the runtime is single-threaded).
let pos: usize = 0;
let end: usize = 0;
let start: usize = 0;
let allowSets: bool = false;
/** Why the last parse failed (an AssemblyScript string literal), and where. */
export let parseError: string = "";
export let parseErrorOffset: u32 = 0;

function fail(message: string): usize {
  if (parseError.length == 0) {
    parseError = message;
    parseErrorOffset = <u32>(pos - start);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function skipSpace(): void {
  while (pos < end) {
    let c = load<u8>(pos);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
    pos++;
  }
}

/**
 * Parses one JSON document from [ptr, ptr+len). With sets allowed (Rego value text), `{a, b}` and
 * `set()` are sets and object keys may be any value. Returns 0 and sets parseError on failure.
 */
export function parseJSON(ptr: usize, len: usize, sets: bool): usize {
  pos = ptr;
  start = ptr;
  end = ptr + len;
  allowSets = sets;
  parseError = "";
  parseErrorOffset = 0;
  let v = parseValue(0);
  if (v == 0) return 0;
  skipSpace();
  if (pos != end) return fail("unexpected text after the JSON value");
  return v;
}

function parseValue(depth: i32): usize {
  skipSpace();
  if (pos >= end) return fail("unexpected end of JSON text");
  let c = load<u8>(pos);
  switch (c) {
    case 0x7b: // {
      return parseObject(depth + 1);
    case 0x5b: // [
      return parseArray(depth + 1);
    case 0x22: // "
      return parseString();
    case 0x74: // t
      return parseLiteral("true", TRUE_VALUE);
    case 0x66: // f
      return parseLiteral("false", FALSE_VALUE);
    case 0x6e: // n
      return parseLiteral("null", NULL_VALUE);
    case 0x73: // s (set())
      if (allowSets) return parseLiteral("set()", makeSet());
      break;
    default:
      if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
  }
  return fail("unexpected character");
}

function parseLiteral(word: string, value: usize): usize {
  let n = <usize>word.length;
  if (end - pos < n) return fail("invalid literal");
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(pos + i) != <u32>word.charCodeAt(<i32>i)) return fail("invalid literal");
  }
  pos += n;
  return value;
}

function parseArray(depth: i32): usize {
  if (depth > MAX_DEPTH) return fail("JSON nesting is deeper than 1000 levels");
  pos++; // [
  let arr = makeArray(0);
  skipSpace();
  if (pos < end && load<u8>(pos) == 0x5d) {
    pos++;
    return arr;
  }
  while (true) {
    let v = parseValue(depth);
    if (v == 0) return 0;
    arrAppend(arr, v);
    skipSpace();
    if (pos >= end) return fail("unterminated array");
    let c = load<u8>(pos++);
    if (c == 0x5d) return arr;
    if (c != 0x2c) {
      pos--;
      return fail("expected ',' or ']' in array");
    }
  }
  return 0;
}

function parseObject(depth: i32): usize {
  if (depth > MAX_DEPTH) return fail("JSON nesting is deeper than 1000 levels");
  pos++; // {
  skipSpace();
  if (pos < end && load<u8>(pos) == 0x7d) {
    pos++;
    return makeObject();
  }
  let first = allowSets ? parseValue(depth) : parseKey();
  if (first == 0) return 0;
  skipSpace();
  if (allowSets && (pos >= end || load<u8>(pos) != 0x3a)) return parseSetRest(first, depth);
  let obj = makeObject();
  let key = first;
  // A bit per (length, first byte) of the keys so far: a key whose bit is clear is new, and is
  // appended without looking for it (JSON objects rarely repeat a key; a repeated one replaces).
  let seen: u64 = 0;
  while (true) {
    skipSpace();
    if (pos >= end || load<u8>(pos) != 0x3a) return fail("expected ':' after object key");
    pos++;
    let v = parseValue(depth);
    if (v == 0) return 0;
    let bit: u64 = 1;
    if (!allowSets) {
      let length = strLen(key);
      bit = <u64>1 << ((<u64>length * 31 + (length > 0 ? <u64>load<u8>(strPtr(key)) : 0)) & 63);
    }
    if (allowSets || (seen & bit) != 0) objectInsert(obj, key, v);
    else objectInsertNew(obj, key, v);
    seen |= bit;
    skipSpace();
    if (pos >= end) return fail("unterminated object");
    let c = load<u8>(pos++);
    if (c == 0x7d) return obj;
    if (c != 0x2c) {
      pos--;
      return fail("expected ',' or '}' in object");
    }
    key = allowSets ? parseValue(depth) : parseKey();
    if (key == 0) return 0;
  }
  return 0;
}

function parseKey(): usize {
  skipSpace();
  if (pos >= end || load<u8>(pos) != 0x22) return fail("expected a string as object key");
  return parseString();
}

function parseSetRest(first: usize, depth: i32): usize {
  let set = makeSet();
  setAdd(set, first);
  while (true) {
    skipSpace();
    if (pos >= end) return fail("unterminated set");
    let c = load<u8>(pos++);
    if (c == 0x7d) return set;
    if (c != 0x2c) {
      pos--;
      return fail("expected ',' or '}' in set");
    }
    let v = parseValue(depth);
    if (v == 0) return 0;
    setAdd(set, v);
  }
  return 0;
}

function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

function readHex4(p: usize): i32 {
  if (p + 4 > end) return -1;
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    let d = hexDigit(load<u8>(p + i));
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

const ONES: u64 = 0x0101010101010101;
const HIGH_BITS: u64 = 0x8080808080808080;

/** Whether any of the 8 bytes of w is a quote, a backslash or a control character (below 0x20). */
// @ts-ignore: decorator
@inline export function hasSpecialByte(w: u64): bool {
  let quote = w ^ (ONES * 0x22);
  let backslash = w ^ (ONES * 0x5c);
  // A byte b has its high bit set in (b - k) & ~b exactly when b < k (for k <= 0x80), if no lower
  // byte borrowed; a borrow only follows a byte that is itself flagged.
  return ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((w - ONES * 0x20) & ~w)) & HIGH_BITS) != 0;
}

function parseString(): usize {
  pos++; // opening quote
  let begin = pos;
  let escapes = false;
  // Eight bytes at a time up to the first byte that needs a look.
  while (pos + 8 <= end && !hasSpecialByte(load<u64>(pos))) pos += 8;
  while (true) {
    if (pos >= end) return fail("unterminated string");
    let c = load<u8>(pos);
    if (c == 0x22) break;
    if (c < 0x20) return fail("control character in string");
    if (c == 0x5c) {
      escapes = true;
      pos += 2;
      continue;
    }
    pos++;
  }
  if (pos > end) return fail("unterminated string");
  let rawLen = pos - begin;
  pos++; // closing quote
  if (!escapes) return makeString(begin, <u32>rawLen);
  // Decoded text is never longer than the escaped text.
  let out = __bump(rawLen);
  let o = out;
  let p = begin;
  let stop = begin + rawLen;
  while (p < stop) {
    let c = load<u8>(p);
    if (c != 0x5c) {
      store<u8>(o++, c);
      p++;
      continue;
    }
    let e = load<u8>(p + 1);
    p += 2;
    switch (e) {
      case 0x22: store<u8>(o++, 0x22); break;
      case 0x5c: store<u8>(o++, 0x5c); break;
      case 0x2f: store<u8>(o++, 0x2f); break;
      case 0x62: store<u8>(o++, 0x08); break;
      case 0x66: store<u8>(o++, 0x0c); break;
      case 0x6e: store<u8>(o++, 0x0a); break;
      case 0x72: store<u8>(o++, 0x0d); break;
      case 0x74: store<u8>(o++, 0x09); break;
      case 0x75: {
        let cp = readHex4(p);
        if (cp < 0) {
          pos = p;
          return fail("invalid \\u escape");
        }
        p += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          // A high surrogate needs its low half; alone it becomes U+FFFD.
          let lo = p + 6 <= stop && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75 ? readHex4(p + 2) : -1;
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          } else {
            cp = 0xfffd;
          }
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
          cp = 0xfffd;
        }
        o = writeUTF8(o, <u32>cp);
        break;
      }
      default:
        pos = p - 2;
        return fail("invalid escape in string");
    }
  }
  let v = makeString(out, <u32>(o - out));
  return v;
}

export function writeUTF8(o: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(o, <u8>cp);
    return o + 1;
  }
  if (cp < 0x800) {
    store<u8>(o, <u8>(0xc0 | (cp >> 6)));
    store<u8>(o + 1, <u8>(0x80 | (cp & 0x3f)));
    return o + 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, <u8>(0xe0 | (cp >> 12)));
    store<u8>(o + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(o + 2, <u8>(0x80 | (cp & 0x3f)));
    return o + 3;
  }
  store<u8>(o, <u8>(0xf0 | (cp >> 18)));
  store<u8>(o + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(o + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(o + 3, <u8>(0x80 | (cp & 0x3f)));
  return o + 4;
}

/** Integers past this many digits (mantissa and exponent) are refused, as OPA refuses 2^100000. */
const MAX_INTEGER_DIGITS: i32 = 30103;

function parseNumber(): usize {
  let begin = pos;
  let negative = false;
  if (load<u8>(pos) == 0x2d) {
    negative = true;
    pos++;
  }
  if (pos >= end) return fail("invalid number");
  let mantissa: u64 = 0;
  let digits: i32 = 0; // significant digits kept in mantissa
  let dropped: i32 = 0; // integer digits beyond those kept
  let intStart = pos;
  let c = load<u8>(pos);
  if (c == 0x30) {
    pos++;
  } else if (c >= 0x31 && c <= 0x39) {
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 0x30 || c > 0x39) break;
      if (digits < 19) {
        mantissa = mantissa * 10 + <u64>(c - 0x30);
        digits++;
      } else {
        dropped++;
      }
      pos++;
    }
  } else {
    return fail("invalid number");
  }
  let intEnd = pos;
  let exponent: i32 = dropped;
  let isInteger = true;
  let fracStart = pos;
  let fracEnd = pos;
  if (pos < end && load<u8>(pos) == 0x2e) {
    isInteger = false;
    pos++;
    fracStart = pos;
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 0x30 || c > 0x39) break;
      if (digits < 19) {
        if (mantissa != 0 || c != 0x30) digits++;
        mantissa = mantissa * 10 + <u64>(c - 0x30);
        exponent--;
      }
      pos++;
    }
    if (pos == fracStart) return fail("invalid number");
    fracEnd = pos;
  }
  let written: i32 = 0; // the exponent as written
  if (pos < end && (load<u8>(pos) | 0x20) == 0x65) {
    isInteger = false;
    pos++;
    let expNegative = false;
    if (pos < end && (load<u8>(pos) == 0x2b || load<u8>(pos) == 0x2d)) {
      expNegative = load<u8>(pos) == 0x2d;
      pos++;
    }
    let expStart = pos;
    let e: i32 = 0;
    while (pos < end) {
      c = load<u8>(pos);
      if (c < 0x30 || c > 0x39) break;
      if (e < 100000) e = e * 10 + <i32>(c - 0x30);
      pos++;
    }
    if (pos == expStart) return fail("invalid number");
    written = expNegative ? -e : e;
    exponent += written;
  }
  if (isInteger && dropped == 0 && (mantissa < 0x8000000000000000 || (negative && mantissa == 0x8000000000000000))) {
    return makeInt(negative ? -<i64>mantissa : <i64>mantissa);
  }
  if (dropped > 0 || (mantissa != 0 && digits + exponent > 15)) {
    // An integer past 2^53 (past i64 if written plainly) is kept exactly, as OPA keeps the number's text.
    let big = integerOfDecimal(intStart, intEnd, fracStart, fracEnd, written, negative);
    if (big != 0) return big;
    if (parseError.length != 0) return 0;
  }
  let f: f64;
  if (mantissa < (<u64>1 << 53) && exponent >= -22 && exponent <= 22) {
    // Exact: both operands are exactly representable, so one rounding.
    f = exponent >= 0 ? <f64>mantissa * unchecked(POWERS_OF_TEN[exponent]) : <f64>mantissa / unchecked(POWERS_OF_TEN[-exponent]);
    if (negative) f = -f;
  } else {
    f = nearestDouble(String.UTF8.decodeUnsafe(begin, pos - begin));
  }
  if (!isFinite(f)) return fail("number out of range");
  let len = pos - begin;
  // Within a double's exact integers the double says whether the number is one, unless digits
  // past its precision follow the point (1.0000000000000000001).
  if (f == Math.trunc(f) && isIntegral(decimalOfText(String.UTF8.decodeUnsafe(begin, len)))) return makeInt(<i64>f);
  // A number that is not an integer keeps its text, as OPA's Number does (like a string, it
  // points into the source).
  return makeFloat(f, begin, <u32>len);
}

function isIntegral(d: Decimal): bool {
  return d.nd <= d.dp;
}

/**
 * The exact integer of the number with integer digits [intStart, intEnd), fraction digits
 * [fracStart, fracEnd) and exponent `written`, or 0 when it is not an integer (or is too large,
 * with parseError set).
 */
function integerOfDecimal(intStart: usize, intEnd: usize, fracStart: usize, fracEnd: usize, written: i32, negative: bool): usize {
  // The digits as one run: integer digits then fraction digits, the point `written` places right
  // of the fraction's start.
  let fracDigits = <i32>(fracEnd - fracStart);
  let all = __bump(<usize>(intEnd - intStart) + <usize>fracDigits);
  memory.copy(all, intStart, intEnd - intStart);
  memory.copy(all + (intEnd - intStart), fracStart, <usize>fracDigits);
  let n = <i32>(intEnd - intStart) + fracDigits;
  let scale = written - fracDigits; // value = digits × 10^scale
  while (n > 0 && load<u8>(all + <usize>(n - 1)) == 0x30) {
    n--;
    scale++;
  }
  let first = 0;
  while (first < n && load<u8>(all + <usize>first) == 0x30) first++;
  if (first == n) return 0;
  if (scale < 0) return 0;
  if (n - first + scale > MAX_INTEGER_DIGITS) return fail("number out of range");
  return bigFromDigits(all + <usize>first, <usize>(n - first), scale, negative);
}
