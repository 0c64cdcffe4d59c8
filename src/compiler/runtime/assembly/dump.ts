// Rego values -> text: JSON (sets as arrays), Rego value text (opa_value_dump), and print's lines.

import { bigDigits, bigNegative } from "./bignum";
import { T_NULL, T_BOOL, T_INT, T_FLOAT, T_BIG, T_STRING, T_ARRAY, T_OBJECT, strLen, strPtr, arrLen, arrGet, collLen, entryKey, entryValue, tagOf, intOf, makeString, floatTextPtr, floatTextLen } from "./value";
import { sortCollection } from "./order";
import { hasSpecialByte } from "./json";

// The output buffer grows in place while it is the last allocation on the heap.
let out: usize = 0;
let outLen: usize = 0;
let outCap: usize = 0;

// @ts-ignore: decorator
@inline export function reserve(n: usize): void {
  if (outLen + n > outCap) growOut(n);
}

function growOut(n: usize): void {
  let cap = max(outCap * 2, outLen + n + 64);
  out = __bump_grow(out, outCap, cap);
  outCap = cap;
}

// @ts-ignore: decorator
@inline export function putByte(b: u32): void {
  reserve(1);
  store<u8>(out + outLen, <u8>b);
  outLen++;
}

export function putBytes(p: usize, n: usize): void {
  reserve(n);
  memory.copy(out + outLen, p, n);
  outLen += n;
}

export function putAscii(s: string): void {
  let n = <usize>s.length;
  reserve(n);
  for (let i: usize = 0; i < n; i++) store<u8>(out + outLen + i, <u8>s.charCodeAt(<i32>i));
  outLen += n;
}

