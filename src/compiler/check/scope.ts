// What names mean across a set of modules: the rules each data path holds (the rule index the
// checks and the planner share), and per module the names a rule body can use without declaring
// them (input, data, imports, the package's rules).

import type { CallTerm, Location, Module, Rule, RuleKind, Term } from "../ast/types.ts";
import { BUILTINS, VARIADIC, type BuiltinDecl } from "../builtins.ts";
import { CompileError } from "../errors.ts";

/** One definition of a rule (or its default), with the module it is written in. */
export interface RuleDef {
  rule: Rule;
  module: Module;
}

/** All rules (definitions and defaults) at one data path, e.g. data.k8s.violation. */
export interface RuleGroup {
  /** Full path starting with "data". */
  path: string[];
  kind: RuleKind;
  /** Every definition, the default included, in source order. */
  definitions: RuleDef[];
  /** Number of parameters of a function; 0 for rules. */
  arity: number;
}

/**
 * The virtual document below `data`: one node per path segment, each rule group at the node of
 * its path. The planner walks it to tell, for each `data.…` reference, which part is a rule to
 * call, which a package document to build, and which base data passed in by the host.
 */
export interface TreeNode {
  /** Path below `data` (no "data" segment). */
  path: string[];
  children: Map<string, TreeNode>;
  rule?: RuleGroup;
}

const KIND_NAMES: Record<RuleKind, string> = {
  complete: "a complete rule",
  partialSet: "a partial set rule",
  partialObject: "a partial object rule",
  function: "a function",
};

/** `file:line:col` of a location, for messages that point at a second place. */
export const where = (loc: Location) => `${loc.file}:${loc.row}:${loc.col}`;
export const pathKey = (path: readonly string[]) => path.join("\u001f");

/** `p` for a rule of `fromPackage`, else `data.pkg.p`. */
export function ruleName(path: readonly string[], fromPackage: readonly string[]): string {
  const inPackage = path.length > fromPackage.length + 1 && fromPackage.every((s, i) => path[i + 1] === s);
  return inPackage ? path.slice(fromPackage.length + 1).join(".") : path.join(".");
}

/** Indexes every rule by its data path and rejects conflicting definitions. */
export class Program {
  readonly groups = new Map<string, RuleGroup>();
  /** The rule groups as a tree below `data`, children in source order. */
  readonly root: TreeNode = { path: [], children: new Map() };
  /** Package path key → the first segments of its rules' names. */
  private readonly packageRules = new Map<string, Set<string>>();
  private readonly scopes = new Map<Module, ModuleScope>();

  constructor(readonly modules: Module[]) {
    for (const m of modules) {
      const names = this.packageRules.get(pathKey(m.package)) ?? new Set<string>();
      this.packageRules.set(pathKey(m.package), names);
      for (const rule of m.rules) {
        names.add(rule.head.path[0]);
        this.add(m, rule);
      }
    }
    this.checkPrefixes();
    for (const g of this.groups.values()) {
      let node = this.root;
      for (const seg of g.path.slice(1)) {
        let child = node.children.get(seg);
        if (!child) {
          child = { path: [...node.path, seg], children: new Map() };
          node.children.set(seg, child);
        }
        node = child;
      }
      node.rule = g;
    }
  }

  /** The names visible in a module's rules; made on first use, then shared. */
  scope(module: Module): ModuleScope {
    let scope = this.scopes.get(module);
    if (!scope) {
      scope = new ModuleScope(this, module);
      this.scopes.set(module, scope);
    }
    return scope;
  }

  /** The tree node at a path below `data`, or undefined when the path leaves the tree. */
  node(path: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    for (const seg of path) {
      node = node.children.get(seg);
      if (!node) return undefined;
    }
    return node;
  }

  rulesOfPackage(pkg: readonly string[]): ReadonlySet<string> {
    return this.packageRules.get(pathKey(pkg)) ?? new Set();
  }

  group(path: readonly string[]): RuleGroup | undefined {
    return this.groups.get(pathKey(path));
  }

  private add(m: Module, rule: Rule): void {
    const path = ["data", ...m.package, ...rule.head.path];
    const name = rule.head.path.join(".");
    const existing = this.groups.get(pathKey(path));
    if (!existing) {
      this.groups.set(pathKey(path), { path, kind: rule.head.kind, definitions: [{ rule, module: m }], arity: rule.head.args?.length ?? 0 });
      return;
    }
    const first = existing.definitions[0].rule;
    if (existing.kind !== rule.head.kind) {
      throw new CompileError(
        rule.head.loc,
        `rule \`${name}\` is ${KIND_NAMES[rule.head.kind]} here but ${KIND_NAMES[existing.kind]} at ${where(first.head.loc)}`,
        "rules of one name must all be of the same kind; rename one of them",
      );
    }
    if (rule.head.kind === "function" && rule.head.args!.length !== first.head.args!.length) {
      throw new CompileError(
        rule.head.loc,
        `function \`${name}\` takes ${plural(rule.head.args!.length, "argument")} here but ${first.head.args!.length} at ${where(first.head.loc)}`,
      );
    }
    if (rule.default) {
      const other = existing.definitions.find((d) => d.rule.default);
      if (other) {
        throw new CompileError(rule.loc, `more than one default for rule \`${name}\` (the first is at ${where(other.rule.loc)})`, "keep a single `default` rule");
      }
    }
    existing.definitions.push({ rule, module: m });
  }

