import { and, any, defineRule, filtered, forEach, isIn, items, kinds, msg, not, present, when } from "../../src/model/index.ts";
import type { ClusterRole, Role } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE, ROLE } from "../../src/model/kinds/rbac-v1.ts";

export default defineRule({
  id: "wildcard-verbs",
  title: "Roles should not grant every verb with \"*\"",
  description:
    "A rule whose verbs include \"*\" grants every verb on its resources, including ones added later (escalate, bind, impersonate, deletecollection). List the verbs the subject needs instead.",
  severity: "medium",
  category: "RBAC",
  profiles: ["rbac"],
  match: kinds<Role | ClusterRole>(
    ROLE,
    CLUSTER_ROLE,
  ),
  references: {
    kyverno: "restrict-wildcard-verbs",
  },
  remediation: "Replace \"*\" in the rule's verbs with the verbs the subject needs, such as get, list and watch.",
  // A rule names either resources or (ClusterRoles only) non-resource URLs; the message names what it grants on.
  checks: ({ object }) => [
    forEach(items(object.rules, "rule"), (rule) => {
      const resources = items(rule.resources, "resource");
      return when(
        and(isIn<string>("*", rule.verbs), any(resources, (resource) => present(resource))),
        msg`${object.kind} ${object.metadata.name} grants every verb ("*") on resources ${filtered(resources, (resource) => present(resource))}`,
      );
    }),
    forEach(items(object.rules, "rule"), (rule) => {
      const urls = items(rule.nonResourceURLs, "url");
      return when(
        and(isIn<string>("*", rule.verbs), not(any(items(rule.resources, "resource"), (resource) => present(resource)))),
        msg`${object.kind} ${object.metadata.name} grants every verb ("*") on non-resource URLs ${filtered(urls, (url) => present(url))}`,
      );
    }),
  ],
});
