// The RBAC kinds rules match, as group/version/kind.

import type { GroupVersionKind } from "../rule.ts";

const rbac = (kind: string): GroupVersionKind => ({ group: "rbac.authorization.k8s.io", version: "v1", kind });

export const ROLE = rbac("Role");
export const CLUSTER_ROLE = rbac("ClusterRole");
export const ROLE_BINDING = rbac("RoleBinding");
export const CLUSTER_ROLE_BINDING = rbac("ClusterRoleBinding");
