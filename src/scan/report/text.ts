// The default report for people: findings grouped by file, one line each starting with
// file:line:col so terminals and editors can jump there, then counts by severity and by rule.

import pc from "picocolors";
import type { Severity } from "../../model/rule.ts";
import type { Finding } from "../types.ts";
import { type InputError, type ScanReport, SEVERITIES_DESCENDING, locationText, resourceName, scanCounts, sortedFindings } from "./types.ts";

export interface TextOptions {
  /** Colour the output; the caller decides from the TTY and NO_COLOR. */
  color: boolean;
}

export function textReport(report: ScanReport, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const severityColor: Record<Severity, (text: string) => string> = {
    critical: (t) => c.bold(c.red(t)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
  };
  const width = Math.max(...SEVERITIES_DESCENDING.map((s) => s.length), "error".length);
  const findingLine = (f: Finding): string => {
    const subject = [resourceName(f.resource), f.terraformAddress].filter((part) => part !== undefined).join(" ");
    return `  ${locationText(f.location)}  ${severityColor[f.severity](f.severity.padEnd(width))}  ${f.ruleId}  ${f.message}  ${c.dim(`(${subject})`)}`;
  };
  const errorLine = (e: InputError): string => `  ${locationText(e)}  ${c.red("error".padEnd(width))}  ${e.reason}`;

  const lines: string[] = [];
  const findings = sortedFindings(report);
  for (const file of report.files) {
    const inFile = [...report.errors.filter((e) => e.file === file).map(errorLine), ...findings.filter((f) => f.location.file === file).map(findingLine)];
    if (inFile.length === 0) continue;
    lines.push(c.underline(file), ...inFile, "");
  }

  const counts = scanCounts(report);
  lines.push(
    `${plural(counts.findings, "finding")} in ${plural(counts.files, "file")}, ${plural(counts.objects, "object")} ` +
      `(${counts.objectsWithoutRules} matched by no enabled rule), ${plural(counts.inputErrors, "input error")}`,
  );
  lines.push(`By severity: ${SEVERITIES_DESCENDING.map((s) => `${severityColor[s](s)} ${counts.findingsBySeverity[s]}`).join(", ")}`);
  const failedRules = Object.entries(counts.findingsByRule).filter(([, n]) => n > 0);
  if (failedRules.length > 0) {
    lines.push("By rule:");
    const idWidth = Math.max(...failedRules.map(([id]) => id.length));
    for (const [id, n] of failedRules.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))) lines.push(`  ${id.padEnd(idWidth)}  ${n}`);
  }
  return lines.join("\n") + "\n";
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
