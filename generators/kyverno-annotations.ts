// The policies.kyverno.io/* annotations both Kyverno outputs carry, as kyverno/policies writes them.

import type { Rule } from "../src/model/rule.ts";

export function kyvernoAnnotations(rule: Rule, minVersion: string): Record<string, string> {
  const subject = rule.match.type === "workloads" ? "Pod" : rule.match.kinds.map((k) => k.kind).join(", ");
  return {
    "policies.kyverno.io/title": rule.title,
    "policies.kyverno.io/category": rule.category,
    "policies.kyverno.io/severity": rule.severity,
    "policies.kyverno.io/subject": subject,
    "policies.kyverno.io/minversion": minVersion,
    "policies.kyverno.io/description": rule.description,
  };
}
