// Rules may not depend on themselves, directly or through other rules and functions, in any
// package: Rego's semantics are defined only for non-recursive policies.

import type { Body, CallTerm, Location, Rule, Term } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import { type Callee, type ModuleScope, pathKey, type Program, type RuleGroup, ruleName, where } from "./scope.ts";
import { childTerms, nodeTerms } from "./walk.ts";

/** Group key → the groups it refers to, each with the place of its first reference. */
export type Dependencies = Map<string, Map<string, Location>>;

/** Records what one rule refers to: called functions and rules reached by data refs. */
export function collectDependencies(
  deps: Dependencies,
  program: Program,
  scope: ModuleScope,
  rule: Rule,
  locals: ReadonlySet<string>,
  calls: ReadonlyMap<CallTerm, Callee>,
): void {
  const from = pathKey(["data", ...scope.module.package, ...rule.head.path]);
  const edges = deps.get(from) ?? new Map<string, Location>();
  deps.set(from, edges);
  const add = (group: RuleGroup, loc: Location) => {
    const key = pathKey(group.path);
    if (!edges.has(key)) edges.set(key, loc);
  };
  const visit = (t: Term): void => {
    if (t.type === "call") {
      const callee = calls.get(t)!;
      if (callee.kind === "function") add(callee.group, t.opLoc);
    }
    const path = t.type === "var" || (t.type === "ref" && t.head.type === "var") ? scope.documentPath(t, locals) : undefined;
    if (path && path[0] === "data") {
      for (const g of program.groups.values()) {
        const n = Math.min(g.path.length, path.length);
        if (g.path.slice(0, n).every((s, i) => s === path[i])) add(g, t.loc);
      }
    }
    // A ref's head var is part of the ref just resolved, not a reference of its own.
    const children = t.type === "ref" && t.head.type === "var" ? t.path : childTerms(t);
    children.forEach(visit);
    if (t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp") visitBody(t.body);
  };
  const visitBody = (body: Body): void => {
    for (const e of body) {
      nodeTerms(e.node).forEach(visit);
      // `with` targets name documents to replace, not documents the rule reads.
      for (const w of e.with) visit(w.value);
      if (e.node.type === "every") visitBody(e.node.body);
    }
  };
  const h = rule.head;
  [...(h.args ?? []), ...(h.key ? [h.key] : []), ...(h.value ? [h.value] : [])].forEach(visit);
  visitBody(rule.body);
  for (let e = rule.else; e; e = e.else) {
    if (e.value) visit(e.value);
    visitBody(e.body);
  }
}

/** Throws for the first cycle found, walking rules in source order. */
export function checkRecursion(deps: Dependencies, program: Program): void {
  const finished = new Set<string>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    const at = stack.indexOf(key);
    if (at >= 0) throw cycleError([...stack.slice(at), key], deps, program);
    if (finished.has(key)) return;
    stack.push(key);
    for (const next of deps.get(key)?.keys() ?? []) visit(next);
    stack.pop();
    finished.add(key);
  };
  for (const key of program.groups.keys()) visit(key);
}

function cycleError(cycle: string[], deps: Dependencies, program: Program): CompileError {
  const start = program.groups.get(cycle[0])!;
  const pkg = start.definitions[0].module.package;
  const names = cycle.map((k) => ruleName(program.groups.get(k)!.path, pkg));
  const what = start.kind === "function" ? "function" : "rule";
  const via = where(deps.get(cycle[0])!.get(cycle[1])!);
  return new CompileError(start.definitions[0].rule.loc, `${what} ${names[0]} is recursive: ${names.join(" → ")}`, `through the reference at ${via}; Rego does not allow rules that depend on themselves`);
}
