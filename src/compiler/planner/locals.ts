// What the body planner knows about names while it plans: each var's local (Scope), the
// continuations a planned piece hands its result to, and small helpers over both.

import type { Location, Term, VarTerm } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { Local, Operand, Stmt } from "../ir/types.ts";

/** Bound vars map to their local; vars declared by `some` / `:=` but not bound yet map to null. */
export type Scope = ReadonlyMap<string, Local | null>;
export type Next = (scope: Scope, out: Stmt[]) => void;
export type NextValue = (value: Operand, scope: Scope, out: Stmt[]) => void;
export type NextValues = (values: Operand[], scope: Scope, out: Stmt[]) => void;

export type VarClass =
  | { kind: "local"; local: Local }
  | { kind: "free" }
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

/** Declares each name as a new, not yet bound local. */
export function declareNames(names: string[], scope: Scope): Scope {
  const next = new Map(scope);
  for (const name of names) next.set(name, null);
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

/**
 * A var used before anything binds it. The check stage's order rules this out; the planner keeps
 * the message for a body it cannot plan in that order, which would be a bug between the stages.
 */
export function unsafe(v: VarTerm): CompileError {
  const name = v.name.startsWith("$wildcard") ? "_" : v.name;
  return new CompileError(v.loc, `var ${name} is unsafe: nothing binds it before it is used`, "bind it first, e.g. with `:=`, `some x in xs` or a ref such as `xs[x]`");
}
