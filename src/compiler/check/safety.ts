// Variable checks for one rule: declarations (`:=`, `some`, `every`) and safety.
//
// Safety follows OPA: a body's expressions may run in any order, so a var is safe when some
// ordering lets a positive expression bind it before every use that needs it bound (negated
// expressions, call arguments, `with` values, the rule head, comprehension terms). Expressions
// are scheduled greedily: each time, the first one in source order that can run; when none can,
// the first one left names the var that blocks it. The order found is the one the body runs in:
// it is recorded for the planner (BodyOrder). Vars that occur in a comprehension or `every` body
// and also in the enclosing body are captured from it, so the enclosing body must bind them first.

import type { Body, Expr, ExprNode, Location, Rule, Term, VarTerm, With } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { ModuleScope } from "./scope.ts";
import { type FunctionMock, checkWithTargets } from "./with.ts";
import { childTerms, type Closure, compareLoc, displayVar, exprTerms, nodeTerms, shallowBodyVarNames, shallowVarNames, varsDeep, varsOfBodyDeep, walkTerm } from "./walk.ts";

interface Info {
  /** Vars that must be bound before the term can be evaluated. */
  needs: VarTerm[];
  /** Vars the evaluation binds (operands of refs, `input.xs[i]`). */
  outputs: VarTerm[];
  /** Comprehensions to check once the expression is scheduled. */
  closures: Closure[];
}

interface Pattern {
  /** Vars in binding position (`x`, `[x, y]`, `{"k": x}`). */
  vars: VarTerm[];
  /** The non-pattern parts of the term (refs, calls, object keys). */
  info: Info;
}

interface Evaluation {
  outputs: VarTerm[];
  closures: Closure[];
  /** Vars that block the expression; empty when it can run. */
  missing: VarTerm[];
}

const empty = (): Info => ({ needs: [], outputs: [], closures: [] });
const merge = (into: Info, from: Info): Info => {
  into.needs.push(...from.needs);
  into.outputs.push(...from.outputs);
  into.closures.push(...from.closures);
  return into;
};
const isClosure = (t: Term): t is Closure => t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp";

/** Each body (of a rule, else clause, comprehension or `every`) → its expressions in run order. */
export type BodyOrder = Map<Body, Body>;

/**
 * Checks declarations and safety of one rule; throws the first problem as a CompileError.
 * Records in `order` the order each of the rule's bodies runs in. Returns the names the rule
 * declares locally (arguments, `:=`, `some`, `every`), which shadow rules and imports of the same
 * name.
 */
export function checkRuleVars(
  scope: ModuleScope,
  rule: Rule,
  order: BodyOrder,
  nodes: ReadonlyMap<Expr, ExprNode>,
  mocks: Map<With, FunctionMock>,
  ownVars: Map<Body, ReadonlySet<string>>,
): ReadonlySet<string> {
  const declared = new Set<string>();
  const args = new Set<string>();
  for (const a of rule.head.args ?? []) for (const v of varsDeep(a)) args.add(v.name);
  new Declarations(scope, declared).check(rule, args);
  checkWithTargets(rule, scope, declared, mocks);
  new Safety(scope, rule, declared, args, order, nodes, mocks, ownVars).check();
  return declared;
}

/** Source-order pass: `:=` / `some` / `every` must not declare a var twice in one scope chain. */
class Declarations {
  constructor(
    private readonly scope: ModuleScope,
    private readonly all: Set<string>,
  ) {}

  check(rule: Rule, args: Set<string>): void {
    for (const a of args) this.all.add(a);
    this.body(rule.body, [args]);
    for (let e = rule.else; e; e = e.else) this.body(e.body, [args]);
    for (const t of [rule.head.key, rule.head.value, ...elseValues(rule)]) {
      if (t) for (const c of outerClosures(t)) this.body(c.body, [args]);
    }
  }

