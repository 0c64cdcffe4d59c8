// sprintf as OPA does it: Go's fmt.Sprintf over the arguments as OPA converts them. OPA hands fmt
// a string as it is, an integer that fits in 64 bits as an int, a larger integer as a *big.Int,
// any other number as a float64, and every other value (booleans and null included) as its Rego
// text, a string. This is Go's doPrintf and the formatting of those four types, verbs, flags,
// widths, precisions, argument indexes and error forms included.

import { T_INT, T_FLOAT, T_BIG, T_STRING, T_ARRAY, tagOf, intOf, strPtr, strLen, arrLen, arrGet } from "../value";
import { bigDigits, bigNegative } from "../bignum";
import {
  startOutput, putByte, putBytes, putAscii, putInt, putRune, putRegoText, putGoQuoted, outputLength, outputAt, truncateOutput,
  outputString, insertFill, decodeRune, decodedRune, decodedWidth, isPrint, putEscapedRune, RUNE_ERROR,
} from "../dump";
import { Decimal, exactDecimal, shortestDecimalOf, roundDecimal } from "../lib/decimal";

// The Go types OPA's arguments take.
const K_INT: i32 = 0;
const K_BIG: i32 = 1;
const K_FLOAT: i32 = 2;
const K_STRING: i32 = 3;

// Go's fmt flags for the directive being formatted.
let widPresent = false;
let precPresent = false;
let minus = false;
let plus = false;
let sharp = false;
let space = false;
let zero = false;
let plusV = false;
let sharpV = false;
let wid: i32 = 0;
let prec: i32 = 0;

function clearFlags(): void {
  widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
  wid = prec = 0;
}

// The argument being formatted, as Go sees it.
let argKind: i32 = K_STRING;
let argInt: i64 = 0;
let argFloat: f64 = 0;
/** A K_BIG argument's value (a T_BIG). */
let argBig: usize = 0;
let argPtr: usize = 0;
let argLen: usize = 0;

/** Sets the arg* globals from a Rego value. */
function loadArg(v: usize): void {
  let t = tagOf(v);
  if (t == T_INT) {
    argKind = K_INT;
    argInt = intOf(v);
    return;
  }
  if (t == T_FLOAT) {
    argKind = K_FLOAT;
    argFloat = load<f64>(v, 8);
    return;
  }
  if (t == T_BIG) {
    argKind = K_BIG;
    argBig = v;
    return;
  }
  argKind = K_STRING;
  if (t == T_STRING) {
    argPtr = strPtr(v);
    argLen = strLen(v);
    return;
  }
  // Rendered at the end of the output, then moved to a buffer of its own.
  let start = outputLength();
  putRegoText(v);
  argLen = outputLength() - start;
  argPtr = __bump(argLen);
  memory.copy(argPtr, outputAt(start), argLen);
  truncateOutput(start);
}

function putTypeName(): void {
  putAscii(argKind == K_INT ? "int" : argKind == K_BIG ? "*big.Int" : argKind == K_FLOAT ? "float64" : "string");
}

// ---- padding (Go's fmt.pad, padString, writePadding) ----

function runeCount(p: usize, n: usize): i32 {
  let count: i32 = 0;
  let i: usize = 0;
  while (i < n) {
    decodeRune(p + i, n - i);
    i += decodedWidth;
    count++;
  }
  return count;
}

function padByte(): u32 {
  return zero && !minus ? 0x30 : 0x20;
}

/** Pads the output written since `start` to the width, on the left unless minus is set. */
function padFrom(start: usize): void {
  if (!widPresent || wid == 0) return;
  let n = wid - runeCount(outputAt(start), outputLength() - start);
  if (n <= 0) return;
  if (minus) insertFill(outputLength(), <usize>n, padByte());
  else insertFill(start, <usize>n, padByte());
}

function writePadding(n: i32): void {
  if (n > 0) insertFill(outputLength(), <usize>n, padByte());
}

// ---- strings ----

/** Go's fmtS: at most prec runes, padded. */
function fmtS(p: usize, n: usize): void {
  let start = outputLength();
  putBytes(p, truncatedLength(p, n));
  padFrom(start);
}

