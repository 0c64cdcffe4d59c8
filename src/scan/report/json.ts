// The machine-readable report; its shape is schemas/scan-result.schema.json, versioned by schemaVersion.

import { type ScanReport, scanCounts, sortedFindings } from "./types.ts";

/** Bump only when a field is removed or changes meaning, together with the schema's `const`. */
export const SCAN_RESULT_SCHEMA_VERSION = 1;

export function jsonReport(report: ScanReport): string {
  const result = {
    schemaVersion: SCAN_RESULT_SCHEMA_VERSION,
    tool: { name: "policypack", version: report.toolVersion },
    summary: scanCounts(report),
    rules: report.rules,
    files: report.files,
    findings: sortedFindings(report),
    errors: report.errors.map(({ file, line, column, reason }) => ({ location: { file, line, column }, reason })),
  };
  return JSON.stringify(result, null, 2) + "\n";
}
