import { and, defineRule, equals, forEach, isIn, items, kinds, msg, notIn, or, when } from "../../src/model/index.ts";
import type { ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE_BINDING, ROLE_BINDING } from "../../src/model/kinds/rbac-v1.ts";

/** The user and the group Kubernetes assigns to requests that carry no credentials. */
const ANONYMOUS_SUBJECTS = ["system:anonymous", "system:unauthenticated"];
/** The group of every authenticated request. */
const AUTHENTICATED_GROUP = "system:authenticated";

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
    disallowAuthenticated: {
      type: "boolean",
      description:
        "Also refuse bindings to system:authenticated, the group of every authenticated user (service accounts included), as gatekeeper-library's disallowanonymous parameter of the same name does.",
      default: false,
    },
  },
  references: {
    gatekeeper: "general/disallowanonymous",
    urls: ["https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests"],
  },
  remediation:
    "Remove system:anonymous and system:unauthenticated (and system:authenticated under disallowAuthenticated) from the binding's subjects and bind the role to the users, groups or service accounts that need it.",
  checks: ({ object, params }) => [
    forEach(items(object.subjects, "subject"), (subject) =>
      when(
        and(
          or(isIn(subject.name, ANONYMOUS_SUBJECTS), and(equals(params.disallowAuthenticated, true), equals(subject.name, AUTHENTICATED_GROUP))),
          notIn(object.roleRef.name, params.allowedRoles),
        ),
        msg`${object.kind} ${object.metadata.name} grants ${object.roleRef.kind} ${object.roleRef.name} to ${subject.kind} ${subject.name}`,
      ),
    ),
  ],
});
