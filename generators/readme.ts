// The README's rule table, regenerated between the markers on every build and compared by
// `build --check`, so the documentation cannot drift from the rules. Each built-in rule's id links
// to its page in docs/rules/.

import { InputError } from "../src/errors.ts";
import { matchesAllWorkloads, referenceEntries, ruleKinds } from "../src/model/describe.ts";
import type { LoadedRule } from "../src/config/types.ts";
import { WORKLOAD_KINDS } from "../src/model/rule.ts";
import { autolink, code, link, text } from "./markdown.ts";

export const RULES_START = "<!-- rules:start -->";
export const RULES_END = "<!-- rules:end -->";

function references(rule: LoadedRule["rule"]): string {
  return referenceEntries(rule.references)
    .map(([source, value]) => (source === "URL" ? autolink(value) : `${text(source)}: ${code(value, true)}`))
    .join("<br>");
}

/**
 * The Markdown table of every rule (enabled or not), sorted by id; `pages` maps the id of each
 * rule that has a docs page to the page's link.
 */
export function ruleTable(rules: LoadedRule[], pages: Map<string, string>): string {
  const rows = rules.map(({ rule }) => {
    const page = pages.get(rule.id);
    return [
      page === undefined ? code(rule.id, true) : link(code(rule.id, true), page),
      text(rule.title),
      rule.severity,
      text(rule.category),
      rule.profiles.map((p) => code(p, true)).join(" "),
      matchesAllWorkloads(rule) ? "workloads" : ruleKinds(rule).map((k) => code(k, true)).join(" "),
      references(rule),
    ].join(" | ");
  });
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
