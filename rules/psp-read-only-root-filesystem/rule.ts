import { absent, and, defineRule, equals, kinds, msg, not, present, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-read-only-root-filesystem",
  title: "PodSecurityPolicy does not require a read-only root filesystem",
  description:
    "Unless a PodSecurityPolicy sets spec.readOnlyRootFilesystem to true, the pods it admits may write to their container's root filesystem, where an intruder can plant binaries or alter configuration.",
  severity: "low",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#volumes-and-file-systems"],
  },
  remediation: "Set spec.readOnlyRootFilesystem to true in the PodSecurityPolicy and give the workloads emptyDir volumes for the paths they write.",
  checks: ({ object }) => [
    when(
      absent(object.spec.readOnlyRootFilesystem),
      msg`PodSecurityPolicy ${object.metadata.name} does not require a read-only root filesystem (spec.readOnlyRootFilesystem is not set)`,
    ),
    when(
      and(present(object.spec.readOnlyRootFilesystem), not(equals(object.spec.readOnlyRootFilesystem, true))),
      msg`PodSecurityPolicy ${object.metadata.name} does not require a read-only root filesystem (spec.readOnlyRootFilesystem is ${object.spec.readOnlyRootFilesystem})`,
    ),
  ],
});
