// Runs the generated CEL policies (out/kyverno, out/kyverno-clusterpolicy, out/vap, out/gatekeeper
// K8sNativeValidation) on
// a fixture's object with @marcbachmann/cel-js, as the admission engine would: pick what matches
// the object, evaluate the variables in order, then each validation, and collect the messages
// of the failing ones.
//
// Differences from a cluster, on purpose:
// - Kyverno and VAP inline parameter values. A fixture that sets parameters gets its policy
//   generated again in memory from the built-in rule, with the rule's defaults overridden by
//   the fixture's values (as fixtures define them); the generator and lowering are the same.
// - One CEL message may carry several violations joined by MESSAGE_SEPARATOR; they are split
//   apart here so they compare with a fixture's list (a message containing "; " itself would
//   be split too). Compare them as a multiset: CEL visits map entries in unspecified order.
// - Variables are evaluated eagerly in order (Kubernetes evaluates them lazily): an erroring
//   variable no validation reads fails here, not there.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Environment } from "@marcbachmann/cel-js";
import { parseAllDocuments } from "yaml";
import { kyverno } from "../../generators/kyverno.ts";
import { kyvernoClusterPolicy, kyvernoKind } from "../../generators/kyverno-clusterpolicy.ts";
import type { Generator } from "../../generators/types.ts";
import { resourceName } from "../../generators/admission.ts";
import { vap } from "../../generators/vap.ts";
import type { Fixture } from "../../src/catalog/fixtures.ts";
import { MESSAGE_SEPARATOR } from "../../src/lower/reference/evaluate.ts";
import { type Json, type Rule, defaultParams } from "../../src/model/index.ts";
import { testConfig } from "../generators/generator-inputs.ts";

export type CelEngine = "kyverno" | "kyverno-clusterpolicy" | "vap" | "gatekeeper-cel";

const OUT_DIR = fileURLToPath(new URL("../../out/", import.meta.url));
const RULES_DIR = new URL("../../rules/", import.meta.url);

const BUILTIN_RULES: ReadonlyMap<string, Rule> = new Map(
  await Promise.all(
    readdirSync(RULES_DIR)
      .filter((id) => existsSync(new URL(`${id}/rule.ts`, RULES_DIR)))
      .map(async (id) => {
        const module = (await import(new URL(`${id}/rule.ts`, RULES_DIR).href)) as { default: Rule };
        return [module.default.id, module.default] as const;
      }),
  ),
);

/** The environment Kubernetes gives CEL, as far as the generated policies use it. */
export const celEnvironment = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true });

