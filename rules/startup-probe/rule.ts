import { defineRule, workloadsOf } from "../../src/model/index.ts";
import { probeChecks, probeParams } from "../../src/model/probes.ts";

export default defineRule({
  id: "startup-probe",
  title: "Long-running containers should have a startup probe",
  description:
    "Without a startup probe, liveness and readiness probes run from the container's first second: a slow start is either killed by the liveness probe or covered by long initial delays that also slow down detecting a real failure. A startup probe holds the other probes back until the container has started. Jobs and CronJobs, and the Pods a Job owns, are not checked, nor are init containers.",
  severity: "low",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloadsOf("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"),
  params: probeParams("startupProbe"),
  references: {
    gatekeeper: "general/requiredprobes",
    kyverno: "require-probes",
    urls: ["https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes"],
  },
  remediation:
    "Add a startupProbe (httpGet, tcpSocket, grpc or exec) to every container, with failureThreshold × periodSeconds covering its slowest start.",
  checks: ({ pod, params }) => probeChecks(pod, params),
});
