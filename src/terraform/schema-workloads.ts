// Workloads: the provider's pod, deployment, stateful set, daemon set, replication controller,
// job and cron job resources, in their plain and _v1 names.

import { type BlockSchema, type ResourceMapping, many, one } from "./schema.ts";
import { LABEL_SELECTOR, METADATA, POD_SPEC, POD_TEMPLATE } from "./schema-pod.ts";

const ROLLING_UPDATE = one({ intOrString: ["max_surge", "max_unavailable"] });

const workload = (apiVersion: string, kind: string, spec: BlockSchema): ResourceMapping => ({
  apiVersion,
  kind,
  schema: { closed: true, blocks: { metadata: one(METADATA), spec: one(spec) } },
});

const DEPLOYMENT_SPEC: BlockSchema = {
  blocks: { selector: one(LABEL_SELECTOR), strategy: one({ blocks: { rolling_update: ROLLING_UPDATE } }), template: one(POD_TEMPLATE) },
  integers: ["replicas"],
};

const STATEFUL_SET_SPEC: BlockSchema = {
  fields: { volume_claim_template: "volumeClaimTemplates" },
  blocks: {
    selector: one(LABEL_SELECTOR),
    template: one(POD_TEMPLATE),
    update_strategy: one({ blocks: { rolling_update: one({ intOrString: ["max_unavailable"] }) } }),
    volume_claim_template: many({ blocks: { metadata: one(METADATA), spec: one({ blocks: { selector: one(LABEL_SELECTOR), resources: one() } }) } }),
    persistent_volume_claim_retention_policy: one(),
  },
  integers: ["replicas"],
};

/** The provider's daemon set `strategy` is the API's `updateStrategy`. */
const DAEMON_SET_SPEC: BlockSchema = {
  fields: { strategy: "updateStrategy" },
  blocks: { selector: one(LABEL_SELECTOR), strategy: one({ blocks: { rolling_update: ROLLING_UPDATE } }), template: one(POD_TEMPLATE) },
};

const REPLICATION_CONTROLLER_SPEC: BlockSchema = {
  blocks: { template: one(POD_TEMPLATE) },
  integers: ["replicas"],
};

const JOB_SPEC: BlockSchema = {
  blocks: {
    selector: one(LABEL_SELECTOR),
    template: one(POD_TEMPLATE),
    pod_failure_policy: one({ blocks: { rule: many({ blocks: { on_exit_codes: one(), on_pod_condition: many() } }) }, fields: { rule: "rules" } }),
  },
};

const CRON_JOB_SPEC: BlockSchema = {
  blocks: { job_template: one({ blocks: { metadata: one(METADATA), spec: one(JOB_SPEC) } }) },
};

const POD = workload("v1", "Pod", POD_SPEC);
const DEPLOYMENT = workload("apps/v1", "Deployment", DEPLOYMENT_SPEC);
const STATEFUL_SET = workload("apps/v1", "StatefulSet", STATEFUL_SET_SPEC);
const DAEMON_SET = workload("apps/v1", "DaemonSet", DAEMON_SET_SPEC);
const REPLICATION_CONTROLLER = workload("v1", "ReplicationController", REPLICATION_CONTROLLER_SPEC);
const JOB = workload("batch/v1", "Job", JOB_SPEC);

export const WORKLOAD_RESOURCES: Record<string, ResourceMapping> = {
  kubernetes_pod: POD,
  kubernetes_pod_v1: POD,
  kubernetes_deployment: DEPLOYMENT,
  kubernetes_deployment_v1: DEPLOYMENT,
  kubernetes_stateful_set: STATEFUL_SET,
  kubernetes_stateful_set_v1: STATEFUL_SET,
  kubernetes_daemonset: DAEMON_SET,
  kubernetes_daemon_set_v1: DAEMON_SET,
  kubernetes_replication_controller: REPLICATION_CONTROLLER,
  kubernetes_replication_controller_v1: REPLICATION_CONTROLLER,
  kubernetes_job: JOB,
  kubernetes_job_v1: JOB,
  // The provider's kubernetes_cron_job still creates batch/v1beta1 CronJobs.
  kubernetes_cron_job: workload("batch/v1beta1", "CronJob", CRON_JOB_SPEC),
  kubernetes_cron_job_v1: workload("batch/v1", "CronJob", CRON_JOB_SPEC),
};
