// What `policypack test` prints: text (a line per rule, failures expanded), JSON (the shape the
// README documents) or JUnit XML (a test suite per rule, a test case per fixture and engine).

import { basename } from "node:path";
import junitModule, { type Builder } from "junit-report-builder";
import type { EngineResult, FixtureResult, RuleResult, TestReport } from "./run.ts";
import type { TestFormat } from "./formats.ts";

export { TEST_FORMATS, type TestFormat } from "./formats.ts";

// The package's types declare an ES default export, but Node loads its CommonJS build, whose
// module.exports is the builder itself.
const junit = junitModule as unknown as Builder;

export function renderTestReport(format: TestFormat, report: TestReport): string {
  switch (format) {
    case "text":
      return textReport(report);
    case "json":
      return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
    case "junit":
      return junitReport(report);
  }
}

/** Whether every fixture read and every engine agreed with every fixture. */
export function reportPassed(report: TestReport): boolean {
  return report.rules.every((rule) => rule.passed);
}

/** The lines `policypack test` writes to standard error: every fixture file that did not read, every rule short of fixtures. */
export function reportNotes(report: TestReport): string[] {
  return report.rules.flatMap((rule) => [
    ...rule.errors.map((error) => error.message),
    ...(rule.warning ? [`warning: ${rule.id} (${rule.file}): ${rule.warning}`] : []),
  ]);
}

function summary(report: TestReport) {
  const checks = report.rules.flatMap((rule) => rule.fixtures.flatMap((f) => f.results));
  const failed = checks.filter((check) => !check.passed).length;
  return {
    rules: report.rules.length,
    fixtures: report.rules.reduce((n, rule) => n + rule.fixtures.length, 0),
    checks: checks.length,
    passed: checks.length - failed,
    failed,
    errors: report.rules.reduce((n, rule) => n + rule.errors.length, 0),
    warnings: report.rules.filter((rule) => rule.warning).length,
  };
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

function textReport(report: TestReport): string {
  const lines: string[] = [];
  for (const rule of report.rules) {
    const checks = rule.fixtures.flatMap((f) => f.results);
    const failed = checks.filter((check) => !check.passed).length;
    const parts = [count(rule.fixtures.length, "fixture"), count(checks.length, "check")];
    if (failed > 0) parts.push(`${failed} failed`);
    if (rule.errors.length > 0) parts.push(`${count(rule.errors.length, "fixture file")} not read`);
    lines.push(`${rule.passed ? "PASS" : "FAIL"}  ${rule.id}  ${parts.join(", ")}`);
    for (const fixture of rule.fixtures.filter((f) => !f.passed)) lines.push(...fixtureFailure(fixture));
  }
  const total = summary(report);
  const unread = total.errors > 0 ? `, ${count(total.errors, "fixture file")} not read` : "";
  lines.push(`${count(total.rules, "rule")}, ${count(total.fixtures, "fixture")}, ${count(total.checks, "check")} (${report.engines.join(", ")}): ${total.passed} passed, ${total.failed} failed${unread}`);
  return `${lines.join("\n")}\n`;
}

/** A failed fixture: what it expects, then each distinct wrong answer with the engines that gave it. */
function fixtureFailure({ fixture, results }: FixtureResult): string[] {
  const lines = [`  ${fixture.name} (${fixture.file}): ${fixture.description}`, `    expected: ${fixture.verdict}`];
  for (const message of fixture.violations) lines.push(`      ${message}`);
  const answers = new Map<string, { engines: string[]; result: EngineResult }>();
  for (const result of results.filter((r) => !r.passed)) {
    const key = JSON.stringify([result.missing, result.unexpected, result.error]);
    const answer = answers.get(key);
    if (answer) answer.engines.push(result.engine);
    else answers.set(key, { engines: [result.engine], result });
  }
  for (const { engines, result } of answers.values()) {
    lines.push(`    ${engines.join(", ")}:`);
    if (result.error !== undefined) lines.push(`      error: ${result.error}`);
    for (const message of result.error === undefined ? result.missing : []) lines.push(`      missing:    ${message}`);
    for (const message of result.unexpected) lines.push(`      unexpected: ${message}`);
  }
  return lines;
}

function jsonReport(report: TestReport) {
  return {
    engines: report.engines,
    summary: summary(report),
    rules: report.rules.map((rule: RuleResult) => ({
      id: rule.id,
      file: rule.file,
      passed: rule.passed,
      ...(rule.warning ? { warning: rule.warning } : {}),
      errors: rule.errors.map((error) => error.message),
      fixtures: rule.fixtures.map(({ fixture, passed, results }) => ({
        name: fixture.name,
        file: fixture.file,
        description: fixture.description,
        expected: { verdict: fixture.verdict, violations: fixture.violations },
        passed,
        results,
      })),
    })),
  };
}

function junitReport(report: TestReport): string {
  const builder = junit.newBuilder().name("policypack test");
  for (const rule of report.rules) {
    const suite = builder.testSuite().name(rule.id);
    for (const error of rule.errors) {
      // The InputError's file carries the position: file:line:col.
      const file = error.file.replace(/(:\d+){1,2}$/, "");
      suite.testCase().className(`${rule.id}.${basename(file, ".yaml")}`).name("read").file(file).error(error.message, "fixture-error");
    }
    for (const { fixture, results } of rule.fixtures) {
      for (const result of results) {
        const testCase = suite.testCase().className(`${rule.id}.${fixture.name}`).name(result.engine).file(fixture.file);
        if (result.error !== undefined) testCase.error(result.error, "engine-error");
        else if (!result.passed) testCase.failure(mismatch(result), "mismatch");
      }
    }
  }
  return builder.build();
}

function mismatch({ missing, unexpected }: EngineResult): string {
  return [...missing.map((m) => `missing: ${m}`), ...unexpected.map((m) => `unexpected: ${m}`)].join("; ");
}