function truncatedLength(p: usize, n: usize): usize {
  if (!precPresent) return n;
  let left = prec;
  let i: usize = 0;
  while (i < n) {
    if (--left < 0) return i;
    decodeRune(p + i, n - i);
    i += decodedWidth;
  }
  return n;
}

/** Go's fmtSbx: the bytes in hexadecimal. */
function fmtSx(p: usize, n: usize, upper: bool): void {
  let length = <i32>n;
  if (precPresent && prec < length) length = prec;
  let width = 2 * length;
  if (width > 0) {
    if (space) {
      if (sharp) width *= 2;
      width += length - 1;
    } else if (sharp) {
      width += 2;
    }
  } else {
    if (widPresent) writePadding(wid);
    return;
  }
  if (widPresent && wid > width && !minus) writePadding(wid - width);
  let digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
  if (sharp) {
    putByte(0x30);
    putByte(digits.charCodeAt(16));
  }
  for (let i = 0; i < length; i++) {
    if (space && i > 0) {
      putByte(0x20);
      if (sharp) {
        putByte(0x30);
        putByte(digits.charCodeAt(16));
      }
    }
    let c = <i32>load<u8>(p + <usize>i);
    putByte(digits.charCodeAt(c >> 4));
    putByte(digits.charCodeAt(c & 15));
  }
  if (widPresent && wid > width && minus) writePadding(wid - width);
}

/** strconv.CanBackquote. */
function canBackquote(p: usize, n: usize): bool {
  let i: usize = 0;
  while (i < n) {
    decodeRune(p + i, n - i);
    let r = decodedRune;
    i += decodedWidth;
    if (decodedWidth > 1) {
      if (r == 0xfeff) return false;
      continue;
    }
    if (r == RUNE_ERROR) return false;
    if ((r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7f) return false;
  }
  return true;
}

/** Go's fmtQ. */
function fmtQ(p: usize, n: usize): void {
  n = truncatedLength(p, n);
  let start = outputLength();
  if (sharp && canBackquote(p, n)) {
    putByte(0x60);
    putBytes(p, n);
    putByte(0x60);
  } else {
    putGoQuoted(p, n, 0x22, plus);
  }
  padFrom(start);
}

function fmtString(verb: u32): void {
  switch (verb) {
    case 0x76: // v
      if (sharpV) fmtQ(argPtr, argLen);
      else fmtS(argPtr, argLen);
      break;
    case 0x73: // s
      fmtS(argPtr, argLen);
      break;
    case 0x78: // x
    case 0x58: // X
      fmtSx(argPtr, argLen, verb == 0x58);
      break;
    case 0x71: // q
      fmtQ(argPtr, argLen);
      break;
    default:
      badVerb(verb);
  }
}

// ---- integers ----

const INT_BUFFER: i32 = 68;
const intBuffer = new StaticArray<u8>(INT_BUFFER);

/** Go's fmt.fmtInteger of the 64 bits u, signed or not, in base 2, 8, 10 or 16. */
function fmtInteger(u: u64, base: u32, isSigned: bool, verb: u32, upper: bool): void {
  let negative = isSigned && <i64>u < 0;
  if (negative) u = -u;
  let size = INT_BUFFER;
  if (widPresent || precPresent) size = max(size, 3 + wid + prec);
  let buf = size == INT_BUFFER ? changetype<usize>(intBuffer) : __bump(<usize>size);
  let digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
  let precision: i32 = 0;
  if (precPresent) {
    precision = prec;
    if (precision == 0 && u == 0) {
      let oldZero = zero;
      zero = false;
      writePadding(wid);
      zero = oldZero;
      return;
    }
  } else if (zero && !minus && widPresent) {
    precision = wid;
    if (negative || plus || space) precision--;
  }
  let i = size;
  let b = <u64>base;
  while (u >= b) {
    store<u8>(buf + <usize>--i, <u8>digits.charCodeAt(<i32>(u % b)));
    u /= b;
  }
  store<u8>(buf + <usize>--i, <u8>digits.charCodeAt(<i32>u));
  while (i > 0 && precision > size - i) store<u8>(buf + <usize>--i, 0x30);
  if (sharp) {
    if (base == 2) {
      store<u8>(buf + <usize>--i, 0x62);
      store<u8>(buf + <usize>--i, 0x30);
    } else if (base == 8) {
      if (load<u8>(buf + <usize>i) != 0x30) store<u8>(buf + <usize>--i, 0x30);
    } else if (base == 16) {
      store<u8>(buf + <usize>--i, <u8>digits.charCodeAt(16));
      store<u8>(buf + <usize>--i, 0x30);
    }
  }
  if (verb == 0x4f) {
    // O
    store<u8>(buf + <usize>--i, 0x6f);
    store<u8>(buf + <usize>--i, 0x30);
  }
  if (negative) store<u8>(buf + <usize>--i, 0x2d);
  else if (plus) store<u8>(buf + <usize>--i, 0x2b);
  else if (space) store<u8>(buf + <usize>--i, 0x20);
  let oldZero = zero;
  zero = false;
  let start = outputLength();
  putBytes(buf + <usize>i, <usize>(size - i));
  padFrom(start);
  zero = oldZero;
}

/** The rune Go's %c and %q take from an integer: invalid ones are U+FFFD. */
function runeOf(u: u64): u32 {
  return u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff) ? RUNE_ERROR : <u32>u;
}

