import { any, defineRule, filtered, isIn, items, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

const HOST_PATH_VOLUME_TYPES = ["hostPath", "*"];

export default defineRule({
  id: "psp-host-path-volumes",
  title: "PodSecurityPolicy allows hostPath volumes",
  description:
    "A PodSecurityPolicy whose spec.volumes lists hostPath (or *, every volume type) lets the pods it admits mount directories of the node, from which they can read other workloads' data and credentials or write to the node.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#volumes-and-file-systems"],
  },
  remediation: "Remove hostPath and * from spec.volumes and list only the volume types the workloads need (configMap, secret, emptyDir, persistentVolumeClaim...).",
  checks: ({ object }) => {
    const volumeTypes = items(object.spec.volumes, "volumeType");
    return [
      when(
        any(volumeTypes, (volumeType) => isIn(volumeType, HOST_PATH_VOLUME_TYPES)),
        msg`PodSecurityPolicy ${object.metadata.name} allows hostPath volumes (spec.volumes includes ${filtered(volumeTypes, (volumeType) => isIn(volumeType, HOST_PATH_VOLUME_TYPES))})`,
      ),
    ];
  },
});
