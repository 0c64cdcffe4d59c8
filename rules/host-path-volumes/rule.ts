import {
  and,
  any,
  containers,
  defineRule,
  equals,
  forEach,
  items,
  matchesPattern,
  msg,
  not,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "host-path-volumes",
  title: "Pods should not mount hostPath volumes",
  description:
    "A hostPath volume exposes a directory of the node to the pod: writing to it can plant binaries or configuration on the node, and reading it can leak credentials of other workloads.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: {
    allowedHostPaths: {
      type: "string[]",
      description: "Host paths a hostPath volume may mount: an exact path, or a prefix ending in * (e.g. /var/log/*).",
      default: [],
    },
    readOnlyHostPaths: {
      type: "string[]",
      description: "Host paths (exact, or a prefix ending in *) a hostPath volume may mount only if every container mounts it read-only.",
      default: [],
    },
  },
  references: {
    pss: "HostPath Volumes",
    gatekeeper: "pod-security-policy/host-filesystem",
    kyverno: "disallow-host-path",
  },
  remediation: "Replace the hostPath volume with a persistentVolumeClaim, configMap, secret, emptyDir or another volume type.",
  checks: ({ pod, params }) => [
    forEach(items(pod.spec.volumes, "volume"), (volume) =>
      when(
        and(
          present(volume.hostPath),
          not(matchesPattern(volume.hostPath.path, params.allowedHostPaths)),
          not(
            and(
              matchesPattern(volume.hostPath.path, params.readOnlyHostPaths),
              // "No container mounts it writable", written so the CEL computes the writable mounts
              // once, not once per volume (see keyLookup in src/lower/cel/lower.ts).
              not(
                any(containers(pod), (container) =>
                  any(items(container.volumeMounts, "mount"), (mount) => and(equals(mount.name, volume.name), not(equals(mount.readOnly, true)))),
                ),
              ),
            ),
          ),
        ),
        msg`Volume ${volume.name} mounts the host path ${volume.hostPath.path}`,
      ),
    ),
  ],
});
