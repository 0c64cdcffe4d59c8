// units.parse and units.parse_bytes as OPA implements them: quotes are dropped,
// spaces refused, the text splits into a number (digits, '.', and a scientific
// exponent) and a unit suffix. The arithmetic is exact decimal arithmetic (OPA
// uses big.Rat / big.Float), done here on digit arrays: multiplying by 10^k
// shifts the exponent, multiplying by 2^k doubles the digits k times.

/**
 * Outcome of units.parse and units.parse_bytes: the number's JSON text (exact: integer digits, or
 * a decimal fraction), or `error` when it is not "".
 */
export class UnitsResult {
  constructor(public text: string, public error: string) {}
}

/** OPA's limit on the number of exponent digits in scientific notation. */
const MAX_EXPONENT_DIGITS = 6;

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

/** Number text and unit text, or `exponentTooLarge`. */
class NumberAndUnit {
  constructor(public num: string, public unit: string, public exponentTooLarge: bool) {}
}

/** Splits where OPA does: at the first character that cannot belong to the number. */
function extractNumAndUnit(s: string): NumberAndUnit {
  const len = s.length;
  let boundary = -1;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const isE = c == 0x65 || c == 0x45;
    if (!isDigit(c) && c != 0x2e && !isE && c != 0x2b && c != 0x2d) {
      boundary = i;
      break;
    }
    if (isE) {
      const n = i + 1 < len ? s.charCodeAt(i + 1) : -1;
      if (!isDigit(n) && n != 0x2b && n != 0x2d) {
        boundary = i;
        break;
      }
      if (n == 0x2b || n == 0x2d) i++;
      let end = i + 1;
      while (end < len && isDigit(s.charCodeAt(end))) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return new NumberAndUnit("", "", true);
    }
  }
  if (boundary < 0) return new NumberAndUnit(s, "", false);
  return new NumberAndUnit(s.substring(0, boundary), s.substring(boundary), false);
}

/**
 * An exact decimal: (-1)^negative × 0.d1d2d3… × 10^pointPos, i.e. `digits`
 * (each 0-9, most significant first) with the decimal point after
 * `pointPos` digits (which may lie outside the digit array).
 */
class Decimal {
  digits: Array<i32> = [];
  pointPos: i32 = 0;
  negative: bool = false;

  /** Parses [+-]digits[.digits][(e|E)[+-]digits] (at least one mantissa digit); null otherwise. */
  static parse(text: string): Decimal | null {
    const d = new Decimal();
    const len = text.length;
    let i = 0;
    if (i < len && (text.charCodeAt(i) == 0x2b || text.charCodeAt(i) == 0x2d)) {
      d.negative = text.charCodeAt(i) == 0x2d;
      i++;
    }
    let sawDigit = false;
    let sawPoint = false;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (isDigit(c)) {
        sawDigit = true;
        d.digits.push(c - 0x30);
        if (!sawPoint) d.pointPos++;
      } else if (c == 0x2e && !sawPoint) {
        sawPoint = true;
      } else {
        break;
      }
    }
    if (!sawDigit) return null;
    if (i < len) {
      const c = text.charCodeAt(i);
      if (c != 0x65 && c != 0x45) return null;
      i++;
      let expNegative = false;
      if (i < len && (text.charCodeAt(i) == 0x2b || text.charCodeAt(i) == 0x2d)) {
        expNegative = text.charCodeAt(i) == 0x2d;
        i++;
      }
      if (i >= len) return null;
      let exp = 0;
      for (; i < len; i++) {
        const e = text.charCodeAt(i);
        if (!isDigit(e)) return null;
        exp = exp * 10 + (e - 0x30); // at most MAX_EXPONENT_DIGITS digits
      }
      d.pointPos += expNegative ? -exp : exp;
    }
    d.normalize();
    return d;
  }

  /** Strips leading and trailing zero digits (zero becomes no digits). */
  normalize(): void {
    let lead = 0;
    while (lead < this.digits.length && this.digits[lead] == 0) lead++;
    if (lead > 0) {
      this.digits = this.digits.slice(lead);
      this.pointPos -= lead;
    }
    while (this.digits.length > 0 && this.digits[this.digits.length - 1] == 0) this.digits.pop();
    if (this.digits.length == 0) this.pointPos = 0;
  }

  isZero(): bool {
    return this.digits.length == 0;
  }

  shift(powerOfTen: i32): void {
    if (!this.isZero()) this.pointPos += powerOfTen;
  }

  /** Multiplies by 2^k exactly. */
  double(k: i32): void {
    for (let n = 0; n < k && !this.isZero(); n++) {
      let carry = 0;
      for (let i = this.digits.length - 1; i >= 0; i--) {
        const v = this.digits[i] * 2 + carry;
        this.digits[i] = v % 10;
        carry = v / 10;
      }
      if (carry > 0) {
        this.digits.unshift(carry);
        this.pointPos++;
      }
    }
  }

  /** Digits before the point (empty for |x| < 1). */
  integerDigits(): string {
    let out = "";
    for (let i = 0; i < this.pointPos; i++) out += i < this.digits.length ? this.digits[i].toString() : "0";
    return out;
  }

  isInteger(): bool {
    return this.digits.length <= this.pointPos;
  }

  /**
   * Decimal text rounded to `places` fractional digits, halves away from zero
   * (big.Rat.FloatString). Callers bound pointPos so the text stays short.
   */
  toFixed(places: i32): string {
    // round(|x| × 10^places) as digits: the first `keep` digits, rounded on the next one.
    const keep = this.pointPos + places;
    const scaled = new Array<i32>();
    for (let i = 0; i < keep; i++) scaled.push(i < this.digits.length ? this.digits[i] : 0);
    if (keep >= 0 && keep < this.digits.length && this.digits[keep] >= 5) {
      let i = scaled.length - 1;
      while (i >= 0 && scaled[i] == 9) scaled[i--] = 0;
      if (i >= 0) scaled[i]++;
      else scaled.unshift(1);
    }
    let text = "";
    for (let i = 0; i < scaled.length; i++) text += scaled[i].toString();
    while (text.length <= places) text = "0" + text;
    const point = text.length - places;
    return (this.negative ? "-" : "") + text.substring(0, point) + "." + text.substring(point);
  }
}

