// Semantic checks over all modules of a policy, run after parsing and before planning: rule
// conflicts, unknown functions and arity, variable safety and declarations, undefined names,
// recursion. Throws the first problem found as a CompileError; on success hands the planner a
// CheckedPolicy, so that the planner finds nothing again: it trusts the order and the names.

import type { Body, CallTerm, Expr, ExprNode, Module, Rule, Term, With } from "../ast/types.ts";
import { VARIADIC } from "../builtins.ts";
import { CompileError } from "../errors.ts";
import { checkRecursion, collectDependencies, type Dependencies } from "./recursion.ts";
import { type BodyOrder, checkRuleVars } from "./safety.ts";
import { type Callee, type ModuleScope, Program } from "./scope.ts";
import { type NegatedExpr, hoistNegatedArguments } from "./negation.ts";
import { walkRule, walkRuleBodies } from "./walk.ts";
import type { FunctionMock } from "./with.ts";

export type { BodyOrder } from "./safety.ts";
export type { Hoisted, NegatedExpr } from "./negation.ts";
export { type FunctionMock, functionName } from "./with.ts";
export { ModuleScope, Program, type Callee, type RuleDef, type RuleGroup, type TreeNode } from "./scope.ts";

/**
 * What the check stage hands the planner: what it found out about the modules, whose AST it
 * leaves unchanged. Every body of every rule is in `order`, every call in `calls`.
 */
export interface CheckedPolicy {
  /** The rule index: every rule group by data path and as a tree below `data`; each module's names. */
  program: Program;
  /**
   * Each body (of a rule, else clause, comprehension or `every`) → its expressions in the order
   * they run: one where every var is bound before an expression needs it (OPA's reordering for
   * safety). Bodies the planner makes itself (print's argument sets) are empty and not in it.
   */
  order: BodyOrder;
  /** Each call term → the built-in or user function its name resolves to in its module. */
  calls: Map<CallTerm, Callee>;
  /**
   * Each negated expression → what runs of it: the terms OPA evaluates before the negation, and
   * the expression that is negated, reading them (negation.ts).
   */
  negations: Map<Expr, NegatedExpr>;
  /**
   * Expressions that run as another node than the one written: a call with one argument more
   * than its function takes, `f(x, y)`, is the unification `y = f(x)` (OPA's output argument).
   */
  nodes: Map<Expr, ExprNode>;
  /** Each `with` that replaces a function (a built-in or a user function) → what replaces it. */
  mocks: Map<With, FunctionMock>;
  /**
   * Comprehension and `every` bodies → names of the enclosing body that are their own there: those
   * it declares only after them (`y := {x | xs[x]}` then `x := count(y)`), as OPA scopes them.
   */
  ownVars: Map<Body, ReadonlySet<string>>;
}

export function checkModules(modules: Module[]): CheckedPolicy {
  const program = new Program(modules);
  const deps: Dependencies = new Map();
  const order: BodyOrder = new Map();
  const calls = new Map<CallTerm, Callee>();
  const negations = new Map<Expr, NegatedExpr>();
  const nodes = new Map<Expr, ExprNode>();
  const mocks = new Map<With, FunctionMock>();
  const ownVars = new Map<Body, ReadonlySet<string>>();
  let temps = 0;
  for (const module of modules) {
    const scope = program.scope(module);
    for (const rule of module.rules) {
      const prints = standalonePrints(rule);
      const withOutput = outputCalls(rule, scope, nodes, calls);
      walkRule(rule, (t) => {
        if (t.type !== "call") return;
        if (!withOutput.has(t)) calls.set(t, scope.resolveCall(t));
        checkConstantPattern(t);
        if (isPrint(t) && !prints.has(t)) {
          throw new CompileError(t.opLoc, "print has no value to use", "call print as an expression of its own, e.g. `print(x)` on its own line");
        }
      });
      const locals = checkRuleVars(scope, rule, order, nodes, mocks, ownVars);
      const isDocument = (name: string) => !locals.has(name) && scope.isGlobalName(name);
      walkRuleBodies(rule, (body) => {
        for (const e of body) {
          if (!e.negated) continue;
          const negation = hoistNegatedArguments(nodes.get(e) ?? e.node, isDocument, (at) => ({ type: "var", name: `$n${temps++}`, loc: at.loc }), (copy, original) => {
            calls.set(copy, calls.get(original)!);
          });
          negations.set(e, negation);
        }
      });
      collectDependencies(deps, program, scope, rule, locals, calls);
    }
  }
  checkRecursion(deps, program);
  return { program, order, calls, negations, nodes, mocks, ownVars };
}

/**
 * The calls standing as expressions of their own with one argument more than their function
 * takes; each such expression is recorded in `nodes` as the unification of that last argument
 * with the call of the others; both calls' callee goes into `calls`.
 */
function outputCalls(rule: Rule, scope: ModuleScope, nodes: Map<Expr, ExprNode>, calls: Map<CallTerm, Callee>): Set<CallTerm> {
  const found = new Set<CallTerm>();
  walkRuleBodies(rule, (body) => {
    for (const e of body) {
      if (e.node.type !== "term" || e.node.term.type !== "call" || isPrint(e.node.term)) continue;
      const call = e.node.term;
      const callee = scope.resolveCall(call, { outputArgument: true });
      const arity = callee.kind === "builtin" ? callee.decl.arity : callee.group.arity;
      if (arity === VARIADIC || call.args.length !== arity + 1) continue;
      const value: CallTerm = { ...call, args: call.args.slice(0, -1) };
      calls.set(call, callee).set(value, callee);
      nodes.set(e, { type: "unify", left: call.args[arity], right: value });
      found.add(call);
    }
  });
  return found;
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

const isPrint = (t: Term): boolean => t.type === "call" && t.op.length === 1 && t.op[0] === "print";

/** The print calls that stand as expressions of their own, in every body of the rule. */
function standalonePrints(rule: Rule): Set<Term> {
  const found = new Set<Term>();
  walkRuleBodies(rule, (body) => {
    for (const e of body) if (e.node.type === "term" && isPrint(e.node.term)) found.add(e.node.term);
  });
  return found;
}
