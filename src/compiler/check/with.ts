// `with` targets: a document below input or data, or a function (a built-in, or a user function
// by any name that reaches it), which is mocked as Rego unit tests do. A function's replacement is
// another function of the same arity, called instead, or a value, which every call returns.
// Invalid targets are refused with OPA's wording.

import type { Rule, Term, With } from "../ast/types.ts";
import { BUILTINS, VARIADIC } from "../builtins.ts";
import { CompileError } from "../errors.ts";
import { formatTerm } from "../syntax/format.ts";
import type { Callee, ModuleScope } from "./scope.ts";
import { walkRuleBodies } from "./walk.ts";

/** A `with` that replaces a function. */
export interface FunctionMock {
  target: Callee;
  /** The function called instead; undefined when the `with` value is a value every call returns. */
  replacement?: Callee;
}

/** Built-ins OPA refuses to replace besides the internal ones. */
const IRREPLACEABLE = new Set(["eq", "rego.metadata.chain", "rego.metadata.rule"]);

/** The name calls are matched by: a built-in's name, or a user function's full path (`data.pkg.f`). */
export function functionName(callee: Callee): string {
  return callee.kind === "builtin" ? callee.decl.name : callee.group.path.join(".");
}

function arity(callee: Callee): number {
  return callee.kind === "builtin" ? callee.decl.arity : callee.group.arity;
}

/**
 * Checks the target of every `with` in a rule and records in `mocks` those that replace a
 * function. `locals` are the rule's declared names, which shadow rules, imports and built-ins.
 */
export function checkWithTargets(rule: Rule, scope: ModuleScope, locals: ReadonlySet<string>, mocks: Map<With, FunctionMock>): void {
  walkRuleBodies(rule, (body) => {
    for (const e of body) {
      for (const w of e.with) {
        const target = withTarget(w, scope, locals);
        if (target) mocks.set(w, mockOf(w, target, scope, locals));
      }
    }
  });
}

/** The function a `with` replaces, or undefined when it replaces a document. */
function withTarget(w: With, scope: ModuleScope, locals: ReadonlySet<string>): Callee | undefined {
  const head = w.target.type === "ref" ? w.target.head : w.target;
  const global = head.type === "var" && !locals.has(head.name);
  const path = global ? scope.globalPath(head.name) : undefined;
  if (path?.[0] === "input") return undefined;
  if (path?.[0] === "data") return functionNamed(w.target, scope, locals);
  const name = formatTerm(w.target);
  if (IRREPLACEABLE.has(name)) throw new CompileError(w.target.loc, `with keyword replacing built-in function: replacement of "${name}" invalid`);
  if (name.startsWith("internal.")) {
    throw new CompileError(w.target.loc, `with keyword replacing built-in function: replacement of internal function "${name}" invalid`);
  }
  const decl = global ? BUILTINS.get(name) : undefined;
  if (!decl) throw new CompileError(w.target.loc, "with keyword target must reference existing input, data, or a function");
  // print, the one variadic built-in, returns nothing
  if (decl.arity === VARIADIC) throw new CompileError(w.target.loc, "with keyword replacing built-in function: target must not be a void function");
  return { kind: "builtin", decl };
}

function mockOf(w: With, target: Callee, scope: ModuleScope, locals: ReadonlySet<string>): FunctionMock {
  const replacement = functionNamed(w.value, scope, locals);
  if (replacement && arity(replacement) !== arity(target)) {
    const name = functionName(target);
    throw new CompileError(
      w.loc,
      `${name}: arity mismatch`,
      `${name} takes ${arity(target)} argument(s), ${functionName(replacement)} takes ${arity(replacement)}; a replacing function takes as many as the one it replaces`,
    );
  }
  return { target, replacement };
}

/** The function a var or constant ref names (`f`, `lib.f`, `data.pkg.f`, `count`, `time.now_ns`), if any. */
function functionNamed(t: Term, scope: ModuleScope, locals: ReadonlySet<string>): Callee | undefined {
  const head = t.type === "ref" ? t.head : t;
  if (head.type !== "var" || locals.has(head.name)) return undefined;
  if (t.type === "ref" && t.path.some((p) => p.type !== "string")) return undefined;
  const path = scope.documentPath(t, locals);
  if (!path) {
    const decl = BUILTINS.get(formatTerm(t));
    return decl && decl.arity !== VARIADIC ? { kind: "builtin", decl } : undefined;
  }
  const group = path[0] === "data" ? scope.program.group(path) : undefined;
  return group?.kind === "function" ? { kind: "function", group } : undefined;
}
