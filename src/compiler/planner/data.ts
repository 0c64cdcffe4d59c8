// Names and data: `data.…` references become rule calls, package documents or base data reads.

import type { Location, Term } from "../ast/types.ts";
import type { TreeNode } from "../check/index.ts";
import { CompileError } from "../errors.ts";
import type { Local, Stmt } from "../ir/types.ts";
import { DATA } from "../ir/types.ts";
import { PlannerCore } from "./core.ts";
import type { Scope, NextValue } from "./locals.ts";
import { local, block, bind } from "./locals.ts";

export abstract class DataPlanner extends PlannerCore {
  /** `data.<path>`: calls the rule it reaches, builds a package document, or reads base data. */
  planData(path: Term[], loc: Location, scope: Scope, out: Stmt[], k: NextValue): void {
    let node = this.pp.program.root;
    let i = 0;
    for (;;) {
      if (this.isMocked(node.path)) return this.planBaseData(node.path, path, i, scope, out, k);
      if (node.rule) break;
      if (i === path.length) return k(local(this.packageDocument(node, out, loc)), scope, out);
      const seg = path[i];
      if (seg.type !== "string") {
        return this.planPath(this.packageDocument(node, out, loc), path, i, scope, out, k);
      }
      const child = node.children.get(seg.value);
      if (!child) return this.planBaseData(node.path, path, i, scope, out, k);
      node = child;
      i++;
    }
    const group = node.rule;
    if (group.kind === "function") {
      throw new CompileError(loc, `function ${group.path.join(".")} is used as a value`, "call it with its arguments");
    }
    this.planPath(this.callRule(group, [], out, loc), path, i, scope, out, k);
  }

  protected planBaseData(prefix: string[], path: Term[], i: number, scope: Scope, out: Stmt[], k: NextValue): void {
    this.planPath(this.baseData(prefix, out), path, i, scope, out, k);
  }

  protected baseData(prefix: string[], out: Stmt[]): Local {
    let source = DATA;
    for (const seg of prefix) {
      const target = this.alloc();
      out.push({ type: "Dot", source: local(source), key: this.string(seg), target });
      source = target;
    }
    return source;
  }

  /** The object of every rule below `node` (undefined rules left out), merged over the base data there. */
  protected packageDocument(node: TreeNode, out: Stmt[], loc: Location): Local {
    const doc = this.alloc();
    out.push({ type: "MakeObject", target: doc });
    for (const [name, child] of node.children) {
      if (this.isMocked(child.path) || child.rule?.kind === "function") continue;
      const stmts: Stmt[] = [];
      let value: Local;
      if (child.rule) {
        value = this.callRule(child.rule, [], stmts, loc);
      } else {
        value = this.packageDocument(child, stmts, loc);
      }
      stmts.push({ type: "ObjectInsert", key: this.string(name), value: local(value), object: doc });
      out.push(block(stmts));
    }
    const stmts: Stmt[] = [];
    const base = this.baseData(node.path, stmts);
    const merged = this.alloc();
    stmts.push(
      { type: "IsObject", source: local(base) },
      { type: "ObjectMerge", a: doc, b: base, target: merged },
      { type: "AssignVar", source: local(merged), target: doc },
    );
    out.push(block(stmts));
    return doc;
  }

  /** source[path[i]][path[i+1]]…: a Dot per known key, a Scan per key still to be bound. */
  protected planPath(source: Local, path: Term[], i: number, scope: Scope, out: Stmt[], k: NextValue): void {
    if (i === path.length) return k(local(source), scope, out);
    const seg = path[i];
    const isPattern = seg.type === "var" ? this.isFree(seg.name, scope) : this.blocking(seg, scope).size > 0;
    if (isPattern && (seg.type === "var" || seg.type === "array" || seg.type === "object")) {
      const key = this.alloc();
      const value = this.alloc();
      const body: Stmt[] = [];
      out.push({ type: "Scan", source, key, value, block: { stmts: body } });
      const keyVar = this.tempVar(seg.loc);
      this.unify(seg, keyVar, bind(scope, keyVar.name, key), body, (s, o) => this.planPath(value, path, i + 1, s, o, k));
      return;
    }
    this.planTerm(seg, scope, out, (key, s, o) => {
      const target = this.alloc();
      o.push({ type: "Dot", source: local(source), key, target });
      this.planPath(target, path, i + 1, s, o, k);
    });
  }
}
