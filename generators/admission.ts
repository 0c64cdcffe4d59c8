// What the admission-policy outputs share: Kubernetes ValidatingAdmissionPolicy (vap/) and Kyverno
// ValidatingPolicy (kyverno/), whose spec extends it. One policy covers every kind a rule
// matches, so variables pick the pod spec and metadata out of the object by its kind.

import type { Config, EnabledRule, Enforcement } from "../src/config/types.ts";
import { type CelVariable, lowerCel, podSelectors, podUpdateMatchCondition, podVariableRoots } from "../src/lower/cel/index.ts";
import type { GroupVersionKind } from "../src/model/rule.ts";
import { POD_SUBRESOURCES } from "../src/model/updates.ts";

/** `validationActions` of both APIs: the same three values. */
export const VALIDATION_ACTIONS: Record<Enforcement, ["Deny"] | ["Warn"] | ["Audit"]> = { deny: ["Deny"], warn: ["Warn"], audit: ["Audit"] };

/**
 * Kinds no Kubernetes with ValidatingAdmissionPolicy v1 (1.30+) serves: PodSecurityPolicy
 * (policy/v1beta1) was removed in 1.25, so a policy matching it could never fire.
 */
const UNSERVED_KINDS: readonly Pick<GroupVersionKind, "group" | "kind">[] = [{ group: "policy", kind: "PodSecurityPolicy" }];

/** The kinds of a rule an API server with admission policies still serves; empty: emit no policy. */
export function servedKinds({ match }: EnabledRule["rule"]): GroupVersionKind[] {
  const kinds = match.type === "workloads" ? match.workloads : match.kinds;
  return kinds.filter((k) => !UNSERVED_KINDS.some((u) => u.group === k.group && u.kind === k.kind));
}

/** The resource (plural, lower case) Kubernetes serves a kind as. */
export function resourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * matchConstraints.resourceRules: CREATE and UPDATE of the kinds, one entry per API group. A
 * resource matches none of its subresources, so Pods come with pods/ephemeralcontainers, whose
 * updates (`kubectl debug`) carry the whole Pod (model/updates.ts, POD_SUBRESOURCES).
 */
export function resourceRules(kinds: readonly GroupVersionKind[]) {
  const groups = [...new Set(kinds.map((k) => k.group))];
  return groups.map((group) => {
    const inGroup = kinds.filter((k) => k.group === group);
    return {
      apiGroups: [group],
      apiVersions: [...new Set(inGroup.map((k) => k.version))],
      operations: ["CREATE", "UPDATE"],
      resources: inGroup.flatMap((k) => {
        const resource = resourceName(k.kind);
        return k.group === "" && k.kind === "Pod" ? [resource, ...POD_SUBRESOURCES.map((sub) => `${resource}/${sub}`)] : [resource];
      }),
    };
  });
}

/** A namespaceSelector leaving out the configured namespaces, if any. */
export function namespaceSelector(config: Config) {
  if (config.excludedNamespaces.length === 0) return undefined;
  return { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: config.excludedNamespaces }] };
}

/** A static message for when a messageExpression fails; Kubernetes forbids line breaks in it. */
export function fallbackMessage(title: string): string {
  return title.replace(/\s*[\r\n]+\s*/g, " ");
}

/** The rule as the spec's `matchConditions` (the requests it checks), `variables` and `validations`, parameters inlined. */
export function admissionCel(enabled: EnabledRule): {
  matchConditions: Array<{ name: string; expression: string }>;
  variables: CelVariable[];
  validations: Array<{ expression: string; messageExpression: string; message: string }>;
} {
  const { rule } = enabled;
  const { match } = rule;
  const lowered = lowerCel(rule, match.type === "workloads" ? podVariableRoots("object") : { object: "object" }, enabled.params);
  const podVariables = match.type === "workloads" ? podSelectors(lowered.podRootsRead, "object", match.workloads) : [];
  const message = fallbackMessage(rule.title);
  const podUpdates = podUpdateMatchCondition(rule);
  return {
    matchConditions: podUpdates ? [podUpdates] : [],
    variables: [...podVariables, ...lowered.variables],
    validations: lowered.validations.map((v) => ({ expression: v.expression, messageExpression: v.messageExpression, message })),
  };
}
