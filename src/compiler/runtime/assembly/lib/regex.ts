// Regular expressions with RE2 syntax (Go's regexp, which OPA's regex.match
// uses), matched on code points by a Thompson NFA simulation: time is linear in
// the input for a given pattern, whatever the pattern, with no backtracking.
// Only "is there a match" is computed, so greedy and lazy quantifiers (which
// choose between matches, never whether one exists) compile the same way.

import { codePointWidth, simpleLower, simpleUpper } from "./strings";

// ---------------------------------------------------------------- syntax tree

export enum NodeKind {
  Empty,
  Literal,
  Class,
  AnyChar,
  AnyCharNotNewline,
  Assert,
  Concat,
  Alternate,
  Repeat,
}

export enum Assertion {
  BeginText,
  EndText,
  BeginLine,
  EndLine,
  WordBoundary,
  NotWordBoundary,
}

/** A set of code points: inclusive ranges, optionally case-folded, then optionally negated. */
export class CharClass {
  ranges: Array<i32> = [];
  negated: bool = false;
  foldCase: bool = false;

  addRange(lo: i32, hi: i32): void {
    this.ranges.push(lo);
    this.ranges.push(hi);
  }

  private containsExact(c: i32): bool {
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (c >= unchecked(r[i]) && c <= unchecked(r[i + 1])) return true;
    }
    return false;
  }

  contains(c: i32): bool {
    let found = this.containsExact(c);
    if (!found && this.foldCase && !isTurkishI(c)) {
      const lower = simpleLower(c);
      const upper = simpleUpper(c);
      found = this.containsExact(lower) || this.containsExact(upper) ||
        this.containsExact(simpleUpper(lower)) || this.containsExact(simpleLower(upper));
    }
    return found != this.negated;
  }
}

/**
 * The dotted capital and the dotless small i, which Go's case folding leaves alone although their
 * case mappings lead to i and I.
 */
function isTurkishI(c: i32): bool {
  return c == 0x130 || c == 0x131;
}

/**
 * Whether case-insensitive matching takes non-ASCII code point cp for a letter whose lower and
 * upper case are `lower` and `upper`: as in Go, the other members of the letter's case-folding
 * orbit, which share one of its case mappings (the Kelvin sign with k and K, ſ with s and S).
 */
function foldsWith(cp: i32, lower: i32, upper: i32): bool {
  return !isTurkishI(cp) && (simpleLower(cp) == lower || simpleUpper(cp) == upper);
}

export class RegexNode {
  kind: NodeKind;
  codePoint: i32 = 0;
  foldCase: bool = false;
  charClass: CharClass | null = null;
  assertion: Assertion = Assertion.BeginText;
  children: Array<RegexNode> = [];
  min: i32 = 0;
  /** Upper repeat bound; -1 for unbounded. */
  max: i32 = -1;

  constructor(kind: NodeKind) {
    this.kind = kind;
  }
}

export function emptyNode(): RegexNode {
  return new RegexNode(NodeKind.Empty);
}

export function literalNode(cp: i32, foldCase: bool): RegexNode {
  const n = new RegexNode(NodeKind.Literal);
  n.codePoint = cp;
  n.foldCase = foldCase && simpleLower(cp) != simpleUpper(cp);
  return n;
}

export function classNode(cls: CharClass): RegexNode {
  const n = new RegexNode(NodeKind.Class);
  n.charClass = cls;
  return n;
}

export function anyCharNode(matchNewline: bool): RegexNode {
  return new RegexNode(matchNewline ? NodeKind.AnyChar : NodeKind.AnyCharNotNewline);
}

export function assertNode(a: Assertion): RegexNode {
  const n = new RegexNode(NodeKind.Assert);
  n.assertion = a;
  return n;
}

export function concatNode(children: Array<RegexNode>): RegexNode {
  if (children.length == 1) return children[0];
  const n = new RegexNode(NodeKind.Concat);
  n.children = children;
  return n;
}

export function alternateNode(children: Array<RegexNode>): RegexNode {
  if (children.length == 1) return children[0];
  const n = new RegexNode(NodeKind.Alternate);
  n.children = children;
  return n;
}

