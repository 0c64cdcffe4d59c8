import { defineRule, workloadsOf } from "../../src/model/index.ts";
import { probeChecks, probeParams } from "../../src/model/probes.ts";

export default defineRule({
  id: "liveness-probe",
  title: "Long-running containers should have a liveness probe",
  description:
    "Without a liveness probe Kubernetes restarts a container only when its process exits: a deadlocked or hung process keeps its place and keeps failing requests. Jobs and CronJobs, and the Pods a Job owns, run to completion and are not checked, nor are init containers.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloadsOf("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"),
  params: probeParams("livenessProbe"),
  references: {
    polaris: "livenessProbeMissing",
    gatekeeper: "general/requiredprobes",
    kyverno: "require-probes",
  },
  remediation:
    "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) to every container, checking that the process still makes progress.",
  checks: ({ pod, params }) => probeChecks(pod, params),
});
