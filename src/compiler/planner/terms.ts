// Terms: scalars, collections, references, comprehensions and calls, each planned into a value.

import type { CallTerm, Term, VarTerm } from "../ast/types.ts";
import { type Callee, functionName } from "../check/index.ts";
import { CompileError } from "../errors.ts";
import type { Local, Operand, Stmt } from "../ir/types.ts";
import { INPUT } from "../ir/types.ts";
import type { Mocks } from "./core.ts";
import { DataPlanner } from "./data.ts";
import type { Scope, NextValue, NextValues } from "./locals.ts";
import { local, block, unsafe } from "./locals.ts";

export abstract class TermPlanner extends DataPlanner {
  planTerm(t: Term, scope: Scope, out: Stmt[], k: NextValue): void {
    switch (t.type) {
      case "null": {
        const target = this.alloc();
        out.push({ type: "MakeNull", target });
        return k(local(target), scope, out);
      }
      case "boolean":
        return k({ type: "bool", value: t.value }, scope, out);
      case "number":
        return k(local(this.number(t.value, out)), scope, out);
      case "string":
        return k(this.string(t.value), scope, out);
      case "var":
      case "ref":
        return this.planRef(t, scope, out, k);
      case "array":
        return this.planTerms(t.items, scope, out, (items, s, o) => {
          const target = this.alloc();
          o.push({ type: "MakeArray", capacity: items.length, target });
          for (const value of items) o.push({ type: "ArrayAppend", value, array: target });
          k(local(target), s, o);
        });
      case "set":
        return this.planTerms(t.items, scope, out, (items, s, o) => {
          const target = this.alloc();
          o.push({ type: "MakeSet", target });
          for (const value of items) o.push({ type: "SetAdd", value, set: target });
          k(local(target), s, o);
        });
      case "object":
        return this.planTerms(t.items.flat(), scope, out, (items, s, o) => {
          const target = this.alloc();
          o.push({ type: "MakeObject", target });
          for (let j = 0; j < items.length; j += 2) {
            o.push({ type: "ObjectInsert", key: items[j], value: items[j + 1], object: target });
          }
          k(local(target), s, o);
        });
      case "arraycomp":
      case "setcomp":
      case "objectcomp":
        return this.planComprehension(t, scope, out, k);
      case "call":
        return this.planCall(t, scope, out, k);
    }
  }

  protected planTerms(terms: Term[], scope: Scope, out: Stmt[], k: NextValues, done: Operand[] = []): void {
    if (done.length === terms.length) return k(done, scope, out);
    this.planTerm(terms[done.length], scope, out, (value, s, o) => this.planTerms(terms, s, o, k, [...done, value]));
  }

  protected planRef(t: VarTerm | Extract<Term, { type: "ref" }>, scope: Scope, out: Stmt[], k: NextValue): void {
    const head = t.type === "var" ? t : t.head;
    const path = t.type === "var" ? [] : t.path;
    if (head.type !== "var") {
      return this.planTerm(head, scope, out, (value, s, o) => this.planPath(this.toLocal(value, o), path, 0, s, o, k));
    }
    const c = this.classify(head.name, scope);
    switch (c.kind) {
      case "free":
        throw unsafe(head);
      case "local":
        return this.planPath(c.local, path, 0, scope, out, k);
      case "input": {
        const prefix: Term[] = c.prefix.map((value) => ({ type: "string", value, loc: head.loc }));
        return this.planPath(INPUT, [...prefix, ...path], 0, scope, out, k);
      }
      case "data": {
        const prefix: Term[] = c.prefix.map((value) => ({ type: "string", value, loc: head.loc }));
        return this.planData([...prefix, ...path], t.loc, scope, out, k);
      }
    }
  }

  protected planComprehension(t: Extract<Term, { type: "arraycomp" | "setcomp" | "objectcomp" }>, scope: Scope, out: Stmt[], k: NextValue): void {
    const target = this.alloc();
    if (t.type === "arraycomp") out.push({ type: "MakeArray", capacity: 0, target });
    else if (t.type === "setcomp") out.push({ type: "MakeSet", target });
    else out.push({ type: "MakeObject", target });
    const body: Stmt[] = [];
    this.planBody(t.body, scope, body, (s, o) => {
      if (t.type === "objectcomp") {
        this.planTerms([t.key, t.value], s, o, ([key, value], _s, o2) => {
          o2.push({ type: "ObjectInsertOnce", key, value, object: target, loc: this.pp.sourceLocation(t.loc) });
        });
      } else {
        this.planTerm(t.term, s, o, (value, _s, o2) => {
          if (t.type === "arraycomp") o2.push({ type: "ArrayAppend", value, array: target });
          else o2.push({ type: "SetAdd", value, set: target });
        });
      }
    });
    out.push(block(body));
    k(local(target), scope, out);
  }

  protected planCall(t: CallTerm, scope: Scope, out: Stmt[], k: NextValue): void {
    const callee = this.pp.callee(t);
    if (callee.kind === "builtin" && callee.decl.name === "print") return this.planPrint(t, scope, out, k);
    if (callee.kind === "function" && this.isMocked(callee.group.path.slice(1))) {
      throw new CompileError(t.opLoc, `function ${t.op.join(".")} is called under a \`with\` that replaces it`, "`with` may replace rules and data, not functions");
    }
    const replacement = this.mocks.functions.get(functionName(callee));
    // the arguments are evaluated whatever replaces the function (OPA: an undefined one stays undefined)
    this.planTerms(t.args, scope, out, (args, s, o) => {
      if (replacement?.kind === "value") return k(local(replacement.value), s, o);
      // a replacing function runs with no function replaced (OPA starts a new scope of mocks),
      // so that it may call the function it replaces
      const mocks = replacement ? { data: this.mocks.data, functions: new Map() } : this.mocks;
      k(local(this.callFunction(replacement?.callee ?? callee, args, o, t, mocks)), s, o);
    });
  }

  private callFunction(callee: Callee, args: Operand[], out: Stmt[], call: CallTerm, mocks: Mocks): Local {
    if (callee.kind === "function") return this.callRule(callee.group, args, out, call.loc, mocks);
    if (callee.decl.mockOnly) {
      throw new CompileError(call.opLoc, `built-in ${callee.decl.name} is not supported`, `it can be called only under a \`with\` that replaces it, e.g. \`with ${callee.decl.name} as mock_${callee.decl.name.replace(/\./g, "_")}\``);
    }
    const result = this.alloc();
    this.pp.useBuiltin(callee.decl.name, callee.decl.arity);
    out.push({ type: "Call", func: callee.decl.name, args, result, loc: this.pp.sourceLocation(call.loc) });
    return result;
  }

  /**
   * `print(a, b)` becomes `internal.print([{a's values}, {b's values}])`, as OPA plans it: each
   * argument is a comprehension (with an empty body), so an undefined argument gives an empty set
   * and the call still holds.
   */
  protected planPrint(t: CallTerm, scope: Scope, out: Stmt[], k: NextValue): void {
    const sets: Term[] = t.args.map((arg) => ({ type: "setcomp", term: arg, body: [], loc: arg.loc }));
    this.planTerm({ type: "array", items: sets, loc: t.loc }, scope, out, (args, s, o) => {
      const result = this.alloc();
      this.pp.useBuiltin("internal.print", 1);
      o.push({ type: "Call", func: "internal.print", args: [args], result, loc: this.pp.sourceLocation(t.loc) });
      k(local(result), s, o);
    });
  }
}
