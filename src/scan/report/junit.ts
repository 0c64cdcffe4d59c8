// JUnit XML for CI test views: one test suite per file, one test case per object and enabled check
// evaluated on it (failed when it has findings), one errored test case per input error.

import junitModule, { type Builder } from "junit-report-builder";
import { SEVERITIES } from "../../model/rule.ts";
import { type ScanReport, checkResults, locationText, resourceName } from "./types.ts";

// The package's types declare an ES default export, but Node loads its CommonJS build, whose
// module.exports is the builder itself.
const junit = junitModule as unknown as Builder;

export function junitReport(report: ScanReport): string {
  const builder = junit.newBuilder().name("policypack");
  const results = checkResults(report);
  for (const file of report.files) {
    const inFile = results.filter((r) => r.object.file === file);
    const errors = report.errors.filter((e) => e.file === file);
    if (inFile.length === 0 && errors.length === 0) continue;
    const suite = builder.testSuite().name(file);
    for (const error of errors) {
      suite.testCase().className(file).name("read").file(file).error(error.reason, "input-error", `${locationText(error)}: ${error.reason}`);
    }
    for (const { object, rule, findings } of inFile) {
      const subject = [resourceName(object.resource), object.terraformAddress].filter((part) => part !== undefined).join(" ");
      const testCase = suite.testCase().className(subject).name(rule.id).file(file);
      if (findings.length === 0) continue;
      const worst = findings.reduce((a, b) => (SEVERITIES.indexOf(b.severity) > SEVERITIES.indexOf(a.severity) ? b : a));
      testCase
        .failure(findings.map((f) => f.message).join("; "), worst.severity)
        .stacktrace(findings.map((f) => `${locationText(f.location)}  ${f.severity}  ${f.path}: ${f.message}`).join("\n"));
    }
  }
  return builder.build();
}
