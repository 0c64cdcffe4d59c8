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
  id: "privileged-containers",
  title: "Containers should not run privileged",
  description:
    "A privileged container has every capability and access to all host devices: it can do almost anything the node itself can.",
  severity: "critical",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Privileged Containers",
    polaris: "runAsPrivileged",
    gatekeeper: "pod-security-policy/privileged-containers",
    kyverno: "disallow-privileged-containers",
  },
  remediation: "Remove securityContext.privileged from the container, or set it to false.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), equals(container.securityContext.privileged, true)),
        msg`Container ${container.name} is privileged (securityContext.privileged is true)`,
      ),
    ),
  ],
});
