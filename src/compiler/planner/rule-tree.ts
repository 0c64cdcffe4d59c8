// The virtual document tree: every rule of every module hung at its full data path. The planner
// walks it to decide, for each `data.…` reference, which part is a rule to call, which is a
// package document to build, and which is base data passed in by the host.
import type { Import, Module, Rule, RuleKind } from "../ast/types.ts";
import { CompileError } from "../errors.ts";

/** One definition of a rule, with the module it came from (for its package and imports). */
export interface RuleDef {
  rule: Rule;
  module: ModuleScope;
}

/** All definitions of the rule at one data path. */
export interface RuleGroup {
  path: string[];
  kind: RuleKind;
  defs: RuleDef[];
  default?: RuleDef;
  /** Number of parameters, for functions. */
  arity: number;
}

export interface TreeNode {
  path: string[];
  children: Map<string, TreeNode>;
  rule?: RuleGroup;
}

/** What a module's rule bodies can see by bare name: its package's rules and its imports. */
export interface ModuleScope {
  file: string;
  package: string[];
  /** Alias → imported path, starting with "data" or "input". */
  imports: Map<string, string[]>;
  /** First path segments of the rules of this package (across all its modules). */
  ruleNames: Set<string>;
}

export function buildRuleTree(modules: Module[]): TreeNode {
  const root: TreeNode = { path: [], children: new Map() };
  const ruleNamesByPackage = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.package.join(".");
    const names = ruleNamesByPackage.get(key) ?? new Set<string>();
    ruleNamesByPackage.set(key, names);
    for (const r of m.rules) names.add(r.head.path[0]);
  }
  for (const m of modules) {
    const scope: ModuleScope = {
      file: m.file,
      package: m.package,
      imports: importMap(m.imports),
      ruleNames: ruleNamesByPackage.get(m.package.join("."))!,
    };
    for (const rule of m.rules) addRule(root, rule, scope);
  }
  return root;
}

function importMap(imports: Import[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const imp of imports) {
    const [head] = imp.path;
    // `rego.v1` and `future.keywords…` only switch syntax on; the parser has already used them.
    if (head !== "data" && head !== "input") continue;
    const alias = imp.alias ?? imp.path[imp.path.length - 1];
    map.set(alias, imp.path);
  }
  return map;
}

function addRule(root: TreeNode, rule: Rule, module: ModuleScope): void {
  const path = [...module.package, ...rule.head.path];
  let node = root;
  for (const seg of path) {
    if (node.rule) {
      throw new CompileError(rule.loc, `rule ${path.join(".")} is defined inside the value of rule ${node.path.join(".")}`, "rules cannot be nested below other rules");
    }
    let child = node.children.get(seg);
    if (!child) {
      child = { path: [...node.path, seg], children: new Map() };
      node.children.set(seg, child);
    }
    node = child;
  }
  if (node.children.size > 0) {
    throw new CompileError(rule.loc, `rule ${path.join(".")} has the same path as a package or a longer rule`, "rename the rule");
  }
  const kind = rule.head.kind;
  const arity = rule.head.args?.length ?? 0;
  const group = (node.rule ??= { path, kind, defs: [], arity });
  if (group.kind !== kind || group.arity !== arity) {
    throw new CompileError(rule.loc, `rule ${path.join(".")} is defined with different kinds or arities`, "every definition of a rule must have the same head form");
  }
  if (rule.else && (kind === "partialSet" || kind === "partialObject")) {
    throw new CompileError(rule.else.loc, `else on the multi-value rule ${path.join(".")}`, "else is only allowed on complete rules and functions");
  }
  if (rule.default) {
    if (group.default) {
      throw new CompileError(rule.loc, `rule ${path.join(".")} has more than one default`, "keep a single default");
    }
    if (kind === "partialSet" || kind === "partialObject") {
      throw new CompileError(rule.loc, `default on the multi-value rule ${path.join(".")}`, "only complete rules and functions take a default");
    }
    group.default = { rule, module };
  } else {
    group.defs.push({ rule, module });
  }
}

/** The node at a constant path, or undefined when the path leaves the tree. */
export function findNode(root: TreeNode, path: string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const seg of path) {
    node = node.children.get(seg);
    if (!node) return undefined;
  }
  return node;
}

export function describePath(path: string[]): string {
  return ["data", ...path].join(".");
}
