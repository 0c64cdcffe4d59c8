// Traversals of the AST shared by the checks.

import type { Body, Expr, ExprNode, Rule, Term, VarTerm } from "../ast/types.ts";

export type Closure = Extract<Term, { type: "arraycomp" | "setcomp" | "objectcomp" }>;

/** `_` for parser-made wildcards, else the var's own name: how a var reads in messages. */
export function displayVar(name: string): string {
  return name.startsWith("$wildcard") ? "_" : name;
}

/** The direct sub-terms of a term (a comprehension's body is not included). */
export function childTerms(t: Term): Term[] {
  switch (t.type) {
    case "ref":
      return [t.head, ...t.path];
    case "array":
    case "set":
      return t.items;
    case "object":
      return t.items.flat();
    case "call":
      return t.args;
    case "arraycomp":
    case "setcomp":
      return [t.term];
    case "objectcomp":
      return [t.key, t.value];
    default:
      return [];
  }
}

/** The terms an expression node holds directly; not nested bodies. */
export function nodeTerms(n: ExprNode): Term[] {
  switch (n.type) {
    case "term":
      return [n.term];
    case "unify":
    case "assign":
      return [n.left, n.right];
    case "some":
      return n.vars;
    case "somein":
      return [...(n.key ? [n.key] : []), n.value, n.collection];
    case "every":
      return [...(n.key ? [n.key] : []), n.value, n.domain];
  }
}

/** The terms an expression holds directly, `with` targets and values included; not nested bodies. */
export function exprTerms(e: Expr): Term[] {
  return [...nodeTerms(e.node), ...e.with.flatMap((w) => [w.target, w.value])];
}

/** Calls `visit` on every term of a body, deeply, comprehension and `every` bodies included. */
export function walkBody(body: Body, visit: (t: Term) => void): void {
  for (const e of body) {
    for (const t of exprTerms(e)) walkTerm(t, visit);
    if (e.node.type === "every") walkBody(e.node.body, visit);
  }
}

export function walkTerm(t: Term, visit: (t: Term) => void): void {
  visit(t);
  for (const c of childTerms(t)) walkTerm(c, visit);
  if (t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp") walkBody(t.body, visit);
}

/** Every term of a rule: head, body, else clauses. */
export function walkRule(rule: Rule, visit: (t: Term) => void): void {
  const h = rule.head;
  for (const t of [...(h.args ?? []), ...(h.key ? [h.key] : []), ...(h.value ? [h.value] : [])]) walkTerm(t, visit);
  walkBody(rule.body, visit);
  for (let e = rule.else; e; e = e.else) {
    if (e.value) walkTerm(e.value, visit);
    walkBody(e.body, visit);
  }
}

/**
 * Calls `visit` on every body of a rule: its body, else bodies, and the bodies of every
 * comprehension and `every` anywhere in it, the head included.
 */
export function walkRuleBodies(rule: Rule, visit: (body: Body) => void): void {
  const body = (b: Body): void => {
    visit(b);
    for (const e of b) {
      if (e.node.type === "every") body(e.node.body);
      for (const t of exprTerms(e)) closures(t);
    }
  };
  const closures = (t: Term): void => {
    if (t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp") body(t.body);
    for (const c of childTerms(t)) closures(c);
  };
  const h = rule.head;
  for (const t of [...(h.args ?? []), ...(h.key ? [h.key] : []), ...(h.value ? [h.value] : [])]) closures(t);
  body(rule.body);
  for (let e = rule.else; e; e = e.else) {
    if (e.value) closures(e.value);
    body(e.body);
  }
}

/** Every var of a term, deeply (inside comprehensions too), in source order. */
export function varsDeep(t: Term): VarTerm[] {
  const vars: VarTerm[] = [];
  walkTerm(t, (x) => {
    if (x.type === "var") vars.push(x);
  });
  return vars;
}

export function varsOfBodyDeep(body: Body): VarTerm[] {
  const vars: VarTerm[] = [];
  walkBody(body, (x) => {
    if (x.type === "var") vars.push(x);
  });
  return vars;
}

/** Var names of a term outside comprehensions. */
export function shallowVarNames(t: Term, into: Set<string>): void {
  if (t.type === "var") into.add(t.name);
  if (t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp") return;
  for (const c of childTerms(t)) shallowVarNames(c, into);
}

/** Var names of a body's expressions outside comprehensions and `every` bodies. */
export function shallowBodyVarNames(body: Body, into: Set<string>): void {
  for (const e of body) for (const t of exprTerms(e)) shallowVarNames(t, into);
}

export function compareLoc(a: VarTerm, b: VarTerm): number {
  return a.loc.row - b.loc.row || a.loc.col - b.loc.col;
}
