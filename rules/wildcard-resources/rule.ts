import { defineRule, filtered, forEach, isIn, items, kinds, msg, present, when } from "../../src/model/index.ts";
import type { ClusterRole, Role } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE, ROLE } from "../../src/model/kinds/rbac-v1.ts";

export default defineRule({
  id: "wildcard-resources",
  title: "Roles should not grant access to every resource with \"*\"",
  description:
    "A rule whose resources include \"*\" covers every resource and subresource of its API groups, including Secrets, pods/exec and resources installed later by CRDs. List the resources the subject needs instead.",
  severity: "medium",
  category: "RBAC",
  profiles: ["rbac"],
  match: kinds<Role | ClusterRole>(
    ROLE,
    CLUSTER_ROLE,
  ),
  references: {
    kyverno: "restrict-wildcard-resources",
  },
  remediation: "Replace \"*\" in the rule's resources with the resources the subject needs.",
  checks: ({ object }) => [
    forEach(items(object.rules, "rule"), (rule) =>
      when(
        isIn<string>("*", rule.resources),
        msg`${object.kind} ${object.metadata.name} grants ${filtered(items(rule.verbs, "verb"), (verb) => present(verb))} on every resource ("*")`,
      ),
    ),
  ],
});
