import { defineRule, workloadsOf } from "../../src/model/index.ts";
import { probeChecks, probeParams } from "../../src/model/probes.ts";

export default defineRule({
  id: "readiness-probe",
  title: "Long-running containers should have a readiness probe",
  description:
    "Without a readiness probe a container receives Service traffic as soon as it starts, before it can serve it, and keeps receiving it while it is overloaded or broken; rolling updates also proceed without waiting for new pods to be ready. Jobs and CronJobs, and the Pods a Job owns, are not checked, nor are init containers.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloadsOf("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"),
  params: probeParams("readinessProbe"),
  references: {
    polaris: "readinessProbeMissing",
    gatekeeper: "general/requiredprobes",
    kyverno: "require-probes",
  },
  remediation:
    "Add a readinessProbe (httpGet, tcpSocket, grpc or exec) to every container, checking that it can serve requests now.",
  checks: ({ pod, params }) => probeChecks(pod, params),
});
