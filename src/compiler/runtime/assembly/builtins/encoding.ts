// Encoding built-ins: JSON text <-> values, and base64 (RFC 4648) as Go's encoding/base64 does it
// for OPA. A failure (malformed input, a non-string argument) is an error in OPA: undefined here.

import { FALSE_VALUE, boolValue, allocString, strLen, strPtr } from "../value";
import { parseJSON } from "../json";
import { marshalValue } from "../dump";
import { isString } from "./helpers";

// ---- json ----

export function b_json_marshal(v: usize): usize {
  return marshalValue(v);
}

/** JSON text to a value; trailing white space is allowed, any other trailing text is not. */
export function b_json_unmarshal(s: usize): usize {
  if (!isString(s)) return 0;
  return parseJSON(strPtr(s), strLen(s), false);
}

/** Whether s is JSON text; false, not undefined, for a non-string. */
export function b_json_is_valid(s: usize): usize {
  if (!isString(s)) return FALSE_VALUE;
  return boolValue(parseJSON(strPtr(s), strLen(s), false) != 0);
}

// ---- base64 ----

const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PAD: u32 = 0x3d; // =

export function b_base64_encode(s: usize): usize {
  return isString(s) ? encode(s, STANDARD, true) : 0;
}

export function b_base64url_encode(s: usize): usize {
  return isString(s) ? encode(s, URL_SAFE, true) : 0;
}

export function b_base64url_encode_no_pad(s: usize): usize {
  return isString(s) ? encode(s, URL_SAFE, false) : 0;
}

export function b_base64_decode(s: usize): usize {
  return isString(s) ? decode(strPtr(s), strLen(s), STANDARD) : 0;
}

/** Whether s is padded base64; false, not undefined, for a non-string. */
export function b_base64_is_valid(s: usize): usize {
  if (!isString(s)) return FALSE_VALUE;
  return boolValue(decode(strPtr(s), strLen(s), STANDARD) != 0);
}

/**
 * base64url.decode: OPA pads unpadded text first (RFC 7515, appendix C) unless it ends in `=`;
 * a length of 1 modulo 4 cannot be padded and is an error.
 */
export function b_base64url_decode(s: usize): usize {
  if (!isString(s)) return 0;
  let n = strLen(s);
  let p = strPtr(s);
  if (n == 0 || load<u8>(p + n - 1) == PAD || n % 4 == 0) return decode(p, n, URL_SAFE);
  if (n % 4 == 1) return 0;
  let padded = __bump(n + 2);
  memory.copy(padded, p, n);
  store<u8>(padded + n, <u8>PAD);
  store<u8>(padded + n + 1, <u8>PAD);
  return decode(padded, n + 4 - n % 4, URL_SAFE);
}

function encode(s: usize, alphabet: string, pad: bool): usize {
  let n = strLen(s);
  let p = strPtr(s);
  let full = n / 3 * 3;
  let rest = n - full;
  let len = full / 3 * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1);
  let r = allocString(len);
  let o = strPtr(r);
  for (let i: u32 = 0; i < n; i += 3) {
    let chunk = <u32>load<u8>(p + i) << 16;
    if (i + 1 < n) chunk |= <u32>load<u8>(p + i + 1) << 8;
    if (i + 2 < n) chunk |= <u32>load<u8>(p + i + 2);
    let chars: u32 = i + 3 <= n ? 4 : n - i + 1;
    for (let j: u32 = 0; j < 4; j++) {
      if (j < chars) store<u8>(o++, <u8>alphabet.charCodeAt(<i32>((chunk >> (18 - 6 * j)) & 63)));
      else if (pad) store<u8>(o++, <u8>PAD);
    }
  }
  return r;
}

/** The 6-bit value of c in alphabet, or -1. */
function sextet(c: u32, alphabet: string): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>(c - 0x41);
  if (c >= 0x61 && c <= 0x7a) return <i32>(c - 0x61 + 26);
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30 + 52);
  if (c == <u32>alphabet.charCodeAt(62)) return 62;
  if (c == <u32>alphabet.charCodeAt(63)) return 63;
  return -1;
}

/**
 * Padded base64 to a string value (its bytes as they are), or 0 when malformed. As Go's decoder:
 * carriage returns and line feeds are skipped wherever they are, every group of four is
 * complete or padded with `=`, nothing follows the padding, and the unused low bits of the
 * last group need not be zero.
 */
function decode(p: usize, n: u32, alphabet: string): usize {
  let r = allocString(n / 4 * 3 + 3);
  let o = strPtr(r);
  let group: u32 = 0;
  let count: u32 = 0;
  let padding: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c == 0x0a || c == 0x0d) continue;
    if (padding > 0) {
      // Only the second `=` of "xx==" may follow a `=`.
      if (c != PAD || count != 3) return 0;
      count++;
      padding++;
      continue;
    }
    if (c == PAD) {
      if (count < 2) return 0;
      padding = 1;
      count++;
      continue;
    }
    let v = sextet(c, alphabet);
    if (v < 0) return 0;
    group = (group << 6) | <u32>v;
    count++;
    if (count == 4) {
      store<u8>(o++, <u8>(group >> 16));
      store<u8>(o++, <u8>(group >> 8));
      store<u8>(o++, <u8>group);
      group = 0;
      count = 0;
    }
  }
  if (padding > 0) {
    // "xx==" (one byte) or "xxx=" (two bytes); "xx=" alone is incomplete.
    if (count != 4) return 0;
    let data = 4 - padding;
    group <<= 6 * padding;
    store<u8>(o++, <u8>(group >> 16));
    if (data == 3) store<u8>(o++, <u8>(group >> 8));
  } else if (count != 0) {
    return 0;
  }
  let len = <u32>(o - strPtr(r));
  if (len == 0) return allocString(0);
  store<u32>(r, len, 4);
  return r;
}
