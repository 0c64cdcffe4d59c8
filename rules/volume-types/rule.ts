import {
  type Entry,
  and,
  any,
  defineRule,
  fields,
  filtered,
  forEach,
  items,
  matchesPatternCase,
  msg,
  not,
  notEquals,
  when,
  workloads,
} from "../../src/model/index.ts";

/** The volume sources the Pod Security Standards restricted profile allows. */
export const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

export default defineRule({
  id: "volume-types",
  title: "Pods should use only the volume types the restricted profile allows",
  description:
    "Volume sources such as hostPath, nfs, iscsi or the cloud-disk drivers attach storage the pod's own namespace does not control. The Pod Security Standards restricted profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; other storage is reached through a persistentVolumeClaim.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: {
    allowedVolumeTypes: {
      type: "string[]",
      description:
        "Volume source fields (as spelt in the pod spec, e.g. emptyDir) a volume may use; `*` allows every type (gatekeeper-library's volumes), a prefix followed by `*` every type it starts.",
      default: RESTRICTED_VOLUME_TYPES,
    },
    ignoreCase: {
      type: "boolean",
      description: "Compare volume types with allowedVolumeTypes regardless of letter case (hostpath allows hostPath).",
      default: false,
    },
  },
  references: {
    pss: "Volume Types",
    gatekeeper: "pod-security-policy/volumes",
    kyverno: "restrict-volume-types",
  },
  remediation:
    "Replace the volume with one of the allowed types (use a persistentVolumeClaim for durable storage), or allow its type with the rule's allowedVolumeTypes parameter.",
  // Every field of a volume other than `name` is its source; a volume with no source defaults to emptyDir.
  checks: ({ pod, params }) => [
    forEach(items(pod.spec.volumes, "volume"), (volume) => {
      const sources = fields(volume, "source");
      const disallowed = (source: Entry<unknown>) =>
        and(notEquals(source.key, "name"), not(matchesPatternCase(params.ignoreCase, source.key, params.allowedVolumeTypes)));
      return when(
        any(sources, disallowed),
        msg`Volume ${volume.name} uses the volume type ${filtered(sources, disallowed)}, which is not allowed`,
      );
    }),
  ],
});
