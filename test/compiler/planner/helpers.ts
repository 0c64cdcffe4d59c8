import { checkModules } from "../../../src/compiler/check/index.ts";
import { planPolicy } from "../../../src/compiler/planner/index.ts";
import { parseModule } from "../../../src/compiler/syntax/index.ts";
import type { Block, Policy, Stmt } from "../../../src/compiler/ir/types.ts";
import { forEachStmt } from "../../../src/compiler/ir/walk.ts";
import { Interpreter } from "./ir-interpreter.ts";

/** Checks and plans Rego v1 sources (one module per string, named m0.rego, m1.rego …). */
export function plan(sources: string | string[], entrypoints: string[], regoVersion: 0 | 1 = 1): Policy {
  const list = typeof sources === "string" ? [sources] : sources;
  return planPolicy(
    checkModules(list.map((text, i) => parseModule(text, `m${i}.rego`, { regoVersion }))),
    entrypoints,
  );
}

/** The result set of one entrypoint, as the SDK returns it: `[]` or `[{result}]`. */
export function run(sources: string | string[], entrypoint: string, input: unknown = {}, data: unknown = {}): unknown[] {
  return new Interpreter(plan(sources, [entrypoint])).run(entrypoint, input, data);
}

/** The entrypoint's value, or undefined when the result set is empty. */
export function value(sources: string | string[], entrypoint: string, input: unknown = {}, data: unknown = {}): unknown {
  const results = run(sources, entrypoint, input, data);
  if (results.length > 1) throw new Error(`several results: ${JSON.stringify(results)}`);
  return (results[0] as { result: unknown } | undefined)?.result;
}

/** Every statement of the blocks, nested ones included, in order. */
export function allStmts(blocks: Block[]): Stmt[] {
  const out: Stmt[] = [];
  forEachStmt(blocks, (s) => out.push(s));
  return out;
}
