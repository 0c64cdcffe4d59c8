// Rego AST → IR. Bodies are planned in continuation-passing style: planning an expression emits
// its statements and then calls the continuation with the statement list in which the rest of the
// body must go (inside a Scan for iteration), so each solution of a body runs the rest once.
//
// The planner trusts the check stage (CheckedPolicy): it plans each body in the order check found,
// calls what check resolved, and walks check's rule index; it looks for no order of its own.
//
// PolicyPlanner owns what the whole policy shares (strings, built-ins, functions); a BodyPlanner
// (rules.ts and the layers below it) plans the bodies of one function.

import type { Body, CallTerm, Expr, ExprNode, Location, Term, With } from "../ast/types.ts";
import { type Callee, type CheckedPolicy, type FunctionMock, type NegatedExpr, type Program, type RuleGroup, functionName } from "../check/index.ts";
import { CompileError } from "../errors.ts";
import type { Func, Plan, Policy, SourceLocation, Stmt } from "../ir/types.ts";
import { type Mocks, NO_MOCKS } from "./core.ts";
import { EMPTY_SCOPE, ENTRYPOINT_LOC } from "./locals.ts";
import { BodyPlanner } from "./rules.ts";

/**
 * Plans one Plan per entrypoint (`pkg/path/rule`, or `pkg/path` for a whole package document)
 * and one Func per rule they reach.
 */
export function planPolicy(checked: CheckedPolicy, entrypoints: string[]): Policy {
  const planner = new PolicyPlanner(checked);
  for (const entrypoint of new Set(entrypoints)) planner.planEntrypoint(entrypoint);
  return planner.policy();
}

export class PolicyPlanner {
  readonly program: Program;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly builtins = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly plans: Plan[] = [];
  private readonly funcs: Func[] = [];
  private readonly planned = new Set<string>();
  /** What `with` replaces (Mocks without its locals), each planned as its own generation of functions. */
  private readonly generations = new Map<string, number>([["", 0]]);

  constructor(private readonly checked: CheckedPolicy) {
    this.program = checked.program;
  }

  /** A body's expressions in the order check found for it. */
  ordered(body: Body): Body {
    // print's argument sets are bodies the planner makes, always empty.
    if (body.length === 0) return body;
    const ordered = this.checked.order.get(body);
    if (!ordered) throw new Error("internal error: planning a body the check stage did not order");
    return ordered;
  }

  /** The names a nested body holds apart from the enclosing one (CheckedPolicy.ownVars). */
  ownVars(body: Body): ReadonlySet<string> | undefined {
    return this.checked.ownVars.get(body);
  }

  /** The built-in or function a call names, as check resolved it. */
  callee(call: CallTerm): Callee {
    const callee = this.checked.calls.get(call);
    if (!callee) throw new Error(`internal error: planning a call of ${call.op.join(".")} the check stage did not resolve`);
    return callee;
  }

  /** What an expression runs as: the node written, or the one check made of it (an output argument). */
  node(expr: Expr): ExprNode {
    return this.checked.nodes.get(expr) ?? expr.node;
  }

  /** What a `with` replacing a function puts in its place; undefined for a `with` on a document. */
  functionMock(w: With): FunctionMock | undefined {
    return this.checked.mocks.get(w);
  }

  /** A negated expression as check rewrote it: the terms to evaluate first, then the negated node. */
  negation(expr: Expr): NegatedExpr {
    const negation = this.checked.negations.get(expr);
    if (!negation) throw new Error("internal error: planning a negation the check stage did not rewrite");
    return negation;
  }

  policy(): Policy {
    return {
      static: {
        strings: this.strings,
        builtins: [...this.builtins].map(([name, arity]) => ({ name, arity })),
        files: this.files,
      },
      plans: this.plans,
      funcs: this.funcs,
    };
  }

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.stringIndex.set(s, i);
    }
    return i;
  }

  useBuiltin(name: string, arity: number): void {
    this.builtins.set(name, arity);
  }

  /** Entrypoint plans have no source position of their own. */
  sourceLocation(loc: Location): SourceLocation | undefined {
    if (loc === ENTRYPOINT_LOC) return undefined;
    let file = this.files.indexOf(loc.file);
    if (file < 0) file = this.files.push(loc.file) - 1;
    return { file, row: loc.row, col: loc.col };
  }

  planEntrypoint(entrypoint: string): void {
    const path = entrypoint.split("/").filter((s) => s !== "");
    const node = this.program.node(path);
    if (!node || path.length === 0) {
      throw new CompileError(ENTRYPOINT_LOC, `entrypoint ${entrypoint} names no rule or package`, "write pkg/path/rule or pkg/path");
    }
    if (node.rule?.kind === "function") {
      throw new CompileError(ENTRYPOINT_LOC, `entrypoint ${entrypoint} is a function`, "entrypoints must be rules or packages");
    }
    const body = new BodyPlanner(this, NO_MOCKS, undefined);
    const stmts: Stmt[] = [];
    const terms: Term[] = path.map((value) => ({ type: "string", value, loc: ENTRYPOINT_LOC }));
    body.planData(terms, ENTRYPOINT_LOC, EMPTY_SCOPE, stmts, (value, _scope, out) => {
      out.push({ type: "ResultSetAdd", value: body.toLocal(value, out) });
    });
    this.plans.push({ name: entrypoint, blocks: [{ stmts }] });
  }

  /** The name of the Func computing `group` with what `mocks` replaces replaced; plans it on first use. */
  ruleFunc(group: RuleGroup, mocks: Mocks): string {
    const functions = [...mocks.functions].map(([name, r]) => `${name}=${r.kind === "function" ? functionName(r.callee) : "value"}`);
    const key = [mocks.data.join("|"), ...functions.sort()].join("\u0002");
    let generation = this.generations.get(key);
    if (generation === undefined) {
      generation = this.generations.size;
      this.generations.set(key, generation);
    }
    const name = `g${generation}.${group.path.join(".")}`;
    // Marked before planning: check has refused recursion, so only a later call can meet it.
    if (this.planned.has(name)) return name;
    this.planned.add(name);
    this.funcs.push(new BodyPlanner(this, mocks, undefined).planRule(group, name));
    return name;
  }
}
