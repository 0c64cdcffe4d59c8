// How rules read in listings (the CLI, the docs, the README's rule table): kinds as
// apiVersion/Kind, references with the tool each comes from, and checks as readable expressions.

import type { Check, Collection, Condition, Iteration, Message, PathValue, Value } from "./expr.ts";
import { renderText } from "./messages.ts";
import { type GroupVersionKind, type References, type Rule, WORKLOAD_KINDS, apiVersionOf } from "./rule.ts";

/** `v1/Pod`, `apps/v1/Deployment`. */
export function kindLabel(gvk: GroupVersionKind): string {
  return `${apiVersionOf(gvk)}/${gvk.kind}`;
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

/** The references as [source, value] pairs, in a fixed order; each name of a list and each URL is its own entry. */
export function referenceEntries(references: References): Array<[string, string]> {
  const named = (Object.keys(REFERENCE_LABELS) as Array<keyof typeof REFERENCE_LABELS>).flatMap((key) =>
    [references[key] ?? []].flat().map((name): [string, string] => [REFERENCE_LABELS[key], name]),
  );
  return [...named, ...(references.urls ?? []).map((url): [string, string] => ["URL", url])];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function path(value: PathValue): string {
  const { scope } = value;
  const root =
    scope.kind === "object" ? "object"
    : scope.kind === "podSpec" ? "pod.spec"
    : scope.kind === "podMeta" ? "pod.metadata"
    : scope.part === undefined ? scope.name
    : `${scope.name}.${scope.part}`;
  return root + value.segments.map((s) => (IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join("");
}

function collection(c: Collection): string {
  switch (c.op) {
    case "containers":
      return "the pod's containers (containers, initContainers, ephemeralContainers)";
    case "items":
      return path(c.list);
    case "entries":
      return `the entries of ${path(c.map)}`;
    case "paramItems":
      return formatValue(c.list);
  }
}

function iteration(i: Iteration): string {
  return `${i.bind} in ${collection(i.collection)}`;
}

/** A value as an expression: `container.securityContext.privileged`, `params.labelKey`. */
export function formatValue(v: Value): string {
  switch (v.op) {
    case "path":
      return path(v);
    case "literal":
      return JSON.stringify(v.value);
    case "param":
      return `params.${v.name}`;
    case "coalesce":
      return v.values.map(formatValue).join(" ?? ");
    case "afterLast":
      return `(${formatValue(v.value)} after the last ${JSON.stringify(v.separator)})`;
    case "concat":
      return v.values.map(formatValue).join(" + ");
    case "filter":
      return `[${v.select ? `${formatValue(v.select)} for ` : "each "}${iteration(v.iteration)} where ${formatCondition(v.where)}]`;
  }
}

/** Operands of and/or are parenthesized when they are themselves and/or. */
function operand(c: Condition): string {
  return c.op === "and" || c.op === "or" ? `(${formatCondition(c)})` : formatCondition(c);
}

export function formatCondition(c: Condition): string {
  switch (c.op) {
    case "present":
      return `${formatValue(c.value)} is set`;
    case "absent":
      return `${formatValue(c.value)} is not set`;
    case "equals":
      return `${formatValue(c.left)} == ${formatValue(c.right)}`;
    case "notEquals":
      return `${formatValue(c.left)} != ${formatValue(c.right)}`;
    case "in":
      return `${formatValue(c.value)} in ${formatValue(c.list)}${c.ignoreCase ? " ignoring case" : ""}`;
    case "notIn":
      return `${formatValue(c.value)} not in ${formatValue(c.list)}`;
    case "compare":
      return `${formatValue(c.left)} ${c.cmp} ${formatValue(c.right)}`;
    case "startsWith":
    case "endsWith":
      return `${formatValue(c.value)} ${c.op === "startsWith" ? "starts" : "ends"} with ${formatValue(c.text)}`;
    case "matches":
      return `${formatValue(c.value)} matches /${c.pattern}/`;
    case "matchesPattern":
      return `${formatValue(c.value)} matches a pattern in ${formatValue(c.patterns)}${c.ignoreCase ? " ignoring case" : ""}`;
    case "quantity":
      return `${formatValue(c.value)} is a quantity`;
    case "compareQuantity":
      return `quantity ${formatValue(c.left)} ${c.cmp} quantity ${formatValue(c.right)}`;
    case "compareDifference":
      return `(${[c.left, c.right].map((v) => (v.op === "coalesce" ? `(${formatValue(v)})` : formatValue(v))).join(" - ")}) ${c.cmp} ${formatValue(c.bound)}`;
    case "and":
      return c.conditions.map(operand).join(" and ");
    case "or":
      return c.conditions.map(operand).join(" or ");
    case "not":
      return `not (${formatCondition(c.condition)})`;
    case "any":
      return `some ${iteration(c.iteration)} has (${formatCondition(c.where)})`;
    case "all":
      return `every ${iteration(c.iteration)} has (${formatCondition(c.where)})`;
  }
}

/** A message as a template: literal text with `{value}` where values are interpolated. */
export function formatMessage(m: Message): string {
  // A literal value is text like the rest (as every lowering renders it).
  const text = (part: Message["parts"][number]) =>
    typeof part === "string" ? part : part.op === "literal" ? renderText(part.value) : `{${formatValue(part)}}`;
  return JSON.stringify(m.parts.map(text).join(""));
}

/** The checks numbered, each as its condition (with the iteration) and then its message, one line each. */
export function formatChecks(checks: Check[]): string[] {
  return checks.flatMap((check, i) => [
    `${i + 1}. ${check.each ? `for each ${iteration(check.each)}, ` : ""}when ${formatCondition(check.when)}`,
    `   message: ${formatMessage(check.message)}`,
  ]);
}
