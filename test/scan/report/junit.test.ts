import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { junitReport } from "../../../src/scan/report/junit.ts";
import { fixtureReport } from "./fixture.ts";
import { parseJunit } from "./validators.ts";

function cases(xml: string) {
  return parseJunit(xml).testsuite.map((s) => ({ suite: s.name, tests: s.tests, failures: s.failures, errors: s.errors, cases: s.testcase }));
}

describe("junit report", () => {
  it("writes the expected XML", () => {
    expect(junitReport(fixtureReport())).toBe(readFileSync(new URL("expected/fixture.junit.xml", import.meta.url), "utf8"));
  });

  it("has one case per object and check evaluated, failures carrying the findings, one errored case per input error", () => {
    const xml = junitReport(fixtureReport());
    expect(parseJunit(xml)).toMatchObject({ name: "policypack", tests: "6", failures: "3", errors: "1", skipped: "0" });
    expect(cases(xml)).toEqual([
      {
        suite: "deploy/web.yaml",
        tests: "3",
        failures: "2",
        errors: "0",
        cases: [
          {
            classname: "prod/Deployment/web",
            name: "privileged-containers",
            file: "deploy/web.yaml",
            failure: {
              message: 'Container "app" is privileged',
              type: "critical",
              "#text": 'deploy/web.yaml:24:23  critical  spec.template.spec.containers[0].securityContext.privileged: Container "app" is privileged',
            },
          },
          { classname: "prod/Deployment/web", name: "run-as-non-root", file: "deploy/web.yaml" },
          {
            classname: "prod/Deployment/web",
            name: "unknown-field",
            file: "deploy/web.yaml",
            failure: {
              message: 'Unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)',
              type: "low",
              "#text": 'deploy/web.yaml:22:11  low  spec.template.spec.containers[0].imagePullPolice: Unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)',
            },
          },
        ],
      },
      {
        suite: "infra/main.tf",
        tests: "2",
        failures: "1",
        errors: "0",
        cases: [
          {
            classname: "ClusterRole/admin kubernetes_cluster_role_v1.admin",
            name: "wildcard-verbs",
            file: "infra/main.tf",
            failure: {
              message: 'ClusterRole "admin" grants every verb with "*"',
              type: "medium",
              "#text": 'infra/main.tf:9:17  medium  rules[0].verbs[0]: ClusterRole "admin" grants every verb with "*"',
            },
          },
          { classname: "ClusterRole/admin kubernetes_cluster_role_v1.admin", name: "unknown-field", file: "infra/main.tf" },
        ],
      },
      {
        suite: "deploy/broken.yaml",
        tests: "1",
        failures: "0",
        errors: "1",
        cases: [
          {
            classname: "deploy/broken.yaml",
            name: "read",
            file: "deploy/broken.yaml",
            error: { message: "bad indentation of a mapping entry", type: "input-error", "#text": "deploy/broken.yaml:4:3: bad indentation of a mapping entry" },
          },
        ],
      },
    ]);
  });

  it("puts every finding of a check on an object in its one case, and keeps hostile text intact", () => {
    const report = fixtureReport();
    const hostile = 'Container "<script>alert(1)</script>" ]]> & <![CDATA[ is privileged';
    report.findings.push({ ...report.findings[2]!, message: hostile, location: { file: "deploy/web.yaml", line: 30, column: 23 } });
    const failure = cases(junitReport(report))[0]!.cases[0]!.failure!;
    expect(failure.message).toBe(`Container "app" is privileged; ${hostile}`);
    expect(failure["#text"]).toBe(
      'deploy/web.yaml:24:23  critical  spec.template.spec.containers[0].securityContext.privileged: Container "app" is privileged\n' +
        `deploy/web.yaml:30:23  critical  spec.template.spec.containers[0].securityContext.privileged: ${hostile}`,
    );
  });

  it("refuses a finding on an object the report does not list as checked by its rule", () => {
    const report = fixtureReport();
    report.objects[1]!.ruleIds = ["run-as-non-root"];
    expect(() => junitReport(report)).toThrow(
      'deploy/web.yaml: a "unknown-field" finding on prod/Deployment/web, which the report does not list as checked by it',
    );
  });
});