export function putInt(i: i64): void {
  reserve(21);
  let u: u64 = i < 0 ? <u64>(-i) : <u64>i;
  if (i < 0) store<u8>(out + outLen++, 0x2d);
  let digits: usize = 1;
  let t = u;
  while (t >= 10) {
    t /= 10;
    digits++;
  }
  let p = out + outLen + digits;
  do {
    p--;
    store<u8>(p, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  } while (u != 0);
  outLen += digits;
}

/** An integer beyond i64 in decimal digits, as OPA writes every integer: never in exponent form. */
export function putBig(v: usize): void {
  if (bigNegative(v)) putByte(0x2d);
  putAscii(bigDigits(v, 10));
}

const HEX: string = "0123456789abcdef";

/**
 * Writes a JSON string. goEscapes: also as Go's encoding/json does, which json.marshal follows:
 * `<`, `>` and `&` as \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, \b and \f short.
 */
function putString(p: usize, n: usize, goEscapes: bool = false): void {
  putByte(0x22);
  let runStart = p;
  let stop = p + n;
  while (p < stop) {
    // Eight bytes at a time while none needs escaping.
    if (!goEscapes && p + 8 <= stop && !hasSpecialByte(load<u64>(p))) {
      p += 8;
      continue;
    }
    let c = <u32>load<u8>(p);
    if (goEscapes && isGoSpecial(c, p, stop)) {
      putBytes(runStart, p - runStart);
      putAscii("\\u");
      let code: u32 = c == 0xe2 ? 0x2000 | <u32>load<u8>(p + 2) - 0x80 : c;
      for (let shift = 12; shift >= 0; shift -= 4) putByte(<u32>HEX.charCodeAt(<i32>((code >> shift) & 15)));
      p += c == 0xe2 ? 3 : 1;
      runStart = p;
      continue;
    }
    if (c >= 0x20 && c != 0x22 && c != 0x5c) {
      p++;
      continue;
    }
    putBytes(runStart, p - runStart);
    if (c == 0x22) putAscii("\\\"");
    else if (c == 0x5c) putAscii("\\\\");
    else if (c == 0x0a) putAscii("\\n");
    else if (c == 0x0d) putAscii("\\r");
    else if (c == 0x09) putAscii("\\t");
    else if (goEscapes && c == 0x08) putAscii("\\b");
    else if (goEscapes && c == 0x0c) putAscii("\\f");
    else {
      putAscii("\\u00");
      putByte(<u32>HEX.charCodeAt(<i32>(c >> 4)));
      putByte(<u32>HEX.charCodeAt(<i32>(c & 15)));
    }
    p++;
    runStart = p;
  }
  putBytes(runStart, p - runStart);
  putByte(0x22);
}

/** `<`, `>`, `&`, or the UTF-8 of U+2028 or U+2029 starting at p. */
function isGoSpecial(c: u32, p: usize, stop: usize): bool {
  if (c == 0x3c || c == 0x3e || c == 0x26) return true;
  return c == 0xe2 && p + 3 <= stop && load<u8>(p + 1) == 0x80 && (load<u8>(p + 2) == 0xa8 || load<u8>(p + 2) == 0xa9);
}

// How writeValue renders values: JSON (sets as arrays), Rego value text (opa_value_dump), Rego
// value text spaced as OPA's own value formatting, which print uses (`{"a": [1, 2]}`), or JSON
// with Go's string escapes (json.marshal).
const STYLE_JSON: i32 = 0;
const STYLE_REGO: i32 = 1;
const STYLE_REGO_SPACED: i32 = 2;
const STYLE_GO_JSON: i32 = 3;

function putSeparator(style: i32, c: u32): void {
  putByte(c);
  if (style == STYLE_REGO_SPACED) putByte(0x20);
}

function writeValue(v: usize, style: i32): void {
  let regoSyntax = style == STYLE_REGO || style == STYLE_REGO_SPACED;
  switch (tagOf(v)) {
    case T_NULL:
      putAscii("null");
      break;
    case T_BOOL:
      putAscii(load<u8>(v, 4) ? "true" : "false");
      break;
    case T_INT:
      putInt(intOf(v));
      break;
    case T_FLOAT:
      // A number is written as its text, as OPA writes it.
      putBytes(floatTextPtr(v), floatTextLen(v));
      break;
    case T_BIG:
      putBig(v);
      break;
    case T_STRING:
      // OPA writes a string inside a value as Go's strconv.Quote does.
      if (style == STYLE_REGO_SPACED) putGoQuoted(strPtr(v), strLen(v), 0x22, false);
      else putString(strPtr(v), strLen(v), style == STYLE_GO_JSON);
      break;
    case T_ARRAY: {
      putByte(0x5b);
      let n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putSeparator(style, 0x2c);
        writeValue(arrGet(v, i), style);
      }
      putByte(0x5d);
      break;
    }
    case T_OBJECT: {
      sortCollection(v);
      putByte(0x7b);
      let n = collLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putSeparator(style, 0x2c);
        let k = entryKey(v, i);
        if (tagOf(k) == T_STRING || regoSyntax) {
          writeValue(k, style);
        } else {
          // JSON keys must be strings: a non-string key is written as its JSON text.
          let saved = outLen;
          writeValue(k, style);
          let text = __bump(outLen - saved);
          memory.copy(text, out + saved, outLen - saved);
          let textLen = outLen - saved;
          outLen = saved;
          putString(text, textLen, style == STYLE_GO_JSON);
        }
        putSeparator(style, 0x3a);
        writeValue(entryValue(v, i), style);
      }
      putByte(0x7d);
      break;
    }
    default: {
      sortCollection(v);
      let n = collLen(v);
      if (regoSyntax && n == 0) {
        putAscii("set()");
        break;
      }
      putByte(regoSyntax ? 0x7b : 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putSeparator(style, 0x2c);
        writeValue(entryKey(v, i), style);
      }
      putByte(regoSyntax ? 0x7d : 0x5d);
    }
  }
}

export function startOutput(): void {
  out = __bump(256);
  outLen = 0;
  outCap = 256;
}

