// Syntax tree -> matcher: an instruction list run as a Thompson NFA simulation, with a small DFA
// built over it when the pattern allows (see Regex.buildDfa).

import { codePointWidth, simpleLower, simpleUpper } from "../strings";
import { Assertion, CharClass, foldsWith, isWordChar, NodeKind, RegexNode } from "./syntax";

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