  private body(body: Body, chain: Set<string>[]): void {
    const here = new Set<string>();
    const inner = [...chain, here];
    // names this body has used so far outside its comprehensions: OPA declares a var from where
    // its `:=` or `some` is written, and refuses one used above that
    const seen = new Set<string>();
    for (const e of body) {
      for (const t of exprTerms(e)) for (const c of outerClosures(t)) this.body(c.body, inner);
      const n = e.node;
      const reads = (terms: Term[]) => {
        for (const t of [...terms, ...e.with.flatMap((w) => [w.target, w.value])]) shallowVarNames(t, seen);
      };
      switch (n.type) {
        case "assign":
          this.checkAssignable(n.left);
          reads([n.right]);
          for (const v of patternVars(n.left)) this.declare(v, inner, here, seen);
          break;
        case "some":
          for (const v of n.vars) this.declare(v, inner, here, seen);
          break;
        case "somein":
          reads([n.collection]);
          for (const t of [n.key, n.value]) if (t) for (const v of patternVars(t)) this.declare(v, inner, here, seen);
          break;
        case "every": {
          reads([n.domain]);
          const vars = new Set<string>();
          for (const t of [n.key, n.value]) if (t) for (const v of patternVars(t)) this.declare(v, [...inner, vars], vars, new Set());
          this.body(n.body, [...inner, vars]);
          break;
        }
        default:
          reads(exprTerms(e));
          break;
      }
    }
  }

  private declare(v: VarTerm, chain: Set<string>[], here: Set<string>, seen: ReadonlySet<string>): void {
    if (v.name.startsWith("$")) return;
    if (v.name === "input" || v.name === "data") {
      throw new CompileError(v.loc, `cannot assign to \`${v.name}\``, `\`${v.name}\` is the root document; use \`with ${v.name} as …\` to replace it`);
    }
    if (chain.some((s) => s.has(v.name))) {
      throw new CompileError(v.loc, `var ${v.name} assigned above`, "each scope declares a var once; use `=` or `==` to compare with it, or choose another name");
    }
    if (seen.has(v.name)) {
      throw new CompileError(v.loc, `var ${v.name} referenced above`, "a var declared with `:=` or `some` is a new var from there on; declare it before its first use");
    }
    here.add(v.name);
    this.all.add(v.name);
  }

  private checkAssignable(t: Term): void {
    if (t.type === "ref" || t.type === "call" || isClosure(t) || t.type === "set") {
      throw new CompileError(t.loc, "cannot assign to this term", "`:=` declares local variables; use `==` to compare");
    }
    if (t.type === "array") t.items.forEach((x) => this.checkAssignable(x));
    if (t.type === "object") t.items.forEach(([, x]) => this.checkAssignable(x));
  }
}

class Safety {
  /** Names that some expression of the rule could bind; others are undefined, not just unsafe. */
  private readonly bindable = new Set<string>();
  /** Vars that are the head of a ref (`foo` in `foo.bar`): the ones that can be "undefined". */
  private readonly refHeads = new Set<VarTerm>();

  constructor(
    private readonly scope: ModuleScope,
    private readonly rule: Rule,
    private readonly declared: ReadonlySet<string>,
    private readonly args: ReadonlySet<string>,
    private readonly order: BodyOrder,
    /** Expressions that run as another node than the one written (CheckedPolicy.nodes). */
    private readonly nodes: ReadonlyMap<Expr, ExprNode>,
    /** The `with` clauses that replace a function (CheckedPolicy.mocks). */
    private readonly mocks: ReadonlyMap<With, FunctionMock>,
    /** Filled in: the names nested bodies hold apart from the enclosing body (CheckedPolicy.ownVars). */
    private readonly ownVars: Map<Body, ReadonlySet<string>>,
  ) {
    for (const n of declared) this.bindable.add(n);
    const collect = (body: Body) => {
      for (const e of body) {
        const n = this.nodeOf(e);
        if (n.type === "unify") for (const t of [n.left, n.right]) for (const v of patternVars(t)) this.bindable.add(v.name);
        for (const t of exprTerms(e)) walkTerm(t, (x) => this.collectRefOperands(x, collect));
        if (e.node.type === "every") collect(e.node.body);
      }
    };
    collect(rule.body);
    for (let e = rule.else; e; e = e.else) collect(e.body);
    for (const t of [rule.head.key, rule.head.value, ...elseValues(rule)]) if (t) walkTerm(t, (x) => this.collectRefOperands(x, collect));
  }

