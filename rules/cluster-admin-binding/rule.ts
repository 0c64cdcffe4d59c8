import { and, defineRule, equals, forEach, items, kinds, msg, notIn, when } from "../../src/model/index.ts";
import type { ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE_BINDING, ROLE_BINDING } from "../../src/model/kinds/rbac-v1.ts";

export default defineRule({
  id: "cluster-admin-binding",
  title: "Bindings should not grant the cluster-admin ClusterRole",
  description:
    "cluster-admin allows every verb on every resource. Bound by a ClusterRoleBinding it owns the whole cluster; bound by a RoleBinding it owns the namespace, including its Roles, Secrets and workloads. Grant narrower roles instead.",
  severity: "high",
  category: "RBAC",
  profiles: ["rbac"],
  match: kinds<RoleBinding | ClusterRoleBinding>(
    ROLE_BINDING,
    CLUSTER_ROLE_BINDING,
  ),
  params: {
    allowedSubjects: {
      type: "string[]",
      description:
        "Subject names that may hold cluster-admin. The default, system:masters, is the group Kubernetes' own cluster-admin ClusterRoleBinding binds; its members bypass RBAC anyway.",
      default: ["system:masters"],
    },
  },
  references: {
    polaris: "clusterrolebindingClusterAdmin",
    kyverno: "restrict-binding-clusteradmin",
    kics: "249328b8-5f0f-409f-b1dd-029f07882e11",
    urls: ["https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles"],
  },
  remediation:
    "Bind a Role or ClusterRole that grants only the verbs and resources the subject needs (e.g. the built-in admin, edit or view roles in a RoleBinding), or list the subject in the rule's allowedSubjects parameter.",
  checks: ({ object, params }) => [
    forEach(items(object.subjects, "subject"), (subject) =>
      when(
        and(
          equals(object.roleRef.kind, "ClusterRole"),
          equals(object.roleRef.name, "cluster-admin"),
          notIn(subject.name, params.allowedSubjects),
        ),
        msg`${object.kind} ${object.metadata.name} grants the cluster-admin ClusterRole to ${subject.kind} ${subject.name}`,
      ),
    ),
  ],
});
