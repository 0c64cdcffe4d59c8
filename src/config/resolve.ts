// What the configuration says about the loaded rules: which are enabled, with which parameters and
// enforcement. Every rule id and parameter the config names is checked against the rules here.

import { InputError } from "../errors.ts";
import { EXEMPTION_ANNOTATION, withExemptionAnnotation } from "../model/exemptions.ts";
import { defaultParams } from "../model/rule.ts";
import { paramValueProblem } from "../model/validate.ts";
import { DEFAULT_CONFIG_FILE, type LoadedConfig } from "./load.ts";
import type { EnabledRule, LoadedRule } from "./types.ts";

/** The enabled rules, sorted by id: the profiles' rules plus rules.enable, minus rules.disable. */
export function enabledRules(loaded: LoadedConfig, rules: LoadedRule[]): EnabledRule[] {
  const { config } = loaded;
  const fail = (where: string, problem: string): never => {
    throw new InputError(loaded.file ?? DEFAULT_CONFIG_FILE, where, problem);
  };
  const byId = new Map(rules.map((r) => [r.rule.id, r]));
  const knownRule = (id: string, where: string): LoadedRule =>
    byId.get(id) ?? fail(where, `unknown rule "${id}" (see \`policypack list\`)`);

  const knownProfiles = new Set(rules.flatMap((r) => r.rule.profiles));
  config.profiles.forEach((profile, i) => {
    if (!knownProfiles.has(profile)) {
      fail(`profiles.${i}`, `no rule belongs to profile "${profile}" (profiles: ${[...knownProfiles].sort().join(", ")})`);
    }
  });
  config.enableRules.forEach((id, i) => knownRule(id, `rules.enable.${i}`));
  config.disableRules.forEach((id, i) => {
    knownRule(id, `rules.disable.${i}`);
    if (config.enableRules.includes(id)) fail(`rules.disable.${i}`, `rule "${id}" is also in rules.enable`);
  });
  for (const id of Object.keys(config.ruleEnforcement)) knownRule(id, `rules.enforcement.${id}`);
  for (const [id, values] of Object.entries(config.parameters)) {
    const { rule } = knownRule(id, `parameters.${id}`);
    for (const [name, value] of Object.entries(values)) {
      const where = `parameters.${id}.${name}`;
      const spec = Object.hasOwn(rule.params, name) ? rule.params[name] : undefined;
      if (!spec) {
        const declared = Object.keys(rule.params);
        fail(where, `rule "${id}" has no parameter "${name}" (${declared.length ? `parameters: ${declared.join(", ")}` : "it takes none"})`);
      } else {
        const problem = paramValueProblem(spec, value);
        if (problem) fail(where, problem);
      }
    }
  }

  const profiles = new Set(config.profiles);
  return rules
    .filter(({ rule }) => {
      if (config.disableRules.includes(rule.id)) return false;
      return config.enableRules.includes(rule.id) || rule.profiles.some((p) => profiles.has(p));
    })
    .map(({ rule, file }) => ({
      rule: config.exemptionAnnotation ? withExemptionAnnotation(rule, EXEMPTION_ANNOTATION) : rule,
      file,
      params: { ...defaultParams(rule, config.podSecurityVersion), ...config.parameters[rule.id] },
      enforcement: config.ruleEnforcement[rule.id] ?? config.enforcement,
    }));
}
