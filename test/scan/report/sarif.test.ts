import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sarifReport } from "../../../src/scan/report/sarif.ts";
import { fixtureReport } from "./fixture.ts";
import { validateSarif } from "./validators.ts";

describe("sarif report", () => {
  it("writes the expected log", () => {
    expect(sarifReport(fixtureReport())).toBe(readFileSync(new URL("expected/fixture.sarif", import.meta.url), "utf8"));
  });

  it("is valid SARIF 2.1.0", () => {
    const log = JSON.parse(sarifReport(fixtureReport()));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it("the schema check catches a broken log", () => {
    const log = JSON.parse(sarifReport(fixtureReport()));
    log.runs[0].results[0].level = "critical";
    delete log.runs[0].tool.driver.name;
    expect(validateSarif(log)).toBe(false);
  });

  it("gives every rule GitHub's security-severity inside its band and every result its rule's index", () => {
    const log = JSON.parse(sarifReport(fixtureReport()));
    const rules = log.runs[0].tool.driver.rules as { id: string; properties: { "security-severity": string } }[];
    expect(rules.map((r) => [r.id, r.properties["security-severity"]])).toEqual([
      ["privileged-containers", "9.5"],
      ["run-as-non-root", "5.5"],
      ["wildcard-verbs", "5.5"],
      ["unknown-field", "2.0"],
    ]);
    for (const result of log.runs[0].results) expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it("keeps relative paths relative and percent-encodes them; absolute paths become file: URIs", () => {
    const report = fixtureReport();
    report.findings[0]!.location.file = "deploy/my app.yaml";
    report.findings[1]!.location.file = "/srv/infra/main.tf";
    const uris = JSON.parse(sarifReport(report)).runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual(["deploy/web.yaml", "file:///srv/infra/main.tf", "deploy/my%20app.yaml"]);
  });
});
