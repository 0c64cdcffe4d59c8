// Semantic checks over all modules of a policy, run after parsing and before planning: rule
// conflicts, unknown functions and arity, variable safety and declarations, undefined names,
// recursion. Throws the first problem found as a CompileError.

import type { Module } from "../ast/types.ts";
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
        if (t.type === "call") scope.resolveCall(t);
      });
      const locals = checkRuleVars(scope, rule);
      collectDependencies(deps, program, scope, rule, locals);
    }
  }
  checkRecursion(deps, program);
}
