import {
  and,
  containerExemptions,
  containers,
  defineRule,
  equals,
  forEach,
  msg,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "host-process",
  title: "Windows HostProcess containers should not be used",
  description:
    "A Windows HostProcess container runs directly on the node with the node's privileges: it can reach the host's network, file system and processes.",
  severity: "critical",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "HostProcess",
    kyverno: "disallow-host-process",
  },
  remediation: "Remove windowsOptions.hostProcess from the pod and its containers, or set it to false.",
  checks: ({ pod, object, params }) => [
    when(
      equals(pod.spec.securityContext.windowsOptions.hostProcess, true),
      msg`${object.kind} ${object.metadata.name} runs as a Windows HostProcess pod (securityContext.windowsOptions.hostProcess is true)`,
    ),
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), equals(container.securityContext.windowsOptions.hostProcess, true)),
        msg`Container ${container.name} runs as a Windows HostProcess container`,
      ),
    ),
  ],
});