  private collectRefOperands(t: Term, collect: (b: Body) => void): void {
    if (t.type === "ref" && t.head.type === "var") this.refHeads.add(t.head);
    if (t.type === "ref") for (const p of t.path) for (const v of patternVars(p)) this.bindable.add(v.name);
    if (isClosure(t)) collect(t.body);
  }

  check(): void {
    const argVars = new Set(this.args);
    const head = this.rule.head;
    const headTerms = [head.key, head.value].filter((t): t is Term => t !== undefined);
    if (this.rule.default) {
      for (const t of headTerms) {
        const v = varsDeep(t).filter((x) => this.isLocal(x.name)).sort(compareLoc)[0];
        if (v) throw new CompileError(v.loc, `default value of \`${head.path.join(".")}\` must be a constant`, `var ${displayVar(v.name)} is not allowed here`);
      }
      // A constant value may still hold comprehensions; their bodies are ordered like any other.
      this.headTerms(headTerms, new Set(), new Set());
      return;
    }
    const main = this.body(this.rule.body, argVars, argVars);
    this.headTerms(headTerms, main.bound, main.level);
    for (let e = this.rule.else; e; e = e.else) {
      const r = this.body(e.body, argVars, argVars);
      if (e.value) this.headTerms([e.value], r.bound, r.level);
    }
  }

  private nodeOf(e: Expr): ExprNode {
    return this.nodes.get(e) ?? e.node;
  }

  private isLocal(name: string): boolean {
    return this.declared.has(name) || !this.scope.isGlobalName(name);
  }

  /** Terms evaluated once their body has run: every var in them must be bound by it. */
  private headTerms(terms: Term[], bound: Set<string>, level: Set<string>): void {
    for (const t of terms) {
      const info = this.value(t, level);
      const unbound = [...info.needs, ...info.outputs].filter((v) => !bound.has(v.name)).sort(compareLoc)[0];
      if (unbound) throw this.unsafe(unbound);
      for (const c of info.closures) this.closure(c, bound, level);
    }
  }

  /** Schedules a body; returns the vars bound after it and the names visible to nested closures. */
  private body(body: Body, bound: ReadonlySet<string>, outer: ReadonlySet<string>): { bound: Set<string>; level: Set<string> } {
    const level = new Set(outer);
    shallowBodyVarNames(body, level);
    const levels = levelsInSourceOrder(body, level);
    const done = new Set(bound);
    const pending = [...body];
    const ordered: Expr[] = [];
    for (;;) {
      let next: Evaluation | undefined;
      const i = pending.findIndex((e) => (next = this.expr(e, done, levels.get(e)!)).missing.length === 0);
      if (i < 0) break;
      const [e] = pending.splice(i, 1);
      ordered.push(e);
      const here = levels.get(e)!;
      const own = [...level].filter((n) => !here.has(n));
      if (own.length > 0) for (const b of nestedBodies(e)) this.ownVars.set(b, new Set(own));
      for (const v of next!.outputs) done.add(v.name);
      for (const c of next!.closures) this.closure(c, done, here);
      if (e.node.type === "every" && !e.negated) this.every(e.node, done, here);
    }
    if (pending.length > 0) {
      const blocked = this.expr(pending[0], done, levels.get(pending[0])!).missing.sort(compareLoc)[0];
      throw this.unsafe(blocked, pending[0].loc);
    }
    for (const e of body) {
      if (e.node.type !== "some") continue;
      const unbound = e.node.vars.find((v) => !done.has(v.name));
      if (unbound) throw this.unsafe(unbound, e.loc);
    }
    this.order.set(body, ordered);
    return { bound: done, level };
  }

  private closure(c: Closure, bound: Set<string>, level: Set<string>): void {
    const terms = c.type === "objectcomp" ? [c.key, c.value] : [c.term];
    const withTerms = new Set(level);
    for (const t of terms) shallowVarNames(t, withTerms);
    const inner = this.body(c.body, bound, withTerms);
    this.headTerms(terms, inner.bound, inner.level);
  }

