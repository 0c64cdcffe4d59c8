import { describe, expect, it } from "vitest";
import { jsonReport } from "../../../src/scan/report/json.ts";
import { scanCounts } from "../../../src/scan/report/types.ts";
import { fixtureReport } from "./fixture.ts";
import { validateScanResult as validate } from "./validators.ts";

describe("json report", () => {
  it("writes the versioned result, findings in reading order", () => {
    const report = fixtureReport();
    const result = JSON.parse(jsonReport(report));
    expect(result).toEqual({
      schemaVersion: 1,
      tool: { name: "policypack", version: "0.1.0" },
      // scanCounts is pinned exactly in types.test.ts.
      summary: scanCounts(report),
      rules: report.rules,
      files: ["deploy/web.yaml", "infra/main.tf", "deploy/broken.yaml"],
      findings: [report.findings[0], report.findings[2], report.findings[1]],
      errors: [{ location: { file: "deploy/broken.yaml", line: 4, column: 3 }, reason: "bad indentation of a mapping entry" }],
    });
    expect(result.findings.map((f: { location: { line: number } }) => f.location.line)).toEqual([22, 24, 9]);
    expect(result.findings[2].terraformAddress).toBe("kubernetes_cluster_role_v1.admin");
  });

  it("validates against schemas/scan-result.schema.json", () => {
    expect(() => validate(JSON.parse(jsonReport(fixtureReport())), "scan.json")).not.toThrow();
  });

  it("the schema rejects a result without schemaVersion or with an unknown severity", () => {
    const result = JSON.parse(jsonReport(fixtureReport()));
    delete result.schemaVersion;
    expect(() => validate(result, "scan.json")).toThrow('missing field "schemaVersion"');
    const badSeverity = JSON.parse(jsonReport(fixtureReport()));
    badSeverity.findings[0].severity = "urgent";
    expect(() => validate(badSeverity, "scan.json")).toThrow("findings.0.severity");
  });
});
