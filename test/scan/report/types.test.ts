import { describe, expect, it } from "vitest";
import privilegedContainers from "../../../rules/privileged-containers/rule.ts";
import { REPORT_FORMATS, checkResults, renderReport, ruleDescriptor, scanCounts } from "../../../src/scan/report/index.ts";
import { htmlReport } from "../../../src/scan/report/html.ts";
import { jsonReport } from "../../../src/scan/report/json.ts";
import { junitReport } from "../../../src/scan/report/junit.ts";
import { policyReport } from "../../../src/scan/report/policyreport.ts";
import { sarifReport } from "../../../src/scan/report/sarif.ts";
import { textReport } from "../../../src/scan/report/text.ts";
import { fixtureReport } from "./fixture.ts";

describe("scan report model", () => {
  it("describes a rule with its remediation as help and its docs page under the link base", () => {
    expect(ruleDescriptor(privilegedContainers, "https://example.test/policypack/")).toEqual({
      id: "privileged-containers",
      title: privilegedContainers.title,
      description: privilegedContainers.description,
      help: privilegedContainers.remediation,
      severity: "critical",
      category: "Security",
      tags: ["security", "pss-baseline", "pss-restricted", "best-practice"],
      helpUri: "https://example.test/policypack/docs/rules/privileged-containers.md",
    });
    expect(ruleDescriptor(privilegedContainers)).not.toHaveProperty("helpUri");
  });

  it("counts files, objects per kind, objects no rule matches, findings by severity and rule", () => {
    expect(scanCounts(fixtureReport())).toEqual({
      files: 3,
      objects: 3,
      objectsByKind: { ClusterRole: 1, Deployment: 1, Namespace: 1 },
      objectsWithoutRules: 1,
      findings: 3,
      findingsBySeverity: { critical: 1, high: 0, medium: 1, low: 1 },
      findingsByRule: { "privileged-containers": 1, "run-as-non-root": 0, "wildcard-verbs": 1, "unknown-field": 1 },
      inputErrors: 1,
    });
  });

  it("gives every object and check evaluated on it a verdict", () => {
    expect(checkResults(fixtureReport()).map((r) => `${r.object.resource.kind}/${r.rule.id}:${r.findings.length}`)).toEqual([
      "Deployment/privileged-containers:1",
      "Deployment/run-as-non-root:0",
      "Deployment/unknown-field:1",
      "ClusterRole/wildcard-verbs:1",
      "ClusterRole/unknown-field:0",
    ]);
  });

  it("refuses an object checked by a rule the report does not describe", () => {
    const report = fixtureReport();
    report.rules = report.rules.filter((r) => r.id !== "run-as-non-root");
    expect(() => checkResults(report)).toThrow('deploy/web.yaml: prod/Deployment/web was checked by "run-as-non-root", which the report does not describe');
  });

  it("renders every format by name", async () => {
    const written = {
      text: textReport(fixtureReport(), { color: true }),
      json: jsonReport(fixtureReport()),
      sarif: sarifReport(fixtureReport()),
      junit: junitReport(fixtureReport()),
      policyreport: policyReport(fixtureReport()),
      html: htmlReport(fixtureReport()),
    };
    expect(Object.keys(written)).toEqual([...REPORT_FORMATS]);
    for (const format of REPORT_FORMATS) expect(await renderReport(format, fixtureReport(), { color: true })).toBe(written[format]);
  });
});
