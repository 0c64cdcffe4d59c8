// Semantic checks over all modules of a policy, run after parsing and before planning: rule
// conflicts, unknown functions and arity, variable safety and declarations, undefined names,
// recursion. Throws the first problem found as a CompileError.

import type { CallTerm, Module } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import { checkRecursion, collectDependencies, type Dependencies } from "./recursion.ts";
import { checkRuleVars } from "./safety.ts";
import { ModuleScope, Program } from "./scope.ts";
import { walkRule } from "./walk.ts";

export { ModuleScope, Program, type Callee, type RuleGroup } from "./scope.ts";

export function checkModules(modules: Module[]): void {
  const program = new Program(modules);
  const deps: Dependencies = new Map();
  for (const module of modules) {
    const scope = new ModuleScope(program, module);
    for (const rule of module.rules) {
      walkRule(rule, (t) => {
        if (t.type !== "call") return;
        scope.resolveCall(t);
        checkConstantPattern(t);
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
