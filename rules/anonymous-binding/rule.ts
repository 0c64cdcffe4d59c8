import { and, defineRule, forEach, isIn, items, kinds, msg, notIn, when } from "../../src/model/index.ts";
import type { ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE_BINDING, ROLE_BINDING } from "../../src/model/kinds/rbac-v1.ts";

/** The user and the group Kubernetes assigns to requests that carry no credentials. */
const ANONYMOUS_SUBJECTS = ["system:anonymous", "system:unauthenticated"];

export default defineRule({
  id: "anonymous-binding",
  title: "Bindings should not grant roles to anonymous users",
  description:
    "Requests without credentials run as the user system:anonymous in the group system:unauthenticated. A binding naming either grants its role to anyone who can reach the API server.",
  severity: "critical",
  category: "RBAC",
  profiles: ["rbac"],
  match: kinds<RoleBinding | ClusterRoleBinding>(
    ROLE_BINDING,
    CLUSTER_ROLE_BINDING,
  ),
  params: {
    allowedRoles: {
      type: "string[]",
      description:
        "Roles (by roleRef name) that may be granted to anonymous users. The default, system:public-info-viewer, is the read-only health and version role Kubernetes itself grants to system:unauthenticated.",
      default: ["system:public-info-viewer"],
    },
  },
  references: {
    gatekeeper: "general/disallowanonymous",
    urls: ["https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests"],
  },
  remediation:
    "Remove system:anonymous and system:unauthenticated from the binding's subjects and bind the role to an authenticated user, group or service account.",
  checks: ({ object, params }) => [
    forEach(items(object.subjects, "subject"), (subject) =>
      when(
        and(isIn(subject.name, ANONYMOUS_SUBJECTS), notIn(object.roleRef.name, params.allowedRoles)),
        msg`${object.kind} ${object.metadata.name} grants ${object.roleRef.kind} ${object.roleRef.name} to ${subject.kind} ${subject.name}`,
      ),
    ),
  ],
});
