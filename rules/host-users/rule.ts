import {
  and,
  defineRule,
  equals,
  msg,
  not,
  notWindows,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "host-users",
  title: "Pods should run in their own user namespace",
  description:
    "Unless spec.hostUsers is false, a pod's user IDs are the node's: root in a container is root on the node after a container breakout, and capabilities granted to the container are valid on the host. With hostUsers: false the pod gets its own user namespace, mapped to unprivileged IDs on the node (Kubernetes 1.33 and later enable this by default; it needs Linux nodes with a supporting runtime). Windows pods, which cannot use user namespaces, are not checked.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    urls: [
      "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
      "https://kubernetes.io/docs/tasks/configure-pod-container/user-namespaces/",
    ],
  },
  remediation:
    "Set spec.hostUsers: false. Pods that use hostNetwork, hostPID or hostIPC, or volumes that need host IDs, cannot use a user namespace.",
  checks: ({ pod, object }) => [
    when(
      and(notWindows(pod), not(equals(pod.spec.hostUsers, false))),
      msg`${object.kind} ${object.metadata.name} does not set spec.hostUsers to false, so it runs in the node's user namespace`,
    ),
  ],
});
