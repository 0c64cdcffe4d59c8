import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-host-ipc",
  title: "PodSecurityPolicy allows sharing host IPC",
  description:
    "A PodSecurityPolicy with spec.hostIPC: true lets every pod it admits share the node's IPC namespace, and so read other processes' shared memory.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    kics: "80f93444-b240-4ebb-a4c6-5c40b76c04ea",
    datadog: "k8s/psp_allows_sharing_host_ipc",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#host-namespaces"],
  },
  remediation: "Set spec.hostIPC to false in the PodSecurityPolicy, or remove the field.",
  checks: ({ object }) => [
    when(
      equals(object.spec.hostIPC, true),
      msg`PodSecurityPolicy ${object.metadata.name} allows sharing the host IPC namespace (spec.hostIPC is true)`,
    ),
  ],
});