  private every(n: Extract<ExprNode, { type: "every" }>, bound: Set<string>, level: Set<string>): void {
    const inside = new Set(bound);
    const innerLevel = new Set(level);
    for (const t of [n.key, n.value]) {
      if (!t) continue;
      for (const v of patternVars(t)) {
        inside.add(v.name);
        innerLevel.add(v.name);
      }
    }
    this.body(n.body, inside, innerLevel);
  }

  private expr(e: Expr, bound: ReadonlySet<string>, level: ReadonlySet<string>): Evaluation {
    const withInfo = empty();
    // a replacing function is named, not evaluated
    for (const w of e.with) if (!this.mocks.get(w)?.replacement) merge(withInfo, this.value(w.value, level));
    const withNeeds = [...withInfo.needs, ...withInfo.outputs];
    const n = this.nodeOf(e);
    const r = e.negated ? this.negated(n, level) : this.node(n, bound, level);
    const missing = [...r.missing, ...withNeeds].filter((v) => !bound.has(v.name));
    return { outputs: r.outputs, closures: [...r.closures, ...withInfo.closures], missing };
  }

  /** Inside `not`, nothing is bound: every var must be bound elsewhere. */
  private negated(n: ExprNode, level: ReadonlySet<string>): Evaluation {
    const info = empty();
    for (const t of nodeTerms(n)) merge(info, this.value(t, level));
    return { outputs: [], closures: info.closures, missing: [...info.needs, ...info.outputs] };
  }

  private node(n: ExprNode, bound: ReadonlySet<string>, level: ReadonlySet<string>): Evaluation {
    const unbound = (vs: VarTerm[]) => vs.filter((v) => !bound.has(v.name));
    switch (n.type) {
      case "term": {
        const info = this.value(n.term, level);
        return { outputs: info.outputs, closures: info.closures, missing: unbound(info.needs) };
      }
      case "assign": {
        const left = this.pattern(n.left, level);
        const right = this.value(n.right, level);
        return {
          outputs: [...left.vars, ...left.info.outputs, ...right.outputs],
          closures: [...left.info.closures, ...right.closures],
          missing: unbound([...right.needs, ...left.info.needs]),
        };
      }
      case "unify":
        return this.unify(n.left, n.right, bound, level);
      case "some":
        return { outputs: [], closures: [], missing: [] };
      case "somein": {
        const info = this.value(n.collection, level);
        const vars: VarTerm[] = [];
        for (const t of [n.key, n.value]) {
          if (!t) continue;
          const p = this.pattern(t, level);
          vars.push(...p.vars);
          merge(info, p.info);
        }
        return { outputs: [...vars, ...info.outputs], closures: info.closures, missing: unbound(info.needs) };
      }
      case "every": {
        const info = this.value(n.domain, level);
        const own = new Set<string>();
        for (const t of [n.key, n.value]) if (t) for (const v of patternVars(t)) own.add(v.name);
        const captured = this.captured(varsOfBodyDeep(n.body), n.body, level).filter((v) => !own.has(v.name));
        return { outputs: [], closures: info.closures, missing: unbound([...info.needs, ...captured]) };
      }
    }
  }

  /** `a = b`: binds one side's pattern vars once the other side can be evaluated. */
  private unify(a: Term, b: Term, bound: ReadonlySet<string>, level: ReadonlySet<string>): Evaluation {
    const pa = this.pattern(a, level);
    const pb = this.pattern(b, level);
    const closures = [...pa.info.closures, ...pb.info.closures];
    const outputs = this.unifyOutputs(a, b, bound, level);
    if (outputs) return { outputs, closures, missing: [] };
    let missing = [...pa.info.needs, ...pb.info.needs].filter((v) => !bound.has(v.name));
    if (missing.length === 0) missing = [...pa.vars, ...pb.vars].filter((v) => !bound.has(v.name));
    return { outputs: [], closures, missing };
  }

