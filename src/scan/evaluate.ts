// The engines a scan checks objects with; every call into the Gatekeeper pack is in this file.
//
// pack (the default): the Gatekeeper ConstraintTemplates and Constraints the build would write for
// the enabled rules, generated in memory, every template's Rego compiled into ONE Wasm module
// (src/engines' Gatekeeper pack), kept in the cache for the next run with the same rules and
// config (pack-cache.ts), and each object evaluated as Gatekeeper's input.review of its creation:
// what is scanned is the Rego that ships, with each Constraint's match and parameters.
// reference: the reference evaluator (src/lower/reference) on each enabled rule, with the
// Constraints' excluded namespaces applied the same way.

import type { Config, EnabledRule } from "../config/types.ts";
import { objectName } from "../engines/request.ts";
import { evaluate } from "../lower/reference/evaluate.ts";
import type { Json } from "../model/index.ts";
import { loadPack, type PackLoadOptions } from "./pack-cache.ts";
import type { FieldPath } from "./types.ts";

import type { EngineName } from "./choices.ts";

export { ENGINES, type EngineName } from "./choices.ts";

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

/** The engine `name` over the enabled rules; `packOptions` say how the pack is loaded. */
export async function loadEngine(name: EngineName, rules: EnabledRule[], config: Config, packOptions: PackLoadOptions): Promise<Engine> {
  return name === "pack" ? packEngine(rules, config, packOptions) : referenceEngine(rules, config);
}

async function packEngine(rules: EnabledRule[], config: Config, packOptions: PackLoadOptions): Promise<Engine> {
  const pack = await loadPack(rules, config, packOptions);
  return {
    check(object) {
      const byRule = pack.evaluate({ object, operation: "CREATE", parameters: {} });
      return Object.keys(byRule)
        .sort()
        .flatMap((ruleId) => byRule[ruleId]!.map((violation) => ({ ruleId, ...violation })));
    },
  };
}

function referenceEngine(rules: EnabledRule[], config: Config): Engine {
  const excluded = new Set(config.excludedNamespaces);
  return {
    check(object) {
      const { namespace } = objectName(object);
      if (namespace !== undefined && excluded.has(namespace)) return [];
      return rules.flatMap(({ rule, params }) => evaluate(rule, object, params).map((v) => ({ ruleId: v.rule, message: v.message, path: v.path })));
    },
  };
}