/** Go's fmtUnicode: U+0078, with # and a printable rune U+0078 'x'. */
function fmtUnicode(u: u64): void {
  let start = outputLength();
  putAscii("U+");
  let digits: i32 = 1;
  for (let t = u; t >= 16; t >>= 4) digits++;
  let width = precPresent && prec > 4 ? prec : 4;
  for (let k = digits; k < width; k++) putByte(0x30);
  for (let s = (digits - 1) * 4; s >= 0; s -= 4) putByte(<u32>"0123456789ABCDEF".charCodeAt(<i32>((u >> <u64>s) & 15)));
  if (sharp && u <= 0x10ffff && isPrint(<u32>u)) {
    putAscii(" '");
    putRune(<u32>u);
    putByte(0x27);
  }
  let oldZero = zero;
  zero = false;
  padFrom(start);
  zero = oldZero;
}

function fmtIntegerVerb(v: i64, verb: u32): void {
  let u = <u64>v;
  switch (verb) {
    case 0x76: // v
    case 0x64: // d
      fmtInteger(u, 10, true, verb, false);
      break;
    case 0x62: // b
      fmtInteger(u, 2, true, verb, false);
      break;
    case 0x6f: // o
    case 0x4f: // O
      fmtInteger(u, 8, true, verb, false);
      break;
    case 0x78: // x
    case 0x58: // X
      fmtInteger(u, 16, true, verb, verb == 0x58);
      break;
    case 0x63: { // c
      let start = outputLength();
      putRune(runeOf(u));
      padFrom(start);
      break;
    }
    case 0x71: { // q
      let start = outputLength();
      let r = runeOf(u);
      putByte(0x27);
      putEscapedRune(r, 0x27, plus);
      putByte(0x27);
      padFrom(start);
      break;
    }
    case 0x55: // U
      fmtUnicode(u);
      break;
    default:
      badVerb(verb);
  }
}

// ---- big integers (math/big's Int.Format) ----

function bigFormat(verb: u32): void {
  let negative = bigNegative(argBig);
  let base: u32 = verb == 0x62 ? 2 : verb == 0x6f || verb == 0x4f ? 8 : verb == 0x64 || verb == 0x73 || verb == 0x76 ? 10 : verb == 0x78 || verb == 0x58 ? 16 : 0;
  if (base == 0) {
    putAscii("%!");
    putRune(verb);
    putAscii("(big.Int=");
    if (negative) putByte(0x2d);
    putAscii(bigDigits(argBig, 10));
    putByte(0x29);
    return;
  }
  let sign = negative ? "-" : plus || plusV ? "+" : space ? " " : "";
  let prefix = "";
  if (sharp || sharpV) prefix = verb == 0x62 ? "0b" : verb == 0x6f ? "0" : verb == 0x78 ? "0x" : verb == 0x58 ? "0X" : "";
  if (verb == 0x4f) prefix = "0o";
  let digits = bigDigits(argBig, base);
  if (verb == 0x58) digits = digits.toUpperCase();
  let zeros: i32 = 0;
  if (precPresent && digits.length < prec) zeros = prec - digits.length;
  let length = sign.length + prefix.length + zeros + digits.length;
  let left: i32 = 0;
  let right: i32 = 0;
  if (widPresent && length < wid) {
    let d = wid - length;
    if (minus) right = d;
    else if (zero && !precPresent) zeros = d;
    else left = d;
  }
  for (let i = 0; i < left; i++) putByte(0x20);
  putAscii(sign);
  putAscii(prefix);
  for (let i = 0; i < zeros; i++) putByte(0x30);
  putAscii(digits);
  for (let i = 0; i < right; i++) putByte(0x20);
}