/** Largest magnitude handed back as a number: the runtime holds non-integers as doubles. */
const MAX_DECIMAL_EXPONENT = 309;

/** units.parse: a number with an optional SI ("m", "k", "M", "G", …) or binary ("Ki", "Mi", …) suffix. */
export function unitsParse(raw: string): UnitsResult {
  const s = raw.replaceAll('"', "");
  if (s.includes(" ")) return new UnitsResult("", "units.parse: spaces not allowed in resource strings");
  const split = extractNumAndUnit(s);
  if (split.exponentTooLarge) return new UnitsResult("", "units.parse: exponent too large");
  if (split.num.length == 0) return new UnitsResult("", "units.parse: no amount provided");
  // 'm' (milli) and 'M' (mega) differ by case; the rest of a unit is case-insensitive.
  let unit = split.unit;
  if (unit.length > 1) unit = unit.substring(0, 1) + unit.substring(1).toLowerCase();
  let powerOfTen = 0;
  let powerOfTwo = 0;
  if (unit == "m") powerOfTen = -3;
  else if (unit == "") powerOfTen = 0;
  else if (unit == "k" || unit == "K") powerOfTen = 3;
  else if (unit == "M") powerOfTen = 6;
  else if (unit == "g" || unit == "G") powerOfTen = 9;
  else if (unit == "t" || unit == "T") powerOfTen = 12;
  else if (unit == "p" || unit == "P") powerOfTen = 15;
  else if (unit == "e" || unit == "E") powerOfTen = 18;
  else if (unit == "ki" || unit == "Ki") powerOfTwo = 10;
  else if (unit == "mi" || unit == "Mi") powerOfTwo = 20;
  else if (unit == "gi" || unit == "Gi") powerOfTwo = 30;
  else if (unit == "ti" || unit == "Ti") powerOfTwo = 40;
  else if (unit == "pi" || unit == "Pi") powerOfTwo = 50;
  else if (unit == "ei" || unit == "Ei") powerOfTwo = 60;
  else return new UnitsResult("", "units.parse: unit " + unit + " not recognized");
  const d = Decimal.parse(split.num);
  if (d === null) return new UnitsResult("", "units.parse: could not parse amount to a number");
  if (d.isZero()) return new UnitsResult("0", "");
  d.shift(powerOfTen);
  if (d.pointPos > MAX_DECIMAL_EXPONENT) return new UnitsResult("", "units.parse: amount out of range");
  // Below 10^-11 the value rounds to zero at OPA's ten decimal places.
  if (d.pointPos < -11) return new UnitsResult("0", "");
  d.double(powerOfTwo);
  if (d.isInteger()) return new UnitsResult((d.negative ? "-" : "") + d.integerDigits(), "");
  return new UnitsResult(d.toFixed(10), "");
}

/** units.parse_bytes: a byte count with an optional unit (kb/k, kib/ki, …), case-insensitive; truncated to an integer. */
export function unitsParseBytes(raw: string): UnitsResult {
  const s = raw.toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) return new UnitsResult("", "units.parse_bytes: spaces not allowed in resource strings");
  const split = extractNumAndUnit(s);
  if (split.exponentTooLarge) return new UnitsResult("", "units.parse_bytes: exponent too large");
  if (split.num.length == 0) return new UnitsResult("", "units.parse_bytes: no byte amount provided");
  const unit = split.unit;
  let powerOfTen = 0;
  let powerOfTwo = 0;
  if (unit == "") powerOfTen = 0;
  else if (unit == "kb" || unit == "k") powerOfTen = 3;
  else if (unit == "mb" || unit == "m") powerOfTen = 6;
  else if (unit == "gb" || unit == "g") powerOfTen = 9;
  else if (unit == "tb" || unit == "t") powerOfTen = 12;
  else if (unit == "pb" || unit == "p") powerOfTen = 15;
  else if (unit == "eb" || unit == "e") powerOfTen = 18;
  else if (unit == "kib" || unit == "ki") powerOfTwo = 10;
  else if (unit == "mib" || unit == "mi") powerOfTwo = 20;
  else if (unit == "gib" || unit == "gi") powerOfTwo = 30;
  else if (unit == "tib" || unit == "ti") powerOfTwo = 40;
  else if (unit == "pib" || unit == "pi") powerOfTwo = 50;
  else if (unit == "eib" || unit == "ei") powerOfTwo = 60;
  else return new UnitsResult("", "units.parse_bytes: byte unit " + unit + " not recognized");
  const d = Decimal.parse(split.num);
  if (d === null) return new UnitsResult("", "units.parse_bytes: could not parse byte amount to a number");
  d.shift(powerOfTen);
  // 2^60 < 10^19, so anything under 10^-19 truncates to zero even after the binary factor.
  if (d.isZero() || d.pointPos < -19) return new UnitsResult("0", "");
  if (d.pointPos > 40) return new UnitsResult("", "units.parse_bytes: byte amount out of range");
  d.double(powerOfTwo);
  const digits = d.integerDigits(); // truncation toward zero
  if (digits.length == 0) return new UnitsResult("0", "");
  return new UnitsResult((d.negative ? "-" : "") + digits, "");
}