// Kubernetes' matches() is RE2; the engine's runs a JavaScript RegExp, which rejects RE2's `(?i)`
// flag. The engine's built-in cannot be replaced, so compiled expressions call this stand-in,
// which reads patterns as the reference evaluator does (a leading `(?i)` becomes the `i` flag).
celEnvironment.registerFunction("string.re2Matches(string): bool", (subject: string, pattern: string) =>
  pattern.startsWith("(?i)") ? new RegExp(pattern.slice(4), "iu").test(subject) : new RegExp(pattern, "u").test(subject),
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

function readYaml(outDir: string, relative: string): unknown[] {
  const text = readFileSync(join(outDir, relative), "utf8");
  return parseAllDocuments(text).map((doc) => doc.toJS());
}

/** The policy file, from out/ or (fixture parameters) generated anew in memory. */
function policyDocuments(outDir: string, rules: ReadonlyMap<string, Rule>, generator: Generator, ruleId: string, fixture: Fixture): unknown[] {
  const path = `${generator.name}/${ruleId}.yaml`;
  if (Object.keys(fixture.parameters).length === 0) return readYaml(outDir, path);
  const rule = rules.get(ruleId);
  if (!rule) throw new Error(`${fixture.file}: sets parameters, but ${ruleId} is no known rule to generate ${path} from`);
  const config = testConfig({ profiles: [] });
  const params = { ...defaultParams(rule), ...fixture.parameters };
  const file = generator.generate([{ rule, params, enforcement: "deny", file: rule.id }], config).find((f) => f.path === path)!;
  return parseAllDocuments(file.content).map((doc) => doc.toJS());
}

function groupVersion(object: Fixture["object"]): { group: string; version: string } {
  const apiVersion = String(object.apiVersion);
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function namespaceOf(object: Fixture["object"]): string | undefined {
  const metadata = object.metadata as { namespace?: string } | undefined;
  return metadata?.namespace;
}

type KyvernoFilter = { any: Array<{ resources: { kinds?: string[]; namespaces?: string[]; operations?: string[] } }> };
interface KyvernoPolicy {
  spec: {
    rules: Array<{
      name: string;
      match: KyvernoFilter;
      exclude?: KyvernoFilter;
      validate: { cel: { variables?: CelProgram["variables"]; expressions: CelProgram["validations"] } };
    }>;
  };
}

/** What a Kyverno ClusterPolicy (parsed) reports for the fixture's object. */
export function kyvernoClusterPolicyViolations(documents: unknown[], fixture: Fixture, where: string): string[] {
  const [policy] = documents as [KyvernoPolicy];
  const { group, version } = groupVersion(fixture.object);
  const kindName = kyvernoKind({ group, version, kind: String(fixture.object.kind) });
  const namespace = namespaceOf(fixture.object);
  const rules = policy.spec.rules.filter(
    (rule) =>
      rule.match.any.some((f) => f.resources.kinds?.includes(kindName) && (f.resources.operations?.includes(fixture.operation) ?? true)) &&
      !(rule.exclude?.any.some((f) => namespace !== undefined && f.resources.namespaces?.includes(namespace)) ?? false),
  );
  const bindings = { object: toCel(fixture.object), oldObject: fixture.operation === "UPDATE" ? toCel(fixture.object) : null };
  return rules.flatMap((rule) =>
    runCelProgram(
      { variables: rule.validate.cel.variables ?? [], validations: rule.validate.cel.expressions },
      bindings,
      {},
      `${where} rule ${rule.name}`,
    ),
  );
}

type NamespaceSelector = { matchExpressions: Array<{ key: string; operator: string; values: string[] }> };
/** The spec of a ValidatingAdmissionPolicy, and of a Kyverno ValidatingPolicy, which extends it. */
interface AdmissionPolicySpec {
  matchConstraints: {
    resourceRules: Array<{ apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }>;
    namespaceSelector?: NamespaceSelector;
  };
  variables?: CelProgram["variables"];
  validations: CelProgram["validations"];
}
interface VapBinding {
  spec: { matchResources?: { namespaceSelector: NamespaceSelector } };
}

/** What a ValidatingAdmissionPolicy and its binding (parsed) report for the fixture's object. */
export function vapPolicyViolations(documents: unknown[], fixture: Fixture, where: string): string[] {
  const [policy, binding] = documents as [{ spec: AdmissionPolicySpec }, VapBinding];
  return admissionPolicyViolations(policy.spec, binding.spec.matchResources?.namespaceSelector, fixture, where);
}

/** What a Kyverno ValidatingPolicy (parsed) reports: a VAP whose spec carries its own namespaceSelector. */
export function kyvernoPolicyViolations(documents: unknown[], fixture: Fixture, where: string): string[] {
  const [policy] = documents as [{ spec: AdmissionPolicySpec }];
  return admissionPolicyViolations(policy.spec, policy.spec.matchConstraints.namespaceSelector, fixture, where);
}

function admissionPolicyViolations(spec: AdmissionPolicySpec, selector: NamespaceSelector | undefined, fixture: Fixture, where: string): string[] {
  const { group, version } = groupVersion(fixture.object);
  const resource = resourceName(String(fixture.object.kind));
  const matches = spec.matchConstraints.resourceRules.some(
    (r) => r.apiGroups.includes(group) && r.apiVersions.includes(version) && r.operations.includes(fixture.operation) && r.resources.includes(resource),
  );
  const namespace = namespaceOf(fixture.object) ?? "";
  const excluded = (selector?.matchExpressions ?? []).some(
    (e) => e.key === "kubernetes.io/metadata.name" && e.operator === "NotIn" && e.values.includes(namespace),
  );
  if (!matches || excluded) return [];
  const bindings = { object: toCel(fixture.object), oldObject: fixture.operation === "UPDATE" ? toCel(fixture.object) : null };
  return runCelProgram({ variables: spec.variables ?? [], validations: spec.validations }, bindings, {}, where);
}

interface ConstraintTemplate {
  spec: { targets: Array<{ code?: Array<{ engine: string; source: { variables?: CelProgram["variables"]; validations: CelProgram["validations"] } }> }> };
}
interface Constraint {
  spec: { match?: { kinds?: Array<{ apiGroups: string[]; kinds: string[] }>; excludedNamespaces?: string[] }; parameters?: Record<string, Json> };
}

function gatekeeperViolations(outDir: string, ruleId: string, fixture: Fixture): string[] {
  const [template] = readYaml(outDir, `gatekeeper/templates/${ruleId}.yaml`) as [ConstraintTemplate];
  const [constraint] = readYaml(outDir, `gatekeeper/constraints/${ruleId}.yaml`) as [Constraint];
  const code = template.spec.targets.flatMap((t) => t.code ?? []).find((c) => c.engine === "K8sNativeValidation");
  if (!code) throw new Error(`gatekeeper/templates/${ruleId}.yaml has no K8sNativeValidation code`);
  const { group } = groupVersion(fixture.object);
  const kind = String(fixture.object.kind);
  const kinds = constraint.spec.match?.kinds;
  const matches =
    kinds === undefined ||
    kinds.some((k) => (k.apiGroups.includes("*") || k.apiGroups.includes(group)) && (k.kinds.includes("*") || k.kinds.includes(kind)));
  const namespace = namespaceOf(fixture.object);
  if (!matches || (namespace !== undefined && constraint.spec.match?.excludedNamespaces?.includes(namespace))) return [];
  const parameters = { ...constraint.spec.parameters, ...fixture.parameters };
  const object = toCel(fixture.object);
  const preset = { params: Object.keys(parameters).length === 0 ? null : toCel(parameters), anyObject: object };
  return runCelProgram(
    { variables: code.source.variables ?? [], validations: code.source.validations },
    { object, oldObject: fixture.operation === "UPDATE" ? object : null },
    preset,
    `gatekeeper/templates/${ruleId}.yaml`,
  );
}

/**
 * celViolations over the build output in `outDir` (out/ by default); `rules` are those a fixture
 * that sets parameters can have its Kyverno and VAP policy generated anew from (those inline
 * parameter values).
 */
export function celViolationsIn(outDir: string, rules: ReadonlyMap<string, Rule> = BUILTIN_RULES) {
  return (engine: CelEngine, ruleId: string, fixture: Fixture): string[] => {
    switch (engine) {
      case "kyverno":
        return kyvernoPolicyViolations(policyDocuments(outDir, rules, kyverno, ruleId, fixture), fixture, `kyverno/${ruleId}.yaml`);
      case "kyverno-clusterpolicy": {
        const documents = policyDocuments(outDir, rules, kyvernoClusterPolicy, ruleId, fixture);
        return kyvernoClusterPolicyViolations(documents, fixture, `kyverno-clusterpolicy/${ruleId}.yaml`);
      }
      case "vap":
        return vapPolicyViolations(policyDocuments(outDir, rules, vap, ruleId, fixture), fixture, `vap/${ruleId}.yaml`);
      case "gatekeeper-cel":
        return gatekeeperViolations(outDir, ruleId, fixture);
    }
  };
}

/** The violation messages `engine`'s generated policy for `ruleId` in out/ reports for the fixture's object. */
export const celViolations = celViolationsIn(OUT_DIR);
