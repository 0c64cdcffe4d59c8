import { describe, expect, it } from "vitest";
import { textReport } from "../../../src/scan/report/text.ts";
import { fixtureReport } from "./fixture.ts";

describe("text report", () => {
  it("groups findings by file in reading order and sums them up", () => {
    expect(textReport(fixtureReport(), { color: false })).toBe(
      [
        "deploy/web.yaml",
        '  deploy/web.yaml:22:11  low       unknown-field  Unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)  (prod/Deployment/web)',
        '  deploy/web.yaml:24:23  critical  privileged-containers  Container "app" is privileged  (prod/Deployment/web)',
        "",
        "infra/main.tf",
        '  infra/main.tf:9:17  medium    wildcard-verbs  ClusterRole "admin" grants every verb with "*"  (ClusterRole/admin kubernetes_cluster_role_v1.admin)',
        "",
        "deploy/broken.yaml",
        "  deploy/broken.yaml:4:3  error     bad indentation of a mapping entry",
        "",
        "3 findings in 3 files, 3 objects (1 matched by no enabled rule), 1 input error",
        "By severity: critical 1, high 0, medium 1, low 1",
        "By rule:",
        "  privileged-containers  1",
        "  unknown-field          1",
        "  wildcard-verbs         1",
        "",
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    const coloured = textReport(fixtureReport(), { color: true });
    expect(coloured).toContain("\u001b[1m\u001b[31mcritical");
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(textReport(fixtureReport(), { color: false }));
  });

  it("says so when there is nothing to report", () => {
    const report = { ...fixtureReport(), findings: [], errors: [] };
    expect(textReport(report, { color: false })).toBe(
      "0 findings in 3 files, 3 objects (1 matched by no enabled rule), 0 input errors\nBy severity: critical 0, high 0, medium 0, low 0\n",
    );
  });
});
