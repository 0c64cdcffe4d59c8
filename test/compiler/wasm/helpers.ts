// Small helpers to write IR by hand, emit it, and load it with OPA's JavaScript SDK.

import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { Block, Func, Operand, Plan, Policy, Stmt } from "../../../src/compiler/ir/types.ts";
import { DATA, INPUT } from "../../../src/compiler/ir/types.ts";
import { emitWasm } from "../../../src/compiler/wasm/index.ts";
import { ensureRuntime } from "../../../src/compiler/runtime/build.ts";

export { DATA, INPUT };

/** Building the runtime can take a while on a busy machine; use in beforeAll. */
export const RUNTIME_BUILD_TIMEOUT = 240_000;
export const prepareRuntime = (): Promise<void> => ensureRuntime();

export const local = (value: number): Operand => ({ type: "local", value });
export const bool = (value: boolean): Operand => ({ type: "bool", value });

export class PolicyBuilder {
  private readonly strings: string[] = [];
  private readonly builtins = new Map<string, number>();
  private readonly plans: Plan[] = [];
  private readonly funcs: Func[] = [];
  readonly files = ["policy.rego"];

  /** Index of s in the string table. */
  index(s: string): number {
    let i = this.strings.indexOf(s);
    if (i < 0) i = this.strings.push(s) - 1;
    return i;
  }

  str(s: string): Operand {
    return { type: "string", value: this.index(s) };
  }

  useBuiltin(name: string, arity: number): this {
    this.builtins.set(name, arity);
    return this;
  }

  plan(name: string, ...blocks: Stmt[][]): this {
    this.plans.push({ name, blocks: blocks.map((stmts) => ({ stmts })) });
    return this;
  }

  func(f: Func): this {
    this.funcs.push(f);
    return this;
  }

  build(): Policy {
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

  async load(): Promise<LoadedPolicy> {
    return loadPolicy(emitWasm(this.build()));
  }
}

export const block = (...stmts: Stmt[]): Block => ({ stmts });

/** A policy whose only entrypoint returns its input unchanged. */
export function echoPolicy(): Promise<LoadedPolicy> {
  return new PolicyBuilder().plan("echo", [{ type: "ResultSetAdd", value: INPUT }]).load();
}

/** A policy calling built-in `name` on the elements of the input array; results as [{result}]. */
export function builtinPolicy(name: string, arity: number): Promise<LoadedPolicy> {
  const b = new PolicyBuilder().useBuiltin(name, arity);
  const stmts: Stmt[] = [];
  const args: Operand[] = [];
  for (let i = 0; i < arity; i++) {
    const target = 10 + i;
    stmts.push({ type: "MakeNumberInt", value: i, target: 30 + i });
    stmts.push({ type: "Dot", source: local(INPUT), key: local(30 + i), target });
    args.push(local(target));
  }
  stmts.push({ type: "Call", func: name, args, result: 20 });
  stmts.push({ type: "ResultSetAdd", value: 20 });
  return b.plan("call", stmts).load();
}

/** Evaluates `name(args...)`; undefined when the call is undefined. */
export function call(policy: LoadedPolicy, ...args: unknown[]): unknown {
  const rs = policy.evaluate(args) as Array<{ result: unknown }>;
  return rs.length === 0 ? undefined : rs[0]!.result;
}
