// JSON with Rego's exact integers: a compiled module writes every integer in digits, however
// large, and JSON.parse would round those past 2^53. Here an integer that a JavaScript number
// holds exactly stays a number, a larger one becomes a bigint, and any other number is the
// nearest double. Where only printing is needed, reindentJson keeps every number's text.

import { isInteger, parse, stringify } from "lossless-json";

function exactNumber(text: string): number | bigint {
  if (!isInteger(text)) return Number.parseFloat(text);
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

// An integer past 2^53 has at least 16 digits: text without such a run (nearly every result set)
// is read by the native JSON.parse, several times faster than a parser written in JavaScript.
const LONG_DIGIT_RUN = /\d{16}/;

/** The value of JSON text, integers exact; throws a SyntaxError on text that is not JSON. */
export function parseExactJson(text: string): unknown {
  return LONG_DIGIT_RUN.test(text) ? parse(text, null, exactNumber) : JSON.parse(text);
}

/** JSON text of a value that may hold bigints (as parseExactJson gives), written in digits. */
export function stringifyExactJson(value: unknown, indent?: number): string {
  const text = stringify(value, null, indent);
  if (text === undefined) throw new TypeError("no JSON text for undefined");
  return text;
}

/** JSON text indented by `indent` spaces, every number written as it was (1.50 stays 1.50). */
export function reindentJson(text: string, indent: number): string {
  return stringifyExactJson(parse(text), indent);
}
