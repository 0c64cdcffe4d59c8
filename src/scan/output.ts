// The scan's report as text or JSON. Every format is rendered by renderReport, the one place that
// maps a format name to its writer.

import { SEVERITIES, type Severity } from "../model/rule.ts";
import type { ScanReport } from "./scan.ts";

export const FORMATS = ["text", "json"] as const;
export type Format = (typeof FORMATS)[number];

export function renderReport(format: Format, report: ScanReport): string {
  return format === "json" ? jsonReport(report) : textReport(report);
}

/** Findings by severity, most severe first. */
function countsBySeverity(report: ScanReport): Record<Severity, number> {
  const counts = Object.fromEntries([...SEVERITIES].reverse().map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of report.findings) counts[finding.severity]++;
  return counts;
}

function jsonReport(report: ScanReport): string {
  const { findings, errors, files, objects, unchecked } = report;
  return `${JSON.stringify(
    {
      findings,
      errors: errors.map(({ file, position, reason }) => ({ file, ...position, reason })),
      summary: { files, objects, unchecked, findings: countsBySeverity(report) },
    },
    null,
    2,
  )}\n`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** `file:line:col  severity  rule-id  message`, a blank line between files, then a summary. */
function textReport(report: ScanReport): string {
  const lines: string[] = [];
  let previousFile: string | undefined;
  for (const { location, severity, ruleId, message } of report.findings) {
    if (previousFile !== undefined && location.file !== previousFile) lines.push("");
    previousFile = location.file;
    lines.push(`${location.file}:${location.line}:${location.column}  ${severity.padEnd(8)}  ${ruleId}  ${message}`);
  }
  if (lines.length > 0) lines.push("");
  const counts = Object.entries(countsBySeverity(report)).map(([severity, count]) => `${count} ${severity}`);
  const total = report.findings.length === 0 ? "No findings" : `${plural(report.findings.length, "finding")} (${counts.join(", ")})`;
  const scope = [`${plural(report.objects, "object")} checked in ${plural(report.files, "file")}`];
  if (report.unchecked > 0) scope.push(`${plural(report.unchecked, "object")} of kinds no enabled rule checks`);
  if (report.errors.length > 0) scope.push(`${plural(report.errors.length, "file")} not readable`);
  lines.push(`${total}: ${scope.join("; ")}`);
  return `${lines.join("\n")}\n`;
}
