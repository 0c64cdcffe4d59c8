// The configuration after validation and defaults: what generators read.

import type { ParamValues, PodSecurityVersion, Rule } from "../model/rule.ts";

/** One mode, mapped per engine by the generators (see README "Enforcement"). */
export type Enforcement = "deny" | "warn" | "audit";

export interface Config {
  /** Profiles whose rules are enabled. */
  profiles: string[];
  /** Rule ids enabled in addition to the profiles' rules. */
  enableRules: string[];
  /** Rule ids disabled even when a profile enables them. */
  disableRules: string[];
  enforcement: Enforcement;
  /** Per-rule overrides of the enforcement mode. */
  ruleEnforcement: Record<string, Enforcement>;
  /** Namespaces no rule applies to (default: kube-system). */
  excludedNamespaces: string[];
  /** Whether objects may opt out of rules with the policypack.dev/exempt annotation. */
  exemptionAnnotation: boolean;
  /** The Pod Security Standards version whose parameter defaults apply (default: latest). */
  podSecurityVersion: PodSecurityVersion;
  /** Per-rule parameter values, overriding the rule's defaults. */
  parameters: Record<string, ParamValues>;
  /** Folders of custom rule files, relative to the config file. */
  ruleDirs: string[];
}

/** A rule as the generators receive it: enabled, with its parameters and enforcement resolved. */
export interface EnabledRule {
  rule: Rule;
  params: ParamValues;
  enforcement: Enforcement;
  /** Where the rule was defined, for error messages. */
  file: string;
}

/** A rule as loaded, with the file that defines it (built-in or from a ruleDir). */
export interface LoadedRule {
  rule: Rule;
  file: string;
}