// ---- floats (strconv.AppendFloat and fmt.fmtFloat) ----

/** strconv's fmtE of d with prec digits after the point. */
function putE(d: Decimal, precision: i32, e: u32): void {
  putByte(d.nd != 0 ? d.d[0] : 0x30);
  if (precision > 0) {
    putByte(0x2e);
    let m = min(d.nd, precision + 1);
    let i = 1;
    for (; i < m; i++) putByte(d.d[i]);
    for (; i <= precision; i++) putByte(0x30);
  }
  putByte(e);
  let exp = d.nd == 0 ? 0 : d.dp - 1;
  putByte(exp < 0 ? 0x2d : 0x2b);
  if (exp < 0) exp = -exp;
  if (exp >= 100) putByte(0x30 + exp / 100);
  putByte(0x30 + (exp / 10) % 10);
  putByte(0x30 + exp % 10);
}

/** strconv's fmtF of d with prec digits after the point. */
function putF(d: Decimal, precision: i32): void {
  if (d.dp > 0) {
    let m = min(d.nd, d.dp);
    for (let i = 0; i < m; i++) putByte(d.d[i]);
    for (let i = m; i < d.dp; i++) putByte(0x30);
  } else {
    putByte(0x30);
  }
  if (precision > 0) {
    putByte(0x2e);
    for (let i = 1; i <= precision; i++) {
      let j = d.dp + i - 1;
      putByte(j >= 0 && j < d.nd ? d.d[j] : 0x30);
    }
  }
}

/** strconv's %x of a double's mantissa and binary exponent (1.xxx × 2^exp). */
function putHexFloat(mant: u64, exp: i32, precision: i32, upper: bool): void {
  if (mant == 0) exp = 0;
  mant <<= 8;
  while (mant != 0 && (mant & (<u64>1 << 60)) == 0) {
    mant <<= 1;
    exp--;
  }
  if (precision >= 0 && precision < 15) {
    let shift = <u64>(precision * 4);
    let extra = (mant << shift) & ((<u64>1 << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (<u64>1 << 59)) mant++;
    mant <<= 60 - shift;
    if ((mant & (<u64>1 << 61)) != 0) {
      mant >>= 1;
      exp++;
    }
  }
  let hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  putByte(0x30);
  putByte(upper ? 0x58 : 0x78);
  putByte(0x30 + <u32>((mant >> 60) & 1));
  mant <<= 4;
  if (precision < 0 && mant != 0) {
    putByte(0x2e);
    while (mant != 0) {
      putByte(hex.charCodeAt(<i32>((mant >> 60) & 15)));
      mant <<= 4;
    }
  } else if (precision > 0) {
    putByte(0x2e);
    for (let i = 0; i < precision; i++) {
      putByte(hex.charCodeAt(<i32>((mant >> 60) & 15)));
      mant <<= 4;
    }
  }
  putByte(upper ? 0x50 : 0x70);
  putByte(exp < 0 ? 0x2d : 0x2b);
  if (exp < 0) exp = -exp;
  if (exp >= 1000) putByte(0x30 + exp / 1000);
  if (exp >= 100) putByte(0x30 + (exp / 100) % 10);
  putByte(0x30 + (exp / 10) % 10);
  putByte(0x30 + exp % 10);
}

/** strconv.AppendFloat(|f|, fmt, precision, 64), without the sign. */
function putFloatText(f: f64, format: u32, precision: i32): void {
  let bits = reinterpret<u64>(f) & 0x7fffffffffffffff;
  let biased = <i32>(bits >> 52);
  let frac = bits & 0xfffffffffffff;
  let m = biased == 0 ? frac : frac | 0x10000000000000;
  let e = biased == 0 ? -1074 : biased - 1075;
  if (format == 0x62) {
    // b: mantissa p exponent
    putAscii(m.toString());
    putByte(0x70);
    if (e >= 0) putByte(0x2b);
    putAscii(e.toString());
    return;
  }
  if (format == 0x78 || format == 0x58) {
    putHexFloat(m, e + 52, precision, format == 0x58);
    return;
  }
  let shortest = precision < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimalOf(f);
    precision = format == 0x65 || format == 0x45 ? max(d.nd - 1, 0) : format == 0x66 ? max(d.nd - d.dp, 0) : d.nd;
  } else {
    d = exactDecimal(m, e);
    if (format == 0x66) roundDecimal(d, d.dp + precision);
    else {
      if ((format == 0x67 || format == 0x47) && precision == 0) precision = 1;
      roundDecimal(d, format == 0x65 || format == 0x45 ? precision + 1 : precision);
    }
  }
  if (format == 0x65 || format == 0x45) {
    putE(d, precision, format);
  } else if (format == 0x66) {
    putF(d, precision);
  } else {
    // g, G: %e for large and small exponents, else %f
    let eprec = precision;
    if (eprec > d.nd && d.nd >= d.dp) eprec = d.nd;
    if (shortest) eprec = 6;
    let exp = d.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (precision > d.nd) precision = d.nd;
      putE(d, precision - 1, format + 0x65 - 0x67);
    } else {
      if (precision > d.dp) precision = d.nd;
      putF(d, max(precision - d.dp, 0));
    }
  }
}