  private unifyOutputs(a: Term, b: Term, bound: ReadonlySet<string>, level: ReadonlySet<string>): VarTerm[] | undefined {
    const ready = (t: Term) => this.value(t, level).needs.every((v) => bound.has(v.name));
    const bind = (pattern: Term, value: Term) => {
      const p = this.pattern(pattern, level);
      if (!p.info.needs.every((v) => bound.has(v.name))) return undefined;
      return [...p.vars, ...p.info.outputs, ...this.value(value, level).outputs];
    };
    if (ready(b)) {
      const out = bind(a, b);
      if (out) return out;
    }
    if (ready(a)) {
      const out = bind(b, a);
      if (out) return out;
    }
    let pairs: Array<[Term, Term]> | undefined;
    if (a.type === "array" && b.type === "array" && a.items.length === b.items.length) {
      pairs = a.items.map((x, i) => [x, b.items[i]]);
    }
    if (a.type === "object" && b.type === "object" && a.items.length === b.items.length) {
      const keyed = new Map(b.items.map(([k, v]) => [JSON.stringify(stripLocs(k)), v]));
      const matched = a.items.map(([k, v]) => [v, keyed.get(JSON.stringify(stripLocs(k)))] as const);
      if (matched.every(([, v]) => v !== undefined)) pairs = matched as Array<[Term, Term]>;
    }
    if (!pairs) return undefined;
    // Element-wise: each pair may bind vars that let the next pairs run.
    const inner = new Set(bound);
    const outputs: VarTerm[] = [];
    for (let progress = true; progress && pairs.length > 0; ) {
      progress = false;
      pairs = pairs.filter(([x, y]) => {
        const out = this.unifyOutputs(x, y, inner, level);
        if (!out) return true;
        for (const v of out) inner.add(v.name);
        outputs.push(...out);
        progress = true;
        return false;
      });
    }
    return pairs.length === 0 ? outputs : undefined;
  }

  /** A term read as a value: its vars must be bound, except ref operands, which it binds. */
  private value(t: Term, level: ReadonlySet<string>): Info {
    const info = empty();
    switch (t.type) {
      case "var":
        if (this.isLocal(t.name)) info.needs.push(t);
        return info;
      case "ref":
        if (t.head.type === "var") {
          if (this.isLocal(t.head.name)) info.needs.push(t.head);
        } else {
          merge(info, this.value(t.head, level));
        }
        for (const p of t.path) {
          if (p.type === "var") {
            if (this.isLocal(p.name)) info.outputs.push(p);
          } else if (p.type === "array" || p.type === "object") {
            // A pattern operand (`violation[{"msg": m}]`) binds its vars while iterating.
            const pattern = this.pattern(p, level);
            info.outputs.push(...pattern.vars);
            merge(info, pattern.info);
          } else {
            merge(info, this.value(p, level));
          }
        }
        return info;
      case "arraycomp":
      case "setcomp":
      case "objectcomp": {
        const terms = t.type === "objectcomp" ? [t.key, t.value] : [t.term];
        const inside = [...terms.flatMap(varsDeep), ...varsOfBodyDeep(t.body)];
        info.needs.push(...this.captured(inside, t.body, level));
        info.closures.push(t);
        return info;
      }
      default:
        for (const c of childTerms(t)) merge(info, this.value(c, level));
        return info;
    }
  }

  /** A term in binding position (left of `:=`, either side of `=`, `some … in`). */
  private pattern(t: Term, level: ReadonlySet<string>): Pattern {
    if (t.type === "var") return { vars: this.isLocal(t.name) ? [t] : [], info: empty() };
    if (t.type === "array") {
      const p: Pattern = { vars: [], info: empty() };
      for (const x of t.items) {
        const inner = this.pattern(x, level);
        p.vars.push(...inner.vars);
        merge(p.info, inner.info);
      }
      return p;
    }
    if (t.type === "object") {
      const p: Pattern = { vars: [], info: empty() };
      for (const [k, x] of t.items) {
        merge(p.info, this.value(k, level));
        const inner = this.pattern(x, level);
        p.vars.push(...inner.vars);
        merge(p.info, inner.info);
      }
      return p;
    }
    return { vars: [], info: this.value(t, level) };
  }

