import {
  and,
  containerExemptions,
  containers,
  defineRule,
  equals,
  forEach,
  msg,
  not,
  notExempt,
  notWindows,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "read-only-root-filesystem",
  title: "Containers should run with a read-only root filesystem",
  description:
    "A writable root filesystem lets an intruder replace the container's binaries and libraries or drop tools into it. With a read-only root the container writes only to the volumes it mounts. Windows pods, which cannot set readOnlyRootFilesystem, are not checked.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    polaris: "notReadOnlyRootFilesystem",
    gatekeeper: "pod-security-policy/read-only-root-filesystem",
    kyverno: "require-ro-rootfs",
  },
  remediation:
    "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir volume wherever the application must write (e.g. /tmp).",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        and(
          notWindows(pod),
          notExempt(container, params),
          not(equals(container.securityContext.readOnlyRootFilesystem, true)),
        ),
        msg`Container ${container.name} does not set securityContext.readOnlyRootFilesystem to true`,
      ),
    ),
  ],
});