/** Go's fmt.fmtFloat of the current argument with strconv format `format`. */
function fmtFloat(format: u32, defaultPrecision: i32): void {
  let f = argFloat;
  let precision = precPresent ? prec : defaultPrecision;
  let start = outputLength();
  putByte(f < 0 ? 0x2d : space && !plus ? 0x20 : 0x2b);
  putFloatText(f, format, precision);
  if (sharp && format != 0x62) {
    let digits: i32 = 0;
    if (format == 0x76 || format == 0x67 || format == 0x47 || format == 0x78) digits = precision == -1 ? 6 : precision;
    // Splits off the exponent, counts significant digits, adds the point and the zeros.
    let end = outputLength();
    let tailAt = end;
    let hasPoint = false;
    let sawNonzero = false;
    for (let i = start + 1; i < end; i++) {
      let c = <u32>load<u8>(outputAt(i));
      if (c == 0x2e) {
        hasPoint = true;
      } else if (c == 0x70 || c == 0x50 || ((c == 0x65 || c == 0x45) && format != 0x78 && format != 0x58)) {
        tailAt = i;
        break;
      } else {
        if (c != 0x30) sawNonzero = true;
        if (sawNonzero) digits--;
      }
    }
    let tailLen = end - tailAt;
    let tail = __bump(tailLen);
    memory.copy(tail, outputAt(tailAt), tailLen);
    truncateOutput(tailAt);
    if (!hasPoint) {
      if (tailAt - start == 2 && load<u8>(outputAt(start + 1)) == 0x30) digits--;
      putByte(0x2e);
    }
    for (; digits > 0; digits--) putByte(0x30);
    putBytes(tail, tailLen);
  }
  let sign = <u32>load<u8>(outputAt(start));
  if (plus || sign != 0x2b) {
    let length = <i32>(outputLength() - start);
    if (zero && !minus && widPresent && wid > length) {
      insertFill(start + 1, <usize>(wid - length), 0x30);
      return;
    }
    padFrom(start);
    return;
  }
  // No sign to show: drop the placeholder.
  let length = outputLength() - start - 1;
  memory.copy(outputAt(start), outputAt(start + 1), length);
  truncateOutput(start + length);
  padFrom(start);
}

function fmtFloatVerb(verb: u32): void {
  switch (verb) {
    case 0x76: // v
      fmtFloat(0x67, -1);
      break;
    case 0x62: // b
    case 0x67: // g
    case 0x47: // G
    case 0x78: // x
    case 0x58: // X
      fmtFloat(verb, -1);
      break;
    case 0x66: // f
    case 0x65: // e
    case 0x45: // E
      fmtFloat(verb, 6);
      break;
    case 0x46: // F
      fmtFloat(0x66, 6);
      break;
    default:
      badVerb(verb);
  }
}

// ---- arguments ----

