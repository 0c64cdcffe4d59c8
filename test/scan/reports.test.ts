// Every report format through the CLI: a folder of manifests scanned with --format and --output
// gives files valid against their schemas with the same findings; a broken file among good ones
// exits 2 and every format still carries the good files' findings and the error's location.

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/model/rule.ts";
import { REPORT_FORMATS, type ReportFormat } from "../../src/scan/report/index.ts";
import { tempDir } from "../temp-dir.ts";
import { clearColorEnv } from "./color-env.ts";
import { runPolicypack } from "./run-cli.ts";
import { parseJunit, validatePolicyReport, validateSarif, validateScanResult, yamlDocuments } from "./report/validators.ts";

const scratch = tempDir("scan-reports");
clearColorEnv();
const CONFIG = "test/scan/scan.config.yaml";

/** The app manifests and the misplaced-hostIPC pod, copied into a new folder. */
function manifestFolder(): string {
  const dir = mkdtempSync(join(scratch, "manifests-"));
  for (const file of ["deployment.yaml", "pods-list.yaml", "service.json"]) copyFileSync(join("test/scan/manifests/app", file), join(dir, file));
  copyFileSync("test/scan/fixtures/field-check/container-host-ipc.yaml", join(dir, "web-pod.yaml"));
  return dir;
}

/** The findings of manifestFolder(), as `file:line:col rule-id` in reading order. */
const findingsIn = (dir: string) => [
  `${dir}/deployment.yaml:14:7 host-ipc`,
  `${dir}/deployment.yaml:21:11 image-tag`,
  `${dir}/deployment.yaml:23:13 privileged-containers`,
  `${dir}/deployment.yaml:25:13 cpu-limits`,
  `${dir}/pods-list.yaml:31:11 image-tag`,
  `${dir}/service.json:9:5 service-node-port`,
  `${dir}/web-pod.yaml:10:7 cpu-limits`,
  `${dir}/web-pod.yaml:12:7 unknown-field`,
];

interface Read {
  /** `file:line:col rule-id` of every finding (for JUnit and PolicyReport: every failed check, at its first finding). */
  findings: string[];
  /** `file:line:col` of every input error. */
  errors: string[];
}

