import {
  and,
  containerExemptions,
  containers,
  defineRule,
  forEach,
  msg,
  notEquals,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "proc-mount",
  title: "Containers should use the default /proc mount",
  description:
    "The default /proc mount masks and makes read-only the paths that expose the node. An Unmasked /proc mount removes that protection.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted"],
  match: workloads,
  params: {
    procMount: {
      type: "string",
      description:
        "The /proc mount type containers may use, as gatekeeper-library's proc-mount names it: Default (only the Default mount, or none set) or Unmasked (any mount: the rule reports nothing).",
      default: "Default",
      oneOf: ["Default", "Unmasked"],
    },
    ...containerExemptions,
  },
  references: {
    pss: "/proc Mount Type",
    gatekeeper: "pod-security-policy/proc-mount",
    kyverno: "disallow-proc-mount",
  },
  remediation: "Remove securityContext.procMount from the container, or set it to Default.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        and(notEquals(params.procMount, "Unmasked"), notExempt(container, params), notEquals(container.securityContext.procMount, "Default")),
        msg`Container ${container.name} sets procMount to ${container.securityContext.procMount}`,
      ),
    ),
  ],
});
