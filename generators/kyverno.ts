// Kyverno: one ClusterPolicy (kyverno.io/v1) per enabled rule, validating with CEL
// (`validate.cel`, Kyverno 1.11+). Workload rules get explicit rules for Pods, for the pod
// controllers and for CronJobs, each reading the pod spec where that kind keeps it; Kyverno's
// auto-generation is turned off so it adds none of its own.

import type { Config, EnabledRule, Enforcement } from "../src/config/types.ts";
import { type CelRoots, lowerCel, podRoots, workloadsByPodPath } from "../src/lower/cel/index.ts";
import type { GroupVersionKind } from "../src/model/rule.ts";
import { compileSchema } from "../src/schemas.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

/** `spec.validationFailureAction`: the spec-level field every Kyverno from 1.11 accepts. */
const FAILURE_ACTION: Record<Enforcement, "Enforce" | "Audit"> = { deny: "Enforce", warn: "Audit", audit: "Audit" };

/** How a Kyverno match names a kind: the bare kind for the core group, else group/version/Kind. */
export function kyvernoKind(gvk: GroupVersionKind): string {
  return gvk.group === "" ? gvk.kind : `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

interface KyvernoRuleTarget {
  name: string;
  kinds: GroupVersionKind[];
  roots: CelRoots;
}

/** The Kyverno rules a policy needs: one per place its kinds keep the pod (or one for the kinds). */
function targets({ rule }: EnabledRule): KyvernoRuleTarget[] {
  if (rule.match.type === "kinds") return [{ name: "validate", kinds: rule.match.kinds, roots: { object: "object" } }];
  return workloadsByPodPath(rule.match.workloads).map((kinds) => ({
    name: kinds[0]!.podPath.length === 0 ? "pods" : kinds.length === 1 ? `${kinds[0]!.kind.toLowerCase()}s` : "pod-controllers",
    kinds,
    roots: podRoots("object", kinds[0]!.podPath),
  }));
}

export const validateKyvernoPolicy = compileSchema("kyverno-clusterpolicy.schema.json");

function policyFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `kyverno/${rule.id}.yaml`;
  const subject = rule.match.type === "workloads" ? "Pod" : rule.match.kinds.map((k) => k.kind).join(", ");
  const metadata = {
    name: rule.id,
    annotations: {
      "policies.kyverno.io/title": rule.title,
      "policies.kyverno.io/category": rule.category,
      "policies.kyverno.io/severity": rule.severity,
      "policies.kyverno.io/subject": subject,
      "policies.kyverno.io/minversion": "1.11.0",
      "policies.kyverno.io/description": rule.description,
      "pod-policies.kyverno.io/autogen-controllers": "none",
    },
  };
  const spec = { validationFailureAction: FAILURE_ACTION[enabled.enforcement], background: true };
  const rules = targets(enabled).map((target) => {
    const lowered = lowerCel(rule, target.roots, enabled.params);
    return {
      name: target.name,
      match: { any: [{ resources: { kinds: target.kinds.map(kyvernoKind) } }] },
      ...(config.excludedNamespaces.length > 0 ? { exclude: { any: [{ resources: { namespaces: config.excludedNamespaces } }] } } : {}),
      validate: {
        cel: {
          ...(lowered.variables.length > 0 ? { variables: lowered.variables } : {}),
          expressions: lowered.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message: rule.title })),
        },
      },
    };
  });
  const content = renderTemplate("kyverno/cluster-policy.yaml.hbs", {
    metadata: yamlBlock(metadata, 2),
    spec: yamlBlock(spec, 2),
    rules: yamlBlock(rules, 4),
  });
  for (const doc of parseGenerated(content, path)) validateKyvernoPolicy(doc, path);
  return { path, content };
}

export const kyverno: Generator = {
  name: "kyverno",
  generate(rules, config) {
    const files = rules.map((enabled) => policyFile(enabled, config));
    return [...files, kustomization("kyverno", files)];
  },
};
