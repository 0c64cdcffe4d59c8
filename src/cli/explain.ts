// `policypack explain`: a rule's metadata and its checks in readable form.

import type { LoadedRule } from "../config/types.ts";
import { formatChecks, referenceEntries, ruleKinds } from "../model/describe.ts";
import { type ParamSpec, paramTypeText } from "../model/rule.ts";

/** The defaults of earlier Pod Security Standards versions (podSecurityVersion), where the standard changed them. */
function earlierDefaults(spec: ParamSpec): string {
  return (spec.earlierDefaults ?? []).map((d) => `; before ${d.before}: ${JSON.stringify(d.default)}`).join("");
}

export function explain({ rule, file }: LoadedRule): string {
  const params = Object.entries(rule.params);
  const references = referenceEntries(rule.references);
  const lines = [
    `${rule.id}: ${rule.title}`,
    "",
    `  Severity:   ${rule.severity}`,
    `  Category:   ${rule.category}`,
    `  Profiles:   ${rule.profiles.length ? rule.profiles.join(", ") : "(none: enable it with rules.enable)"}`,
    `  Applies to: ${ruleKinds(rule).join(", ")}`,
    `  Defined in: ${file}`,
    "",
    "Description",
    `  ${rule.description}`,
    "",
    "Remediation",
    `  ${rule.remediation}`,
    "",
    "Parameters",
    ...(params.length === 0
      ? ["  (none)"]
      : params.map(([name, spec]) => `  ${name} (${paramTypeText(spec)}, default ${JSON.stringify(spec.default)}${earlierDefaults(spec)}): ${spec.description}`)),
    "",
    "References",
    ...(references.length === 0 ? ["  (none)"] : references.map(([source, value]) => `  ${source}: ${value}`)),
    "",
    "Checks (each reports a violation with its message when its condition holds)",
    ...formatChecks(rule.checks).map((line) => `  ${line}`),
  ];
  return `${lines.join("\n")}\n`;
}