/** Go's printArg of the current argument (loadArg) with verb. */
function printArg(verb: u32): void {
  if (verb == 0x54) {
    // T: the type's name
    let start = outputLength();
    putTypeName();
    let n = outputLength() - start;
    let name = __bump(n);
    memory.copy(name, outputAt(start), n);
    truncateOutput(start);
    fmtS(name, n);
    return;
  }
  // p: none of these is a pointer (a *big.Int's address is not reproducible either); w: no
  // argument is an error.
  if (verb == 0x70 || verb == 0x77) {
    badVerb(verb);
    return;
  }
  switch (argKind) {
    case K_INT:
      fmtIntegerVerb(argInt, verb);
      break;
    case K_BIG:
      bigFormat(verb);
      break;
    case K_FLOAT:
      fmtFloatVerb(verb);
      break;
    default:
      fmtString(verb);
  }
}

/** %!verb(type=value), the value printed with %v and the directive's flags. */
function badVerb(verb: u32): void {
  putAscii("%!");
  putRune(verb);
  putByte(0x28);
  putTypeName();
  putByte(0x3d);
  printArg(0x76);
  putByte(0x29);
}

/**
 * The commonest directives, %v, %s and %d without flags, written straight out: a string as it is,
 * an integer in decimal, any other value but a number as its Rego text. False for anything else.
 */
function printPlain(v: usize, verb: u32): bool {
  if (sharp || zero || plus || minus || space) return false;
  let t = tagOf(v);
  if (verb == 0x64) {
    if (t != T_INT) return false;
    putInt(intOf(v));
    return true;
  }
  if (verb != 0x76 && verb != 0x73) return false;
  if (t == T_INT) {
    // %s of an integer is a wrong verb
    if (verb != 0x76) return false;
    putInt(intOf(v));
  } else if (t == T_FLOAT) {
    return false;
  } else if (t == T_STRING) {
    putBytes(strPtr(v), strLen(v));
  } else {
    putRegoText(v);
  }
  return true;
}

/** Go's parsenum: the number at format[i..end), whether there was one, and where it stops. */
let parsedNumber: i32 = 0;
let parsedOk = false;
function parseNumber(fp: usize, i: i32, end: i32): i32 {
  parsedNumber = 0;
  parsedOk = false;
  if (i >= end) return end;
  while (i < end) {
    let c = <i32>load<u8>(fp + <usize>i);
    if (c < 0x30 || c > 0x39) break;
    if (parsedNumber > 1000000) {
      // Too large: Go gives up on the rest of the format.
      parsedNumber = 0;
      parsedOk = false;
      return end;
    }
    parsedNumber = parsedNumber * 10 + (c - 0x30);
    parsedOk = true;
    i++;
  }
  return i;
}

// Go's doPrintf state.
let argNum: i32 = 0;
let reordered = false;
let goodArgNum = true;
let afterIndex = false;

/** Go's argNumber: an explicit [n] at format[i..]; returns the new i. */
function argNumber(fp: usize, i: i32, end: i32, numArgs: i32): i32 {
  afterIndex = false;
  if (i >= end || load<u8>(fp + <usize>i) != 0x5b) return i;
  reordered = true;
  // parseArgNumber: at least "[n]", the number ending at the first ']'
  let width: i32 = 1;
  let ok = false;
  let index: i32 = 0;
  if (end - i >= 3) {
    for (let j = i + 1; j < end; j++) {
      if (load<u8>(fp + <usize>j) == 0x5d) {
        let stop = parseNumber(fp, i + 1, j);
        width = j - i + 1;
        if (parsedOk && stop == j) {
          ok = true;
          index = parsedNumber - 1;
        }
        break;
      }
    }
  }
  if (ok && index >= 0 && index < numArgs) {
    argNum = index;
    afterIndex = true;
    return i + width;
  }
  goodArgNum = false;
  afterIndex = ok;
  return i + width;
}

/** Go's intFromArg for a `*` width or precision; false when the argument is not an int. */
function intFromArg(args: usize, numArgs: i32): bool {
  if (argNum >= numArgs) return false;
  loadArg(arrGet(args, <u32>argNum));
  argNum++;
  if (argKind != K_INT || argInt > 1000000 || argInt < -1000000) {
    parsedNumber = 0;
    return false;
  }
  parsedNumber = <i32>argInt;
  return true;
}

