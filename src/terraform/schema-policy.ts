// PodSecurityPolicies, RBAC, services and ingresses.

import { type BlockSchema, type ResourceMapping, many, one } from "./schema.ts";
import { LABEL_SELECTOR, METADATA } from "./schema-pod.ts";

const resource = (apiVersion: string, kind: string, blocks: BlockSchema["blocks"], fields?: BlockSchema["fields"]): ResourceMapping => ({
  apiVersion,
  kind,
  schema: { closed: true, blocks: { metadata: one(METADATA), ...blocks }, ...(fields ? { fields } : {}) },
});

/** `range` blocks repeat. */
const ID_RANGE_STRATEGY = one({ fields: { range: "ranges" }, blocks: { range: many() } });
const PSP_SPEC: BlockSchema = {
  fields: { host_ipc: "hostIPC", host_pid: "hostPID" },
  blocks: {
    host_ports: many(),
    allowed_host_paths: many(),
    allowed_flex_volumes: many(),
    fs_group: ID_RANGE_STRATEGY,
    run_as_user: ID_RANGE_STRATEGY,
    run_as_group: ID_RANGE_STRATEGY,
    supplemental_groups: ID_RANGE_STRATEGY,
    se_linux: one({ blocks: { se_linux_options: one() } }),
  },
};
const PSP = resource("policy/v1beta1", "PodSecurityPolicy", { spec: one(PSP_SPEC) });

const POLICY_RULE = many({ fields: { non_resource_urls: "nonResourceURLs" } });
const RULES = { rule: "rules" };
const ROLE = resource("rbac.authorization.k8s.io/v1", "Role", { rule: POLICY_RULE }, RULES);
const CLUSTER_ROLE = resource(
  "rbac.authorization.k8s.io/v1",
  "ClusterRole",
  { rule: POLICY_RULE, aggregation_rule: one({ blocks: { cluster_role_selectors: many(LABEL_SELECTOR) } }) },
  RULES,
);
const BINDING = { role_ref: one(), subject: many() };
const SUBJECTS = { subject: "subjects" };
const ROLE_BINDING = resource("rbac.authorization.k8s.io/v1", "RoleBinding", BINDING, SUBJECTS);
const CLUSTER_ROLE_BINDING = resource("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", BINDING, SUBJECTS);

const SERVICE = resource("v1", "Service", {
  spec: one({
    fields: { port: "ports", cluster_ip: "clusterIP", cluster_ips: "clusterIPs", external_ips: "externalIPs", load_balancer_ip: "loadBalancerIP" },
    blocks: {
      port: many({ intOrString: ["target_port"] }),
      session_affinity_config: one({ fields: { client_ip: "clientIP" }, blocks: { client_ip: one() } }),
    },
  }),
});

const INGRESS_V1_BACKEND = one({ blocks: { service: one({ blocks: { port: one() } }), resource: one() } });
const INGRESS_V1 = resource("networking.k8s.io/v1", "Ingress", {
  spec: one({
    fields: { rule: "rules" },
    blocks: {
      default_backend: INGRESS_V1_BACKEND,
      rule: many({ blocks: { http: one({ fields: { path: "paths" }, blocks: { path: many({ blocks: { backend: INGRESS_V1_BACKEND } }) } }) } }),
      tls: many(),
    },
  }),
});
const INGRESS_V1BETA1_BACKEND = one({ intOrString: ["service_port"] });
// The provider's kubernetes_ingress writes extensions/v1beta1 Ingresses.
const INGRESS_V1BETA1 = resource("extensions/v1beta1", "Ingress", {
  spec: one({
    fields: { rule: "rules" },
    blocks: {
      backend: INGRESS_V1BETA1_BACKEND,
      rule: many({ blocks: { http: one({ fields: { path: "paths" }, blocks: { path: many({ blocks: { backend: INGRESS_V1BETA1_BACKEND } }) } }) } }),
      tls: many(),
    },
  }),
});

export const POLICY_RESOURCES: Record<string, ResourceMapping> = {
  kubernetes_pod_security_policy: PSP,
  kubernetes_pod_security_policy_v1beta1: PSP,
  kubernetes_role: ROLE,
  kubernetes_role_v1: ROLE,
  kubernetes_cluster_role: CLUSTER_ROLE,
  kubernetes_cluster_role_v1: CLUSTER_ROLE,
  kubernetes_role_binding: ROLE_BINDING,
  kubernetes_role_binding_v1: ROLE_BINDING,
  kubernetes_cluster_role_binding: CLUSTER_ROLE_BINDING,
  kubernetes_cluster_role_binding_v1: CLUSTER_ROLE_BINDING,
  kubernetes_service: SERVICE,
  kubernetes_service_v1: SERVICE,
  kubernetes_ingress: INGRESS_V1BETA1,
  kubernetes_ingress_v1: INGRESS_V1,
};
