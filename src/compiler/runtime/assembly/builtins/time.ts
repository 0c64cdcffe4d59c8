// Time built-ins. time.now_ns comes from the host, as in OPA's own Wasm modules (an opa_builtin0
// import, which OPA's Go SDK answers with a time fixed per evaluation); the module keeps the
// first answer of an evaluation, so that every call in one evaluation gives the same time, as OPA
// caches it per query, whatever the host does.

import { makeInt, strLen, strPtr } from "../value";
import { isString } from "./helpers";

// @ts-ignore: decorator
@external("env", "opa_builtin0")
declare function opaBuiltin0(id: i32, ctx: i32): usize;

let now: usize = 0;
// A top-level statement runs in the start function, which the policy runs before each evaluation.
now = 0;

/** time.now_ns, called with the id the host knows it by. */
export function rt_host_time_now_ns(id: i32): usize {
  if (now == 0) now = opaBuiltin0(id, 0);
  return now;
}

// ---- time.parse_rfc3339_ns ----

// Parser state over the text being parsed.
let at: usize = 0;
let stop: usize = 0;

function digitAt(i: usize): i32 {
  if (at + i >= stop) return -1;
  let c = <i32>load<u8>(at + i);
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

/** n digits exactly, or -1. */
function fixedNumber(n: usize): i32 {
  let v = 0;
  for (let i: usize = 0; i < n; i++) {
    let d = digitAt(i);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  at += n;
  return v;
}

function literal(c: u32): bool {
  if (at >= stop || <u32>load<u8>(at) != c) return false;
  at++;
  return true;
}

function daysIn(month: i32, year: i32): i32 {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(year: i64, month: i64, day: i64): i64 {
  let y = month <= 2 ? year - 1 : year;
  let era = (y >= 0 ? y : y - 399) / 400;
  let yearOfEra = y - era * 400;
  let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Nanoseconds since the Unix epoch of an RFC 3339 time, as Go's time.Parse(time.RFC3339, s)
 * reads it for OPA: a four-digit year, two-digit month, day, minute and second, an hour of one
 * or two digits, an optional fraction after `.` or `,` (digits past the ninth ignored), and `Z`
 * or a ±hh:mm offset (up to 24 hours and 60 minutes). Undefined when malformed or out of range;
 * like Go's UnixNano, wraps outside the years 1678 to 2262.
 */
export function b_time_parse_rfc3339_ns(s: usize): usize {
  if (!isString(s)) return 0;
  at = strPtr(s);
  stop = at + strLen(s);
  let year = fixedNumber(4);
  if (year < 0 || !literal(0x2d)) return 0;
  let month = fixedNumber(2);
  if (month < 1 || month > 12 || !literal(0x2d)) return 0;
  let day = fixedNumber(2);
  if (day < 1 || day > daysIn(month, year) || !literal(0x54)) return 0;
  let hour = digitAt(0);
  if (hour < 0) return 0;
  let hourUnits = digitAt(1);
  if (hourUnits >= 0) hour = hour * 10 + hourUnits;
  at += hourUnits >= 0 ? 2 : 1;
  if (hour > 23 || !literal(0x3a)) return 0;
  let minute = fixedNumber(2);
  if (minute < 0 || minute > 59 || !literal(0x3a)) return 0;
  let second = fixedNumber(2);
  if (second < 0 || second > 59) return 0;
  let nanos: i64 = 0;
  if (at < stop && (load<u8>(at) == 0x2e || load<u8>(at) == 0x2c) && digitAt(1) >= 0) {
    at++;
    let scale: i64 = 100000000;
    for (let d = digitAt(0); d >= 0; d = digitAt(0)) {
      nanos += <i64>d * scale;
      scale /= 10;
      at++;
    }
  }
  let offset: i64 = 0;
  if (!literal(0x5a)) {
    if (at >= stop) return 0;
    let sign = <u32>load<u8>(at++);
    if (sign != 0x2b && sign != 0x2d) return 0;
    let offsetHours = fixedNumber(2);
    if (offsetHours < 0 || offsetHours > 24 || !literal(0x3a)) return 0;
    let offsetMinutes = fixedNumber(2);
    if (offsetMinutes < 0 || offsetMinutes > 60) return 0;
    offset = (<i64>offsetHours * 60 + offsetMinutes) * 60;
    if (sign == 0x2d) offset = -offset;
  }
  if (at != stop) return 0;
  let seconds = daysFromCivil(year, month, day) * 86400 + <i64>hour * 3600 + <i64>minute * 60 + second - offset;
  return makeInt(seconds * 1000000000 + nanos);
}
