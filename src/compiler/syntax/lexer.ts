// Rego lexer: turns source text into tokens with 1-based row/col positions (columns counted in
// Unicode code points). Keywords are not decided here: whether `in`, `if`, `contains` or `every`
// is a keyword depends on the module's imports and Rego version, so the parser decides.

import type { Location } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import { literalRangeProblem } from "./number-literal.ts";

export type TokenKind = "ident" | "number" | "string" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation text, number literal text, or the decoded string value. */
  text: string;
  loc: Location;
  /** A line break (or the start of the file) lies between the previous token and this one. */
  newlineBefore: boolean;
  /** UTF-16 offsets of the token in the source, to quote it in messages. */
  start: number;
  end: number;
}

// Longest first, so that `:=` wins over `:` and `<=` over `<`.
const PUNCTUATION = [":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "|", "&", "=", "<", ">", "+", "-", "*", "/", "%"];

const isDigit = (c: string) => c >= "0" && c <= "9";
const isIdentStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Describes a token for error messages: `identifier \`foo\``, `\`{\``, `end of file`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of file";
    case "ident":
      return `\`${token.text}\``;
    case "number":
      return `number ${token.text}`;
    case "string":
      return `string ${JSON.stringify(token.text)}`;
    case "punct":
      return `\`${token.text}\``;
  }
}

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  // A byte order mark is not part of the text.
  let pos = text.startsWith("\uFEFF") ? 1 : 0;
  let row = 1;
  let col = 1;
  let newlineBefore = true;

  const here = (): Location => ({ file, row, col });
  /** Advances over one code point (two UTF-16 units for astral characters). */
  const advance = () => {
    const code = text.codePointAt(pos)!;
    if (text[pos] === "\n") {
      row++;
      col = 1;
    } else {
      col++;
    }
    pos += code > 0xffff ? 2 : 1;
  };
  let tokenStart = 0;
  const push = (kind: TokenKind, tokenText: string, loc: Location) => {
    tokens.push({ kind, text: tokenText, loc, newlineBefore, start: tokenStart, end: pos });
    newlineBefore = false;
  };

  while (pos < text.length) {
    const c = text[pos];
    if (c === "\n") {
      newlineBefore = true;
      advance();
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      advance();
      continue;
    }
    if (c === "#") {
      while (pos < text.length && text[pos] !== "\n") advance();
      continue;
    }
    const start = here();
    tokenStart = pos;
    if (isIdentStart(c)) {
      const from = pos;
      while (pos < text.length && isIdentPart(text[pos])) advance();
      push("ident", text.slice(from, pos), start);
      continue;
    }
    if (isDigit(c)) {
      push("number", lexNumber(), start);
      continue;
    }
    if (c === '"') {
      push("string", lexString(start), start);
      continue;
    }
    if (c === "`") {
      advance();
      const from = pos;
      while (pos < text.length && text[pos] !== "`") advance();
      if (pos >= text.length) throw new CompileError(start, "unterminated raw string", "close it with a backtick");
      const value = text.slice(from, pos);
      advance();
      push("string", value, start);
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, pos));
    if (punct === undefined) {
      const found = String.fromCodePoint(text.codePointAt(pos)!);
      throw new CompileError(start, `unexpected character ${JSON.stringify(found)}`);
    }
    for (let i = 0; i < punct.length; i++) advance();
    push("punct", punct, start);
  }
  tokenStart = pos;
  push("eof", "", here());
  return tokens;

  function lexNumber(): string {
    const from = pos;
    const start = here();
    while (pos < text.length && isDigit(text[pos])) advance();
    if (text[pos] === "." && isDigit(text[pos + 1] ?? "")) {
      advance();
      while (pos < text.length && isDigit(text[pos])) advance();
    }
    if (text[pos] === "e" || text[pos] === "E") {
      advance();
      if (text[pos] === "+" || text[pos] === "-") advance();
      if (!isDigit(text[pos] ?? "")) throw new CompileError(here(), "malformed number: expected digits after the exponent");
      while (pos < text.length && isDigit(text[pos])) advance();
    }
    const literal = text.slice(from, pos);
    if (pos < text.length && isIdentPart(text[pos])) {
      throw new CompileError(start, `malformed number \`${literal}${text[pos]}\``, "separate the number from the name that follows it");
    }
    if (literal.length > 1 && literal[0] === "0" && isDigit(literal[1])) {
      throw new CompileError(start, `malformed number \`${literal}\`: leading zero`);
    }
    const rangeProblem = literalRangeProblem(literal);
    if (rangeProblem) throw new CompileError(start, rangeProblem);
    return literal;
  }

  function lexString(start: Location): string {
    advance(); // opening quote
    let value = "";
    for (;;) {
      if (pos >= text.length || text[pos] === "\n") {
        throw new CompileError(start, "unterminated string", 'close it with `"` on the same line, or use a `raw string` in backticks');
      }
      const c = text[pos];
      if (c === '"') {
        advance();
        return value;
      }
      if (c !== "\\") {
        const code = text.codePointAt(pos)!;
        value += String.fromCodePoint(code);
        advance();
        continue;
      }
      const escapeLoc = here();
      advance();
      const e = text[pos] ?? "";
      if (e in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[e];
        advance();
        continue;
      }
      if (e !== "u") {
        throw new CompileError(escapeLoc, `invalid escape \`\\${e}\` in string`, 'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
      }
      advance();
      const hex = text.slice(pos, pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new CompileError(escapeLoc, "invalid \\u escape in string", "write exactly four hex digits, e.g. \\u00e9");
      }
      for (let i = 0; i < 4; i++) advance();
      // A surrogate pair arrives as two escapes; concatenating the UTF-16 units joins them.
      value += String.fromCharCode(parseInt(hex, 16));
    }
  }
}
