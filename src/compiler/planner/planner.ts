// Rego AST → IR. Bodies are planned in continuation-passing style: planning an expression emits
// its statements and then calls the continuation with the statement list in which the rest of the
// body must go (inside a Scan for iteration), so each solution of a body runs the rest once.
import type { CallTerm, ElseClause, Expr, ExprNode, Location, Module, Term, VarTerm } from "../ast/types.ts";
import { BUILTINS, VARIADIC } from "../builtins.ts";
import { CompileError } from "../errors.ts";
import type { Block, Func, Local, Operand, Plan, Policy, SourceLocation, Stmt } from "../ir/types.ts";
import { DATA, INPUT } from "../ir/types.ts";
import { buildRuleTree, describePath, findNode } from "./rule-tree.ts";
import type { ModuleScope, RuleDef, RuleGroup, TreeNode } from "./rule-tree.ts";

/**
 * Plans one Plan per entrypoint (`pkg/path/rule`, or `pkg/path` for a whole package document)
 * and one Func per rule they reach.
 */
export function planPolicy(modules: Module[], entrypoints: string[]): Policy {
  const planner = new PolicyPlanner(modules);
  for (const entrypoint of new Set(entrypoints)) planner.planEntrypoint(entrypoint);
  return planner.policy();
}

/** A var that is used before anything binds it; the body planner may retry in another order. */
class UnsafeVarError extends CompileError {}

/** Wraps an error thrown by the rest of a body, so that reordering does not mistake it for its own. */
class LaterError {
  constructor(
    readonly error: unknown,
    readonly level: object,
  ) {}
}

/**
 * Bound vars map to their local; vars declared by `some` / `:=` but not bound yet map to null.
 * PENDING marks, inside a negation or a closure, a var that the enclosing body binds elsewhere: as in
 * OPA it must be bound before the negation / closure is evaluated, so using it here is unsafe.
 */
type Scope = ReadonlyMap<string, Local | null>;
const PENDING: Local = -1;
type Next = (scope: Scope, out: Stmt[]) => void;
type NextValue = (value: Operand, scope: Scope, out: Stmt[]) => void;
type NextValues = (values: Operand[], scope: Scope, out: Stmt[]) => void;

type VarClass =
  | { kind: "local"; local: Local }
  | { kind: "free" }
  | { kind: "pending" }
  | { kind: "input" | "data"; prefix: string[] };

const EMPTY_SCOPE: Scope = new Map();
const ENTRYPOINT_LOC: Location = { file: "<entrypoints>", row: 1, col: 1 };
const MAX_SMALL_INT = 2 ** 31 - 1;

const local = (value: Local): Operand => ({ type: "local", value });
const FALSE: Operand = { type: "bool", value: false };
const TRUE: Operand = { type: "bool", value: true };
const block = (stmts: Stmt[]): Stmt => ({ type: "Block", blocks: [{ stmts }] });

class PolicyPlanner {
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

/** Plans the bodies of one Func or Plan: owns its locals. */
class BodyPlanner {
  private nextLocal = DATA + 1;
  /** Vars appearing (outside closures) in each body being planned, innermost last. */
  private readonly bodyVars: Array<Set<string>> = [];

  constructor(
    private readonly pp: PolicyPlanner,
    /** Data paths (segments joined by \u0001) replaced by an enclosing `with`: read from DATA, not from rules. */
    private mocks: string[],
    /** The module whose names (package rules, imports) bare vars resolve against. */
    private module: ModuleScope | undefined,
  ) {}

  alloc(): Local {
    return this.nextLocal++;
  }

  toLocal(value: Operand, out: Stmt[]): Local {
    if (value.type === "local") return value.value;
    const target = this.alloc();
    out.push({ type: "AssignVar", source: value, target });
    return target;
  }

  private string(s: string): Operand {
    return { type: "string", value: this.pp.str(s) };
  }

  private number(text: string, out: Stmt[]): Local {
    const target = this.alloc();
    if (/^-?\d+$/.test(text) && Math.abs(Number(text)) <= MAX_SMALL_INT) {
      out.push({ type: "MakeNumberInt", value: Number(text), target });
    } else {
      out.push({ type: "MakeNumberRef", index: this.pp.str(text), target });
    }
    return target;
  }

