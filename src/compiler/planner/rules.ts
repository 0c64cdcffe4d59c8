// Rules: one Func per rule group, its definitions, else chains and default.

import type { ElseClause, Expr, Term } from "../ast/types.ts";
import type { RuleDef, RuleGroup } from "../check/index.ts";
import { CompileError } from "../errors.ts";
import type { Block, Func, Local, Operand, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { valueMocks } from "./core.ts";
import type { Scope } from "./locals.ts";
import { EMPTY_SCOPE, TRUE, bind, declareVars } from "./locals.ts";
import { WithPlanner } from "./with.ts";

/** Plans the bodies of one Func or Plan: owns its locals. */
export class BodyPlanner extends WithPlanner {
  planRule(group: RuleGroup, name: string): Func {
    const params = [INPUT, DATA];
    for (let i = 0; i < group.arity; i++) params.push(this.alloc());
    // the values replacing functions come as parameters after the arguments (PlannerCore.callRule)
    const functions = new Map(this.mocks.functions);
    for (const [name] of valueMocks(this.mocks)) {
      const value = this.alloc();
      params.push(value);
      functions.set(name, { kind: "value", value });
    }
    this.mocks = { data: this.mocks.data, functions };
    const result = this.alloc();
    const blocks: Block[] = [];
    if (group.kind === "partialSet") blocks.push({ stmts: [{ type: "MakeSet", target: result }] });
    if (group.kind === "partialObject") blocks.push({ stmts: [{ type: "MakeObject", target: result }] });
    for (const def of group.definitions) if (!def.rule.default) blocks.push(...this.planDefinition(def, group, params, result));
    const fallback = group.definitions.find((def) => def.rule.default);
    if (fallback) {
      const stmts: Stmt[] = [{ type: "IsUndefined", source: result }];
      this.planDefinitionClause(fallback, group, params, fallback.rule.head.value, [], stmts, (value, out) => {
        out.push({ type: "AssignVar", source: value, target: result });
      });
      blocks.push({ stmts });
    }
    blocks.push({ stmts: [{ type: "ReturnLocal", source: result }] });
    return { name, params, arity: group.arity, result, blocks, path: group.path.slice(1) };
  }

  protected planDefinition(def: RuleDef, group: RuleGroup, params: Local[], result: Local): Block[] {
    const { rule } = def;
    const head = rule.head;
    if (group.kind === "partialSet" || group.kind === "partialObject") {
      const stmts: Stmt[] = [];
      this.module = this.pp.program.scope(def.module);
      this.planBody(rule.body, EMPTY_SCOPE, stmts, (scope, out) => {
        const terms = group.kind === "partialSet" ? [head.key!] : [head.key!, head.value!];
        this.planTerms(terms, scope, out, ([key, value], _s, o) => {
          if (group.kind === "partialSet") o.push({ type: "SetAdd", value: key, set: result });
          else o.push({ type: "ObjectInsertOnce", key, value: value, object: result, loc: this.pp.sourceLocation(head.loc) });
        });
      });
      return [{ stmts }];
    }
    const assign = (value: Operand, out: Stmt[]) =>
      out.push({ type: "AssignVarOnce", source: value, target: result, loc: this.pp.sourceLocation(head.loc) });
    if (!rule.else) {
      const stmts: Stmt[] = [];
      this.planDefinitionClause(def, group, params, head.value, rule.body, stmts, assign);
      return [{ stmts }];
    }
    // else chain: a clause runs only when no earlier clause of this definition produced a value
    const found = this.alloc();
    const blocks: Block[] = [{ stmts: [{ type: "ResetLocal", target: found }] }];
    const clauses = [{ value: head.value, body: rule.body }];
    for (let e: ElseClause | undefined = rule.else; e; e = e.else) clauses.push({ value: e.value, body: e.body });
    clauses.forEach((clause, i) => {
      const stmts: Stmt[] = i === 0 ? [] : [{ type: "IsUndefined", source: found }];
      this.planDefinitionClause(def, group, params, clause.value, clause.body, stmts, (value, out) => {
        assign(value, out);
        out.push({ type: "AssignVar", source: TRUE, target: found });
      });
      blocks.push({ stmts });
    });
    return blocks;
  }

  /** Binds the function arguments, plans the body, then hands each value of `valueTerm` to `emit`. */
  protected planDefinitionClause(
    def: RuleDef,
    group: RuleGroup,
    params: Local[],
    valueTerm: Term | undefined,
    body: Expr[],
    out: Stmt[],
    emit: (value: Operand, out: Stmt[]) => void,
  ): void {
    this.module = this.pp.program.scope(def.module);
    const loc = def.rule.head.loc;
    const value = valueTerm ?? { type: "boolean", value: true, loc };
    const args = def.rule.head.args ?? [];
    let scope: Scope = EMPTY_SCOPE;
    for (const arg of args) scope = declareVars(arg, scope);
    const pairs: Array<[Term, Term]> = [];
    args.forEach((arg, i) => {
      const name = `$param${i}`;
      scope = bind(scope, name, params[i + 2]);
      pairs.push([arg, { type: "var", name, loc: arg.loc }]);
    });
    if (group.kind === "function" && def.rule.default && args.some((a) => a.type !== "var")) {
      throw new CompileError(loc, `default function ${group.path.join(".")} with non-variable arguments`, "use `_` for every argument of a default function");
    }
    this.unifyPairs(pairs, scope, out, (s1, o1) =>
      this.planBody(body, s1, o1, (s2, o2) => this.planTerm(value, s2, o2, (v, _s3, o3) => emit(v, o3))),
    );
  }
}
