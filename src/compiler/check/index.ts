// Semantic checks over all modules of a policy, run after parsing and before planning: rule
// conflicts, unknown functions and arity, variable safety and declarations, undefined names,
// recursion. Throws the first problem found as a CompileError.

import type { Body, CallTerm, Module, Rule, Term } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import { checkRecursion, collectDependencies, type Dependencies } from "./recursion.ts";
import { checkRuleVars } from "./safety.ts";
import { ModuleScope, Program } from "./scope.ts";
import { exprTerms, walkRule, walkTerm } from "./walk.ts";

export { ModuleScope, Program, type Callee, type RuleGroup } from "./scope.ts";

export function checkModules(modules: Module[]): void {
  const program = new Program(modules);
  const deps: Dependencies = new Map();
  for (const module of modules) {
    const scope = new ModuleScope(program, module);
    for (const rule of module.rules) {
      const prints = standalonePrints(rule);
      walkRule(rule, (t) => {
        if (t.type !== "call") return;
        scope.resolveCall(t);
        checkConstantPattern(t);
        if (isPrint(t) && !prints.has(t)) {
          throw new CompileError(t.opLoc, "print has no value to use", "call print as an expression of its own, e.g. `print(x)` on its own line");
        }
      });
      const locals = checkRuleVars(scope, rule);
      collectDependencies(deps, program, scope, rule, locals);
    }
  }
  checkRecursion(deps, program);
}

/**
 * The runtime's regular expressions lack RE2's Unicode classes; a constant pattern using one is
 * refused here, so that it never becomes an undefined result at run time.
 */
function checkConstantPattern(call: CallTerm): void {
  const pattern = call.op.join(".") === "regex.match" ? call.args[0] : undefined;
  if (pattern?.type === "string" && /\\[pP]/.test(pattern.value)) {
    throw new CompileError(pattern.loc, "Unicode character classes (\\p, \\P) in regular expressions are not supported", "list the characters in a class instead, e.g. [A-Za-zÀ-ÿ]");
  }
}

const isPrint = (t: Term): t is CallTerm => t.type === "call" && t.op.length === 1 && t.op[0] === "print";

/** The print calls that stand as expressions of their own, in every body of the rule. */
function standalonePrints(rule: Rule): Set<Term> {
  const found = new Set<Term>();
  const scan = (body: Body): void => {
    for (const e of body) {
      if (e.node.type === "term" && isPrint(e.node.term)) found.add(e.node.term);
      if (e.node.type === "every") scan(e.node.body);
      for (const t of exprTerms(e)) {
        walkTerm(t, (x) => {
          if (x.type === "arraycomp" || x.type === "setcomp" || x.type === "objectcomp") scan(x.body);
        });
      }
    }
  };
  scan(rule.body);
  for (let e = rule.else; e; e = e.else) scan(e.body);
  return found;
}
