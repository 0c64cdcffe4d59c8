// The report formats of `policypack scan --format`, by name.

import { htmlReport } from "./html.ts";
import { jsonReport } from "./json.ts";
import { junitReport } from "./junit.ts";
import { policyReport } from "./policyreport.ts";
import { sarifReport } from "./sarif.ts";
import { textReport } from "./text.ts";
import type { ScanReport } from "./types.ts";

export * from "./types.ts";

import type { ReportFormat } from "../choices.ts";

export { REPORT_FORMATS, type ReportFormat } from "../choices.ts";

export interface RenderOptions {
  /** Colour the text format; the caller decides from the TTY and NO_COLOR. Other formats ignore it. */
  color: boolean;
}

/** The report in `format`, as the text to write. */
export function renderReport(format: ReportFormat, report: ScanReport, options: RenderOptions): string {
  switch (format) {
    case "text":
      return textReport(report, options);
    case "json":
      return jsonReport(report);
    case "sarif":
      return sarifReport(report);
    case "junit":
      return junitReport(report);
    case "policyreport":
      return policyReport(report);
    case "html":
      return htmlReport(report);
  }
}