export function b_sprintf(format: usize, args: usize): usize {
  if (tagOf(format) != T_STRING || tagOf(args) != T_ARRAY) return 0;
  let fp = strPtr(format);
  let end = <i32>strLen(format);
  let numArgs = <i32>arrLen(args);
  startOutput();
  argNum = 0;
  afterIndex = false;
  reordered = false;
  let i: i32 = 0;
  while (i < end) {
    goodArgNum = true;
    let lasti = i;
    while (i < end && load<u8>(fp + <usize>i) != 0x25) i++;
    if (i > lasti) putBytes(fp + <usize>lasti, <usize>(i - lasti));
    if (i >= end) break;
    i++;
    clearFlags();
    // flags
    let simple = false;
    for (; i < end; i++) {
      let c = <u32>load<u8>(fp + <usize>i);
      if (c == 0x23) sharp = true;
      else if (c == 0x30) zero = true;
      else if (c == 0x2b) plus = true;
      else if (c == 0x2d) minus = true;
      else if (c == 0x20) space = true;
      else {
        // Go's fast path: a lower-case verb right after the flags.
        if (c >= 0x61 && c <= 0x7a && argNum < numArgs) {
          if (c == 0x76 || c == 0x77) {
            sharpV = sharp;
            sharp = false;
            plusV = plus;
            plus = false;
          }
          let arg = arrGet(args, <u32>argNum);
          if (!printPlain(arg, c)) {
            loadArg(arg);
            printArg(c);
          }
          argNum++;
          i++;
          simple = true;
        }
        break;
      }
    }
    if (simple) continue;
    i = argNumber(fp, i, end, numArgs);
    // width
    if (i < end && load<u8>(fp + <usize>i) == 0x2a) {
      i++;
      widPresent = intFromArg(args, numArgs);
      wid = parsedNumber;
      if (!widPresent) putAscii("%!(BADWIDTH)");
      if (wid < 0) {
        wid = -wid;
        minus = true;
        zero = false;
      }
      afterIndex = false;
    } else {
      i = parseNumber(fp, i, end);
      wid = parsedNumber;
      widPresent = parsedOk;
      if (afterIndex && widPresent) goodArgNum = false;
    }
    // precision
    if (i + 1 < end && load<u8>(fp + <usize>i) == 0x2e) {
      i++;
      if (afterIndex) goodArgNum = false;
      i = argNumber(fp, i, end, numArgs);
      if (i < end && load<u8>(fp + <usize>i) == 0x2a) {
        i++;
        precPresent = intFromArg(args, numArgs);
        prec = parsedNumber;
        if (prec < 0) {
          prec = 0;
          precPresent = false;
        }
        if (!precPresent) putAscii("%!(BADPREC)");
        afterIndex = false;
      } else {
        i = parseNumber(fp, i, end);
        prec = parsedNumber;
        precPresent = true;
      }
    }
    if (!afterIndex) i = argNumber(fp, i, end, numArgs);
    if (i >= end) {
      putAscii("%!(NOVERB)");
      break;
    }
    decodeRune(fp + <usize>i, <usize>(end - i));
    let verb = decodedRune;
    i += <i32>decodedWidth;
    if (verb == 0x25) {
      putByte(0x25);
    } else if (!goodArgNum) {
      putAscii("%!");
      putRune(verb);
      putAscii("(BADINDEX)");
    } else if (argNum >= numArgs) {
      putAscii("%!");
      putRune(verb);
      putAscii("(MISSING)");
    } else {
      if (verb == 0x76 || verb == 0x77) {
        sharpV = sharp;
        sharp = false;
        plusV = plus;
        plus = false;
      }
      loadArg(arrGet(args, <u32>argNum));
      printArg(verb);
      argNum++;
    }
  }
  if (!reordered && argNum < numArgs) {
    clearFlags();
    putAscii("%!(EXTRA ");
    for (let k = argNum; k < numArgs; k++) {
      if (k > argNum) putAscii(", ");
      loadArg(arrGet(args, <u32>k));
      putTypeName();
      putByte(0x3d);
      printArg(0x76);
    }
    putByte(0x29);
  }
  return outputString();
}
