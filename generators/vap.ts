// ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30+): per enabled
// rule a policy and its binding in vap/<id>.yaml. Rules only for kinds no such Kubernetes serves
// (PodSecurityPolicy) get none.

import type { Config, EnabledRule } from "../src/config/types.ts";
import { schemaCheck } from "../src/schemas.ts";
import vapPolicyValidator from "../src/schema-validators/vap-policy.ts";
import vapBindingValidator from "../src/schema-validators/vap-binding.ts";
import { VALIDATION_ACTIONS, admissionCel, namespaceSelector, resourceRules, servedKinds } from "./admission.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

export const validateVapPolicy = schemaCheck(vapPolicyValidator);
export const validateVapBinding = schemaCheck(vapBindingValidator);

function policyFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `vap/${rule.id}.yaml`;
  const { matchConditions, variables, validations } = admissionCel(enabled);
  const selector = namespaceSelector(config);
  const binding = {
    policyName: rule.id,
    validationActions: VALIDATION_ACTIONS[enabled.enforcement],
    ...(selector ? { matchResources: { namespaceSelector: selector } } : {}),
  };
  const content = renderTemplate("vap/policy.yaml.hbs", {
    policyMetadata: yamlBlock({ name: rule.id }, 2),
    matchConstraints: yamlBlock({ resourceRules: resourceRules(servedKinds(rule)) }, 4),
    matchConditions: matchConditions.length > 0 ? yamlBlock({ matchConditions }, 2) : "",
    variables: variables.length > 0 ? yamlBlock({ variables }, 2) : "",
    validations: yamlBlock(validations, 4),
    bindingMetadata: yamlBlock({ name: rule.id }, 2),
    bindingSpec: yamlBlock(binding, 2),
  });
  const [policy, bindingDoc, ...rest] = parseGenerated(content, path);
  if (rest.length > 0) throw new Error(`generated ${path} holds ${rest.length + 2} documents, expected 2`);
  validateVapPolicy(policy, path);
  validateVapBinding(bindingDoc, path);
  return { path, content };
}

export const vap: Generator = {
  name: "vap",
  generate(rules, config) {
    const files = rules.filter(({ rule }) => servedKinds(rule).length > 0).map((enabled) => policyFile(enabled, config));
    return [...files, kustomization("vap", files)];
  },
};
