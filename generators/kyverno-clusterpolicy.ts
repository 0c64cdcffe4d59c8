// Kyverno ClusterPolicy (kyverno.io/v1), for clusters running Kyverno 1.13 to 1.19: one per
// enabled rule in kyverno-clusterpolicy/<id>.yaml, validating with CEL (`validate.cel`). Kyverno
// 1.17 deprecated ClusterPolicy for ValidatingPolicy (the kyverno/ folder); its removal is
// announced for 1.20. Each rule names its failureAction (1.13+; the spec-level
// validationFailureAction is deprecated) and matches CREATE and UPDATE only, so deleting an
// object is never refused. Workload rules get explicit rules for Pods, for the pod controllers
// and for CronJobs, each reading the pod spec where that kind keeps it; Kyverno's
// auto-generation is turned off so it adds none of its own. PodSecurityPolicy rules stay here,
// for old clusters still serving that kind.

import type { Config, EnabledRule, Enforcement } from "../src/config/types.ts";
import { type CelRoots, REQUEST_CHECKED_VARIABLE, lowerCel, podRoots, requestCheckedCel, unlessUnchecked, workloadsByPodPath } from "../src/lower/cel/index.ts";
import type { GroupVersionKind } from "../src/model/rule.ts";
import { schemaCheck } from "../src/schemas.ts";
import clusterPolicyValidator from "../src/schema-validators/kyverno-clusterpolicy.ts";
import { exemptsPodUpdates } from "../src/model/updates.ts";
import { kyvernoAnnotations } from "./kyverno-annotations.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

/** `validate.failureAction`: ClusterPolicy has no warn-only action, Audit reports without refusing. */
const FAILURE_ACTION: Record<Enforcement, "Enforce" | "Audit"> = { deny: "Enforce", warn: "Audit", audit: "Audit" };

const FOLDER = "kyverno-clusterpolicy";

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

export const validateKyvernoClusterPolicy = schemaCheck(clusterPolicyValidator);

function policyFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `${FOLDER}/${rule.id}.yaml`;
  const metadata = {
    name: rule.id,
    annotations: { ...kyvernoAnnotations(rule, "1.13.0"), "pod-policies.kyverno.io/autogen-controllers": "none" },
  };
  const rules = targets(enabled).map((target) => {
    const lowered = lowerCel(rule, target.roots, enabled.params);
    // The Pods rule passes the updates Pod Security Admission exempts; DELETE is never matched.
    const podUpdates = exemptsPodUpdates(rule) && target.kinds.some((k) => k.kind === "Pod" && k.group === "");
    const checked = requestCheckedCel({ object: "object", deletes: false, podUpdates });
    const variables = [...(checked ? [{ name: REQUEST_CHECKED_VARIABLE, expression: checked }] : []), ...lowered.variables];
    const guarded = (expression: string) => (checked ? unlessUnchecked(expression) : expression);
    return {
      name: target.name,
      match: { any: [{ resources: { kinds: target.kinds.map(kyvernoKind), operations: ["CREATE", "UPDATE"] } }] },
      ...(config.excludedNamespaces.length > 0 ? { exclude: { any: [{ resources: { namespaces: config.excludedNamespaces } }] } } : {}),
      validate: {
        failureAction: FAILURE_ACTION[enabled.enforcement],
        cel: {
          ...(variables.length > 0 ? { variables } : {}),
          expressions: lowered.validations.map((v) => ({ expression: guarded(v.expression), messageExpression: v.messageExpression, message: rule.title })),
        },
      },
    };
  });
  const content = renderTemplate("kyverno/cluster-policy.yaml.hbs", {
    metadata: yamlBlock(metadata, 2),
    spec: yamlBlock({ background: true }, 2),
    rules: yamlBlock(rules, 4),
  });
  for (const doc of parseGenerated(content, path)) validateKyvernoClusterPolicy(doc, path);
  return { path, content };
}

export const kyvernoClusterPolicy: Generator = {
  name: FOLDER,
  generate(rules, config) {
    const files = rules.map((enabled) => policyFile(enabled, config));
    return [...files, kustomization(FOLDER, files)];
  },
};
