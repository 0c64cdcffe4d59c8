// RE2 pattern text -> syntax tree, with Go's error messages ("error parsing regexp: ...").

import { codePointWidth } from "../strings";
import { alternateNode, anyCharNode, Assertion, assertNode, CharClass, classNode, concatNode, emptyNode, isAsciiAlnum, isAsciiDigit, isWordChar, literalNode, RegexNode, repeatNode } from "./syntax";

const FLAG_FOLD_CASE = 1;
const FLAG_MULTILINE = 2;
const FLAG_DOT_NEWLINE = 4;
const FLAG_UNGREEDY = 8;

/** Go's limit on {m,n} bounds. */
const MAX_REPEAT = 1000;
/** Go's limit on nesting depth. */
const MAX_DEPTH = 1000;


function hexValue(c: i32): i32 {
  if (isAsciiDigit(c)) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** Adds the Perl class \d, \s or \w (ASCII-only in RE2), or returns false. */
function addPerlClass(cls: CharClass, letter: i32): bool {
  switch (letter) {
    case 0x64: // d
      cls.addRange(0x30, 0x39);
      return true;
    case 0x73: // s: \t \n \f \r and space (not \v)
      cls.addRange(0x09, 0x0a);
      cls.addRange(0x0c, 0x0d);
      cls.addRange(0x20, 0x20);
      return true;
    case 0x77: // w
      cls.addRange(0x30, 0x39);
      cls.addRange(0x41, 0x5a);
      cls.addRange(0x5f, 0x5f);
      cls.addRange(0x61, 0x7a);
      return true;
  }
  return false;
}

/** Adds the POSIX class [:name:] (ASCII), or returns false for an unknown name. */
function addPosixClass(cls: CharClass, name: string): bool {
  if (name == "alnum") {
    cls.addRange(0x30, 0x39);
    cls.addRange(0x41, 0x5a);
    cls.addRange(0x61, 0x7a);
  } else if (name == "alpha") {
    cls.addRange(0x41, 0x5a);
    cls.addRange(0x61, 0x7a);
  } else if (name == "ascii") {
    cls.addRange(0x00, 0x7f);
  } else if (name == "blank") {
    cls.addRange(0x09, 0x09);
    cls.addRange(0x20, 0x20);
  } else if (name == "cntrl") {
    cls.addRange(0x00, 0x1f);
    cls.addRange(0x7f, 0x7f);
  } else if (name == "digit") {
    cls.addRange(0x30, 0x39);
  } else if (name == "graph") {
    cls.addRange(0x21, 0x7e);
  } else if (name == "lower") {
    cls.addRange(0x61, 0x7a);
  } else if (name == "print") {
    cls.addRange(0x20, 0x7e);
  } else if (name == "punct") {
    cls.addRange(0x21, 0x2f);
    cls.addRange(0x3a, 0x40);
    cls.addRange(0x5b, 0x60);
    cls.addRange(0x7b, 0x7e);
  } else if (name == "space") {
    cls.addRange(0x09, 0x0d);
    cls.addRange(0x20, 0x20);
  } else if (name == "upper") {
    cls.addRange(0x41, 0x5a);
  } else if (name == "word") {
    addPerlClass(cls, 0x77);
  } else if (name == "xdigit") {
    cls.addRange(0x30, 0x39);
    cls.addRange(0x41, 0x46);
    cls.addRange(0x61, 0x66);
  } else {
    return false;
  }
  return true;
}

/** Complement of a class's ranges, so a negated sub-class can sit inside a bracket. */
function complementInto(target: CharClass, source: CharClass): void {
  // Sort ranges by start (insertion sort: Perl/POSIX classes are tiny).
  const r = source.ranges;
  const lo = new Array<i32>();
  const hi = new Array<i32>();
  for (let i = 0; i < r.length; i += 2) {
    let j = lo.length;
    lo.push(0);
    hi.push(0);
    while (j > 0 && lo[j - 1] > r[i]) {
      lo[j] = lo[j - 1];
      hi[j] = hi[j - 1];
      j--;
    }
    lo[j] = r[i];
    hi[j] = r[i + 1];
  }
  let next = 0;
  for (let i = 0; i < lo.length; i++) {
    if (lo[i] > next) target.addRange(next, lo[i] - 1);
    if (hi[i] + 1 > next) next = hi[i] + 1;
  }
  if (next <= 0x10ffff) target.addRange(next, 0x10ffff);
}

export class Parser {
  pos: i32 = 0;
  flags: i32 = 0;
  depth: i32 = 0;
  error: string = "";

  constructor(public src: string) {}

  fail(code: string, fragment: string): RegexNode | null {
    if (this.error.length == 0) this.error = "error parsing regexp: " + code + ": `" + fragment + "`";
    return null;
  }

  atEnd(): bool {
    return this.pos >= this.src.length;
  }

  peek(): i32 {
    return this.src.codePointAt(this.pos);
  }

  peekAt(offset: i32): i32 {
    return this.src.codePointAt(this.pos + offset);
  }

  next(): i32 {
    const c = this.src.codePointAt(this.pos);
    this.pos += codePointWidth(c);
    return c;
  }

  parseAlternation(): RegexNode | null {
    const branches = new Array<RegexNode>();
    while (true) {
      const seq = this.parseConcat();
      if (seq === null) return null;
      branches.push(seq);
      if (this.atEnd() || this.peek() != 0x7c) break;
      this.pos++;
    }
    return alternateNode(branches);
  }

  parseConcat(): RegexNode | null {
    const items = new Array<RegexNode>();
    // UTF-16 index where the previous token, if a repetition operator, began.
    let lastRepeatStart = -1;
    while (!this.atEnd()) {
      const c = this.peek();
      if (c == 0x7c || c == 0x29) break; // | )
      const tokenStart = this.pos;
      let min = -1;
      let max = -1;
      if (c == 0x2a || c == 0x2b || c == 0x3f) {
        this.pos++;
        min = c == 0x2b ? 1 : 0;
        max = c == 0x3f ? 1 : -1;
      } else if (c == 0x7b) {
        const bounds = this.parseRepeatBounds();
        if (bounds !== null) {
          min = bounds[0];
          max = bounds[1];
        }
      }
      if (min >= 0) {
        if (!this.atEnd() && this.peek() == 0x3f) this.pos++; // lazy form
        if (lastRepeatStart >= 0) {
          return this.fail("invalid nested repetition operator", this.src.substring(lastRepeatStart, this.pos));
        }
        const op = this.src.substring(tokenStart, this.pos);
        if (items.length == 0) return this.fail("missing argument to repetition operator", op);
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
          return this.fail("invalid repeat count", op);
        }
        items.push(repeatNode(items.pop(), min, max));
        lastRepeatStart = tokenStart;
        continue;
      }
      lastRepeatStart = -1;
      const atom = this.parseAtom();
      if (this.error.length > 0) return null;
      if (atom !== null) items.push(atom);
    }
    if (items.length == 0) return emptyNode();
    return concatNode(items);
  }

  /** Parses {n}, {n,} or {n,m} at pos; null (pos unchanged) when it is a literal '{'. */
  parseRepeatBounds(): Array<i32> | null {
    const start = this.pos;
    this.pos++;
    const min = this.parseDecimal();
    if (min == -2) {
      this.pos = start;
      return null;
    }
    let max = min;
    if (!this.atEnd() && this.peek() == 0x2c) {
      this.pos++;
      if (!this.atEnd() && this.peek() == 0x7d) {
        max = -1;
      } else {
        max = this.parseDecimal();
        if (max == -2) {
          this.pos = start;
          return null;
        }
      }
    }
    if (this.atEnd() || this.peek() != 0x7d) {
      this.pos = start;
      return null;
    }
    this.pos++;
    // Out-of-range numbers become MAX_REPEAT + 1 so the caller reports the count.
    return [min, max];
  }

  /** Decimal number without leading zeros (as RE2); -2 when there is none. */
  parseDecimal(): i32 {
    const start = this.pos;
    let value = 0;
    while (!this.atEnd() && isAsciiDigit(this.peek())) {
      value = min(value * 10 + (this.next() - 0x30), MAX_REPEAT + 1);
    }
    const digits = this.pos - start;
    if (digits == 0 || (digits > 1 && this.src.charCodeAt(start) == 0x30)) return -2;
    return value;
  }

  /** One atom; null with no error for a flag group, which matches nothing itself. */
  parseAtom(): RegexNode | null {
    const c = this.peek();
    const fold = (this.flags & FLAG_FOLD_CASE) != 0;
    switch (c) {
      case 0x28: // (
        return this.parseGroup();
      case 0x5b: // [
        return this.parseClass();
      case 0x2e: // .
        this.pos++;
        return anyCharNode((this.flags & FLAG_DOT_NEWLINE) != 0);
      case 0x5e: // ^
        this.pos++;
        return assertNode((this.flags & FLAG_MULTILINE) != 0 ? Assertion.BeginLine : Assertion.BeginText);
      case 0x24: // $
        this.pos++;
        return assertNode((this.flags & FLAG_MULTILINE) != 0 ? Assertion.EndLine : Assertion.EndText);
      case 0x5c: // backslash
        return this.parseEscapeAtom();
    }
    this.pos += codePointWidth(c);
    return literalNode(c, fold);
  }

  parseGroup(): RegexNode | null {
    const start = this.pos;
    this.pos++;
    if (!this.atEnd() && this.peek() == 0x3f) {
      const q = this.peekAt(1);
      if (q == 0x50 || q == 0x3c) {
        // (?P<name>re) or (?<name>re)
        const nameStart = this.pos + (q == 0x50 ? 3 : 2);
        if (q == 0x50 && this.peekAt(2) != 0x3c) {
          return this.fail("invalid or unsupported Perl syntax", this.src.substring(start, this.pos + 2));
        }
        const close = this.src.indexOf(">", nameStart);
        if (close < 0) return this.fail("invalid named capture", this.src.substring(start));
        const name = this.src.substring(nameStart, close);
        let valid = name.length > 0;
        for (let i = 0; i < name.length; i++) valid = valid && isWordChar(name.charCodeAt(i));
        if (!valid) return this.fail("invalid named capture", this.src.substring(start, close + 1));
        this.pos = close + 1;
        return this.parseGroupBody(start);
      }
      return this.parseFlags(start);
    }
    return this.parseGroupBody(start);
  }

  /** Parses the inside of a group through its ')'; flags set inside end with it. */
  parseGroupBody(start: i32): RegexNode | null {
    if (++this.depth > MAX_DEPTH) return this.fail("expression nests too deeply", this.src);
    const savedFlags = this.flags;
    const body = this.parseAlternation();
    if (body === null) return null;
    if (this.atEnd()) return this.fail("missing closing )", this.src);
    this.pos++;
    this.flags = savedFlags;
    this.depth--;
    return body;
  }

  /** (?flags) sets flags for the rest of the enclosing group; (?flags:re) only inside. */
  parseFlags(start: i32): RegexNode | null {
    this.pos++; // '?'
    let flags = this.flags;
    let negate = false;
    let sawFlag = false;
    while (!this.atEnd()) {
      const c = this.next();
      let bit = 0;
      if (c == 0x69) bit = FLAG_FOLD_CASE;
      else if (c == 0x6d) bit = FLAG_MULTILINE;
      else if (c == 0x73) bit = FLAG_DOT_NEWLINE;
      else if (c == 0x55) bit = FLAG_UNGREEDY;
      if (bit != 0) {
        flags = negate ? flags & ~bit : flags | bit;
        sawFlag = true;
        continue;
      }
      if (c == 0x2d && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      }
      if ((c == 0x29 || c == 0x3a) && !(negate && !sawFlag)) {
        if (c == 0x29) {
          this.flags = flags;
          return null;
        }
        const saved = this.flags;
        this.flags = flags;
        const body = this.parseGroupBody(start);
        this.flags = saved;
        return body;
      }
      break;
    }
    return this.fail("invalid or unsupported Perl syntax", this.src.substring(start, this.pos));
  }

  parseEscapeAtom(): RegexNode | null {
    const start = this.pos;
    const c = this.peekAt(1);
    switch (c) {
      case 0x41: // \A
        this.pos += 2;
        return assertNode(Assertion.BeginText);
      case 0x7a: // \z
        this.pos += 2;
        return assertNode(Assertion.EndText);
      case 0x62: // \b
        this.pos += 2;
        return assertNode(Assertion.WordBoundary);
      case 0x42: // \B
        this.pos += 2;
        return assertNode(Assertion.NotWordBoundary);
      case 0x51: {
        // \Q...\E: literal text
        this.pos += 2;
        const end = this.src.indexOf("\\E", this.pos);
        const stop = end < 0 ? this.src.length : end;
        const items = new Array<RegexNode>();
        const fold = (this.flags & FLAG_FOLD_CASE) != 0;
        while (this.pos < stop) items.push(literalNode(this.next(), fold));
        if (end >= 0) this.pos += 2;
        return items.length == 0 ? emptyNode() : concatNode(items);
      }
    }
    const perl = this.parsePerlClass();
    if (perl !== null) return classNode(perl);
    if (this.error.length > 0) return null;
    const cp = this.parseEscapedChar(start);
    if (cp < 0) return null;
    return literalNode(cp, (this.flags & FLAG_FOLD_CASE) != 0);
  }

  /** \d \D \s \S \w \W at pos (consumed), else null; \p and \P are refused. */
  parsePerlClass(): CharClass | null {
    const c = this.peekAt(1);
    const lower = c | 0x20;
    if (c == 0x70 || c == 0x50) {
      // Unicode property classes need tables this runtime does not carry.
      let end = this.pos + 3;
      if (this.peekAt(2) == 0x7b) {
        const close = this.src.indexOf("}", this.pos);
        end = close < 0 ? this.src.length : close + 1;
      }
      this.fail("unsupported Unicode character class", this.src.substring(this.pos, min(end, this.src.length)));
      return null;
    }
    if (lower != 0x64 && lower != 0x73 && lower != 0x77) return null;
    const cls = new CharClass();
    addPerlClass(cls, lower);
    cls.negated = c != lower;
    this.pos += 2;
    return cls;
  }

  /** A backslash escape denoting one code point; -1 after recording an error. */
  parseEscapedChar(start: i32): i32 {
    this.pos++; // backslash
    if (this.atEnd()) {
      this.fail("trailing backslash at end of expression", "");
      return -1;
    }
    const c = this.next();
    if (c >= 0x31 && c <= 0x37) {
      // \1-\7 are backreferences (unsupported) unless another octal digit follows.
      if (this.atEnd() || this.peek() < 0x30 || this.peek() > 0x37) return this.invalidEscape(start);
    }
    if (c >= 0x30 && c <= 0x37) {
      let value = c - 0x30;
      for (let i = 1; i < 3 && !this.atEnd() && this.peek() >= 0x30 && this.peek() <= 0x37; i++) {
        value = value * 8 + (this.next() - 0x30);
      }
      return value;
    }
    if (c == 0x78) {
      // \xHH or \x{H...}
      if (this.atEnd()) return this.invalidEscape(start);
      if (this.peek() == 0x7b) {
        this.pos++;
        let value = 0;
        let digits = 0;
        while (!this.atEnd() && hexValue(this.peek()) >= 0) {
          value = value * 16 + hexValue(this.next());
          digits++;
          if (value > 0x10ffff) return this.invalidEscape(start);
        }
        if (digits == 0 || this.atEnd() || this.next() != 0x7d) return this.invalidEscape(start);
        return value;
      }
      // Both digits are read before judging, so the error shows them (as Go does).
      const hi = hexValue(this.next());
      const lo = this.atEnd() ? -1 : hexValue(this.next());
      if (hi < 0 || lo < 0) return this.invalidEscape(start);
      return hi * 16 + lo;
    }
    switch (c) {
      case 0x61:
        return 0x07; // \a
      case 0x66:
        return 0x0c; // \f
      case 0x6e:
        return 0x0a; // \n
      case 0x72:
        return 0x0d; // \r
      case 0x74:
        return 0x09; // \t
      case 0x76:
        return 0x0b; // \v
    }
    if (c < 0x80 && !isAsciiAlnum(c)) return c; // escaped punctuation
    return this.invalidEscape(start);
  }

  invalidEscape(start: i32): i32 {
    this.fail("invalid escape sequence", this.src.substring(start, this.pos));
    return -1;
  }

  parseClass(): RegexNode | null {
    const start = this.pos;
    this.pos++;
    const cls = new CharClass();
    cls.foldCase = (this.flags & FLAG_FOLD_CASE) != 0;
    if (!this.atEnd() && this.peek() == 0x5e) {
      cls.negated = true;
      this.pos++;
    }
    let first = true;
    while (true) {
      if (this.atEnd()) return this.fail("missing closing ]", this.src.substring(start));
      const c = this.peek();
      if (c == 0x5d && !first) break;
      first = false;
      // [:alpha:] and [:^alpha:]
      if (c == 0x5b && this.peekAt(1) == 0x3a) {
        const close = this.src.indexOf(":]", this.pos + 2);
        if (close >= 0) {
          let name = this.src.substring(this.pos + 2, close);
          const negatedPosix = name.startsWith("^");
          if (negatedPosix) name = name.substring(1);
          const sub = new CharClass();
          if (!addPosixClass(sub, name)) {
            return this.fail("invalid character class range", this.src.substring(this.pos, close + 2));
          }
          if (negatedPosix) complementInto(cls, sub);
          else for (let i = 0; i < sub.ranges.length; i++) cls.ranges.push(sub.ranges[i]);
          this.pos = close + 2;
          continue;
        }
      }
      if (c == 0x5c) {
        const perl = this.parsePerlClass();
        if (this.error.length > 0) return null;
        if (perl !== null) {
          if (perl.negated) complementInto(cls, perl);
          else for (let i = 0; i < perl.ranges.length; i++) cls.ranges.push(perl.ranges[i]);
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.parseClassChar();
      if (lo < 0) return null;
      let hi = lo;
      if (!this.atEnd() && this.peek() == 0x2d && this.peekAt(1) != 0x5d && this.peekAt(1) >= 0) {
        this.pos++;
        hi = this.parseClassChar();
        if (hi < 0) return null;
        if (hi < lo) return this.fail("invalid character class range", this.src.substring(rangeStart, this.pos));
      }
      cls.addRange(lo, hi);
    }
    this.pos++; // ]
    return classNode(cls);
  }

  parseClassChar(): i32 {
    if (this.atEnd()) return -1;
    if (this.peek() == 0x5c) return this.parseEscapedChar(this.pos);
    return this.next();
  }
}