/** Serialises v as NUL-terminated JSON (or Rego value text); returns the text's address. */
export function dumpValue(v: usize, regoSyntax: bool): usize {
  startOutput();
  writeValue(v, regoSyntax ? STYLE_REGO : STYLE_JSON);
  putByte(0);
  return out;
}

/** json.marshal: v as a JSON string value, sets as arrays, with Go's escapes and no spaces. */
export function marshalValue(v: usize): usize {
  startOutput();
  writeValue(v, STYLE_GO_JSON);
  return makeString(out, <u32>outLen);
}

/**
 * The NUL-terminated line `print` writes for one combination of its arguments' values:
 * `args` is an array of sets (one per argument, sorted), picks[i] the element taken from set i.
 * Strings appear as they are, other values as Rego text, an empty set (an undefined argument)
 * as <undefined>; single spaces separate them.
 */
export function printLine(args: usize, picks: StaticArray<u32>): usize {
  startOutput();
  let n = arrLen(args);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) putByte(0x20);
    let set = arrGet(args, i);
    if (collLen(set) == 0) {
      putAscii("<undefined>");
      continue;
    }
    let v = entryKey(set, picks[i]);
    if (tagOf(v) == T_STRING) putBytes(strPtr(v), strLen(v));
    else writeValue(v, STYLE_REGO_SPACED);
  }
  putByte(0);
  return out;
}

// ---- for sprintf (builtins/sprintf.ts), which formats into the same buffer ----

export function outputLength(): usize {
  return outLen;
}

/** The address of byte `offset` of the output; valid until the output next grows. */
export function outputAt(offset: usize): usize {
  return out + offset;
}

export function truncateOutput(length: usize): void {
  outLen = length;
}

/** The output so far as a string value; the next output starts afresh. */
export function outputString(): usize {
  return makeString(out, <u32>outLen);
}

/** Writes n copies of byte b at offset `at`, moving what follows. */
export function insertFill(at: usize, n: usize, b: u32): void {
  reserve(n);
  memory.copy(out + at + n, out + at, outLen - at);
  memory.fill(out + at, <u8>b, n);
  outLen += n;
}

/** A value as OPA's sprintf hands it to fmt when it is not a string or number: its Rego text. */
export function putRegoText(v: usize): void {
  writeValue(v, STYLE_REGO_SPACED);
}

