import { and, any, defineRule, filtered, forEach, isIn, items, kinds, msg, when } from "../../src/model/index.ts";
import type { ClusterRole, Role } from "kubernetes-types/rbac/v1.js";
import { CLUSTER_ROLE, ROLE } from "../../src/model/kinds/rbac-v1.ts";

// Resource entries that cover pods/exec or pods/attach: RBAC also matches "*" and "*/<subresource>".
const EXEC_RESOURCES = ["pods/exec", "pods/attach", "*/exec", "*/attach", "*"];
// exec and attach are `create` requests, or `get` when upgraded to a WebSocket by clients that use one.
const EXEC_VERBS = ["create", "get", "*"];
const CORE_GROUPS = ["", "*"];

export default defineRule({
  id: "pods-exec-attach",
  title: "Roles should not allow exec or attach into pods",
  description:
    "pods/exec and pods/attach run commands in, or attach to, a running container: whoever holds them can read the container's secrets and service-account token and act with its privileges. A rule grants them through the core API group (\"\" or *), a resource pods/exec, pods/attach, */exec, */attach or *, and the verb create, get (used when the request is upgraded to a WebSocket) or *.",
  severity: "high",
  category: "RBAC",
  profiles: ["rbac"],
  match: kinds<Role | ClusterRole>(
    ROLE,
    CLUSTER_ROLE,
  ),
  references: {
    polaris: "clusterrolePodExecAttach",
    kics: "c589f42c-7924-4871-aee2-1cede9bc7cbc",
  },
  remediation:
    "Remove pods/exec and pods/attach (and wildcards covering them) from the role's rules; grant them only in a separate role bound to the few people who debug workloads.",
  checks: ({ object }) => [
    forEach(items(object.rules, "rule"), (rule) => {
      const resources = items(rule.resources, "resource");
      const verbs = items(rule.verbs, "verb");
      return when(
        and(
          any(items(rule.apiGroups, "apiGroup"), (group) => isIn(group, CORE_GROUPS)),
          any(resources, (resource) => isIn(resource, EXEC_RESOURCES)),
          any(verbs, (verb) => isIn(verb, EXEC_VERBS)),
        ),
        msg`${object.kind} ${object.metadata.name} allows exec or attach into pods (verbs ${filtered(verbs, (verb) => isIn(verb, EXEC_VERBS))} on resources ${filtered(resources, (resource) => isIn(resource, EXEC_RESOURCES))})`,
      );
    }),
  ],
});
