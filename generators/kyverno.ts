// Kyverno ValidatingPolicy (policies.kyverno.io/v1, Kyverno 1.17+): one per enabled rule in
// kyverno/<id>.yaml. Its spec extends ValidatingAdmissionPolicy's, so the CEL is the VAP's:
// one policy matches every kind the rule covers, variables pick the pod by the object's kind,
// and Kyverno's pod-controller autogen is turned off (it would rewrite expressions it did not
// write). Kyverno binds the policy itself; the enforcement, excluded namespaces and background
// scans live in the spec. Rules only for kinds no such cluster serves (PodSecurityPolicy) get
// no ValidatingPolicy; kyverno-clusterpolicy/ keeps them for old clusters.

import type { Config, EnabledRule } from "../src/config/types.ts";
import { schemaCheck } from "../src/schemas.ts";
import validatingPolicyValidator from "../src/schema-validators/kyverno-validatingpolicy.ts";
import { VALIDATION_ACTIONS, admissionCel, namespaceSelector, resourceRules, servedKinds } from "./admission.ts";
import { kyvernoAnnotations } from "./kyverno-annotations.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

export const validateKyvernoValidatingPolicy = schemaCheck(validatingPolicyValidator);

function policyFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `kyverno/${rule.id}.yaml`;
  const { matchConditions, variables, validations } = admissionCel(enabled);
  const selector = namespaceSelector(config);
  const spec = {
    validationActions: VALIDATION_ACTIONS[enabled.enforcement],
    failurePolicy: "Fail",
    evaluation: { admission: { enabled: true }, background: { enabled: true } },
    ...(rule.match.type === "workloads" ? { autogen: { podControllers: { controllers: [] } } } : {}),
    matchConstraints: { resourceRules: resourceRules(servedKinds(rule)), ...(selector ? { namespaceSelector: selector } : {}) },
    ...(matchConditions.length > 0 ? { matchConditions } : {}),
    ...(variables.length > 0 ? { variables } : {}),
    validations,
  };
  const content = renderTemplate("kyverno/validating-policy.yaml.hbs", {
    metadata: yamlBlock({ name: rule.id, annotations: kyvernoAnnotations(rule, "1.17.0") }, 2),
    spec: yamlBlock(spec, 2),
  });
  for (const doc of parseGenerated(content, path)) validateKyvernoValidatingPolicy(doc, path);
  return { path, content };
}

export const kyverno: Generator = {
  name: "kyverno",
  generate(rules, config) {
    const files = rules.filter(({ rule }) => servedKinds(rule).length > 0).map((enabled) => policyFile(enabled, config));
    return [...files, kustomization("kyverno", files)];
  },
};
