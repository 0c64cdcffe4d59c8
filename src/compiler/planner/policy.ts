// Rego AST → IR. Bodies are planned in continuation-passing style: planning an expression emits
// its statements and then calls the continuation with the statement list in which the rest of the
// body must go (inside a Scan for iteration), so each solution of a body runs the rest once.
//
// PolicyPlanner owns what the whole policy shares (strings, built-ins, functions); a BodyPlanner
// (rules.ts and the layers below it) plans the bodies of one function.

import type { Location, Module, Term } from "../ast/types.ts";
import { CompileError } from "../errors.ts";
import type { Func, Plan, Policy, SourceLocation, Stmt } from "../ir/types.ts";
import { buildRuleTree, describePath, findNode } from "./rule-tree.ts";
import type { RuleGroup, TreeNode } from "./rule-tree.ts";
import { EMPTY_SCOPE, ENTRYPOINT_LOC, UnsafeVarError } from "./locals.ts";
import { BodyPlanner } from "./rules.ts";

/**
 * Plans one Plan per entrypoint (`pkg/path/rule`, or `pkg/path` for a whole package document)
 * and one Func per rule they reach.
 */
export function planPolicy(modules: Module[], entrypoints: string[]): Policy {
  const planner = new PolicyPlanner(modules);
  for (const entrypoint of new Set(entrypoints)) planner.planEntrypoint(entrypoint);
  return planner.policy();
}


export class PolicyPlanner {
  readonly root: TreeNode;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly builtins = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly plans: Plan[] = [];
  private readonly funcs: Func[] = [];
  private readonly planned = new Set<string>();
  private readonly inProgress = new Set<string>();
  /** Sets of data paths replaced by `with`, each planned as its own generation of functions. */
  private readonly generations = new Map<string, number>([["", 0]]);

  constructor(modules: Module[]) {
    this.root = buildRuleTree(modules);
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
    const node = findNode(this.root, path);
    if (!node || path.length === 0) {
      throw new CompileError(ENTRYPOINT_LOC, `entrypoint ${entrypoint} names no rule or package`, "write pkg/path/rule or pkg/path");
    }
    if (node.rule?.kind === "function") {
      throw new CompileError(ENTRYPOINT_LOC, `entrypoint ${entrypoint} is a function`, "entrypoints must be rules or packages");
    }
    const body = new BodyPlanner(this, [], undefined);
    const stmts: Stmt[] = [];
    const terms: Term[] = path.map((value) => ({ type: "string", value, loc: ENTRYPOINT_LOC }));
    body.planData(terms, ENTRYPOINT_LOC, EMPTY_SCOPE, stmts, (value, _scope, out) => {
      out.push({ type: "ResultSetAdd", value: body.toLocal(value, out) });
    });
    this.plans.push({ name: entrypoint, blocks: [{ stmts }] });
  }

  /** The name of the Func computing `group` with the data paths in `mocks` replaced; plans it on first use. */
  ruleFunc(group: RuleGroup, mocks: string[], loc: Location): string {
    const key = mocks.join("|");
    let generation = this.generations.get(key);
    if (generation === undefined) {
      generation = this.generations.size;
      this.generations.set(key, generation);
    }
    const name = `g${generation}.${describePath(group.path)}`;
    if (this.planned.has(name)) return name;
    if (this.inProgress.has(name)) {
      throw new CompileError(loc, `recursion: ${describePath(group.path)} depends on itself`, "Rego rules and functions cannot be recursive");
    }
    this.inProgress.add(name);
    try {
      this.funcs.push(new BodyPlanner(this, mocks, undefined).planRule(group, name));
    } catch (e) {
      // An unsafe var inside another rule is final: reordering the caller cannot fix it.
      if (e instanceof UnsafeVarError) throw new CompileError(e.loc, e.problem, e.hint);
      throw e;
    } finally {
      this.inProgress.delete(name);
    }
    this.planned.add(name);
    return name;
  }
}
