import { and, containerExemptions, containers, defineRule, notExempt, forEach, msg, notEquals, notIn, or, when, workloads } from "../../src/model/index.ts";

/** The SELinux types the Pod Security Standards baseline profile allows (container_engine_t since Kubernetes 1.31). */
export const ALLOWED_SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const ALLOWED_SELINUX_TYPES_BEFORE_1_31 = ["container_t", "container_init_t", "container_kvm_t"];

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
  },
  references: {
    pss: "SELinux",
    gatekeeper: "pod-security-policy/selinux",
    kyverno: "disallow-selinux",
  },
  remediation: "Remove seLinuxOptions.user and seLinuxOptions.role, and use one of the allowed SELinux types or none.",
  checks: ({ pod, object, params }) => {
    const podOptions = pod.spec.securityContext.seLinuxOptions;
    return [
      when(
        or(
          and(notEquals(podOptions.type, ""), notIn(podOptions.type, params.allowedSELinuxTypes)),
          notEquals(podOptions.user, ""),
          notEquals(podOptions.role, ""),
        ),
        msg`${object.kind} ${object.metadata.name} sets pod SELinux options that are not allowed`,
      ),
      forEach(containers(pod), (container) => {
        const options = container.securityContext.seLinuxOptions;
        return when(
          and(
            notExempt(container, params),
            or(
              and(notEquals(options.type, ""), notIn(options.type, params.allowedSELinuxTypes)),
              notEquals(options.user, ""),
              notEquals(options.role, ""),
            ),
          ),
          msg`Container ${container.name} sets SELinux options that are not allowed`,
        );
      }),
    ];
  },
});
