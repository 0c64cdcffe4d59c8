// ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.30+): per enabled
// rule a policy and its binding in vap/<id>.yaml. One policy covers every workload kind, so
// variables pick the pod spec and metadata out of the object by its kind.

import type { Config, EnabledRule, Enforcement } from "../src/config/types.ts";
import { lowerCel, podSelectors, podVariableRoots } from "../src/lower/cel/index.ts";
import type { GroupVersionKind } from "../src/model/rule.ts";
import { compileSchema } from "../src/schemas.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

const VALIDATION_ACTIONS: Record<Enforcement, ["Deny"] | ["Warn"] | ["Audit"]> = { deny: ["Deny"], warn: ["Warn"], audit: ["Audit"] };

/** The resource (plural, lower case) Kubernetes serves a kind as. */
export function resourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

function resourceRules(kinds: readonly GroupVersionKind[]) {
  const groups = [...new Set(kinds.map((k) => k.group))];
  return groups.map((group) => {
    const inGroup = kinds.filter((k) => k.group === group);
    return {
      apiGroups: [group],
      apiVersions: [...new Set(inGroup.map((k) => k.version))],
      operations: ["CREATE", "UPDATE"],
      resources: inGroup.map((k) => resourceName(k.kind)),
    };
  });
}

export const validateVapPolicy = compileSchema("vap-policy.schema.json");
export const validateVapBinding = compileSchema("vap-binding.schema.json");

/** A static message for when a messageExpression fails; Kubernetes forbids line breaks in it. */
function fallbackMessage(title: string): string {
  return title.replace(/\s*[\r\n]+\s*/g, " ");
}

function policyFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `vap/${rule.id}.yaml`;
  const { match } = rule;
  const lowered = lowerCel(rule, match.type === "workloads" ? podVariableRoots("object") : { object: "object" }, enabled.params);
  const podVariables = match.type === "workloads" ? podSelectors(lowered.podRootsRead, "object", match.workloads) : [];
  const variables = [...podVariables, ...lowered.variables];
  const kinds = match.type === "workloads" ? match.workloads : match.kinds;
  const message = fallbackMessage(rule.title);
  const binding = {
    policyName: rule.id,
    validationActions: VALIDATION_ACTIONS[enabled.enforcement],
    ...(config.excludedNamespaces.length > 0
      ? {
          matchResources: {
            namespaceSelector: {
              matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: config.excludedNamespaces }],
            },
          },
        }
      : {}),
  };
  const content = renderTemplate("vap/policy.yaml.hbs", {
    policyMetadata: yamlBlock({ name: rule.id }, 2),
    matchConstraints: yamlBlock({ resourceRules: resourceRules(kinds) }, 4),
    variables: variables.length > 0 ? yamlBlock({ variables }, 2) : "",
    validations: yamlBlock(
      lowered.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message })),
      4,
    ),
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
    const files = rules.map((enabled) => policyFile(enabled, config));
    return [...files, kustomization("vap", files)];
  },
};
