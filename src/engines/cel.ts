// CEL as the admission engines run it, with @marcbachmann/cel-js: the variables of a policy in
// order, then each validation, collecting the messages of the failing ones.
//
// Differences from a cluster, on purpose:
// - One CEL message may carry several violations joined by MESSAGE_SEPARATOR; they are split
//   apart here so they compare with a list of messages (a message containing "; " itself would be
//   split too). Compare them as a multiset: CEL visits map entries in unspecified order.
// - Variables are evaluated eagerly in order (Kubernetes evaluates them lazily): an erroring
//   variable no validation reads fails here, not there.

import { Environment } from "@marcbachmann/cel-js";
import { parseAllDocuments } from "yaml";
import type { Generator } from "../../generators/types.ts";
import type { Config, EnabledRule } from "../config/types.ts";
import { MESSAGE_SEPARATOR } from "../model/messages.ts";
import { re2Find } from "../model/re2.ts";
import { quantityNanos } from "../model/quantity.ts";
import type { Json } from "../model/index.ts";
import type { GeneratedFiles } from "./generated.ts";
import { type AdmissionRequest, type AdmissionReview, requestObjects } from "./request.ts";

/** The environment Kubernetes gives CEL, as far as the generated policies use it. */
export const celEnvironment = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true });

// Kubernetes' matches() is RE2; the engine's runs a JavaScript RegExp (whose `\s` is Unicode, and
// which rejects RE2's `(?i)` flag). The engine's built-in cannot be replaced, so compiled
// expressions call this stand-in, which matches as RE2 does (model/re2.ts).
celEnvironment.registerFunction("string.re2Matches(string): bool", (subject: string, pattern: string) => re2Find(pattern, subject));

// Kubernetes' quantity library (k8s.io/apiserver's cel/library, in the base environment since
// 1.29), as far as the generated policies use it: quantity(string) and compareTo. A quantity is
// its value in nano units (model/quantity.ts parses as Kubernetes does); text that is no quantity
// is an error, as it is there.
class Quantity {
  constructor(readonly nanos: bigint) {}
}
celEnvironment.registerType("kubernetes.Quantity", Quantity);
celEnvironment.registerFunction("quantity(string): kubernetes.Quantity", (text: string) => {
  const nanos = quantityNanos(text);
  if (nanos === undefined) throw new Error(`quantities must match the regular expression: ${text}`);
  return new Quantity(nanos);
});
celEnvironment.registerFunction("kubernetes.Quantity.compareTo(kubernetes.Quantity): int", (left: Quantity, right: Quantity) =>
  left.nanos < right.nanos ? -1n : left.nanos > right.nanos ? 1n : 0n,
);

interface AstNode {
  op: string;
  args: unknown;
}
const isAstNode = (value: unknown): value is AstNode => typeof value === "object" && value !== null && "op" in value && "args" in value;

function useRe2(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(useRe2);
  if (!isAstNode(node)) return;
  // A method call is {op: "rcall", args: [name, receiver, arguments]}.
  if (node.op === "rcall" && Array.isArray(node.args) && node.args[0] === "matches") node.args[0] = "re2Matches";
  useRe2(node.args);
}

export type Program = (activation: Record<string, unknown>) => unknown;
const compiled = new Map<string, Program>();

/** A fresh program for `expression`, its AST open to rewriting until first evaluated. */
export function parseProgram(expression: string): Program & { ast: unknown } {
  const parsed = celEnvironment.parse(expression) as unknown as Program & { ast: unknown };
  useRe2(parsed.ast);
  return parsed;
}

function compile(expression: string): Program {
  let program = compiled.get(expression);
  if (!program) {
    program = parseProgram(expression);
    compiled.set(expression, program);
  }
  return program;
}

