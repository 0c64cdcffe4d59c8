// Bodies and expressions: each expression in turn, negation, `some … in`, `every`, lone terms.

import type { Expr, ExprNode, Location, Term, VarTerm } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { Stmt } from "../ir/types.ts";
import type { Scope, Next } from "./locals.ts";
import { local, FALSE, TRUE, block, bind, declareNames, declareVars } from "./locals.ts";
import type { Hoisted } from "../check/index.ts";
import { UnifyPlanner } from "./unify.ts";

export abstract class ExprPlanner extends UnifyPlanner {
  /** Plans a body's expressions one after the other, in the order the check stage found for it. */
  planBody(body: Expr[], scope: Scope, out: Stmt[], k: Next): void {
    const own = this.pp.ownVars(body);
    // a name the enclosing body declares only later is a new var here, not yet bound
    const inner = own ? declareNames([...own], scope) : scope;
    this.planExprs(this.pp.ordered(body), 0, inner, out, k);
  }

  private planExprs(body: Expr[], i: number, scope: Scope, out: Stmt[], k: Next): void {
    if (i === body.length) return k(scope, out);
    this.planExpr(body[i], scope, out, (s, o) => this.planExprs(body, i + 1, s, o, k));
  }

  protected planExpr(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    if (expr.with.length > 0) return this.planWith(expr, scope, out, k);
    this.planExprCore(expr, scope, out, k);
  }

  protected planExprCore(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    if (!expr.negated) return this.planExprNode(this.pp.node(expr), expr.loc, scope, out, k);
    if (expr.node.type === "some" || expr.node.type === "somein") {
      throw new CompileError(expr.loc, "`not` applied to `some`", "negate an expression that tests something");
    }
    // check has ordered every expression binding the negation's vars before it
    const { node, hoisted } = this.pp.negation(expr);
    this.planHoisted(hoisted, 0, scope, out, (s, o) => {
      this.emitNegation(o, (o2, found) => this.planExprNode(node, expr.loc, s, o2, (_s, o3) => found(o3)));
      k(scope, o);
    });
  }

  /** Evaluates the terms OPA moves out of a negation, each bound to its temporary var. */
  private planHoisted(hoisted: Hoisted[], i: number, scope: Scope, out: Stmt[], k: Next): void {
    if (i === hoisted.length) return k(scope, out);
    const { temp, term } = hoisted[i];
    this.planTerm(term, scope, out, (value, s, o) => this.planHoisted(hoisted, i + 1, this.bindValue(temp.name, value, s, o), o, k));
  }

  /**
   * Emits statements that hold only when `inner` has no solution. `inner` plans its statements
   * into the list given and calls `found` where a solution is reached.
   */
  protected emitNegation(out: Stmt[], inner: (out: Stmt[], found: (out: Stmt[]) => void) => void): void {
    const flag = this.alloc();
    const setFlag: Stmt = { type: "AssignVar", source: TRUE, target: flag };
    const stmts: Stmt[] = [];
    let sites = 0;
    let onlyAtTop = true;
    inner(stmts, (o) => {
      sites++;
      if (o !== stmts) onlyAtTop = false;
      o.push(setFlag);
    });
    if (sites === 1 && onlyAtTop && stmts[stmts.length - 1] === setFlag) {
      // a single solution point at the end: Not's own rule (reaching the end fails) fits exactly
      stmts.pop();
      out.push({ type: "Not", block: { stmts } });
      return;
    }
    out.push({ type: "ResetLocal", target: flag }, block(stmts), { type: "IsUndefined", source: flag });
  }

