// `with`: an expression planned with parts of input or data, or functions, replaced.

import type { Expr, Term } from "../ast/types.ts";
import { type TreeNode, functionName } from "../check/index.ts";
import { CompileError } from "../errors.ts";
import type { Local, Operand, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { ExprPlanner } from "./body.ts";
import type { Scope, Next } from "./locals.ts";
import { local, TRUE, bind } from "./locals.ts";

export abstract class WithPlanner extends ExprPlanner {
  protected planWith(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    // what replaces a document or a function by a value is computed outside the with, against
    // the unmodified input and data; a replacing function is only named
    const valued = expr.with.filter((w) => !this.pp.functionMock(w)?.replacement);
    this.planTerms(valued.map((w) => w.value), scope, out, (values, s, o) => {
      const data = new Set(this.mocks.data);
      const functions = new Map(this.mocks.functions);
      const documents: Array<{ local: Local; path: string[]; value: Operand }> = [];
      for (const w of expr.with) {
        const mock = this.pp.functionMock(w);
        if (mock?.replacement) {
          functions.set(functionName(mock.target), { kind: "function", callee: mock.replacement });
          continue;
        }
        const value = values[valued.indexOf(w)];
        if (mock) {
          functions.set(functionName(mock.target), { kind: "value", value: this.toLocal(value, o) });
          continue;
        }
        const t = this.withTarget(w.target);
        if (t.mock) data.add(t.path.join("\u0001"));
        documents.push({ local: t.local, path: t.path, value });
      }
      const savedMocks = this.mocks;
      this.mocks = { data: [...data].sort(), functions };
      const flag = this.alloc();
      const solutions = this.alloc();
      const inner: Stmt[] = [];
      let bound: string[] | undefined;
      try {
        this.planExprCore(expr, s, inner, (s2, o2) => {
          const fresh = [...s2].filter(([n, l]) => l !== null && s.get(n) == null && !n.startsWith("$")).map(([n]) => n).sort();
          if (bound !== undefined && bound.join() !== fresh.join()) {
            throw new CompileError(expr.loc, "an expression under `with` binds different variables on different paths", "split the expression");
          }
          bound = fresh;
          if (fresh.length === 0) {
            o2.push({ type: "AssignVar", source: TRUE, target: flag });
            return;
          }
          // bindings leave the with as tuples, so the rest of the body runs with input and data restored
          const tuple = this.alloc();
          o2.push({ type: "MakeArray", capacity: fresh.length, target: tuple });
          for (const n of fresh) o2.push({ type: "ArrayAppend", value: local(s2.get(n)!), array: tuple });
          o2.push({ type: "ArrayAppend", value: local(tuple), array: solutions });
        });
      } finally {
        this.mocks = savedMocks;
      }
      let stmts = inner;
      for (const t of documents.reverse()) {
        stmts = [{ type: "With", local: t.local, path: t.path.map((seg) => this.pp.str(seg)), value: t.value, block: { stmts } }];
      }
      if (!bound || bound.length === 0) {
        o.push({ type: "ResetLocal", target: flag }, ...stmts, { type: "IsDefined", source: flag });
        return k(s, o);
      }
      const names = bound;
      o.push({ type: "MakeArray", capacity: 0, target: solutions }, ...stmts);
      const index = this.alloc();
      const tuple = this.alloc();
      const body: Stmt[] = [];
      o.push({ type: "Scan", source: solutions, key: index, value: tuple, block: { stmts: body } });
      let after = s;
      names.forEach((n, i) => {
        const target = this.alloc();
        body.push({ type: "Dot", source: local(tuple), key: local(this.int(i, body)), target });
        after = bind(after, n, target);
      });
      k(after, body);
    });
  }

  protected withTarget(target: Term): { local: Local; path: string[]; mock: boolean } {
    const head = target.type === "ref" ? target.head : target;
    const segs = target.type === "ref" ? target.path : [];
    if (head.type !== "var" || (head.name !== "input" && head.name !== "data")) {
      throw new CompileError(target.loc, "`with` target is not input or data", "write `with input.x as …` or `with data.x as …`");
    }
    const path = segs.map((seg) => {
      if (seg.type !== "string") throw new CompileError(seg.loc, "`with` target path has a non-constant key", "use a constant path");
      return seg.value;
    });
    if (head.name === "input") return { local: INPUT, path, mock: false };
    let node: TreeNode | undefined = this.pp.program.root;
    for (const seg of path) {
      if (node.rule) {
        throw new CompileError(target.loc, `\`with\` replaces part of the value of rule ${["data", ...node.path].join(".")}`, "replace the whole rule");
      }
      node = node.children.get(seg);
      if (!node) return { local: DATA, path, mock: false };
    }
    return { local: DATA, path, mock: true };
  }
}
