// Rego values -> text: JSON (sets as arrays), Rego value text (opa_value_dump), and print's lines.

import { T_NULL, T_BOOL, T_INT, T_FLOAT, T_STRING, T_ARRAY, T_OBJECT, strLen, strPtr, arrLen, arrGet, collLen, entryKey, entryValue, tagOf, intOf, makeString } from "./value";
import { sortCollection } from "./order";
import { hasSpecialByte } from "./json";

// The output buffer grows in place while it is the last allocation on the heap.
let out: usize = 0;
let outLen: usize = 0;
let outCap: usize = 0;

// @ts-ignore: decorator
@inline function reserve(n: usize): void {
  if (outLen + n > outCap) growOut(n);
}

function growOut(n: usize): void {
  let cap = max(outCap * 2, outLen + n + 64);
  out = __bump_grow(out, outCap, cap);
  outCap = cap;
}

// @ts-ignore: decorator
@inline function putByte(b: u32): void {
  reserve(1);
  store<u8>(out + outLen, <u8>b);
  outLen++;
}

function putBytes(p: usize, n: usize): void {
  reserve(n);
  memory.copy(out + outLen, p, n);
  outLen += n;
}

function putAscii(s: string): void {
  let n = <usize>s.length;
  reserve(n);
  for (let i: usize = 0; i < n; i++) store<u8>(out + outLen + i, <u8>s.charCodeAt(<i32>i));
  outLen += n;
}

function putInt(i: i64): void {
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

function putFloat(f: f64): void {
  if (!isFinite(f)) {
    putAscii("null");
    return;
  }
  if (f == Math.trunc(f) && Math.abs(f) < 9.2e18) {
    putInt(<i64>f);
    return;
  }
  let s = f.toString();
  // AssemblyScript writes integral floats as "1e+21" or with a ".0" suffix; JSON accepts both
  // forms but the suffix is noise.
  let n = s.length;
  if (n > 2 && s.charCodeAt(n - 1) == 0x30 && s.charCodeAt(n - 2) == 0x2e) s = s.substring(0, n - 2);
  putAscii(s);
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
      putFloat(load<f64>(v, 8));
      break;
    case T_STRING:
      putString(strPtr(v), strLen(v), style == STYLE_GO_JSON);
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

function startOutput(): void {
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

const PERCENT: u32 = 0x25;

/** A value as OPA hands it to fmt as a string: a string as it is, anything else as Rego text. */
function putText(v: usize): void {
  if (tagOf(v) == T_STRING) putBytes(strPtr(v), strLen(v));
  else writeValue(v, STYLE_REGO_SPACED);
}

/**
 * sprintf as OPA does it (Go's fmt over the arguments as OPA converts them), for the formats
 * handled here: directives %s, %v and %d without flags, width or precision, and %%, one argument
 * per directive, with Go's error text for a wrong verb (`%!d(string=x)`, `%!s(int=3)`). OPA hands fmt strings as they are, integers as
 * integers and any other value as its Rego text (`["a", "b"]`, `{"k": 1}`, `set()`, `true`), which
 * %s and %v print alike. Returns the string value, or 0 when the format or the arguments need the
 * host's sprintf (other verbs, flags, widths, floats, missing or extra arguments).
 */
export function sprintfNative(format: usize, args: usize): usize {
  if (tagOf(format) != T_STRING || tagOf(args) != T_ARRAY) return 0;
  let fp = strPtr(format);
  let fl = strLen(format);
  let argCount = arrLen(args);
  let used: u32 = 0;
  startOutput();
  let runStart: u32 = 0;
  for (let i: u32 = 0; i < fl; i++) {
    if (<u32>load<u8>(fp + i) != PERCENT) continue;
    putBytes(fp + runStart, i - runStart);
    if (i + 1 >= fl) return 0;
    let verb = <u32>load<u8>(fp + ++i);
    runStart = i + 1;
    if (verb == PERCENT) {
      putByte(PERCENT);
      continue;
    }
    if (used >= argCount) return 0;
    let arg = arrGet(args, used++);
    let tag = tagOf(arg);
    if (tag == T_FLOAT || (verb != 0x64 && verb != 0x73 && verb != 0x76)) return 0;
    if (tag == T_INT && verb != 0x73) {
      putInt(intOf(arg));
    } else if (tag == T_INT) {
      // Go's fmt on a wrong verb: %!s(int=3)
      putAscii("%!s(int=");
      putInt(intOf(arg));
      putByte(0x29);
    } else if (verb != 0x64) {
      putText(arg);
    } else {
      // %d of a string (any non-number is one for fmt): %!d(string=x)
      putAscii("%!d(string=");
      putText(arg);
      putByte(0x29);
    }
  }
  if (used != argCount) return 0;
  putBytes(fp + runStart, fl - runStart);
  return makeString(out, <u32>outLen);
}
