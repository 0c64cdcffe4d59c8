// What the body planner knows about names while it plans: each var's local (Scope), the
// continuations a planned piece hands its result to, and small helpers over both.

import type { Expr, Location, Term, VarTerm } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { Block, Local, Operand, Stmt } from "../ir/types.ts";

/** A var that is used before anything binds it; the body planner may retry in another order. */
export class UnsafeVarError extends CompileError {}

/** Wraps an error thrown by the rest of a body, so that reordering does not mistake it for its own. */
export class LaterError {
  constructor(
    readonly error: unknown,
    readonly level: object,
  ) {}
}

/**
 * Bound vars map to their local; vars declared by `some` / `:=` but not bound yet map to null.
 * PENDING marks, inside a negation or a closure, a var that the enclosing body binds elsewhere: as in
 * OPA it must be bound before the negation / closure is evaluated, so using it here is unsafe.
 */
export type Scope = ReadonlyMap<string, Local | null>;
export const PENDING: Local = -1;
export type Next = (scope: Scope, out: Stmt[]) => void;
export type NextValue = (value: Operand, scope: Scope, out: Stmt[]) => void;
export type NextValues = (values: Operand[], scope: Scope, out: Stmt[]) => void;

export type VarClass =
  | { kind: "local"; local: Local }
  | { kind: "free" }
  | { kind: "pending" }
  | { kind: "input" | "data"; prefix: string[] };

export const EMPTY_SCOPE: Scope = new Map();
export const ENTRYPOINT_LOC: Location = { file: "<entrypoints>", row: 1, col: 1 };
export const MAX_SMALL_INT = 2 ** 31 - 1;

export const local = (value: Local): Operand => ({ type: "local", value });
export const FALSE: Operand = { type: "bool", value: false };
export const TRUE: Operand = { type: "bool", value: true };
export const block = (stmts: Stmt[]): Stmt => ({ type: "Block", blocks: [{ stmts }] });

export function bind(scope: Scope, name: string, l: Local): Scope {
  const next = new Map(scope);
  next.set(name, l);
  return next;
}

/** Declares every var of a pattern as a new, not yet bound local (`:=`, `some`, function arguments). */
export function declareVars(t: Term, scope: Scope): Scope {
  const next = new Map(scope);
  const visit = (u: Term): void => {
    if (u.type === "var") next.set(u.name, null);
    else if (u.type === "array") u.items.forEach(visit);
    else if (u.type === "object") u.items.forEach(([, v]) => visit(v));
  };
  visit(t);
  return next;
}

export function unsafe(v: VarTerm): UnsafeVarError {
  const name = v.name.startsWith("$wildcard") ? "_" : v.name;
  return new UnsafeVarError(v.loc, `var ${name} is unsafe: nothing binds it before it is used`, "bind it first, e.g. with `:=`, `some x in xs` or a ref such as `xs[x]`");
}

export function markPending(names: Iterable<string>, scope: Scope, shouldMark: (name: string) => boolean): Scope {
  const next = new Map(scope);
  for (const name of names) if (shouldMark(name)) next.set(name, PENDING);
  return next;
}

/** Names of the vars an expression mentions outside closures (comprehension and `every` bodies). */
export function exprVars(expr: Expr, acc: Set<string>): Set<string> {
  const term = (t: Term | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case "var":
        acc.add(t.name);
        break;
      case "ref":
        term(t.head);
        t.path.forEach(term);
        break;
      case "array":
      case "set":
        t.items.forEach(term);
        break;
      case "object":
        t.items.forEach(([k, v]) => (term(k), term(v)));
        break;
      case "call":
        // print's arguments are closures: it plans each as a comprehension (see planPrint)
        if (t.op.length !== 1 || t.op[0] !== "print") t.args.forEach(term);
        break;
      default:
        break;
    }
  };
  const node = expr.node;
  switch (node.type) {
    case "term":
      term(node.term);
      break;
    case "unify":
    case "assign":
      term(node.left);
      term(node.right);
      break;
    case "some":
      node.vars.forEach(term);
      break;
    case "somein":
      term(node.key);
      term(node.value);
      term(node.collection);
      break;
    case "every":
      term(node.domain);
      break;
  }
  for (const w of expr.with) term(w.value);
  return acc;
}
