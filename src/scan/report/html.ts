// One self-contained HTML page (no scripts, nothing fetched: its Content-Security-Policy forbids
// it): a score, counts by severity, a table per rule and per file. Handlebars escapes every value,
// since messages quote user manifests.

import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { packageFile } from "../../package-root.ts";
import { type ScanReport, SEVERITIES_DESCENDING, checkResults, locationText, resourceName, scanCounts, sortedFindings } from "./types.ts";

const template = Handlebars.compile(readFileSync(packageFile("templates", "scan", "report.html.hbs"), "utf8"), { strict: true });

/** The share of checks (one enabled rule on one object) without findings; 100% when nothing was checked. */
export function checkScore(report: ScanReport): { checks: number; passed: number; percent: string } {
  const results = checkResults(report);
  const passed = results.filter((r) => r.findings.length === 0).length;
  const percent = results.length === 0 ? 100 : Math.floor((passed / results.length) * 100);
  return { checks: results.length, passed, percent: `${percent}%` };
}

export function htmlReport(report: ScanReport): string {
  const counts = scanCounts(report);
  const results = checkResults(report);
  const findings = sortedFindings(report).map((f) => ({
    file: f.location.file,
    location: locationText(f.location),
    severity: f.severity,
    ruleId: f.ruleId,
    resource: resourceName(f.resource),
    terraformAddress: f.terraformAddress ?? "",
    message: f.message,
    path: f.path,
  }));
  return template({
    toolVersion: report.toolVersion,
    score: checkScore(report),
    counts,
    severities: SEVERITIES_DESCENDING.map((name) => ({ name, count: counts.findingsBySeverity[name] })),
    rules: report.rules.map((rule) => {
      const ofRule = results.filter((r) => r.rule.id === rule.id);
      return {
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        helpUri: rule.helpUri ?? "",
        checks: ofRule.length,
        failed: ofRule.filter((r) => r.findings.length > 0).length,
        findings: counts.findingsByRule[rule.id],
      };
    }),
    files: report.files.map((name) => ({
      name,
      errors: report.errors.filter((e) => e.file === name).map((e) => ({ location: locationText(e), reason: e.reason })),
      findings: findings.filter((f) => f.file === name),
    })),
  });
}
