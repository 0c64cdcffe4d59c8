// The requests a rule checks (model/updates.ts), as CEL over the bindings Kubernetes gives every
// admission expression: `request`, `object` and `oldObject`. The VAP and Kyverno ValidatingPolicy
// state it as a matchCondition, Gatekeeper's CEL and the Kyverno ClusterPolicy as a variable each
// validation passes without (see the generators).

import type { Rule } from "../../model/rule.ts";
import { SECCOMP_POD_ANNOTATION, SECURITY_ANNOTATION_PREFIXES, UPDATE_EXEMPT_SPEC_FIELDS, exemptsPodUpdates } from "../../model/updates.ts";
import { celLiteral, celString } from "./lower.ts";

/** The variable holding whether the rule checks the request, where an engine declares it. */
export const REQUEST_CHECKED_VARIABLE = "requestChecked";

/** An exempt Pod update: `object` a v1 Pod whose significant spec fields and security annotations equal `oldObject`'s. */
function exemptPodUpdate(object: string, oldObject: string): string {
  const exempt = celLiteral([...UPDATE_EXEMPT_SPEC_FIELDS]);
  const security = (key: string) =>
    `(${[`${key} == ${celString(SECCOMP_POD_ANNOTATION)}`, ...SECURITY_ANNOTATION_PREFIXES.map((p) => `${key}.startsWith(${celString(p)})`)].join(" || ")})`;
  const annotations = (root: string) => `${root}.?metadata.?annotations.orValue({})`;
  // Maps alike but for the keys `ignored` holds for: every other key of `a` is in `b` with the same value, and `b` has none `a` lacks.
  const sameBut = (a: string, b: string, ignored: (key: string) => string) =>
    `${a}.all(k, ${ignored("k")} || (k in ${b} && ${b}[k] == ${a}[k])) && ${b}.all(k, ${ignored("k")} || k in ${a})`;
  const shapes = [object, oldObject].flatMap((root) => [
    `type(${root}.?spec.orValue(null)) == map`,
    `type(${root}.?metadata.orValue({})) == map`,
    `type(${annotations(root)}) == map`,
  ]);
  return [
    `${oldObject} != null`,
    `${object}.?apiVersion.orValue("") == "v1"`,
    `${object}.?kind.orValue("") == "Pod"`,
    ...shapes,
    sameBut(`${object}.spec`, `${oldObject}.spec`, (k) => `${k} in ${exempt}`),
    sameBut(annotations(object), annotations(oldObject), (k) => `!${security(k)}`),
  ].join(" && ");
}

/**
 * A VAP matchCondition: false for the Pod updates the rule exempts; none for a rule without
 * exemptions (a VAP never receives DELETE: its matchConstraints list CREATE and UPDATE only).
 */
export function podUpdateMatchCondition(rule: Pick<Rule, "match">): { name: string; expression: string } | undefined {
  if (!exemptsPodUpdates(rule)) return undefined;
  return { name: "pod-security-admission-updates", expression: `!(request.operation == "UPDATE" && ${exemptPodUpdate("object", "oldObject")})` };
}

/**
 * Whether the rule checks the request, for engines that may be sent any operation and reach the
 * object under another name (Gatekeeper's `variables.anyObject`): never when `deletes` and the
 * request is a DELETE, nor for an exempt Pod update when `podUpdates`. `request.operation` may be
 * unset (Gatekeeper's audit): the object is checked. Undefined when there is nothing to skip.
 */
export function requestCheckedCel(options: { object: string; deletes: boolean; podUpdates: boolean }): string | undefined {
  const skipped = [
    ...(options.deletes ? ['request.operation == "DELETE"'] : []),
    ...(options.podUpdates ? [`(request.operation == "UPDATE" && ${exemptPodUpdate(options.object, "oldObject")})`] : []),
  ];
  if (skipped.length === 0) return undefined;
  return `!(has(request.operation) && (${skipped.join(" || ")}))`;
}

/** A validation passing whenever the rule does not check the request. */
export function unlessUnchecked(expression: string): string {
  return `!variables.${REQUEST_CHECKED_VARIABLE} || (${expression})`;
}
