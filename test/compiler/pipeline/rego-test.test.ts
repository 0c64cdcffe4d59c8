// `policypack rego test` (Rego unit tests compiled to Wasm, reported as `opa test` does) and
// `rego eval --fail` / `--fail-defined`: exact output and exit codes, run in-process.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.ts";
import { goDuration } from "../../../src/cli/rego-test.ts";
import { tempDir } from "../../temp-dir.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string) => join(FIXTURES, name);
const HR = "-".repeat(80);

async function rego(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(["rego", ...args], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  // Durations vary from run to run; everything else is compared exactly.
  return { status, stdout: stdout.replace(/ \(\d+(\.\d+)?(ns|µs|ms|s)\)$/gm, " (…)"), stderr };
}

describe("rego test", () => {
  const mixed = fixture("rego-tests/mixed_test.rego");

  it("runs a template's tests and prints only the summary when all pass", async () => {
    const run = await rego(["test", fixture("required-labels-v0.yaml"), fixture("rego-tests/labels_test.rego"), "--v0-compatible"]);
    expect(run).toEqual({ status: 0, stdout: "PASS: 3/3\n", stderr: "" });
  });

  it("lists every test with --verbose", async () => {
    const labels = fixture("rego-tests/labels_test.rego");
    const run = await rego(["test", fixture("required-labels-v0.yaml"), labels, "--v0-compatible", "-v"]);
    expect(run).toEqual({
      status: 0,
      stdout: `${labels}:
data.ppkrequiredlabels.test_missing_label: PASS (…)
data.ppkrequiredlabels.test_label_present: PASS (…)
data.ppkrequiredlabels.test_pattern_mismatch: PASS (…)
${HR}
PASS: 3/3
`,
      stderr: "",
    });
  });

  it("reports failures, skipped tests and errors, and exits 1", async () => {
    const run = await rego(["test", mixed]);
    expect(run).toEqual({
      status: 1,
      stdout: `${mixed}:
data.mixed.test_wrong_sum: FAIL (…)
data.mixed.test_undefined: FAIL (…)
data.mixed.test_not_true: FAIL (…)
data.mixed.todo_test_later: SKIPPED
data.mixed.test_conflict: ERROR (…)
  ${mixed}:17:1: eval_conflict_error: complete rules must not produce multiple outputs
${HR}
PASS: 1/6
FAIL: 3/6
SKIPPED: 1/6
ERROR: 1/6
`,
      stderr: "",
    });
  });

  it("runs tests that mock built-ins and functions with `with`", async () => {
    const tests = fixture("rego-tests/registry_test.rego");
    const run = await rego(["test", fixture("rego-tests/registry.rego"), tests, "--verbose"]);
    expect(run).toEqual({
      status: 1,
      stdout: `FAILURES
${HR}
data.registry_test.test_real_clock: FAIL (…)

SUMMARY
${HR}
${tests}:
data.registry_test.test_clean_images_pass: PASS (…)
data.registry_test.test_unscanned_image_denied: PASS (…)
data.registry_test.test_old_images_denied: PASS (…)
data.registry_test.test_scanned_replaced: PASS (…)
data.registry_test.test_count_replaced_by_a_value: PASS (…)
data.registry_test.test_real_clock: FAIL (…)
${HR}
PASS: 5/6
FAIL: 1/6
`,
      stderr: "",
    });
  });

  it("lists failures first, then every test, with --verbose", async () => {
    const run = await rego(["test", mixed, "--verbose", "--run", "sum|double"]);
    expect(run).toEqual({
      status: 1,
      stdout: `FAILURES
${HR}
data.mixed.test_wrong_sum: FAIL (…)

SUMMARY
${HR}
${mixed}:
data.mixed.test_double: PASS (…)
data.mixed.test_wrong_sum: FAIL (…)
${HR}
PASS: 1/2
FAIL: 1/2
`,
      stderr: "",
    });
  });

  it("runs only the tests --run matches", async () => {
    expect(await rego(["test", mixed, "-r", "^data\\.mixed\\.test_double$"])).toEqual({ status: 0, stdout: "PASS: 1/1\n", stderr: "" });
  });

  it("exits 2 naming file, line and column when the Rego does not compile", async () => {
    const broken = fixture("rego-tests/broken_test.rego");
    const run = await rego(["test", broken]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(`^${broken.replace(/[.\\]/g, "\\$&")}:6:3: [^\\n]*unsafe[^\\n]*\\n$`));
  });

  it("exits 2 when there is no test, a file cannot be read, or the usage is wrong", async () => {
    const template = fixture("required-labels-v0.yaml");
    expect(await rego(["test", template])).toEqual({ status: 2, stdout: "", stderr: `no test rule (test_*) in ${template}\n` });
    expect(await rego(["test", mixed, "--run", "nothing"])).toEqual({ status: 2, stdout: "", stderr: `no test rule (test_*) matching --run "nothing" in ${mixed}\n` });
    expect(await rego(["test", "missing.rego"])).toEqual({ status: 2, stdout: "", stderr: "missing.rego: cannot read: ENOENT\n" });
    const usage = await rego(["test", mixed, "--bogus"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr.startsWith("error: unknown option '--bogus'\n")).toBe(true);
  });
});

describe("rego eval --fail and --fail-defined", () => {
  const work = tempDir("rego-eval-fail");
  const wasm = join(work, "maybe.wasm");
  const policy = join(work, "maybe.rego");
  const yes = join(work, "yes.json");
  const no = join(work, "no.json");
  writeFileSync(policy, "package maybe\n\nimport rego.v1\n\nok if input.ok\n");
  writeFileSync(yes, '{"ok": true}');
  writeFileSync(no, "{}");

  it.each([
    ["--fail", yes, 0],
    ["--fail", no, 1],
    ["--fail-defined", yes, 1],
    ["--fail-defined", no, 0],
  ])("%s exits as OPA's does (input %s: exit %i)", async (flag, input, status) => {
    expect((await rego(["build", policy, "-e", "maybe/ok", "-o", wasm])).status).toBe(0);
    const run = await rego(["eval", wasm, "-e", "maybe/ok", "--input", input, flag]);
    expect(run).toEqual({ status, stdout: input === yes ? '[\n  {\n    "result": true\n  }\n]\n' : "[]\n", stderr: "" });
  });

  it("refuses both together", async () => {
    const run = await rego(["eval", wasm, "-e", "maybe/ok", "--input", no, "--fail", "--fail-defined"]);
    expect(run.status).toBe(1);
    expect(run.stderr.startsWith("error: option '--fail' cannot be used with option '--fail-defined'")).toBe(true);
  });
});

describe("goDuration", () => {
  it("prints as Go's time.Duration does", () => {
    expect([850n, 1000n, 1417n, 2_500_000n, 2_000_000n, 1_200_000_000n, 36_379n].map(goDuration)).toEqual(["850ns", "1µs", "1.417µs", "2.5ms", "2ms", "1.2s", "36.379µs"]);
  });
});
