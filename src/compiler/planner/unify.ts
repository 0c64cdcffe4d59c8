// Unification: `a = b` and `:=`, binding free vars on either side (also inside array and object
// patterns) or comparing.

import type { Term, VarTerm } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { Local, Operand, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import type { Scope, Next } from "./locals.ts";
import { local, FALSE, bind, unsafe } from "./locals.ts";
import { TermPlanner } from "./terms.ts";

export abstract class UnifyPlanner extends TermPlanner {
  /** `a = b`: binds free vars on either side (also inside array / object patterns), else compares. */
  protected unify(a: Term, b: Term, scope: Scope, out: Stmt[], k: Next): void {
    const freeA = a.type === "var" && this.isFree(a.name, scope);
    const freeB = b.type === "var" && this.isFree(b.name, scope);
    if (freeA && freeB) throw unsafe(a as VarTerm);
    if (freeA || freeB) {
      const [v, other] = (freeA ? [a, b] : [b, a]) as [VarTerm, Term];
      return this.planTerm(other, scope, out, (value, s, o) => k(this.bindValue(v.name, value, s, o), o));
    }
    const patternA = this.blocking(a, scope).size > 0;
    const patternB = this.blocking(b, scope).size > 0;
    if (patternA && patternB) return this.unifyPatterns(a, b, scope, out, k);
    if (patternA || patternB) {
      const [pattern, other] = patternA ? [a, b] : [b, a];
      return this.planTerm(other, scope, out, (value, s, o) => this.destructure(pattern, this.toLocal(value, o), s, o, k));
    }
    this.planTerm(a, scope, out, (va, s, o) =>
      this.planTerm(b, s, o, (vb, s2, o2) => {
        o2.push({ type: "Equal", a: va, b: vb });
        k(s2, o2);
      }),
    );
  }

  protected bindValue(name: string, value: Operand, scope: Scope, out: Stmt[]): Scope {
    // input and data are replaced in place by `with`, so a var must hold its own copy of them
    if (value.type === "local" && value.value !== INPUT && value.value !== DATA) return bind(scope, name, value.value);
    const target = this.alloc();
    out.push({ type: "AssignVar", source: value, target });
    return bind(scope, name, target);
  }

  /** Matches a pattern holding free vars against a computed value. */
  protected destructure(pattern: Term, source: Local, scope: Scope, out: Stmt[], k: Next): void {
    const sourceVar = this.tempVar(pattern.loc);
    const withSource = bind(scope, sourceVar.name, source);
    if (pattern.type === "var" || this.blocking(pattern, scope).size === 0) {
      return this.unify(pattern, sourceVar, withSource, out, k);
    }
    if (pattern.type === "array") {
      const n = this.alloc();
      out.push(
        { type: "IsArray", source: local(source) },
        { type: "Len", source: local(source), target: n },
        { type: "Equal", a: local(n), b: local(this.int(pattern.items.length, out)) },
      );
      const pairs = pattern.items.map((item, i): [Term, Term] => {
        const element = this.alloc();
        out.push({ type: "Dot", source: local(source), key: local(this.int(i, out)), target: element });
        const v = this.tempVar(item.loc);
        scope = bind(scope, v.name, element);
        return [item, v];
      });
      return this.unifyPairs(pairs, scope, out, k);
    }
    if (pattern.type === "object") {
      const n = this.alloc();
      out.push(
        { type: "IsObject", source: local(source) },
        { type: "Len", source: local(source), target: n },
        { type: "Equal", a: local(n), b: local(this.int(pattern.items.length, out)) },
      );
      const keys = pattern.items.map(([key]) => key);
      for (const key of keys) {
        const blocked = [...this.blocking(key, scope)];
        if (blocked.length > 0) throw unsafe({ type: "var", name: blocked[0], loc: key.loc });
      }
      return this.planTerms(keys, scope, out, (keyValues, s, o) => {
        let inner = s;
        const pairs = pattern.items.map(([, item], i): [Term, Term] => {
          const element = this.alloc();
          o.push({ type: "Dot", source: local(source), key: keyValues[i], target: element });
          const v = this.tempVar(item.loc);
          inner = bind(inner, v.name, element);
          return [item, v];
        });
        this.unifyPairs(pairs, inner, o, k);
      });
    }
    if (pattern.type === "set") {
      throw new CompileError(pattern.loc, "unification with a set holding unbound variables", "iterate the set instead, e.g. `some x in s`");
    }
    const blocked = [...this.blocking(pattern, scope)];
    throw unsafe({ type: "var", name: blocked[0], loc: pattern.loc });
  }

  /** Two patterns, both with free vars: element by element, when their shapes match. */
  protected unifyPatterns(a: Term, b: Term, scope: Scope, out: Stmt[], k: Next): void {
    if (a.type === "array" && b.type === "array") {
      if (a.items.length !== b.items.length) {
        out.push({ type: "NotEqual", a: FALSE, b: FALSE });
        return k(scope, out);
      }
      return this.unifyPairs(a.items.map((item, i) => [item, b.items[i]]), scope, out, k);
    }
    if (a.type === "object" && b.type === "object") {
      const constKey = (t: Term) => (t.type === "string" ? t.value : undefined);
      const keysA = a.items.map(([key]) => constKey(key));
      const keysB = b.items.map(([key]) => constKey(key));
      if (keysA.includes(undefined) || keysB.includes(undefined)) {
        throw new CompileError(a.loc, "unification of two object patterns with non-string keys", "compute one side first");
      }
      if (keysA.length !== keysB.length || keysA.some((key) => !keysB.includes(key))) {
        out.push({ type: "NotEqual", a: FALSE, b: FALSE });
        return k(scope, out);
      }
      return this.unifyPairs(a.items.map(([key, item]) => [item, b.items[keysB.indexOf(constKey(key))][1]]), scope, out, k);
    }
    const blocked = [...this.blocking(a, scope)];
    throw unsafe({ type: "var", name: blocked[0], loc: a.loc });
  }

  /** Unifies pairs in an order where each step has at most one side left to bind. */
  protected unifyPairs(pairs: Array<[Term, Term]>, scope: Scope, out: Stmt[], k: Next): void {
    if (pairs.length === 0) return k(scope, out);
    const ready = pairs.findIndex(([a, b]) => {
      const both = this.blocking(a, scope).size > 0 && this.blocking(b, scope).size > 0;
      return !both || (a.type === b.type && (a.type === "array" || a.type === "object"));
    });
    const i = Math.max(ready, 0);
    const rest = [...pairs.slice(0, i), ...pairs.slice(i + 1)];
    this.unify(pairs[i][0], pairs[i][1], scope, out, (s, o) => this.unifyPairs(rest, s, o, k));
  }
}
