// What a number literal stands for, as the runtime holds numbers (runtime/assembly/value.ts):
// integers exactly at any size, as OPA does, and other numbers as their text.

const LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** OPA's parser refuses a number of 2^100000 or more ("number too big"). */
const MAX_BITS = 100_000;
/** The runtime's bound on the decimal exponent of a number that is not an integer (lib/bigfloat.ts). */
const MAX_DECIMAL_EXPONENT = 4000;
/** Past this many decimal digits an integer is beyond MAX_BITS without computing it. */
const MAX_DIGITS = 30_103;

/** A literal's digits and the power of ten they are scaled by, trailing zeros folded into the scale. */
function decompose(text: string): { negative: boolean; digits: string; scale: number } {
  const m = LITERAL.exec(text);
  if (!m) throw new Error(`not a number literal: ${text}`);
  const fraction = m[3] ?? "";
  let digits = (m[2]! + fraction).replace(/^0+/, "");
  let scale = Number(m[4] ?? "0") - fraction.length;
  const trimmed = digits.replace(/0+$/, "");
  scale += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: m[1] === "-", digits, scale: digits === "" ? 0 : scale };
}

/** The exact integer a literal stands for, or undefined when it is not an integer. */
export function literalInteger(text: string): bigint | undefined {
  const { negative, digits, scale } = decompose(text);
  if (digits === "") return 0n;
  if (scale < 0) return undefined;
  const magnitude = BigInt(digits) * 10n ** BigInt(scale);
  return negative ? -magnitude : magnitude;
}

/** Why the runtime cannot hold the number an (unsigned) literal stands for, or undefined when it can. */
export function literalRangeProblem(text: string): string | undefined {
  const { digits, scale } = decompose(text);
  if (digits === "") return undefined;
  if (scale >= 0) {
    const tooBig = digits.length + scale > MAX_DIGITS || literalInteger(text)!.toString(2).length > MAX_BITS;
    return tooBig ? `number \`${text}\` is too big (OPA refuses 2^100000 and beyond)` : undefined;
  }
  // The runtime reads such a number as Go's SetString does, with one power of five (lib/bigfloat.ts).
  const m = LITERAL.exec(text)!;
  const exponent = Number(m[4] ?? "0") - (m[3] ?? "").length;
  if (Math.abs(exponent) > MAX_DECIMAL_EXPONENT) {
    return `number \`${text}\` is out of range: a number that is not an integer may have a decimal exponent of at most ${MAX_DECIMAL_EXPONENT} here`;
  }
  return undefined;
}
