// The syntax tree of a regular expression (RE2 syntax), which the parser builds from a pattern and
// glob.ts builds from a glob, and which program.ts compiles into a matcher.

import { simpleLower, simpleUpper } from "../strings";

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
export function foldsWith(cp: i32, lower: i32, upper: i32): bool {
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

/** Character predicates of RE2, ASCII-only as in Go. */
export function isAsciiDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

export function isAsciiAlnum(c: i32): bool {
  return isAsciiDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isWordChar(c: i32): bool {
  return isAsciiAlnum(c) || c == 0x5f;
}
