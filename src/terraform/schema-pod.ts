// Pod specs and containers, as the provider's pod, workload and template blocks write them.

import { type BlockSchema, many, one } from "./schema.ts";

export const METADATA: BlockSchema = {
  ignore: ["uid", "resource_version", "generation", "self_link"],
};

export const LABEL_SELECTOR: BlockSchema = {
  blocks: { match_expressions: many() },
};

const HANDLER: BlockSchema = {
  blocks: { exec: one(), http_get: one({ fields: { http_header: "httpHeaders" }, blocks: { http_header: many() }, intOrString: ["port"] }), tcp_socket: one({ intOrString: ["port"] }) },
};

const PROBE: BlockSchema = {
  blocks: { ...HANDLER.blocks, grpc: one() },
};

const SE_LINUX_OPTIONS = one();
const SECCOMP_PROFILE = one({ defaults: { type: "Unconfined" } });

const CONTAINER_SECURITY_CONTEXT: BlockSchema = {
  blocks: {
    capabilities: one(),
    se_linux_options: SE_LINUX_OPTIONS,
    seccomp_profile: SECCOMP_PROFILE,
  },
  integers: ["run_as_user", "run_as_group"],
  defaults: { allow_privilege_escalation: true },
};

const POD_SECURITY_CONTEXT: BlockSchema = {
  fields: { sysctl: "sysctls" },
  blocks: {
    se_linux_options: SE_LINUX_OPTIONS,
    seccomp_profile: SECCOMP_PROFILE,
    windows_options: one({ fields: { run_as_username: "runAsUserName" } }),
    sysctl: many(),
  },
  integers: ["run_as_user", "run_as_group", "fs_group"],
};

const KEY_REF = one();

export const CONTAINER: BlockSchema = {
  fields: { port: "ports", env_from: "envFrom", volume_mount: "volumeMounts", volume_device: "volumeDevices" },
  blocks: {
    port: many({ fields: { host_ip: "hostIP" } }),
    env: many({
      blocks: {
        value_from: one({ blocks: { config_map_key_ref: KEY_REF, field_ref: one(), resource_field_ref: one(), secret_key_ref: KEY_REF } }),
      },
    }),
    env_from: many({ blocks: { config_map_ref: one(), secret_ref: one() } }),
    liveness_probe: one(PROBE),
    readiness_probe: one(PROBE),
    startup_probe: one(PROBE),
    lifecycle: one({ blocks: { post_start: one(HANDLER), pre_stop: one(HANDLER) } }),
    resources: one(),
    security_context: one(CONTAINER_SECURITY_CONTEXT),
    volume_mount: many(),
    volume_device: many(),
  },
};

const KEY_TO_PATH = many();

const VOLUME: BlockSchema = {
  blocks: {
    host_path: one(),
    empty_dir: one(),
    config_map: one({ blocks: { items: KEY_TO_PATH } }),
    secret: one({ blocks: { items: KEY_TO_PATH } }),
    downward_api: one({ blocks: { items: many({ blocks: { field_ref: one(), resource_field_ref: one() } }) } }),
    persistent_volume_claim: one(),
    projected: one({
      blocks: {
        sources: many({
          blocks: {
            config_map: one({ blocks: { items: KEY_TO_PATH } }),
            secret: one({ blocks: { items: KEY_TO_PATH } }),
            downward_api: one({ blocks: { items: many({ blocks: { field_ref: one(), resource_field_ref: one() } }) } }),
            service_account_token: one(),
          },
        }),
      },
    }),
    csi: one({ blocks: { node_publish_secret_ref: one() } }),
    ephemeral: one(),
    nfs: one(),
    iscsi: one(),
    flex_volume: one({ blocks: { secret_ref: one() } }),
  },
};

const NODE_SELECTOR_TERM = many({ blocks: { match_expressions: many(), match_fields: many() } });
const POD_AFFINITY_TERM = { label_selector: one(LABEL_SELECTOR), namespace_selector: one(LABEL_SELECTOR) };
const POD_AFFINITY = one({
  blocks: {
    required_during_scheduling_ignored_during_execution: many({ blocks: POD_AFFINITY_TERM }),
    preferred_during_scheduling_ignored_during_execution: many({ blocks: { pod_affinity_term: one({ blocks: POD_AFFINITY_TERM }) } }),
  },
});

export const POD_SPEC: BlockSchema = {
  fields: {
    container: "containers",
    init_container: "initContainers",
    volume: "volumes",
    toleration: "tolerations",
    readiness_gate: "readinessGates",
    topology_spread_constraint: "topologySpreadConstraints",
    host_ipc: "hostIPC",
    host_pid: "hostPID",
  },
  blocks: {
    container: many(CONTAINER),
    init_container: many(CONTAINER),
    security_context: one(POD_SECURITY_CONTEXT),
    volume: many(VOLUME),
    dns_config: one({ blocks: { option: many() }, fields: { option: "options" } }),
    affinity: one({
      blocks: {
        node_affinity: one({
          blocks: {
            required_during_scheduling_ignored_during_execution: one({ fields: { node_selector_term: "nodeSelectorTerms" }, blocks: { node_selector_term: NODE_SELECTOR_TERM } }),
            preferred_during_scheduling_ignored_during_execution: many({ blocks: { preference: one({ blocks: { match_expressions: many(), match_fields: many() } }) } }),
          },
        }),
        pod_affinity: POD_AFFINITY,
        pod_anti_affinity: POD_AFFINITY,
      },
    }),
    toleration: many(),
    host_aliases: many(),
    image_pull_secrets: many(),
    readiness_gate: many(),
    topology_spread_constraint: many({ blocks: { label_selector: one(LABEL_SELECTOR) } }),
    os: one(),
  },
  defaults: { automount_service_account_token: true },
};

export const POD_TEMPLATE: BlockSchema = {
  blocks: { metadata: one(METADATA), spec: one(POD_SPEC) },
};