  private int(value: number, out: Stmt[]): Local {
    const target = this.alloc();
    out.push({ type: "MakeNumberInt", value, target });
    return target;
  }

  // ---------------------------------------------------------------- rules

  planRule(group: RuleGroup, name: string): Func {
    const params = [INPUT, DATA];
    for (let i = 0; i < group.arity; i++) params.push(this.alloc());
    const result = this.alloc();
    const blocks: Block[] = [];
    if (group.kind === "partialSet") blocks.push({ stmts: [{ type: "MakeSet", target: result }] });
    if (group.kind === "partialObject") blocks.push({ stmts: [{ type: "MakeObject", target: result }] });
    for (const def of group.defs) blocks.push(...this.planDefinition(def, group, params, result));
    if (group.default) {
      const stmts: Stmt[] = [{ type: "IsUndefined", source: result }];
      this.planDefinitionClause(group.default, group, params, group.default.rule.head.value, [], stmts, (value, out) => {
        out.push({ type: "AssignVar", source: value, target: result });
      });
      blocks.push({ stmts });
    }
    blocks.push({ stmts: [{ type: "ReturnLocal", source: result }] });
    return { name, params, result, blocks, path: group.path };
  }

  private planDefinition(def: RuleDef, group: RuleGroup, params: Local[], result: Local): Block[] {
    const { rule } = def;
    const head = rule.head;
    if (group.kind === "partialSet" || group.kind === "partialObject") {
      const stmts: Stmt[] = [];
      this.module = def.module;
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
  private planDefinitionClause(
    def: RuleDef,
    group: RuleGroup,
    params: Local[],
    valueTerm: Term | undefined,
    body: Expr[],
    out: Stmt[],
    emit: (value: Operand, out: Stmt[]) => void,
  ): void {
    this.module = def.module;
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
      throw new CompileError(loc, `default function ${describePath(group.path)} with non-variable arguments`, "use `_` for every argument of a default function");
    }
    this.unifyPairs(pairs, scope, out, (s1, o1) =>
      this.planBody(body, s1, o1, (s2, o2) => this.planTerm(value, s2, o2, (v, _s3, o3) => emit(v, o3))),
    );
  }

  // ---------------------------------------------------------------- names and data

  private classify(name: string, scope: Scope): VarClass {
    if (scope.has(name)) {
      const l = scope.get(name)!;
      if (l === null) return { kind: "free" };
      return l === PENDING ? { kind: "pending" } : { kind: "local", local: l };
    }
    if (name === "input") return { kind: "input", prefix: [] };
    if (name === "data") return { kind: "data", prefix: [] };
    const imported = this.module?.imports.get(name);
    if (imported) return { kind: imported[0] as "input" | "data", prefix: imported.slice(1) };
    if (this.module?.ruleNames.has(name)) return { kind: "data", prefix: [...this.module.package, name] };
    return { kind: "free" };
  }

  private isFree(name: string, scope: Scope): boolean {
    return this.classify(name, scope).kind === "free";
  }

  /** Vars that must be bound before `t` can be computed as a value (iteration vars in refs do not count). */
  private blocking(t: Term, scope: Scope, acc = new Set<string>()): Set<string> {
    switch (t.type) {
      case "var": {
        const kind = this.classify(t.name, scope).kind;
        if (kind === "free" || kind === "pending") acc.add(t.name);
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

  private isMocked(path: string[]): boolean {
    for (let i = 0; i <= path.length; i++) {
      if (this.mocks.includes(path.slice(0, i).join("\u0001"))) return true;
    }
    return false;
  }

  /** `data.<path>`: calls the rule it reaches, builds a package document, or reads base data. */
  planData(path: Term[], loc: Location, scope: Scope, out: Stmt[], k: NextValue): void {
    let node = this.pp.root;
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
      throw new CompileError(loc, `function ${describePath(group.path)} is used as a value`, "call it with its arguments");
    }
    const result = this.alloc();
    const func = this.pp.ruleFunc(group, this.mocks, loc);
    out.push({ type: "Call", func, args: [local(INPUT), local(DATA)], result, loc: this.pp.sourceLocation(loc) });
    this.planPath(result, path, i, scope, out, k);
  }

  private planBaseData(prefix: string[], path: Term[], i: number, scope: Scope, out: Stmt[], k: NextValue): void {
    this.planPath(this.baseData(prefix, out), path, i, scope, out, k);
  }

  private baseData(prefix: string[], out: Stmt[]): Local {
    let source = DATA;
    for (const seg of prefix) {
      const target = this.alloc();
      out.push({ type: "Dot", source: local(source), key: this.string(seg), target });
      source = target;
    }
    return source;
  }

  /** The object of every rule below `node` (undefined rules left out), merged over the base data there. */
  private packageDocument(node: TreeNode, out: Stmt[], loc: Location): Local {
    const doc = this.alloc();
    out.push({ type: "MakeObject", target: doc });
    for (const [name, child] of node.children) {
      if (this.isMocked(child.path) || child.rule?.kind === "function") continue;
      const stmts: Stmt[] = [];
      let value: Local;
      if (child.rule) {
        value = this.alloc();
        const func = this.pp.ruleFunc(child.rule, this.mocks, loc);
        stmts.push({ type: "Call", func, args: [local(INPUT), local(DATA)], result: value, loc: this.pp.sourceLocation(loc) });
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
  private planPath(source: Local, path: Term[], i: number, scope: Scope, out: Stmt[], k: NextValue): void {
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

  private tempVar(loc: Location): VarTerm {
    return { type: "var", name: `$t${this.alloc()}`, loc };
  }

  // ---------------------------------------------------------------- terms

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

  private planTerms(terms: Term[], scope: Scope, out: Stmt[], k: NextValues, done: Operand[] = []): void {
    if (done.length === terms.length) return k(done, scope, out);
    this.planTerm(terms[done.length], scope, out, (value, s, o) => this.planTerms(terms, s, o, k, [...done, value]));
  }

  private planRef(t: VarTerm | Extract<Term, { type: "ref" }>, scope: Scope, out: Stmt[], k: NextValue): void {
    const head = t.type === "var" ? t : t.head;
    const path = t.type === "var" ? [] : t.path;
    if (head.type !== "var") {
      return this.planTerm(head, scope, out, (value, s, o) => this.planPath(this.toLocal(value, o), path, 0, s, o, k));
    }
    const c = this.classify(head.name, scope);
    switch (c.kind) {
      case "free":
      case "pending":
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

  private planComprehension(t: Extract<Term, { type: "arraycomp" | "setcomp" | "objectcomp" }>, scope: Scope, out: Stmt[], k: NextValue): void {
    const target = this.alloc();
    if (t.type === "arraycomp") out.push({ type: "MakeArray", capacity: 0, target });
    else if (t.type === "setcomp") out.push({ type: "MakeSet", target });
    else out.push({ type: "MakeObject", target });
    const body: Stmt[] = [];
    this.planBody(t.body, this.closureScope(scope), body, (s, o) => {
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

  /** What a call's dotted name refers to: a user function (rule group) or a built-in. */
  private resolveCall(t: CallTerm): { func: RuleGroup } | { builtin: string; arity: number } {
    const [head, ...rest] = t.op;
    const name = t.op.join(".");
    let path: string[] | undefined;
    const imported = this.module?.imports.get(head);
    if (head === "data") path = rest;
    else if (imported?.[0] === "data") path = [...imported.slice(1), ...rest];
    else if (this.module?.ruleNames.has(head)) path = [...this.module.package, ...t.op];
    if (path) {
      const node = findNode(this.pp.root, path);
      if (node?.rule?.kind === "function") {
        if (this.isMocked(path)) {
          throw new CompileError(t.opLoc, `function ${name} is called under a \`with\` that replaces it`, "`with` may replace rules and data, not functions");
        }
        return { func: node.rule };
      }
    }
    const builtin = BUILTINS.get(name);
    if (builtin) return { builtin: builtin.name, arity: builtin.arity };
    throw new CompileError(t.opLoc, `unknown function ${name}`, "define it as a function in a package, import it, or use a supported built-in");
  }

  private arityOf(target: ReturnType<BodyPlanner["resolveCall"]>): number {
    return "func" in target ? target.func.arity : target.arity;
  }

  private planCall(t: CallTerm, scope: Scope, out: Stmt[], k: NextValue): void {
    const target = this.resolveCall(t);
    if ("builtin" in target && target.builtin === "print") return this.planPrint(t, scope, out, k);
    const arity = this.arityOf(target);
    const name = t.op.join(".");
    if (t.args.length !== arity) {
      const hint = t.args.length === arity + 1 ? `write \`y := ${name}(…)\` rather than passing the output as an argument here` : `it takes ${arity}`;
      throw new CompileError(t.loc, `${name} called with ${t.args.length} arguments`, hint);
    }
    this.planTerms(t.args, scope, out, (args, s, o) => {
      const result = this.alloc();
      const loc = this.pp.sourceLocation(t.loc);
      if ("func" in target) {
        const func = this.pp.ruleFunc(target.func, this.mocks, t.loc);
        o.push({ type: "Call", func, args: [local(INPUT), local(DATA), ...args], result, loc });
      } else {
        this.pp.useBuiltin(target.builtin, target.arity);
        o.push({ type: "Call", func: target.builtin, args, result, loc });
      }
      k(local(result), s, o);
    });
  }

  /**
   * `print(a, b)` becomes `internal.print([{a's values}, {b's values}])`, as OPA plans it: each
   * argument is a comprehension (with an empty body), so an undefined argument gives an empty set
   * and the call still holds.
   */
  private planPrint(t: CallTerm, scope: Scope, out: Stmt[], k: NextValue): void {
    const sets: Term[] = t.args.map((arg) => ({ type: "setcomp", term: arg, body: [], loc: arg.loc }));
    this.planTerm({ type: "array", items: sets, loc: t.loc }, scope, out, (args, s, o) => {
      const result = this.alloc();
      this.pp.useBuiltin("internal.print", 1);
      o.push({ type: "Call", func: "internal.print", args: [args], result, loc: this.pp.sourceLocation(t.loc) });
      k(local(result), s, o);
    });
  }

  // ---------------------------------------------------------------- bodies and expressions

  /**
   * Plans a body, taking first the first expression whose vars are safe, as OPA reorders bodies so
   * that `x > 1; x = input.a` works.
   */
  planBody(body: Expr[], scope: Scope, out: Stmt[], k: Next): void {
    const vars = new Set<string>();
    for (const expr of body) exprVars(expr, vars);
    this.bodyVars.push(vars);
    try {
      this.planExprs(body, scope, out, k);
    } finally {
      this.bodyVars.pop();
    }
  }

  /** The scope a closure body (comprehension, `every`) starts from: outer vars not bound yet are pending. */
  private closureScope(scope: Scope): Scope {
    const names = new Set(this.bodyVars.flatMap((vars) => [...vars]));
    return markPending(names, scope, (name) => this.isFree(name, scope));
  }

  private planExprs(body: Expr[], scope: Scope, out: Stmt[], k: Next): void {
    if (body.length === 0) return k(scope, out);
    const level = {};
    let firstError: unknown;
    for (let i = 0; i < body.length; i++) {
      const rest = [...body.slice(0, i), ...body.slice(i + 1)];
      const stmts: Stmt[] = [];
      try {
        this.planExpr(body[i], scope, stmts, (s, o) => {
          try {
            this.planExprs(rest, s, o, k);
          } catch (e) {
            throw new LaterError(e, level);
          }
        });
        out.push(...stmts);
        return;
      } catch (e) {
        if (e instanceof LaterError && e.level === level) throw e.error;
        if (!(e instanceof UnsafeVarError)) throw e;
        firstError ??= e;
      }
    }
    throw firstError;
  }

  private planExpr(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    if (expr.with.length > 0) return this.planWith(expr, scope, out, k);
    this.planExprCore(expr, scope, out, k);
  }

  private planExprCore(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    if (!expr.negated) return this.planExprNode(expr.node, expr.loc, scope, out, k);
    if (expr.node.type === "some" || expr.node.type === "somein") {
      throw new CompileError(expr.loc, "`not` applied to `some`", "negate an expression that tests something");
    }
    // vars of a negation are never bound by it (except `_`): they must be bound before it
    const vars = exprVars(expr, new Set());
    const inner = markPending(vars, scope, (name) => !name.startsWith("$wildcard") && this.isFree(name, scope));
    this.emitNegation(out, (o, found) => this.planExprNode(expr.node, expr.loc, inner, o, (_s, o2) => found(o2)));
    k(scope, out);
  }

  /**
   * Emits statements that hold only when `inner` has no solution. `inner` plans its statements
   * into the list given and calls `found` where a solution is reached.
   */
  private emitNegation(out: Stmt[], inner: (out: Stmt[], found: (out: Stmt[]) => void) => void): void {
    const flag = this.alloc();
    const setFlag: Stmt = { type: "AssignVar", source: TRUE, target: flag };
    const stmts: Stmt[] = [];
    let sites = 0;
    let onlyAtTop = true;
    inner(stmts, (o) => {
      sites++;
      if (o !== stmts) onlyAtTop = false;
      o.push(setFlag);
    });
    if (sites === 1 && onlyAtTop && stmts[stmts.length - 1] === setFlag) {
      // a single solution point at the end: Not's own rule (reaching the end fails) fits exactly
      stmts.pop();
      out.push({ type: "Not", block: { stmts } });
      return;
    }
    out.push({ type: "ResetLocal", target: flag }, block(stmts), { type: "IsUndefined", source: flag });
  }

  private planExprNode(node: ExprNode, loc: Location, scope: Scope, out: Stmt[], k: Next): void {
    switch (node.type) {
      case "term":
        return this.planLoneTerm(node.term, scope, out, k);
      case "unify":
        return this.unify(node.left, node.right, scope, out, k);
      case "assign": {
        if (node.left.type !== "var" && node.left.type !== "array" && node.left.type !== "object") {
          throw new CompileError(node.left.loc, "`:=` assigns to something other than a variable or a pattern of variables", "use `==` to compare");
        }
        return this.unify(node.left, node.right, declareVars(node.left, scope), out, k);
      }
      case "some":
        return k(
          node.vars.reduce((s, v) => declareVars(v, s), scope),
          out,
        );
      case "somein":
        return this.planTerm(node.collection, scope, out, (collection, s, o) => {
          const source = this.toLocal(collection, o);
          const key = this.alloc();
          const value = this.alloc();
          const body: Stmt[] = [];
          o.push({ type: "Scan", source, key, value, block: { stmts: body } });
          let inner = declareVars(node.value, s);
          if (node.key) inner = declareVars(node.key, inner);
          const keyVar = this.tempVar(loc);
          const valueVar = this.tempVar(loc);
          inner = bind(bind(inner, keyVar.name, key), valueVar.name, value);
          const pairs: Array<[Term, Term]> = [[node.value, valueVar]];
          if (node.key) pairs.unshift([node.key, keyVar]);
          this.unifyPairs(pairs, inner, body, k);
        });
      case "every":
        return this.planEvery(node, scope, out, k);
    }
  }

  private planEvery(node: Extract<ExprNode, { type: "every" }>, scope: Scope, out: Stmt[], k: Next): void {
    for (const v of [node.key, node.value]) {
      if (v && v.type !== "var") throw new CompileError(v.loc, "`every` with a pattern instead of a variable", "bind a variable and test it in the body");
    }
    this.planTerm(node.domain, scope, out, (domain, s, o) => {
      const source = this.toLocal(domain, o);
      // the domain must be a collection: OPA's every fails on a scalar
      const isCollection = this.alloc();
      const set: Stmt = { type: "AssignVar", source: TRUE, target: isCollection };
      o.push(
        { type: "ResetLocal", target: isCollection },
        {
          type: "Block",
          blocks: [
            { stmts: [{ type: "IsArray", source: local(source) }, set] },
            { stmts: [{ type: "IsObject", source: local(source) }, set] },
            { stmts: [{ type: "IsSet", source: local(source) }, set] },
          ],
        },
        { type: "IsDefined", source: isCollection },
      );
      const failed = this.alloc();
      const key = this.alloc();
      const value = this.alloc();
      const body: Stmt[] = [];
      o.push({ type: "ResetLocal", target: failed }, { type: "Scan", source, key, value, block: { stmts: body } });
      let inner = bind(this.closureScope(s), (node.value as VarTerm).name, value);
      if (node.key) inner = bind(inner, (node.key as VarTerm).name, key);
      this.emitNegation(body, (b, found) => this.planBody(node.body, inner, b, (_s, b2) => found(b2)));
      body.push({ type: "AssignVar", source: TRUE, target: failed });
      o.push({ type: "IsUndefined", source: failed });
      k(s, o);
    });
  }

  /** A term on its own: holds when defined and not false. Comparisons map to Equal / NotEqual. */
  private planLoneTerm(t: Term, scope: Scope, out: Stmt[], k: Next): void {
    if (t.type === "call") {
      const name = t.op.join(".");
      if ((name === "equal" || name === "neq") && t.args.length === 2) {
        return this.planTerms(t.args, scope, out, ([a, b], s, o) => {
          o.push({ type: name === "equal" ? "Equal" : "NotEqual", a, b });
          k(s, o);
        });
      }
      const target = this.resolveCall(t);
      const arity = this.arityOf(target);
      if (arity !== VARIADIC && t.args.length === arity + 1) {
        // `count(xs, n)`: the last argument receives the result
        const call: CallTerm = { ...t, args: t.args.slice(0, -1) };
        return this.unify(call, t.args[t.args.length - 1], scope, out, k);
      }
    }
    this.planTerm(t, scope, out, (value, s, o) => {
      if (value.type === "bool") {
        if (!value.value) o.push({ type: "NotEqual", a: FALSE, b: FALSE });
      } else {
        o.push({ type: "NotEqual", a: value, b: FALSE });
      }
      k(s, o);
    });
  }

  // ---------------------------------------------------------------- with

  private planWith(expr: Expr, scope: Scope, out: Stmt[], k: Next): void {
    // the replacement values are computed outside the with, against the unmodified input and data
    this.planTerms(expr.with.map((w) => w.value), scope, out, (values, s, o) => {
      const targets = expr.with.map((w) => this.withTarget(w.target));
      const savedMocks = this.mocks;
      const mocks = new Set(savedMocks);
      for (const t of targets) if (t.mock) mocks.add(t.path.join("\u0001"));
      this.mocks = [...mocks].sort();
      const flag = this.alloc();
      const solutions = this.alloc();
      const inner: Stmt[] = [];
      let bound: string[] | undefined;
      try {
        this.planExprCore(expr, s, inner, (s2, o2) => {
          const fresh = [...s2].filter(([n, l]) => l !== null && l !== PENDING && s.get(n) == null && !n.startsWith("$")).map(([n]) => n).sort();
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
      for (let i = targets.length - 1; i >= 0; i--) {
        const t = targets[i];
        stmts = [{ type: "With", local: t.local, path: t.path.map((seg) => this.pp.str(seg)), value: values[i], block: { stmts } }];
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

  private withTarget(target: Term): { local: Local; path: string[]; mock: boolean } {
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
    let node: TreeNode | undefined = this.pp.root;
    for (const seg of path) {
      if (node.rule) {
        throw new CompileError(target.loc, `\`with\` replaces part of the value of rule ${describePath(node.path)}`, "replace the whole rule");
      }
      node = node.children.get(seg);
      if (!node) return { local: DATA, path, mock: false };
    }
    return { local: DATA, path, mock: true };
  }

  // ---------------------------------------------------------------- unification

  /** `a = b`: binds free vars on either side (also inside array / object patterns), else compares. */
  private unify(a: Term, b: Term, scope: Scope, out: Stmt[], k: Next): void {
    for (const side of [a, b]) {
      if (side.type === "var" && this.classify(side.name, scope).kind === "pending") throw unsafe(side);
    }
    const freeA = a.type === "var" && this.isFree(a.name, scope);
    const freeB = b.type === "var" && this.isFree(b.name, scope);
    if (freeA && freeB) throw unsafe(a as VarTerm);
    if (freeA || freeB) {
      const [v, other] = (freeA ? [a, b] : [b, a]) as [VarTerm, Term];
      return this.planTerm(other, scope, out, (value, s, o) => k(this.bindValue(v.name, value, s, o), o));
    }
    const patternA = this.blocking(a, scope).size > 0;
    const patternB = this.blocking(b, scope).size > 0;
    if (patternA && patternB) return this.unifyPatterns(a, b, scope, out, k);
    if (patternA || patternB) {
      const [pattern, other] = patternA ? [a, b] : [b, a];
      return this.planTerm(other, scope, out, (value, s, o) => this.destructure(pattern, this.toLocal(value, o), s, o, k));
    }
    this.planTerm(a, scope, out, (va, s, o) =>
      this.planTerm(b, s, o, (vb, s2, o2) => {
        o2.push({ type: "Equal", a: va, b: vb });
        k(s2, o2);
      }),
    );
  }

  private bindValue(name: string, value: Operand, scope: Scope, out: Stmt[]): Scope {
    // input and data are replaced in place by `with`, so a var must hold its own copy of them
    if (value.type === "local" && value.value !== INPUT && value.value !== DATA) return bind(scope, name, value.value);
    const target = this.alloc();
    out.push({ type: "AssignVar", source: value, target });
    return bind(scope, name, target);
  }

  /** Matches a pattern holding free vars against a computed value. */
  private destructure(pattern: Term, source: Local, scope: Scope, out: Stmt[], k: Next): void {
    const sourceVar = this.tempVar(pattern.loc);
    const withSource = bind(scope, sourceVar.name, source);
    if (pattern.type === "var" || this.blocking(pattern, scope).size === 0) {
      return this.unify(pattern, sourceVar, withSource, out, k);
    }
    if (pattern.type === "array") {
      const n = this.alloc();
      out.push(
        { type: "IsArray", source: local(source) },
        { type: "Len", source: local(source), target: n },
        { type: "Equal", a: local(n), b: local(this.int(pattern.items.length, out)) },
      );
      const pairs = pattern.items.map((item, i): [Term, Term] => {
        const element = this.alloc();
        out.push({ type: "Dot", source: local(source), key: local(this.int(i, out)), target: element });
        const v = this.tempVar(item.loc);
        scope = bind(scope, v.name, element);
        return [item, v];
      });
      return this.unifyPairs(pairs, scope, out, k);
    }
    if (pattern.type === "object") {
      const n = this.alloc();
      out.push(
        { type: "IsObject", source: local(source) },
        { type: "Len", source: local(source), target: n },
        { type: "Equal", a: local(n), b: local(this.int(pattern.items.length, out)) },
      );
      const keys = pattern.items.map(([key]) => key);
      for (const key of keys) {
        const blocked = [...this.blocking(key, scope)];
        if (blocked.length > 0) throw unsafe({ type: "var", name: blocked[0], loc: key.loc });
      }
      return this.planTerms(keys, scope, out, (keyValues, s, o) => {
        let inner = s;
        const pairs = pattern.items.map(([, item], i): [Term, Term] => {
          const element = this.alloc();
          o.push({ type: "Dot", source: local(source), key: keyValues[i], target: element });
          const v = this.tempVar(item.loc);
          inner = bind(inner, v.name, element);
          return [item, v];
        });
        this.unifyPairs(pairs, inner, o, k);
      });
    }
    if (pattern.type === "set") {
      throw new CompileError(pattern.loc, "unification with a set holding unbound variables", "iterate the set instead, e.g. `some x in s`");
    }
    const blocked = [...this.blocking(pattern, scope)];
    throw unsafe({ type: "var", name: blocked[0], loc: pattern.loc });
  }

  /** Two patterns, both with free vars: element by element, when their shapes match. */
  private unifyPatterns(a: Term, b: Term, scope: Scope, out: Stmt[], k: Next): void {
    if (a.type === "array" && b.type === "array") {
      if (a.items.length !== b.items.length) {
        out.push({ type: "NotEqual", a: FALSE, b: FALSE });
        return k(scope, out);
      }
      return this.unifyPairs(a.items.map((item, i) => [item, b.items[i]]), scope, out, k);
    }
    if (a.type === "object" && b.type === "object") {
      const constKey = (t: Term) => (t.type === "string" ? t.value : undefined);
      const keysA = a.items.map(([key]) => constKey(key));
      const keysB = b.items.map(([key]) => constKey(key));
      if (keysA.includes(undefined) || keysB.includes(undefined)) {
        throw new CompileError(a.loc, "unification of two object patterns with non-string keys", "compute one side first");
      }
      if (keysA.length !== keysB.length || keysA.some((key) => !keysB.includes(key))) {
        out.push({ type: "NotEqual", a: FALSE, b: FALSE });
        return k(scope, out);
      }
      return this.unifyPairs(a.items.map(([key, item]) => [item, b.items[keysB.indexOf(constKey(key))][1]]), scope, out, k);
    }
    const blocked = [...this.blocking(a, scope)];
    throw unsafe({ type: "var", name: blocked[0], loc: a.loc });
  }

  /** Unifies pairs in an order where each step has at most one side left to bind. */
  private unifyPairs(pairs: Array<[Term, Term]>, scope: Scope, out: Stmt[], k: Next): void {
    if (pairs.length === 0) return k(scope, out);
    const ready = pairs.findIndex(([a, b]) => {
      const both = this.blocking(a, scope).size > 0 && this.blocking(b, scope).size > 0;
      return !both || (a.type === b.type && (a.type === "array" || a.type === "object"));
    });
    const i = Math.max(ready, 0);
    const rest = [...pairs.slice(0, i), ...pairs.slice(i + 1)];
    this.unify(pairs[i][0], pairs[i][1], scope, out, (s, o) => this.unifyPairs(rest, s, o, k));
  }
}

function bind(scope: Scope, name: string, l: Local): Scope {
  const next = new Map(scope);
  next.set(name, l);
  return next;
}

/** Declares every var of a pattern as a new, not yet bound local (`:=`, `some`, function arguments). */
function declareVars(t: Term, scope: Scope): Scope {
  const next = new Map(scope);
  const visit = (u: Term): void => {
    if (u.type === "var") next.set(u.name, null);
    else if (u.type === "array") u.items.forEach(visit);
    else if (u.type === "object") u.items.forEach(([, v]) => visit(v));
  };
  visit(t);
  return next;
}

function unsafe(v: VarTerm): UnsafeVarError {
  const name = v.name.startsWith("$wildcard") ? "_" : v.name;
  return new UnsafeVarError(v.loc, `var ${name} is unsafe: nothing binds it before it is used`, "bind it first, e.g. with `:=`, `some x in xs` or a ref such as `xs[x]`");
}

function markPending(names: Iterable<string>, scope: Scope, shouldMark: (name: string) => boolean): Scope {
  const next = new Map(scope);
  for (const name of names) if (shouldMark(name)) next.set(name, PENDING);
  return next;
}

/** Names of the vars an expression mentions outside closures (comprehension and `every` bodies). */
function exprVars(expr: Expr, acc: Set<string>): Set<string> {
  const term = (t: Term | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case "var":
        acc.add(t.name);
        break;
      case "ref":
        term(t.head);
        t.path.forEach(term);
        break;
      case "array":
      case "set":
        t.items.forEach(term);
        break;
      case "object":
        t.items.forEach(([k, v]) => (term(k), term(v)));
        break;
      case "call":
        // print's arguments are closures: it plans each as a comprehension (see planPrint)
        if (t.op.length !== 1 || t.op[0] !== "print") t.args.forEach(term);
        break;
      default:
        break;
    }
  };
  const node = expr.node;
  switch (node.type) {
    case "term":
      term(node.term);
      break;
    case "unify":
    case "assign":
      term(node.left);
      term(node.right);
      break;
    case "some":
      node.vars.forEach(term);
      break;
    case "somein":
      term(node.key);
      term(node.value);
      term(node.collection);
      break;
    case "every":
      term(node.domain);
      break;
  }
  for (const w of expr.with) term(w.value);
  return acc;
}
