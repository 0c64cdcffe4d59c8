// The report formats of `policypack scan --format`, by name. Each format's module (and the
// libraries it writes with: handlebars, the SARIF and JUnit builders) loads only when a scan
// writes that format.

import type { ScanReport } from "./types.ts";

export * from "./types.ts";

import type { ReportFormat } from "../choices.ts";

export { REPORT_FORMATS, type ReportFormat } from "../choices.ts";

export interface RenderOptions {
  /** Colour the text format; the caller decides from the TTY and NO_COLOR. Other formats ignore it. */
  color: boolean;
}

/** The report in `format`, as the text to write. */
export async function renderReport(format: ReportFormat, report: ScanReport, options: RenderOptions): Promise<string> {
  switch (format) {
    case "text":
      return (await import("./text.ts")).textReport(report, options);
    case "json":
      return (await import("./json.ts")).jsonReport(report);
    case "sarif":
      return (await import("./sarif.ts")).sarifReport(report);
    case "junit":
      return (await import("./junit.ts")).junitReport(report);
    case "policyreport":
      return (await import("./policyreport.ts")).policyReport(report);
    case "html":
      return (await import("./html.ts")).htmlReport(report);
  }
}
