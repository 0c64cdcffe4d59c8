// OPA's glob.match (which uses the gobwas/glob syntax): the pattern is turned
// into a regex syntax tree anchored at both ends and run on the NFA of regex/program.ts.
//   *        any run of code points that are not delimiters
//   **       any run of code points
//   ?        one code point that is not a delimiter
//   [abc]    one of the listed code points; [!abc] none of them
//   [a-z]    one code point in the range; [!a-z] outside it
//   {a,b}    any of the comma-separated sub-patterns (which may nest)
//   \c       the code point c itself
// A bracket is either a single range or a list; as in gobwas, "[a-z0-9]" is an
// error and "[ab-c]" is the list a, b, -, c. Brackets ignore delimiters.

import { codePointWidth, stringFromCodePoints } from "./strings";
import { Regex, compileNode } from "./regex/program";
import {
  Assertion,
  CharClass,
  RegexNode,
  alternateNode,
  anyCharNode,
  assertNode,
  classNode,
  concatNode,
  emptyNode,
  literalNode,
  repeatNode,
} from "./regex/syntax";

/** Outcome of glob.match: `error` is "" when `matched` is meaningful. */
export class GlobMatchResult {
  constructor(public matched: bool, public error: string) {}
}

class GlobParser {
  pos: i32 = 0;
  error: string = "";

  constructor(public src: string, public delimiters: Array<i32>) {}

  atEnd(): bool {
    return this.pos >= this.src.length;
  }

  peek(): i32 {
    return this.src.codePointAt(this.pos);
  }

  next(): i32 {
    const c = this.src.codePointAt(this.pos);
    this.pos += codePointWidth(c);
    return c;
  }

  fail(message: string): RegexNode | null {
    if (this.error.length == 0) this.error = message;
    return null;
  }

  /** One code point outside the delimiters (any code point when there are none). */
  nonDelimiter(): RegexNode {
    if (this.delimiters.length == 0) return anyCharNode(true);
    const cls = new CharClass();
    cls.negated = true;
    for (let i = 0; i < this.delimiters.length; i++) cls.addRange(this.delimiters[i], this.delimiters[i]);
    return classNode(cls);
  }

  /** A sequence up to the end, or inside braces up to ',' or '}'. */
  parseSequence(inBraces: bool): RegexNode | null {
    const items = new Array<RegexNode>();
    while (!this.atEnd()) {
      const c = this.peek();
      if (inBraces && (c == 0x2c || c == 0x7d)) break;
      if (c == 0x2a) {
        this.pos++;
        if (!this.atEnd() && this.peek() == 0x2a) {
          this.pos++;
          items.push(repeatNode(anyCharNode(true), 0, -1));
        } else {
          items.push(repeatNode(this.nonDelimiter(), 0, -1));
        }
      } else if (c == 0x3f) {
        this.pos++;
        items.push(this.nonDelimiter());
      } else if (c == 0x5b) {
        const cls = this.parseBracket();
        if (cls === null) return null;
        items.push(cls);
      } else if (c == 0x7b) {
        const alt = this.parseBraces();
        if (alt === null) return null;
        items.push(alt);
      } else if (c == 0x5c) {
        this.pos++;
        if (this.atEnd()) return this.fail("glob: unexpected end of pattern after escape: `" + this.src + "`");
        items.push(literalNode(this.next(), false));
      } else {
        items.push(literalNode(this.next(), false));
      }
    }
    return items.length == 0 ? emptyNode() : concatNode(items);
  }

  parseBraces(): RegexNode | null {
    this.pos++; // {
    const alternatives = new Array<RegexNode>();
    while (true) {
      const alt = this.parseSequence(true);
      if (alt === null) return null;
      alternatives.push(alt);
      if (this.atEnd()) return this.fail("glob: unclosed '{' in pattern: `" + this.src + "`");
      if (this.next() == 0x7d) break; // otherwise a ','
    }
    return alternateNode(alternatives);
  }

  parseBracket(): RegexNode | null {
    this.pos++; // [
    const cls = new CharClass();
    if (!this.atEnd() && this.peek() == 0x21) {
      cls.negated = true;
      this.pos++;
    }
    if (this.atEnd()) return this.unclosedBracket();
    // [lo-hi]: exactly one range
    const lo = this.peek();
    const afterLo = this.pos + codePointWidth(lo);
    if (lo != 0x5c && this.src.codePointAt(afterLo) == 0x2d) {
      this.pos = afterLo + 1;
      if (this.atEnd()) return this.unclosedBracket();
      const hi = this.next();
      if (this.atEnd()) return this.unclosedBracket();
      if (this.next() != 0x5d) return this.fail("glob: expected ']' after range in pattern: `" + this.src + "`");
      if (hi < lo) return this.fail("glob: invalid range in pattern: `" + this.src + "`");
      cls.addRange(lo, hi);
      return classNode(cls);
    }
    // [abc]: a list of code points up to the first unescaped ']'
    while (true) {
      if (this.atEnd()) return this.unclosedBracket();
      let c = this.next();
      if (c == 0x5d) break;
      if (c == 0x5c) {
        if (this.atEnd()) return this.unclosedBracket();
        c = this.next();
      }
      cls.addRange(c, c);
    }
    return classNode(cls);
  }

  unclosedBracket(): RegexNode | null {
    return this.fail("glob: unclosed '[' in pattern: `" + this.src + "`");
  }
}

const CACHE_LIMIT = 128;
const cache = new Map<string, Regex>();

/**
 * glob.match(pattern, delimiters, s). `delimiters` null means no delimiters
 * (OPA: null); an empty array means ["."] (OPA's default). Each delimiter must
 * be a single code point, as OPA requires.
 */
export function globMatch(pattern: string, delimiters: Array<string> | null, s: string): GlobMatchResult {
  const runes = new Array<i32>();
  if (delimiters !== null) {
    for (let i = 0; i < delimiters.length; i++) {
      const d = delimiters[i];
      if (d.length == 0 || codePointWidth(d.codePointAt(0)) != d.length) {
        return new GlobMatchResult(false, "glob.match: operand 2 must be array of single-character strings");
      }
      runes.push(d.codePointAt(0));
    }
    if (runes.length == 0) runes.push(0x2e);
  }
  // Delimiters are single code points, so count + delimiters + pattern is unambiguous.
  const key = runes.length.toString() + ":" + stringFromCodePoints(runes) + pattern;
  let regex: Regex;
  if (cache.has(key)) {
    regex = cache.get(key);
  } else {
    const parser = new GlobParser(pattern, runes);
    const body = parser.parseSequence(false);
    if (body === null) return new GlobMatchResult(false, parser.error);
    const compiled = compileNode(
      concatNode([assertNode(Assertion.BeginText), body, assertNode(Assertion.EndText)]),
      pattern,
    );
    const r = compiled.regex;
    if (r === null) return new GlobMatchResult(false, compiled.error);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, r);
    regex = r;
  }
  return new GlobMatchResult(regex.matches(s), "");
}