  /** A rule cannot sit below another rule (`a.b` and `a.b.c`) nor hold a package's path. */
  private checkPrefixes(): void {
    for (const g of this.groups.values()) {
      for (let n = 2; n < g.path.length; n++) {
        const above = this.groups.get(pathKey(g.path.slice(0, n)));
        if (above) {
          throw new CompileError(
            g.definitions[0].rule.head.loc,
            `rule \`${g.path.join(".")}\` conflicts with rule \`${above.path.join(".")}\` at ${where(above.definitions[0].rule.head.loc)}`,
            "a rule's value cannot also hold other rules; rename one of them",
          );
        }
      }
    }
    for (const m of this.modules) {
      for (let n = 2; n <= m.package.length + 1; n++) {
        const rule = this.groups.get(pathKey(["data", ...m.package].slice(0, n)));
        if (rule) {
          throw new CompileError(
            rule.definitions[0].rule.head.loc,
            `rule \`${rule.path.join(".")}\` conflicts with package \`${m.package.join(".")}\` at ${where(m.loc)}`,
            "rename the rule or the package",
          );
        }
      }
    }
  }
}

export type Callee = { kind: "builtin"; decl: BuiltinDecl } | { kind: "function"; group: RuleGroup };

/** The names one module's rules can use: input, data, its imports, its package's rules. */
export class ModuleScope {
  /** Import alias → full path (starting with data or input). */
  readonly imports = new Map<string, string[]>();
  readonly packageRules: ReadonlySet<string>;

  constructor(
    readonly program: Program,
    readonly module: Module,
  ) {
    this.packageRules = program.rulesOfPackage(module.package);
    for (const imp of module.imports) {
      const root = imp.path[0];
      if (root !== "data" && root !== "input") continue;
      const alias = imp.alias ?? imp.path[imp.path.length - 1];
      if (this.imports.has(alias)) {
        throw new CompileError(imp.loc, `import \`${alias}\` is declared twice`, "give one of the imports another name with `as`");
      }
      if (this.packageRules.has(alias)) {
        throw new CompileError(imp.loc, `import \`${alias}\` has the name of a rule of package \`${module.package.join(".")}\``, "import it under another name with `as`");
      }
      this.imports.set(alias, imp.path);
    }
  }

  /** Names that refer to documents rather than local variables, unless declared locally. */
  isGlobalName(name: string): boolean {
    return name === "input" || name === "data" || this.imports.has(name) || this.packageRules.has(name);
  }

  /** The full document path a global name stands for: `input`, `data…`, an import, a package rule. */
  globalPath(name: string): string[] | undefined {
    if (name === "input" || name === "data") return [name];
    const imported = this.imports.get(name);
    if (imported) return imported;
    if (this.packageRules.has(name)) return ["data", ...this.module.package, name];
    return undefined;
  }

  /**
   * The data path a term refers to up to its first non-constant operand (`data.lib.x[i]` →
   * data.lib.x), when its head is a global name not shadowed by `locals`.
   */
  documentPath(t: Term, locals: ReadonlySet<string>): string[] | undefined {
    const head = t.type === "ref" ? t.head : t;
    if (head.type !== "var" || locals.has(head.name)) return undefined;
    const base = this.globalPath(head.name);
    if (!base) return undefined;
    const path = [...base];
    if (t.type === "ref") {
      for (const p of t.path) {
        if (p.type !== "string") break;
        path.push(p.value);
      }
    }
    return path;
  }

  /**
   * Resolves a call to a built-in or a user function, checking that it exists and its arity;
   * with `outputArgument`, one argument more is accepted (a call standing as an expression).
   */
  resolveCall(call: CallTerm, options: { outputArgument?: boolean } = {}): Callee {
    const extra = options.outputArgument ? 1 : 0;
    const [first, ...rest] = call.op;
    const name = call.op.join(".");
    let path: string[] | undefined;
    if (first === "data" || first === "input") path = call.op;
    else if (this.imports.has(first)) path = [...this.imports.get(first)!, ...rest];
    else if (this.packageRules.has(first)) path = ["data", ...this.module.package, ...call.op];

    if (!path) {
      const decl = BUILTINS.get(name);
      if (!decl) {
        throw new CompileError(call.opLoc, `undefined function ${name}`, "it is neither a supported built-in nor a function defined in any module");
      }
      if (decl.arity !== VARIADIC) checkArity(call, name, decl.arity, extra);
      return { kind: "builtin", decl };
    }
    if (path[0] !== "data") throw new CompileError(call.opLoc, `\`${name}\` refers to input and cannot be called`);
    const group = this.program.group(path);
    if (!group) {
      throw new CompileError(call.opLoc, `undefined function ${name}`, `no module defines \`${path.join(".")}\``);
    }
    if (group.kind !== "function") {
      throw new CompileError(call.opLoc, `\`${name}\` is ${KIND_NAMES[group.kind]}, not a function`, "refer to it without parentheses");
    }
    checkArity(call, name, group.arity, extra);
    return { kind: "function", group };
  }
}

function checkArity(call: CallTerm, name: string, arity: number, extra: number): void {
  if (call.args.length !== arity && call.args.length !== arity + extra) {
    throw new CompileError(call.opLoc, `arity mismatch: ${name} takes ${plural(arity, "argument")}, got ${call.args.length}`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
