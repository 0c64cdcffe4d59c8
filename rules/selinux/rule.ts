import {
  and,
  any,
  containerExemptions,
  containers,
  defineRule,
  equals,
  notExempt,
  forEach,
  msg,
  not,
  notEquals,
  notIn,
  or,
  absent,
  paramItems,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";
import type { Condition, Param, Path } from "../../src/model/index.ts";
import type { SELinuxOptions } from "kubernetes-types/core/v1.js";

/** The SELinux types the Pod Security Standards baseline profile allows (container_engine_t since Kubernetes 1.31). */
export const ALLOWED_SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const ALLOWED_SELINUX_TYPES_BEFORE_1_31 = ["container_t", "container_init_t", "container_kvm_t"];
const OPTION_FIELDS = ["level", "role", "type", "user"] as const;

interface SELinuxParams {
  allowedSELinuxTypes: Param<string[]>;
  allowedSELinuxOptions: Param<Array<Record<string, string>>>;
}

/**
 * The options are not allowed. Without allowedSELinuxOptions, as the Pod Security Standards say:
 * no user or role, and a type among allowedSELinuxTypes (an empty one is none). With it, as
 * gatekeeper-library's selinux: options set at all must fit one entry, every field they set
 * equal to the entry's.
 */
function notAllowed(options: Path<SELinuxOptions | undefined>, params: SELinuxParams): Condition {
  const entries = paramItems(params.allowedSELinuxOptions, "allowed");
  const listed = any(entries, (entry) => present(entry));
  return or(
    and(
      not(listed),
      or(
        and(notEquals(options.type, ""), notIn(options.type, params.allowedSELinuxTypes)),
        notEquals(options.user, ""),
        notEquals(options.role, ""),
      ),
    ),
    and(
      listed,
      present(options),
      not(any(entries, (entry) => and(...OPTION_FIELDS.map((field) => or(absent(options[field]), equals(options[field], entry[field])))))),
    ),
  );
}

export default defineRule({
  id: "selinux",
  title: "SELinux options should not be customised",
  description:
    "Setting a custom SELinux user or role, or a type outside the container types, can lift the mandatory access control that keeps a container away from the node.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted"],
  match: workloads,
  params: {
    ...containerExemptions,
    allowedSELinuxTypes: {
      type: "string[]",
      description: "SELinux types a pod or container may use (an empty type is always allowed).",
      default: ALLOWED_SELINUX_TYPES,
      earlierDefaults: [{ before: "v1.31", default: ALLOWED_SELINUX_TYPES_BEFORE_1_31 }],
    },
    allowedSELinuxOptions: {
      type: "object[]",
      description:
        "gatekeeper-library's allow-list of seLinuxOptions: entries of level, role, type and user. When set, it replaces the Pod Security Standards check (and allowedSELinuxTypes): seLinuxOptions set on the pod or a container must fit one entry, each field they set equal to the entry's (a field the entry leaves out then does not fit).",
      default: [],
    },
  },
  references: {
    pss: "SELinux",
    gatekeeper: "pod-security-policy/selinux",
    kyverno: "disallow-selinux",
  },
  remediation: "Remove seLinuxOptions.user and seLinuxOptions.role, and use one of the allowed SELinux types or none.",
  checks: ({ pod, object, params }) => [
    when(notAllowed(pod.spec.securityContext.seLinuxOptions, params), msg`${object.kind} ${object.metadata.name} sets pod SELinux options that are not allowed`),
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), notAllowed(container.securityContext.seLinuxOptions, params)),
        msg`Container ${container.name} sets SELinux options that are not allowed`,
      ),
    ),
  ],
});