/** A JSON value as Kubernetes hands it to CEL: integers as int, other numbers as double. */
export function toCel(value: Json): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/** A policy's CEL: its variables and validations, as every engine's YAML spells them. */
export interface CelProgram {
  variables: Array<{ name: string; expression: string }>;
  validations: Array<{ expression: string; messageExpression: string }>;
}

function evaluate(expression: string, activation: Record<string, unknown>, where: string): unknown {
  try {
    return compile(expression)(activation);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}\n  in: ${expression}`);
  }
}

/**
 * The messages of the failing validations, each split into its per-element messages.
 * `bindings` are the top-level variables (`object`, ...); `preset` the variables an engine
 * defines before the program's own (Gatekeeper's `params`, `anyObject`).
 */
export function runCelProgram(program: CelProgram, bindings: Record<string, unknown>, preset: Record<string, unknown> = {}, where = "CEL"): string[] {
  const variables: Record<string, unknown> = { ...preset };
  const activation = { ...bindings, variables };
  for (const variable of program.variables) {
    variables[variable.name] = evaluate(variable.expression, activation, `${where}: variable ${variable.name}`);
  }
  return program.validations.flatMap((validation, i) => {
    const ok = evaluate(validation.expression, activation, `${where}: validation ${i}`);
    if (typeof ok !== "boolean") throw new Error(`${where}: validation ${i} yields ${typeof ok}, not bool`);
    if (ok) return [];
    const message = evaluate(validation.messageExpression, activation, `${where}: validation ${i} messageExpression`);
    if (typeof message !== "string") throw new Error(`${where}: validation ${i} message is ${typeof message}, not string`);
    return message.split(MESSAGE_SEPARATOR);
  });
}

/** A condition a policy's CEL runs under (matchConditions): the validations run only when all hold. */
export interface MatchCondition {
  name: string;
  expression: string;
}

/** Whether every match condition holds for `bindings`; one that yields no boolean is an error. */
export function matchConditionsHold(conditions: readonly MatchCondition[], bindings: Record<string, unknown>, where = "CEL"): boolean {
  return conditions.every((condition) => {
    const holds = evaluate(condition.expression, { ...bindings, variables: {} }, `${where}: matchCondition ${condition.name}`);
    if (typeof holds !== "boolean") throw new Error(`${where}: matchCondition ${condition.name} yields ${typeof holds}, not bool`);
    return holds;
  });
}

/** `object`, `oldObject` and `request` (its operation) as the API server binds them. */
export function celBindings(request: AdmissionReview): Record<string, unknown> {
  const { object, oldObject } = requestObjects(request);
  return { object: object === null ? null : toCel(object), oldObject: oldObject === null ? null : toCel(oldObject), request: { operation: request.operation } };
}

/** What a policy generated for a rule with its parameter values inlined needs to be generated again. */
export interface Regeneration {
  /** The rule as enabled (with its parameters), from the loaded catalog. */
  rule: EnabledRule | undefined;
  /** The configuration the files were generated with. */
  config: Config;
}

/**
 * The documents of `generator`'s file for the rule: as generated, or, for a request with
 * parameters, generated again in memory from the enabled rule with its parameters overridden by
 * the request's values (Kyverno and VAP inline parameter values; the generator and lowering are the
 * same).
 */
export function inlinedPolicy(files: GeneratedFiles, generator: Generator, ruleId: string, request: AdmissionRequest, regeneration: Regeneration): unknown[] {
  const path = `${generator.name}/${ruleId}.yaml`;
  const parse = (text: string) => parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  if (Object.keys(request.parameters).length === 0) return parse(files.read(path));
  const { rule, config } = regeneration;
  if (!rule) throw new Error(`${path}: parameters given, but ${ruleId} is no loaded rule to generate the policy from`);
  const file = generator.generate([{ ...rule, params: { ...rule.params, ...request.parameters } }], config).find((f) => f.path === path);
  if (!file) throw new Error(`${path}: the ${generator.name} generator made no such file for ${ruleId}`);
  return parse(file.content);
}
