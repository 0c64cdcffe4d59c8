// The README's rule table, regenerated between the markers on every build and compared by
// `build --check`, so the documentation cannot drift from the rules.

import { InputError } from "../src/errors.ts";
import { matchesAllWorkloads, referenceEntries, ruleKinds } from "../src/build/describe.ts";
import type { LoadedRule } from "../src/config/types.ts";
import { WORKLOAD_KINDS } from "../src/model/rule.ts";

export const RULES_START = "<!-- rules:start -->";
export const RULES_END = "<!-- rules:end -->";

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("<", "&lt;").replace(/\s*\n\s*/g, " ");
}

function code(text: string): string {
  return `\`${text.replaceAll("|", "\\|").replaceAll("`", "'")}\``;
}

function references(rule: LoadedRule["rule"]): string {
  return referenceEntries(rule.references)
    .map(([source, value]) => (source === "URL" ? `<${value.replaceAll("|", "%7C").replaceAll(">", "%3E")}>` : `${source}: ${code(value)}`))
    .join("<br>");
}

/** The Markdown table of every rule (enabled or not), sorted by id. */
export function ruleTable(rules: LoadedRule[]): string {
  const rows = rules.map(({ rule }) =>
    [
      code(rule.id),
      cell(rule.title),
      rule.severity,
      cell(rule.category),
      rule.profiles.map(code).join(" "),
      matchesAllWorkloads(rule) ? "workloads" : ruleKinds(rule).map(code).join(" "),
      references(rule),
    ].join(" | "),
  );
  return [
    "| Rule | Title | Severity | Category | Profiles | Kinds | References |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row} |`),
    "",
    `*workloads*: ${WORKLOAD_KINDS.map((k) => k.kind).join(", ")} (the pod template of each).`,
  ].join("\n");
}

/** The offsets of the lines that are exactly `marker` (a marker quoted in prose does not count). */
function markerLines(readme: string, marker: string): number[] {
  const offsets: number[] = [];
  for (let at = readme.indexOf(marker); at >= 0; at = readme.indexOf(marker, at + 1)) {
    const lineStart = at === 0 || readme[at - 1] === "\n";
    const lineEnd = at + marker.length === readme.length || readme[at + marker.length] === "\n";
    if (lineStart && lineEnd) offsets.push(at);
  }
  return offsets;
}

/** `readme` with the lines between the rule-table markers replaced by `table`. */
export function withRuleTable(readme: string, table: string, file: string): string {
  const starts = markerLines(readme, RULES_START);
  const ends = markerLines(readme, RULES_END);
  if (starts.length !== 1 || ends.length !== 1 || ends[0]! < starts[0]!) {
    throw new InputError(file, undefined, `needs one line ${RULES_START} and, after it, one line ${RULES_END} around the rule table`);
  }
  return `${readme.slice(0, starts[0]! + RULES_START.length)}\n${table}\n${readme.slice(ends[0])}`;
}
