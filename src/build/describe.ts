// How rules read in listings (the CLI, the README's rule table): kinds as apiVersion/Kind and
// references with the tool each comes from.

import { type GroupVersionKind, type References, type Rule, WORKLOAD_KINDS } from "../model/rule.ts";

/** `v1/Pod`, `apps/v1/Deployment`. */
export function kindLabel(gvk: GroupVersionKind): string {
  return `${gvk.group === "" ? "" : `${gvk.group}/`}${gvk.version}/${gvk.kind}`;
}

/** The kinds a rule applies to. */
export function ruleKinds(rule: Rule): string[] {
  return (rule.match.type === "workloads" ? rule.match.workloads : rule.match.kinds).map(kindLabel);
}

/** Whether the rule applies to every pod-bearing kind (WORKLOAD_KINDS), which listings abbreviate. */
export function matchesAllWorkloads(rule: Rule): boolean {
  const { match } = rule;
  return match.type === "workloads" && WORKLOAD_KINDS.every((k) => match.workloads.some((w) => w.kind === k.kind));
}

const REFERENCE_LABELS: Record<Exclude<keyof References, "urls">, string> = {
  pss: "Pod Security Standards",
  polaris: "Polaris",
  gatekeeper: "gatekeeper-library",
  kyverno: "kyverno/policies",
  kics: "KICS",
  datadog: "Datadog",
};

/** The references as [source, value] pairs, in a fixed order; each URL is its own entry. */
export function referenceEntries(references: References): Array<[string, string]> {
  const named = (Object.keys(REFERENCE_LABELS) as Array<keyof typeof REFERENCE_LABELS>)
    .filter((key) => references[key] !== undefined)
    .map((key): [string, string] => [REFERENCE_LABELS[key], references[key]!]);
  return [...named, ...(references.urls ?? []).map((url): [string, string] => ["URL", url])];
}
