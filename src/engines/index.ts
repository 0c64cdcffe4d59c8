// What each admission engine would answer for an object, from the generated policies exactly as
// the build writes them (an out/ folder, or generate()'s files in memory):
//
//   reference        the reference evaluator (src/lower/reference), straight from the rule
//   gatekeeper-rego  the ConstraintTemplate's Rego, compiled to WebAssembly by src/compiler/
//   gatekeeper-cel   the ConstraintTemplate's K8sNativeValidation CEL
//   kyverno                the Kyverno ValidatingPolicy's CEL
//   kyverno-clusterpolicy  the Kyverno ClusterPolicy's CEL
//   vap                    the ValidatingAdmissionPolicy and its binding
//
// Each engine applies its own policy's match (Constraint, ValidatingPolicy matchConstraints,
// ClusterPolicy match/exclude, VAP matchConstraints and binding) and answers with the violation messages, one per violation.
// Parameters: the request's values override the enabled rule's (reference), the Constraint's
// (Gatekeeper), or get the Kyverno and VAP policies generated again in memory from the enabled rule,
// as those inline parameter values.
//
// A rule matching only kinds no current API server serves (PodSecurityPolicy) has no
// ValidatingPolicy nor VAP: those two engines do not apply to it (engineApplies).
//
// For many objects against every rule at once, loadGatekeeperPack compiles every template into one
// Wasm module, once.

import { servedKinds } from "../../generators/admission.ts";
import { kyverno } from "../../generators/kyverno.ts";
import { kyvernoClusterPolicy } from "../../generators/kyverno-clusterpolicy.ts";
import { vap } from "../../generators/vap.ts";
import type { CompilerChoice } from "../compiler/index.ts";
import { defaultConfig } from "../config/load.ts";
import type { Config, EnabledRule } from "../config/types.ts";
import type { Rule } from "../model/index.ts";
import { evaluate } from "../lower/reference/evaluate.ts";
import { reviews } from "../model/updates.ts";
import { inlinedPolicy } from "./cel.ts";
import type { GeneratedFiles } from "./generated.ts";
import { gatekeeperCelViolations } from "./gatekeeper/cel.ts";
import { gatekeeperRegoViolations } from "./gatekeeper/rego.ts";
import { kyvernoClusterPolicyViolations, kyvernoPolicyViolations } from "./kyverno.ts";
import type { AdmissionRequest } from "./request.ts";
import type { EngineName } from "./names.ts";
import { vapPolicyViolations } from "./vap.ts";

export type { AdmissionRequest } from "./request.ts";
export { type GeneratedFiles, generatedFilesIn, generatedFilesOf } from "./generated.ts";
export { loadGatekeeperPack } from "./gatekeeper/pack.ts";
export type { GatekeeperPack, PackViolation } from "./gatekeeper/pack-module.ts";

export { ENGINE_NAMES, type EngineName } from "./names.ts";

/** Whether the build generates a policy `engine` runs for the rule: no ValidatingPolicy nor VAP for kinds no API server serves. */
export function engineApplies(engine: EngineName, rule: Rule): boolean {
  return (engine !== "kyverno" && engine !== "vap") || servedKinds(rule).length > 0;
}

export interface EngineOptions {
  /** The generated policies. */
  files: GeneratedFiles;
  /**
   * The enabled rules the files were generated from (enabledRules(), or generate()'s `enabled`):
   * the reference evaluator's, and those Kyverno and VAP policies are generated again from.
   */
  rules: readonly EnabledRule[];
  /** The configuration the files were generated with; default: the defaults (defaultConfig). */
  config?: Config;
  /** Which compiler turns Gatekeeper's Rego into Wasm: policypack's own (default), or `opa build`. */
  regoCompiler?: CompilerChoice;
}

/** Asks one engine about one rule. */
export type Engines = (engine: EngineName, ruleId: string, request: AdmissionRequest) => Promise<string[]>;

/** The engines over one set of generated files. */
export function engines(options: EngineOptions): Engines {
  const { files, regoCompiler = "builtin" } = options;
  const rules = new Map(options.rules.map((enabled) => [enabled.rule.id, enabled]));
  const regeneration = (ruleId: string) => ({ rule: rules.get(ruleId), config: options.config ?? defaultConfig() });
  return async (engine, ruleId, request) => {
    const enabled = rules.get(ruleId);
    if (enabled && !engineApplies(engine, enabled.rule)) {
      throw new Error(`${ruleId}: the build makes no ${engine} policy for it (it matches only kinds no current API server serves)`);
    }
    switch (engine) {
      case "reference": {
        if (!enabled) throw new Error(`${ruleId}: not among the enabled rules`);
        if (!reviews(enabled.rule, request)) return [];
        return evaluate(enabled.rule, request.object, { ...enabled.params, ...request.parameters }).map((v) => v.message);
      }
      case "gatekeeper-rego":
        return gatekeeperRegoViolations(files, ruleId, request, regoCompiler);
      case "gatekeeper-cel":
        return gatekeeperCelViolations(files, ruleId, request);
      case "kyverno":
        return kyvernoPolicyViolations(inlinedPolicy(files, kyverno, ruleId, request, regeneration(ruleId)), request, `kyverno/${ruleId}.yaml`);
      case "kyverno-clusterpolicy": {
        const documents = inlinedPolicy(files, kyvernoClusterPolicy, ruleId, request, regeneration(ruleId));
        return kyvernoClusterPolicyViolations(documents, request, `kyverno-clusterpolicy/${ruleId}.yaml`);
      }
      case "vap":
        return vapPolicyViolations(inlinedPolicy(files, vap, ruleId, request, regeneration(ruleId)), request, `vap/${ruleId}.yaml`);
    }
  };
}
