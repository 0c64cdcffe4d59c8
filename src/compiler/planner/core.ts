// The body planner's base: its locals, what a name means at a point of the body, and the
// planning steps the layers above provide (terms, unification, bodies).
//
// The body planner is one class built in layers, one file each: core → data → terms → unify →
// body → with → rules; each layer may call the ones above it through the abstract methods here.

import type { Expr, Location, Term, VarTerm } from "../ast/types.ts";
import type { Callee, ModuleScope, RuleGroup } from "../check/index.ts";
import type { Local, Operand, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import type { Scope, Next, NextValue, NextValues, VarClass } from "./locals.ts";
import { MAX_SMALL_INT, local } from "./locals.ts";
import type { PolicyPlanner } from "./policy.ts";

/** What the `with` clauses around the code being planned replace. */
export interface Mocks {
  /** Data paths (segments joined by \u0001), sorted: read from DATA, not from rules. */
  data: readonly string[];
  /** Function name (check's functionName) → what its calls run instead. */
  functions: ReadonlyMap<string, Replacement>;
}

/** A function's replacement: another function, or a value every call returns, held in a local. */
export type Replacement = { kind: "function"; callee: Callee } | { kind: "value"; value: Local };

export const NO_MOCKS: Mocks = { data: [], functions: new Map() };

/**
 * The functions replaced by values, with the local holding each value, in the order a rule's Func
 * takes those values: after its own arguments, one parameter each.
 */
export function valueMocks(mocks: Mocks): Array<[name: string, value: Local]> {
  const found: Array<[string, Local]> = [];
  for (const [name, r] of mocks.functions) if (r.kind === "value") found.push([name, r.value]);
  return found.sort(([a], [b]) => (a < b ? -1 : 1));
}

export abstract class PlannerCore {
  protected nextLocal = DATA + 1;

  constructor(
    protected readonly pp: PolicyPlanner,
    /** What enclosing `with` clauses replace. */
    protected mocks: Mocks,
    /** The module whose names (package rules, imports) bare vars resolve against. */
    protected module: ModuleScope | undefined,
  ) {}

  abstract planTerm(t: Term, scope: Scope, out: Stmt[], k: NextValue): void;
  protected abstract planTerms(terms: Term[], scope: Scope, out: Stmt[], k: NextValues, done?: Operand[]): void;
  protected abstract unify(a: Term, b: Term, scope: Scope, out: Stmt[], k: Next): void;
  abstract planBody(body: Expr[], scope: Scope, out: Stmt[], k: Next): void;
  protected abstract planWith(expr: Expr, scope: Scope, out: Stmt[], k: Next): void;

  alloc(): Local {
    return this.nextLocal++;
  }

  toLocal(value: Operand, out: Stmt[]): Local {
    if (value.type === "local") return value.value;
    const target = this.alloc();
    out.push({ type: "AssignVar", source: value, target });
    return target;
  }

  protected string(s: string): Operand {
    return { type: "string", value: this.pp.str(s) };
  }

  protected number(text: string, out: Stmt[]): Local {
    const target = this.alloc();
    if (/^-?\d+$/.test(text) && Math.abs(Number(text)) <= MAX_SMALL_INT) {
      out.push({ type: "MakeNumberInt", value: Number(text), target });
    } else {
      out.push({ type: "MakeNumberRef", index: this.pp.str(text), target });
    }
    return target;
  }

  protected int(value: number, out: Stmt[]): Local {
    const target = this.alloc();
    out.push({ type: "MakeNumberInt", value, target });
    return target;
  }

  protected tempVar(loc: Location): VarTerm {
    return { type: "var", name: `$t${this.alloc()}`, loc };
  }

  protected classify(name: string, scope: Scope): VarClass {
    if (scope.has(name)) {
      const l = scope.get(name)!;
      return l === null ? { kind: "free" } : { kind: "local", local: l };
    }
    const path = name === "input" || name === "data" ? [name] : this.module?.globalPath(name);
    if (path) return { kind: path[0] as "input" | "data", prefix: path.slice(1) };
    return { kind: "free" };
  }

  protected isFree(name: string, scope: Scope): boolean {
    return this.classify(name, scope).kind === "free";
  }

  /** Vars that must be bound before `t` can be computed as a value (iteration vars in refs do not count). */
  protected blocking(t: Term, scope: Scope, acc = new Set<string>()): Set<string> {
    switch (t.type) {
      case "var": {
        if (this.isFree(t.name, scope)) acc.add(t.name);
        break;
      }
      case "ref":
        this.blocking(t.head, scope, acc);
        for (const seg of t.path) {
          if (seg.type !== "var" && seg.type !== "array" && seg.type !== "object") this.blocking(seg, scope, acc);
        }
        break;
      case "array":
      case "set":
        for (const item of t.items) this.blocking(item, scope, acc);
        break;
      case "object":
        for (const [k, v] of t.items) {
          this.blocking(k, scope, acc);
          this.blocking(v, scope, acc);
        }
        break;
      case "call":
        for (const arg of t.args) this.blocking(arg, scope, acc);
        break;
      default:
        // scalars have no vars; comprehension bodies bind their own
        break;
    }
    return acc;
  }

  protected isMocked(path: string[]): boolean {
    for (let i = 0; i <= path.length; i++) {
      if (this.mocks.data.includes(path.slice(0, i).join("\u0001"))) return true;
    }
    return false;
  }

  /**
   * Calls the Func of a rule or function under `mocks`: input, data, `args`, then the values of
   * the functions replaced by values, which the Func's generation takes as parameters.
   */
  protected callRule(group: RuleGroup, args: Operand[], out: Stmt[], loc: Location, mocks: Mocks = this.mocks): Local {
    const result = this.alloc();
    const func = this.pp.ruleFunc(group, mocks);
    const values = valueMocks(mocks).map(([, value]) => local(value));
    out.push({ type: "Call", func, args: [local(INPUT), local(DATA), ...args, ...values], result, loc: this.pp.sourceLocation(loc) });
    return result;
  }
}