  /** Vars of a closure that come from the enclosing scope: local there, not declared inside. */
  private captured(inside: VarTerm[], body: Body, level: ReadonlySet<string>): VarTerm[] {
    const declaredInside = declaredIn(body);
    return inside.filter((v) => level.has(v.name) && this.isLocal(v.name) && !declaredInside.has(v.name));
  }

  /** Reported, as OPA does, at the start of the expression that needs the var, else at the var. */
  private unsafe(v: VarTerm, at: Location = v.loc): CompileError {
    const name = displayVar(v.name);
    if (this.refHeads.has(v) && !this.bindable.has(v.name)) {
      const pkg = this.scope.module.package.join(".");
      return new CompileError(at, `unknown reference: ${name} is undefined`, `no local variable, import or rule of package \`${pkg}\` is called \`${name}\``);
    }
    if (name === "_") {
      return new CompileError(at, "var _ is unsafe", "a `_` is never bound inside `not` or a call's arguments; iterate in a helper rule instead");
    }
    return new CompileError(at, `var ${name} is unsafe`, `bind it in a positive expression of the body, e.g. \`${name} := …\` or \`some ${name} in …\``);
  }
}

/** Vars in binding position of a pattern: the var itself, array items, object values. */
function patternVars(t: Term): VarTerm[] {
  if (t.type === "var") return [t];
  if (t.type === "array") return t.items.flatMap(patternVars);
  if (t.type === "object") return t.items.flatMap(([, v]) => patternVars(v));
  return [];
}

/**
 * The names each expression's comprehensions and `every` bodies may share with the body: its
 * names less those it declares (`:=`, `some`) at that expression or after it. OPA scopes a
 * declaration from where it is written, so in `y := {x | xs[x]}` then `x := count(y)` the
 * comprehension's x is its own.
 */
function levelsInSourceOrder(body: Body, level: ReadonlySet<string>): Map<Expr, Set<string>> {
  const levels = new Map<Expr, Set<string>>();
  const later = new Set<string>();
  for (let i = body.length - 1; i >= 0; i--) {
    const n = body[i].node;
    // `x := {x | …}`: the right side is scoped before the left is declared
    if (n.type === "assign") for (const v of patternVars(n.left)) later.add(v.name);
    if (n.type === "some") for (const v of n.vars) later.add(v.name);
    if (n.type === "somein") for (const t of [n.key, n.value]) if (t) for (const v of patternVars(t)) later.add(v.name);
    levels.set(body[i], new Set([...level].filter((name) => !later.has(name))));
  }
  return levels;
}

/** Names declared by `:=`, `some` and `every` anywhere in a body. */
function declaredIn(body: Body): Set<string> {
  const names = new Set<string>();
  const visit = (b: Body) => {
    for (const e of b) {
      const n = e.node;
      if (n.type === "assign") for (const v of patternVars(n.left)) names.add(v.name);
      if (n.type === "some") for (const v of n.vars) names.add(v.name);
      if (n.type === "somein" || n.type === "every") for (const t of [n.key, n.value]) if (t) for (const v of patternVars(t)) names.add(v.name);
      if (n.type === "every") visit(n.body);
      for (const t of exprTerms(e)) for (const c of outerClosures(t)) visit(c.body);
    }
  };
  visit(body);
  return names;
}

/** The bodies of an expression's outermost comprehensions and of its `every`. */
function nestedBodies(e: Expr): Body[] {
  const bodies = exprTerms(e).flatMap(outerClosures).map((c) => c.body);
  if (e.node.type === "every") bodies.push(e.node.body);
  return bodies;
}

/** The comprehensions in a term that are not nested in another comprehension of it. */
function outerClosures(t: Term): Closure[] {
  if (isClosure(t)) return [t];
  return childTerms(t).flatMap(outerClosures);
}

function elseValues(rule: Rule): Term[] {
  const values: Term[] = [];
  for (let e = rule.else; e; e = e.else) if (e.value) values.push(e.value);
  return values;
}

/** A term without its locations, to compare object keys structurally. */
function stripLocs(t: Term): unknown {
  return JSON.parse(JSON.stringify(t, (k, v) => (k === "loc" || k === "opLoc" ? undefined : v)));
}