  protected planExprNode(node: ExprNode, loc: Location, scope: Scope, out: Stmt[], k: Next): void {
    switch (node.type) {
      case "term":
        return this.planLoneTerm(node.term, scope, out, k);
      case "unify":
        return this.unify(node.left, node.right, scope, out, k);
      case "assign": {
        if (node.left.type !== "var" && node.left.type !== "array" && node.left.type !== "object") {
          throw new CompileError(node.left.loc, "`:=` assigns to something other than a variable or a pattern of variables", "use `==` to compare");
        }
        return this.unify(node.left, node.right, declareVars(node.left, scope), out, k);
      }
      case "some":
        return k(
          node.vars.reduce((s, v) => declareVars(v, s), scope),
          out,
        );
      case "somein":
        return this.planTerm(node.collection, scope, out, (collection, s, o) => {
          const source = this.toLocal(collection, o);
          const key = this.alloc();
          const value = this.alloc();
          const body: Stmt[] = [];
          o.push({ type: "Scan", source, key, value, block: { stmts: body } });
          let inner = declareVars(node.value, s);
          if (node.key) inner = declareVars(node.key, inner);
          const keyVar = this.tempVar(loc);
          const valueVar = this.tempVar(loc);
          inner = bind(bind(inner, keyVar.name, key), valueVar.name, value);
          const pairs: Array<[Term, Term]> = [[node.value, valueVar]];
          if (node.key) pairs.unshift([node.key, keyVar]);
          this.unifyPairs(pairs, inner, body, k);
        });
      case "every":
        return this.planEvery(node, scope, out, k);
    }
  }

  protected planEvery(node: Extract<ExprNode, { type: "every" }>, scope: Scope, out: Stmt[], k: Next): void {
    for (const v of [node.key, node.value]) {
      if (v && v.type !== "var") throw new CompileError(v.loc, "`every` with a pattern instead of a variable", "bind a variable and test it in the body");
    }
    this.planTerm(node.domain, scope, out, (domain, s, o) => {
      const source = this.toLocal(domain, o);
      // the domain must be a collection: OPA's every fails on a scalar
      const isCollection = this.alloc();
      const set: Stmt = { type: "AssignVar", source: TRUE, target: isCollection };
      o.push(
        { type: "ResetLocal", target: isCollection },
        {
          type: "Block",
          blocks: [
            { stmts: [{ type: "IsArray", source: local(source) }, set] },
            { stmts: [{ type: "IsObject", source: local(source) }, set] },
            { stmts: [{ type: "IsSet", source: local(source) }, set] },
          ],
        },
        { type: "IsDefined", source: isCollection },
      );
      const failed = this.alloc();
      const key = this.alloc();
      const value = this.alloc();
      const body: Stmt[] = [];
      o.push({ type: "ResetLocal", target: failed }, { type: "Scan", source, key, value, block: { stmts: body } });
      let inner = bind(s, (node.value as VarTerm).name, value);
      if (node.key) inner = bind(inner, (node.key as VarTerm).name, key);
      this.emitNegation(body, (b, found) => this.planBody(node.body, inner, b, (_s, b2) => found(b2)));
      body.push({ type: "AssignVar", source: TRUE, target: failed });
      o.push({ type: "IsUndefined", source: failed });
      k(s, o);
    });
  }

  /** A term on its own: holds when defined and not false. Comparisons map to Equal / NotEqual. */
  protected planLoneTerm(t: Term, scope: Scope, out: Stmt[], k: Next): void {
    if (t.type === "call") {
      const name = t.op.join(".");
      // OPA runs a lone `==` as unification, which no `with` replaces; `!=` stays a call of neq
      const compares = name === "equal" || (name === "neq" && !this.mocks.functions.has(name));
      if (compares && t.args.length === 2) {
        return this.planTerms(t.args, scope, out, ([a, b], s, o) => {
          o.push({ type: name === "equal" ? "Equal" : "NotEqual", a, b });
          k(s, o);
        });
      }
    }
    this.planTerm(t, scope, out, (value, s, o) => {
      if (value.type === "bool") {
        if (!value.value) o.push({ type: "NotEqual", a: FALSE, b: FALSE });
      } else {
        o.push({ type: "NotEqual", a: value, b: FALSE });
      }
      k(s, o);
    });
  }
}