/** Writes code point r as UTF-8. */
export function putRune(r: u32): void {
  if (r < 0x80) {
    putByte(r);
  } else if (r < 0x800) {
    putByte(0xc0 | (r >> 6));
    putByte(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    putByte(0xe0 | (r >> 12));
    putByte(0x80 | ((r >> 6) & 0x3f));
    putByte(0x80 | (r & 0x3f));
  } else {
    putByte(0xf0 | (r >> 18));
    putByte(0x80 | ((r >> 12) & 0x3f));
    putByte(0x80 | ((r >> 6) & 0x3f));
    putByte(0x80 | (r & 0x3f));
  }
}

export const RUNE_ERROR: u32 = 0xfffd;
/** The code point decodeRune read and its length in bytes. */
export let decodedRune: u32 = 0;
export let decodedWidth: u32 = 0;

/**
 * Decodes the UTF-8 sequence at p (n bytes available) as Go's utf8.DecodeRune: an invalid,
 * overlong, surrogate or truncated sequence is RUNE_ERROR of width 1.
 */
export function decodeRune(p: usize, n: usize): void {
  let b0 = <u32>load<u8>(p);
  decodedRune = RUNE_ERROR;
  decodedWidth = 1;
  if (b0 < 0x80) {
    decodedRune = b0;
    return;
  }
  let need: u32 = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (need == 0 || <usize>need > n) return;
  let b1 = <u32>load<u8>(p, 1);
  let lo: u32 = b0 == 0xe0 ? 0xa0 : b0 == 0xf0 ? 0x90 : 0x80;
  let hi: u32 = b0 == 0xed ? 0x9f : b0 == 0xf4 ? 0x8f : 0xbf;
  if (b1 < lo || b1 > hi) return;
  let r: u32;
  if (need == 2) {
    r = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  } else {
    let b2 = <u32>load<u8>(p, 2);
    if ((b2 & 0xc0) != 0x80) return;
    if (need == 3) {
      r = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    } else {
      let b3 = <u32>load<u8>(p, 3);
      if ((b3 & 0xc0) != 0x80) return;
      r = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    }
  }
  decodedRune = r;
  decodedWidth = need;
}

/**
 * Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. Outside
 * ASCII this knows the controls, spaces, separators, format characters, private-use code points
 * and non-characters, not unassigned code points (which it takes as printable).
 */
export function isPrint(r: u32): bool {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r <= 0xa0 || r == 0xad || r == 0x1680 || r == 0x180e || r == 0x202f || r == 0x205f || r == 0x3000) return false;
  if (r >= 0x2000 && r <= 0x200f) return false;
  if (r >= 0x2028 && r <= 0x202e) return false;
  if (r >= 0x2060 && r <= 0x206f) return false;
  if (r >= 0x600 && r <= 0x605) return false;
  if (r == 0x61c || r == 0x6dd || r == 0x70f || r == 0x890 || r == 0x891 || r == 0x8e2) return false;
  if (r >= 0xd800 && r <= 0xf8ff) return false; // surrogates, private use
  if ((r >= 0xfdd0 && r <= 0xfdef) || (r & 0xfffe) == 0xfffe) return false;
  if (r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb)) return false;
  if (r == 0x110bd || r == 0x110cd || (r >= 0x13430 && r <= 0x1343f) || (r >= 0x1bca0 && r <= 0x1bca3)) return false;
  if ((r >= 0x1d173 && r <= 0x1d17a) || r == 0xe0001 || (r >= 0xe0020 && r <= 0xe007f)) return false;
  return r < 0xf0000 && r <= 0x10ffff;
}

const LOWER_HEX: string = "0123456789abcdef";

function putHexDigits(r: u32, digits: i32): void {
  for (let s = (digits - 1) * 4; s >= 0; s -= 4) putByte(<u32>LOWER_HEX.charCodeAt((r >> <u32>s) & 15));
}

/** Go's appendEscapedRune: r inside `quote` quotes, escaped as Go source text. */
export function putEscapedRune(r: u32, quote: u32, asciiOnly: bool): void {
  if (r == quote || r == 0x5c) {
    putByte(0x5c);
    putRune(r);
    return;
  }
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) {
    putRune(r);
    return;
  }
  switch (r) {
    case 0x07: putAscii("\\a"); return;
    case 0x08: putAscii("\\b"); return;
    case 0x0c: putAscii("\\f"); return;
    case 0x0a: putAscii("\\n"); return;
    case 0x0d: putAscii("\\r"); return;
    case 0x09: putAscii("\\t"); return;
    case 0x0b: putAscii("\\v"); return;
  }
  if (r < 0x20 || r == 0x7f) {
    putAscii("\\x");
    putHexDigits(r, 2);
  } else if (r < 0x10000 || r > 0x10ffff) {
    putAscii("\\u");
    putHexDigits(r > 0x10ffff ? RUNE_ERROR : r, 4);
  } else {
    putAscii("\\U");
    putHexDigits(r, 8);
  }
}

/** Go's strconv.Quote (asciiOnly: QuoteToASCII) of the n bytes at p, in `quote` quotes. */
export function putGoQuoted(p: usize, n: usize, quote: u32, asciiOnly: bool): void {
  putByte(quote);
  let i: usize = 0;
  while (i < n) {
    decodeRune(p + i, n - i);
    if (decodedWidth == 1 && decodedRune == RUNE_ERROR) {
      putAscii("\\x");
      putHexDigits(<u32>load<u8>(p + i), 2);
      i++;
      continue;
    }
    putEscapedRune(decodedRune, quote, asciiOnly);
    i += decodedWidth;
  }
  putByte(quote);
}