/** What each format says, read back through its schema or parser; throws when the report is not valid. */
const READERS: Record<ReportFormat, (text: string) => Read> = {
  text(text) {
    const lines = text.split("\n").map((line) => line.trim().split(/\s+/));
    return {
      findings: lines.filter(([, severity]) => (SEVERITIES as readonly string[]).includes(severity!)).map(([at, , ruleId]) => `${at} ${ruleId}`),
      errors: lines.filter(([, severity]) => severity === "error").map(([at]) => at!),
    };
  },
  json(text) {
    const result = JSON.parse(text);
    validateScanResult(result, "scan.json");
    type Location = { file: string; line: number; column: number };
    const at = ({ file, line, column }: Location) => `${file}:${line}:${column}`;
    return {
      findings: result.findings.map((f: { location: Location; ruleId: string }) => `${at(f.location)} ${f.ruleId}`),
      errors: result.errors.map((e: { location: Location }) => at(e.location)),
    };
  },
  sarif(text) {
    const log = JSON.parse(text);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    type Physical = { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
    const at = ({ artifactLocation, region }: Physical) => `${fileURLToPath(artifactLocation.uri)}:${region.startLine}:${region.startColumn}`;
    const [run] = log.runs;
    return {
      findings: run.results.map((r: { locations: { physicalLocation: Physical }[]; ruleId: string }) => `${at(r.locations[0]!.physicalLocation)} ${r.ruleId}`),
      errors: run.invocations[0].toolExecutionNotifications.map((n: { locations: { physicalLocation: Physical }[] }) => at(n.locations[0]!.physicalLocation)),
    };
  },
  junit(text) {
    const cases = parseJunit(text).testsuite.flatMap((suite) => suite.testcase);
    return {
      findings: cases.filter((c) => c.failure).map((c) => `${c.failure!["#text"].split(" ")[0]} ${c.name}`),
      errors: cases.filter((c) => c.error).map((c) => c.error!["#text"].split(": ")[0]!),
    };
  },
  policyreport(text) {
    type Result = { policy: string; result: string; properties: { location: string } };
    const results = yamlDocuments<{ results: Result[] }>(text).flatMap((doc) => {
      validatePolicyReport(doc, "report.yaml");
      return doc.results;
    });
    return {
      findings: results.filter((r) => r.result === "fail").map((r) => `${r.properties.location} ${r.policy}`),
      errors: results.filter((r) => r.result === "error").map((r) => r.properties.location),
    };
  },
  html(text) {
    return {
      findings: [...text.matchAll(/<tr class="finding"><td><code>([^<]+)<\/code><\/td><td>.*?<\/td><td><code>([^<]+)<\/code>/g)].map(([, at, ruleId]) => `${at} ${ruleId}`),
      errors: [...text.matchAll(/<tr><td><code>([^<]+)<\/code><\/td><td class="error">/g)].map(([, at]) => at!),
    };
  },
};

/** Sorted, for the formats that group by namespace (PolicyReport) or by check (JUnit) rather than by line. */
const sorted = (read: Read): Read => ({ findings: [...read.findings].sort(), errors: [...read.errors].sort() });

const scan = (argv: string[]) => runPolicypack(["scan", "-c", CONFIG, ...argv]);

/** Scans `dir` once with every format written by --output; then each --format prints what its file holds. */
async function everyFormat(dir: string, expectedCode: number): Promise<Record<ReportFormat, string>> {
  const out = mkdtempSync(join(scratch, "reports-"));
  const files = Object.fromEntries(REPORT_FORMATS.map((format) => [format, join(out, `report.${format}`)])) as Record<ReportFormat, string>;
  const outputs = REPORT_FORMATS.flatMap((format) => ["--output", `${format}=${files[format]}`]);
  expect((await scan(["--format", "json", ...outputs, dir])).code).toBe(expectedCode);
  const written = Object.fromEntries(REPORT_FORMATS.map((format) => [format, readFileSync(files[format], "utf8")])) as Record<ReportFormat, string>;
  for (const format of REPORT_FORMATS) {
    const { code, stdout } = await scan(["--format", format, dir]);
    expect([format, code, stdout]).toEqual([format, expectedCode, written[format]]);
  }
  return written;
}

describe("every format through the CLI", () => {
  it("writes a folder's findings in all six formats, each valid and carrying the same findings", async () => {
    const dir = manifestFolder();
    const reports = await everyFormat(dir, 1);
    const expected: Read = { findings: findingsIn(dir), errors: [] };
    for (const format of ["text", "json", "sarif", "html"] as const) expect([format, READERS[format](reports[format])]).toEqual([format, expected]);
    for (const format of ["junit", "policyreport"] as const) expect([format, sorted(READERS[format](reports[format]))]).toEqual([format, sorted(expected)]);
  }, 60_000);

  it("gives pass results for the checks without findings in JUnit and PolicyReport", async () => {
    const reports = await everyFormat(manifestFolder(), 1);
    const junit = parseJunit(reports.junit);
    // Checks: the Deployment and 3 Pods under 4 workload rules and the field check (20), the Pod in the
    // excluded kube-system under the field check only (1), the Service under service-node-port and the field check (2), the ConfigMap (1).
    expect([junit.tests, junit.failures, junit.errors]).toEqual(["24", "8", "0"]);
    const results = yamlDocuments<{ results: { result: string }[] }>(reports.policyreport).flatMap((doc) => doc.results);
    expect([results.length, results.filter((r) => r.result === "pass").length]).toEqual([24, 16]);
  }, 60_000);

  it("exits 2 on a broken file among good ones, and every format still has the good files' findings and the error", async () => {
    const dir = manifestFolder();
    writeFileSync(join(dir, "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n");
    const reports = await everyFormat(dir, 2);
    const expected: Read = { findings: findingsIn(dir), errors: [`${dir}/broken.yaml:5:1`] };
    for (const format of ["text", "json", "sarif", "html"] as const) expect([format, READERS[format](reports[format])]).toEqual([format, expected]);
    for (const format of ["junit", "policyreport"] as const) expect([format, sorted(READERS[format](reports[format]))]).toEqual([format, sorted(expected)]);
    expect((await scan([dir])).stderr).toBe(`${dir}/broken.yaml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]\n`);
  }, 60_000);
});