export function repeatNode(sub: RegexNode, min: i32, max: i32): RegexNode {
  const n = new RegexNode(NodeKind.Repeat);
  n.children = [sub];
  n.min = min;
  n.max = max;
  return n;
}

// ---------------------------------------------------------------- parser

const FLAG_FOLD_CASE = 1;
const FLAG_MULTILINE = 2;
const FLAG_DOT_NEWLINE = 4;
const FLAG_UNGREEDY = 8;

/** Go's limit on {m,n} bounds. */
const MAX_REPEAT = 1000;
/** Go's limit on nesting depth. */
const MAX_DEPTH = 1000;

function isAsciiDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function isAsciiAlnum(c: i32): bool {
  return isAsciiDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isWordChar(c: i32): bool {
  return isAsciiAlnum(c) || c == 0x5f;
}

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

class Parser {
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

// ---------------------------------------------------------------- program

enum Op {
  Char,
  CharFold,
  Class,
  Any,
  AnyNotNewline,
  Assert,
  Split,
  Jump,
  Match,
}

/** DFA state flags: a match ends here; a match ends here if the text ends here; no match can follow. */
const DFA_MATCH: u8 = 1;
const DFA_MATCH_AT_END: u8 = 2;
const DFA_DEAD: u8 = 4;
/** States are numbered in a byte; a pattern needing more keeps the NFA only. */
const MAX_DFA_STATES = 256;

/** Instruction budget: keeps nested counted repetitions from exhausting memory. */
const MAX_INSTRUCTIONS = 250000;

class Emitter {
  op: Array<i32> = [];
  a: Array<i32> = [];
  b: Array<i32> = [];
  c: Array<i32> = [];
  classes: Array<CharClass> = [];
  tooLarge: bool = false;

  emit(op: Op, a: i32, b: i32, c: i32): i32 {
    const pc = this.op.length;
    if (pc >= MAX_INSTRUCTIONS) {
      this.tooLarge = true;
      return pc;
    }
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    return pc;
  }

  patchA(pc: i32, target: i32): void {
    if (pc < this.a.length) this.a[pc] = target;
  }

  patchB(pc: i32, target: i32): void {
    if (pc < this.b.length) this.b[pc] = target;
  }

  node(n: RegexNode): void {
    if (this.tooLarge) return;
    switch (n.kind) {
      case NodeKind.Empty:
        break;
      case NodeKind.Literal:
        if (n.foldCase) this.emit(Op.CharFold, n.codePoint, simpleLower(n.codePoint), simpleUpper(n.codePoint));
        else this.emit(Op.Char, n.codePoint, 0, 0);
        break;
      case NodeKind.Class:
        this.classes.push(n.charClass!);
        this.emit(Op.Class, this.classes.length - 1, 0, 0);
        break;
      case NodeKind.AnyChar:
        this.emit(Op.Any, 0, 0, 0);
        break;
      case NodeKind.AnyCharNotNewline:
        this.emit(Op.AnyNotNewline, 0, 0, 0);
        break;
      case NodeKind.Assert:
        this.emit(Op.Assert, n.assertion, 0, 0);
        break;
      case NodeKind.Concat:
        for (let i = 0; i < n.children.length; i++) this.node(n.children[i]);
        break;
      case NodeKind.Alternate:
        this.alternate(n.children);
        break;
      case NodeKind.Repeat:
        this.repeat(n.children[0], n.min, n.max);
        break;
    }
  }

  alternate(children: Array<RegexNode>): void {
    const jumps = new Array<i32>();
    for (let i = 0; i < children.length; i++) {
      if (i < children.length - 1) {
        const split = this.emit(Op.Split, 0, 0, 0);
        this.patchA(split, split + 1);
        this.node(children[i]);
        jumps.push(this.emit(Op.Jump, 0, 0, 0));
        this.patchB(split, this.op.length);
      } else {
        this.node(children[i]);
      }
    }
    for (let i = 0; i < jumps.length; i++) this.patchA(jumps[i], this.op.length);
  }

  repeat(sub: RegexNode, min: i32, max: i32): void {
    for (let i = 0; i < min && !this.tooLarge; i++) this.node(sub);
    if (max < 0) {
      // loop: split body, out; body; jump loop
      const loop = this.emit(Op.Split, 0, 0, 0);
      this.patchA(loop, loop + 1);
      this.node(sub);
      this.emit(Op.Jump, loop, 0, 0);
      this.patchB(loop, this.op.length);
      return;
    }
    // (sub(sub(sub)?)?)? for the optional max - min copies
    const splits = new Array<i32>();
    for (let i = min; i < max && !this.tooLarge; i++) {
      const split = this.emit(Op.Split, 0, 0, 0);
      this.patchA(split, split + 1);
      splits.push(split);
      this.node(sub);
    }
    for (let i = 0; i < splits.length; i++) this.patchB(splits[i], this.op.length);
  }
}

function sameInstructions(a: Array<i32>, b: Array<i32>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (unchecked(a[i]) != unchecked(b[i])) return false;
  }
  return true;
}

/** A set of program counters with O(1) insert, lookup and clear. */
class SparseSet {
  dense: StaticArray<i32>;
  sparse: StaticArray<i32>;
  size: i32 = 0;

  constructor(capacity: i32) {
    this.dense = new StaticArray<i32>(capacity);
    this.sparse = new StaticArray<i32>(capacity);
  }

  // @ts-ignore: decorator
  @inline has(pc: i32): bool {
    const i = unchecked(this.sparse[pc]);
    return i < this.size && unchecked(this.dense[i]) == pc;
  }

  // @ts-ignore: decorator
  @inline add(pc: i32): void {
    unchecked((this.sparse[pc] = this.size));
    unchecked((this.dense[this.size] = pc));
    this.size++;
  }
}

/** The assertions (a mask of 1 << Assertion) that hold between code points `prev` and `next` (-1 at either end). */
function assertionsHolding(prev: i32, next: i32): i32 {
  let mask = 0;
  if (prev < 0) mask |= 1 << Assertion.BeginText;
  if (next < 0) mask |= 1 << Assertion.EndText;
  if (prev < 0 || prev == 0x0a) mask |= 1 << Assertion.BeginLine;
  if (next < 0 || next == 0x0a) mask |= 1 << Assertion.EndLine;
  mask |= isWordChar(prev) != isWordChar(next) ? 1 << Assertion.WordBoundary : 1 << Assertion.NotWordBoundary;
  return mask;
}

const EVERY_ASSERTION = (1 << (Assertion.NotWordBoundary + 1)) - 1;

function startsAnchored(n: RegexNode): bool {
  if (n.kind == NodeKind.Assert) return n.assertion == Assertion.BeginText;
  if (n.kind == NodeKind.Concat) return n.children.length > 0 && startsAnchored(n.children[0]);
  return false;
}

export class Regex {
  private op: StaticArray<i32>;
  private a: StaticArray<i32>;
  private b: StaticArray<i32>;
  private c: StaticArray<i32>;
  private classes: Array<CharClass>;
  private anchoredStart: bool;
  private current: SparseSet;
  private following: SparseSet;
  private stack: StaticArray<i32>;
  /**
   * For an unanchored search: whether each ASCII code point can be the first one a match consumes,
   * or null when that is not known (the empty string may match). Where no thread is alive, a
   * position whose code point cannot start a match is skipped without running the machine.
   */
  private firstAscii: StaticArray<bool> | null = null;
  /**
   * For a constant pattern, a DFA over ASCII text built once (see buildDfa), or null: the state
   * after each byte, at [state * 128 + byte], and each state's DFA_* flags. It reads a string's
   * UTF-8 bytes directly, with one table lookup per byte.
   */
  private dfaNext: StaticArray<u8> | null = null;
  private dfaFlags: StaticArray<u8> | null = null;

  constructor(e: Emitter, anchoredStart: bool) {
    this.op = StaticArray.fromArray<i32>(e.op);
    this.a = StaticArray.fromArray<i32>(e.a);
    this.b = StaticArray.fromArray<i32>(e.b);
    this.c = StaticArray.fromArray<i32>(e.c);
    this.classes = e.classes;
    this.anchoredStart = anchoredStart;
    const n = e.op.length;
    this.current = new SparseSet(n);
    this.following = new SparseSet(n);
    this.stack = new StaticArray<i32>(n);
    if (!anchoredStart) this.firstAscii = this.firstAsciiSet();
  }

  /** See firstAscii: every assertion is taken to hold, so the set is a superset of the true one. */
  private firstAsciiSet(): StaticArray<bool> | null {
    const set = this.current;
    set.size = 0;
    if (this.follow(set, 0, EVERY_ASSERTION)) {
      set.size = 0;
      return null;
    }
    const first = new StaticArray<bool>(128);
    for (let t = 0; t < set.size; t++) {
      const pc = unchecked(set.dense[t]);
      for (let cp = 0; cp < 128; cp++) {
        if (this.consumes(pc, cp)) unchecked((first[cp] = true));
      }
    }
    set.size = 0;
    return first;
  }

  /**
   * Adds `pc` and everything reachable from it without consuming input to `set`, where the
   * assertions in `holding` (a mask of 1 << Assertion) hold. Returns true, and stops, once the
   * match instruction is reachable.
   */
  private follow(set: SparseSet, pc: i32, holding: i32): bool {
    const stack = this.stack;
    let top = 0;
    if (set.has(pc)) return false;
    set.add(pc);
    unchecked((stack[top++] = pc));
    while (top > 0) {
      const at = unchecked(stack[--top]);
      let follow1 = -1;
      let follow2 = -1;
      switch (unchecked(this.op[at])) {
        case Op.Match:
          return true;
        case Op.Jump:
          follow1 = unchecked(this.a[at]);
          break;
        case Op.Split:
          follow1 = unchecked(this.a[at]);
          follow2 = unchecked(this.b[at]);
          break;
        case Op.Assert:
          if (holding & (1 << unchecked(this.a[at]))) follow1 = at + 1;
          break;
      }
      if (follow2 >= 0 && !set.has(follow2)) {
        set.add(follow2);
        unchecked((stack[top++] = follow2));
      }
      if (follow1 >= 0 && !set.has(follow1)) {
        set.add(follow1);
        unchecked((stack[top++] = follow1));
      }
    }
    return false;
  }

  private consumes(pc: i32, cp: i32): bool {
    switch (unchecked(this.op[pc])) {
      case Op.Char:
        return cp == unchecked(this.a[pc]);
      case Op.CharFold:
        return cp == unchecked(this.a[pc]) || cp == unchecked(this.b[pc]) || cp == unchecked(this.c[pc]) ||
          (cp >= 0x80 && foldsWith(cp, unchecked(this.b[pc]), unchecked(this.c[pc])));
      case Op.Class:
        return this.classes[unchecked(this.a[pc])].contains(cp);
      case Op.Any:
        return true;
      case Op.AnyNotNewline:
        return cp != 0x0a;
    }
    return false;
  }

  /**
   * Builds the DFA by subset construction over the ASCII alphabet: a state is the set of
   * consuming instructions alive after some input, with whether a match ends there. Begin- and
   * end-of-text assertions are resolved per position (only the start state is at the beginning;
   * DFA_MATCH_AT_END says whether a match ends at the end of the text). Patterns with line or word
   * assertions, which depend on the characters around a position, and patterns needing more
   * than MAX_DFA_STATES states keep the NFA only.
   */
  buildDfa(): void {
    for (let pc = 0; pc < this.op.length; pc++) {
      if (unchecked(this.op[pc]) != Op.Assert) continue;
      const kind = unchecked(this.a[pc]);
      if (kind != Assertion.BeginText && kind != Assertion.EndText) return;
    }
    // Bytes that every instruction treats alike lead to the same state: one representative each.
    // (Construction allocates only what it keeps, as it runs at instantiation, below the heap the
    // host resets.)
    const classOf = new StaticArray<i32>(128);
    const representatives = new Array<i32>();
    for (let byte = 0; byte < 128; byte++) {
      let found = 0;
      while (found < representatives.length && !this.sameForEveryInstruction(byte, representatives[found])) found++;
      if (found == representatives.length) representatives.push(byte);
      unchecked((classOf[byte] = found));
    }
    const cores = new Array<Array<i32>>();
    const flags = new Array<u8>();
    const next = new Array<u8>();
    const targets = new StaticArray<u8>(representatives.length);
    const seeds = new Array<i32>();
    const scratch = new Array<i32>();
    seeds.push(0);
    this.dfaState(seeds, true, scratch, cores, flags);
    for (let state = 0; state < cores.length; state++) {
      const core = cores[state];
      for (let k = 0; k < representatives.length; k++) {
        const byte = representatives[k];
        seeds.length = 0;
        for (let t = 0; t < core.length; t++) {
          const pc = unchecked(core[t]);
          if (this.consumes(pc, byte)) seeds.push(pc + 1);
        }
        if (!this.anchoredStart) seeds.push(0);
        const target = this.dfaState(seeds, false, scratch, cores, flags);
        if (target < 0) return;
        unchecked((targets[k] = <u8>target));
      }
      for (let byte = 0; byte < 128; byte++) next.push(unchecked(targets[unchecked(classOf[byte])]));
    }
    this.dfaNext = StaticArray.fromArray<u8>(next);
    this.dfaFlags = StaticArray.fromArray<u8>(flags);
  }

  private sameForEveryInstruction(x: i32, y: i32): bool {
    for (let pc = 0; pc < this.op.length; pc++) {
      if (this.consumes(pc, x) != this.consumes(pc, y)) return false;
    }
    return true;
  }

  /**
   * The DFA state reached from `seeds` (instructions to start threads at), added if new; -1 past
   * MAX_DFA_STATES. `scratch` is working space.
   */
  private dfaState(seeds: Array<i32>, atBegin: bool, scratch: Array<i32>, cores: Array<Array<i32>>, flags: Array<u8>): i32 {
    scratch.length = 0;
    let f: u8 = 0;
    if (this.closure(seeds, atBegin, false, scratch)) f |= DFA_MATCH;
    if (this.closure(seeds, atBegin, true, null)) f |= DFA_MATCH_AT_END;
    if (scratch.length == 0 && this.anchoredStart && f == 0) f |= DFA_DEAD;
    scratch.sort((x: i32, y: i32): i32 => x - y);
    for (let id = 0; id < cores.length; id++) {
      if (flags[id] == f && sameInstructions(cores[id], scratch)) return id;
    }
    const id = cores.length;
    if (id >= MAX_DFA_STATES) return -1;
    cores.push(scratch.slice(0));
    flags.push(f);
    return id;
  }

  /**
   * Follows every seed (see follow) with the begin- and end-of-text assertions holding as given;
   * adds the consuming instructions reached to `core` (when given) and returns whether a match
   * is reachable.
   */
  private closure(seeds: Array<i32>, atBegin: bool, atEnd: bool, core: Array<i32> | null): bool {
    const set = this.current;
    const holding = (atBegin ? 1 << Assertion.BeginText : 0) | (atEnd ? 1 << Assertion.EndText : 0);
    set.size = 0;
    let matched = false;
    for (let i = 0; i < seeds.length && !matched; i++) matched = this.follow(set, unchecked(seeds[i]), holding);
    if (core !== null && !matched) {
      for (let t = 0; t < set.size; t++) {
        const pc = unchecked(set.dense[t]);
        const op = unchecked(this.op[pc]);
        if (op != Op.Match && op != Op.Jump && op != Op.Split && op != Op.Assert) core.push(pc);
      }
    }
    set.size = 0;
    return matched;
  }

  /**
   * Whether the expression matches the UTF-8 text at [ptr, ptr + len), by the DFA: 1 or 0, or -1
   * when there is no DFA or the text is not ASCII up to where the answer is known.
   */
  matchesAscii(ptr: usize, len: usize): i32 {
    const next = this.dfaNext;
    if (next === null) return -1;
    const flags = this.dfaFlags!;
    let f = unchecked(flags[0]);
    if (f & DFA_MATCH) return 1;
    let state: i32 = 0;
    for (let i: usize = 0; i < len; i++) {
      const byte = <i32>load<u8>(ptr + i);
      if (byte >= 128) return -1;
      state = <i32>unchecked(next[(state << 7) | byte]);
      f = unchecked(flags[state]);
      if (f & (DFA_MATCH | DFA_DEAD)) return f & DFA_MATCH ? 1 : 0;
    }
    return f & DFA_MATCH_AT_END ? 1 : 0;
  }

  /** Whether the expression matches anywhere in `s` (Go's regexp.MatchString). */
  matches(s: string): bool {
    let current = this.current;
    let following = this.following;
    current.size = 0;
    const len = s.length;
    let prev = -1;
    let i = 0;
    const first = this.firstAscii;
    while (true) {
      let cur = i < len ? s.codePointAt(i) : -1;
      if (first !== null && current.size == 0) {
        // No thread alive: skip the ASCII code points no match starts with (each one unit wide).
        while (cur >= 0 && cur < 128 && !unchecked(first[cur])) {
          prev = cur;
          i++;
          cur = i < len ? s.codePointAt(i) : -1;
        }
        // The empty string cannot match (first is null otherwise), so at the end nothing can.
        if (cur < 0) return false;
      }
      if (i == 0 || !this.anchoredStart) {
        if (this.follow(current, 0, assertionsHolding(prev, cur))) return true;
      } else if (current.size == 0) {
        return false;
      }
      if (cur < 0) return false;
      const width = codePointWidth(cur);
      const next = i + width < len ? s.codePointAt(i + width) : -1;
      following.size = 0;
      const holding = assertionsHolding(cur, next);
      for (let t = 0; t < current.size; t++) {
        const pc = unchecked(current.dense[t]);
        if (this.consumes(pc, cur) && this.follow(following, pc + 1, holding)) return true;
      }
      const swap = current;
      current = following;
      following = swap;
      prev = cur;
      i += width;
    }
  }
}

/** Outcome of compiling: `regex` is null exactly when `error` is set. */
export class RegexCompileResult {
  constructor(public regex: Regex | null, public error: string) {}
}

/** Compiles a syntax tree (also used by glob.ts) into a matcher; `source` names it in errors. */
export function compileNode(root: RegexNode, source: string): RegexCompileResult {
  const e = new Emitter();
  e.node(root);
  e.emit(Op.Match, 0, 0, 0);
  if (e.tooLarge) return new RegexCompileResult(null, "error parsing regexp: expression too large: `" + source + "`");
  return new RegexCompileResult(new Regex(e, startsAnchored(root)), "");
}

function compileUncached(pattern: string): RegexCompileResult {
  const p = new Parser(pattern);
  const root = p.parseAlternation();
  if (root === null) return new RegexCompileResult(null, p.error);
  if (!p.atEnd()) {
    // Only an unmatched ')' stops the top-level alternation early.
    return new RegexCompileResult(null, "error parsing regexp: unexpected ): `" + pattern + "`");
  }
  return compileNode(root, pattern);
}

/** Patterns are compiled once per evaluation and reused; the cache is bounded. */
const CACHE_LIMIT = 128;
const cache = new Map<string, RegexCompileResult>();

/**
 * The policy's constant patterns, compiled when the module is instantiated: that memory lies below
 * the heap the host resets, so they serve every evaluation. A Regex keeps its match state in
 * buffers sized when it is compiled, so matching with a shared one allocates nothing in it. The
 * initialiser is a constant, so the per-evaluation re-run of the module's initialisers (which
 * empties `cache`) leaves this alone.
 */
let precompiled: Map<string, RegexCompileResult> | null = null;

/** Compiles `pattern` for every evaluation; call at instantiation only (see `precompiled`). */
export function regexPrecompile(pattern: string): RegexCompileResult {
  if (precompiled === null) precompiled = new Map<string, RegexCompileResult>();
  const result = compileUncached(pattern);
  if (result.regex !== null) result.regex!.buildDfa();
  precompiled!.set(pattern, result);
  return result;
}

/**
 * Compiles an RE2 pattern, caching by pattern text. On a bad pattern `regex`
 * is null and `error` holds Go's message ("error parsing regexp: ...").
 */
export function regexCompile(pattern: string): RegexCompileResult {
  const shared = precompiled;
  if (shared !== null && shared.has(pattern)) return shared.get(pattern);
  if (cache.has(pattern)) return cache.get(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const result = compileUncached(pattern);
  cache.set(pattern, result);
  return result;
}
