// The engines a scan checks objects with; every call into the Gatekeeper pack is in this file.
//
// pack (the default): the Gatekeeper ConstraintTemplates and Constraints the build would write for
// the enabled rules, generated in memory, every template's Rego compiled into ONE Wasm module
// (compilePack) once per run, and each object evaluated as Gatekeeper's input.review of its
// creation: what is scanned is the Rego that ships, with each Constraint's match and parameters.
// reference: the reference evaluator (src/lower/reference) on each enabled rule, with the
// Constraints' excluded namespaces applied the same way.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse } from "yaml";
import { gatekeeper } from "../../generators/gatekeeper.ts";
import { compilePack, type ConstraintMatch, packData, type PackRule } from "../compiler/pack.ts";
import type { Config, EnabledRule } from "../config/types.ts";
import { evaluate } from "../lower/reference/evaluate.ts";
import type { Json } from "../model/index.ts";
import { groupVersionKind, nameAndNamespace } from "./object.ts";
import type { FieldPath } from "./types.ts";

export const ENGINES = ["pack", "reference"] as const;
export type EngineName = (typeof ENGINES)[number];

/** One violation of one rule by one object. */
export interface RuleViolation {
  ruleId: string;
  message: string;
  /** The offending field, when the engine knows it. */
  path?: FieldPath;
}

export interface Engine {
  /** The violations of `object` against every enabled rule, by rule id, each rule's in the engine's order. */
  check(object: { [key: string]: Json }): RuleViolation[];
}

export async function loadEngine(name: EngineName, rules: EnabledRule[], config: Config): Promise<Engine> {
  return name === "pack" ? loadPack(rules, config) : referenceEngine(rules, config);
}

interface Constraint {
  spec: { match?: ConstraintMatch; parameters?: Record<string, Json> };
}

async function loadPack(rules: EnabledRule[], config: Config): Promise<Engine> {
  const files = new Map(gatekeeper.generate(rules, config).map((file) => [file.path, file.content]));
  const parameters: Record<string, Json> = {};
  const packRules = rules.map(({ rule }): PackRule => {
    const templatePath = `gatekeeper/templates/${rule.id}.yaml`;
    const constraint = parse(files.get(`gatekeeper/constraints/${rule.id}.yaml`)!) as Constraint;
    parameters[rule.id] = constraint.spec.parameters ?? {};
    return { id: rule.id, template: { file: templatePath, text: files.get(templatePath)! }, match: constraint.spec.match };
  });
  const { wasm, entrypoint } = compilePack(packRules);
  const policy = await loadPolicy(wasm);
  policy.setData(packData(parameters));
  const utf8 = new TextEncoder();
  return {
    check(object) {
      // Handed as JSON bytes: opa-wasm copies them into the module's memory as they are.
      const input = utf8.encode(`{"review":${JSON.stringify(admissionReview(object))}}`);
      const [result] = policy.evaluate(input.buffer as ArrayBuffer, entrypoint) as Array<{ result: Record<string, string[]> }>;
      const byRule = result?.result ?? {};
      return Object.keys(byRule)
        .sort()
        .flatMap((ruleId) => byRule[ruleId]!.map((message) => ({ ruleId, message })));
    },
  };
}

function referenceEngine(rules: EnabledRule[], config: Config): Engine {
  const excluded = new Set(config.excludedNamespaces);
  return {
    check(object) {
      const { namespace } = nameAndNamespace(object);
      if (namespace !== undefined && excluded.has(namespace)) return [];
      return rules.flatMap(({ rule, params }) => evaluate(rule, object, params).map((v) => ({ ruleId: v.rule, message: v.message })));
    },
  };
}

/** Gatekeeper's input.review for creating `object`. */
function admissionReview(object: { [key: string]: Json }) {
  const { name, namespace } = nameAndNamespace(object);
  return {
    object,
    oldObject: null,
    operation: "CREATE",
    kind: groupVersionKind(object),
    name,
    namespace,
    userInfo: { username: "policypack-scan", groups: ["system:authenticated"] },
  };
}
