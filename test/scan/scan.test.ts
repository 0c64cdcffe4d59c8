// `policypack scan` through the CLI's entry point (in process; as a child process where standard
// input matters): exact reports with lines and columns, exit codes, narrowing, errors.

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { clearColorEnv } from "./color-env.ts";
import { runPolicypack as run } from "./run-cli.ts";

const scratch = tempDir("scan");
clearColorEnv();

const CONFIG = "test/scan/scan.config.yaml";
const MANIFESTS = "test/scan/manifests";
const HELM = "test/scan/helm-template.yaml";

const scan = (...argv: string[]) => run(["scan", "-c", CONFIG, ...argv]);

/** The text report without findings: `scope` is "N files, N objects". */
const NO_FINDINGS = (scope: string) => `0 findings in ${scope} (0 matched by no enabled rule), 0 input errors\nBy severity: critical 0, high 0, medium 0, low 0\n`;

const FOLDER_REPORT = `\
test/scan/manifests/app/deployment.yaml
  test/scan/manifests/app/deployment.yaml:14:7  high      host-ipc  Deployment web shares the host IPC namespace (spec.hostIPC is true)  (shop/Deployment/web)
  test/scan/manifests/app/deployment.yaml:21:11  medium    image-tag  Container sidecar uses image busybox without a tag  (shop/Deployment/web)
  test/scan/manifests/app/deployment.yaml:23:13  critical  privileged-containers  Container sidecar is privileged (securityContext.privileged is true)  (shop/Deployment/web)
  test/scan/manifests/app/deployment.yaml:25:13  low       cpu-limits  Container sidecar does not set resources.limits.cpu  (shop/Deployment/web)

test/scan/manifests/app/pods-list.yaml
  test/scan/manifests/app/pods-list.yaml:31:11  medium    image-tag  Container app uses image nginx:latest with the mutable tag latest  (Pod/third)

test/scan/manifests/app/service.json
  test/scan/manifests/app/service.json:9:5  medium    service-node-port  Service web is of type NodePort  (shop/Service/web)

6 findings in 4 files, 7 objects (0 matched by no enabled rule), 0 input errors
By severity: critical 1, high 1, medium 3, low 1
By rule:
  image-tag              2
  cpu-limits             1
  host-ipc               1
  privileged-containers  1
  service-node-port      1
`;

/** The helm template's report, its file named `file` ("-" for standard input). */
const helmReport = (file: string) => `\
${file}
  ${file}:18:3  high      host-ipc  Pod shop-debug shares the host IPC namespace (spec.hostIPC is true)  (Pod/shop-debug)
  ${file}:26:9  critical  privileged-containers  Container debug is privileged (securityContext.privileged is true)  (Pod/shop-debug)

2 findings in 1 file, 2 objects (0 matched by no enabled rule), 0 input errors
By severity: critical 1, high 1, medium 0, low 0
By rule:
  host-ipc               1
  privileged-containers  1
`;

describe("scan a folder", () => {
  it("reports every finding at its offending field (a missing one's nearest written parent), file by file in path order, and exits 1", async () => {
    expect(await scan(MANIFESTS)).toEqual({ code: 1, stdout: FOLDER_REPORT, stderr: "" });
  });

  it("gives the same report with the reference evaluator", async () => {
    expect(await scan("--engine", "reference", MANIFESTS)).toEqual({ code: 1, stdout: FOLDER_REPORT, stderr: "" });
  });

  it("prints JSON with --format json, and writes the same to every --output file", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const [jsonFile, textFile] = [join(dir, "report.json"), join(dir, "report.txt")];
    const { code, stdout, stderr } = await scan("--format", "json", "--output", `json=${jsonFile}`, "-o", `text=${textFile}`, MANIFESTS);
    expect([code, stderr]).toEqual([1, ""]);
    expect(readFileSync(jsonFile, "utf8")).toBe(stdout);
    expect(readFileSync(textFile, "utf8")).toBe(FOLDER_REPORT);
    const report = JSON.parse(stdout) as { findings: unknown[]; errors: unknown[]; summary: unknown; files: string[] };
    expect(report.files).toEqual(["deployment.yaml", "pods-list.yaml", "service.json"].map((f) => `${MANIFESTS}/app/${f}`).concat(`${MANIFESTS}/clean/pod.yml`));
    expect(report.findings).toHaveLength(6);
    expect(report.findings[4]).toEqual({
      ruleId: "image-tag",
      severity: "medium",
      message: "Container app uses image nginx:latest with the mutable tag latest",
      path: "spec.containers[0].image",
      location: { file: "test/scan/manifests/app/pods-list.yaml", line: 31, column: 11 },
      resource: { apiVersion: "v1", kind: "Pod", name: "third" },
    });
    expect(report.errors).toEqual([]);
    expect(report.summary).toEqual({
      files: 4,
      objects: 7,
      objectsByKind: { ConfigMap: 1, Deployment: 1, Pod: 4, Service: 1 },
      objectsWithoutRules: 0,
      findings: 6,
      findingsBySeverity: { critical: 1, high: 1, medium: 3, low: 1 },
      findingsByRule: { "cpu-limits": 1, "host-ipc": 1, "image-tag": 2, "privileged-containers": 1, "service-node-port": 1, "unknown-field": 0 },
      inputErrors: 0,
    });
  });

  it("reads a helm template's output (comments, empty documents) as a file", async () => {
    expect(await scan(HELM)).toEqual({ code: 1, stdout: helmReport(HELM), stderr: "" });
  });
});

describe("findings at the offending field", () => {
  it("points at the privileged container's `privileged` key in a multi-container Deployment, in both engines", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const file = join(dir, "deployment.yaml");
    writeFileSync(
      file,
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: app",
        "          image: registry.example.com/app:1.0",
        "          resources: {limits: {cpu: 100m}}",
        "        - name: debug",
        "          image: registry.example.com/debug:1.0",
        "          resources: {limits: {cpu: 100m}}",
        "          securityContext:",
        "            runAsNonRoot: true",
        "            privileged: true",
        "        - name: proxy",
        "          image: registry.example.com/proxy:1.0",
        "          resources: {limits: {cpu: 100m}}",
        "          securityContext: {privileged: false}",
        "",
      ].join("\n"),
    );
    for (const engine of ["pack", "reference"]) {
      const { stdout } = await scan("--engine", engine, "--format", "json", file);
      const findings = (JSON.parse(stdout) as { findings: Array<{ ruleId: string; path: string; location: unknown }> }).findings;
      expect(findings.map(({ ruleId, path, location }) => ({ ruleId, path, location }))).toEqual([
        {
          ruleId: "privileged-containers",
          path: "spec.template.spec.containers[1].securityContext.privileged",
          location: { file, line: 17, column: 13 },
        },
      ]);
    }
  });
});

describe("standard input", () => {
  const cli = (args: string[], input: string) =>
    spawnSync(process.execPath, ["bin/policypack.js", "scan", "-c", CONFIG, ...args], { input, encoding: "utf8" });

  it("is read when no path is given and it is not a terminal (helm template piped in)", () => {
    const { status, stdout, stderr } = cli([], readFileSync(HELM, "utf8"));
    expect({ status, stdout, stderr }).toEqual({ status: 1, stdout: helmReport("-"), stderr: "" });
  });

  it("is read as `-`, beside files", () => {
    const service = readFileSync(join(MANIFESTS, "app", "service.json"), "utf8");
    const { status, stdout, stderr } = cli(["--format", "json", join(MANIFESTS, "clean"), "-"], service);
    expect({ status, stderr }).toEqual({ status: 1, stderr: "" });
    const report = JSON.parse(stdout) as { findings: Array<{ location: unknown }>; summary: { files: number } };
    expect(report.findings.map((f) => f.location)).toEqual([{ file: "-", line: 9, column: 5 }]);
    expect(report.summary.files).toBe(2);
  });

  it("is not waited for on a terminal: no path is a usage error (exit 2)", async () => {
    const { code, stdout, stderr } = await run(["scan", "-c", CONFIG], { stdin: true, stdout: false, stderr: false });
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr.split("\n")[0]).toBe("error: name the files or folders to scan, or pipe manifests to standard input");
  });
});

describe("bad input", () => {
  it("reports a broken file on one line, exits 2, and still scans and reports the others", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    copyFileSync(join(MANIFESTS, "app", "service.json"), join(dir, "a-service.json"));
    writeFileSync(join(dir, "b-broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n");
    writeFileSync(join(dir, "c-broken.json"), '{"apiVersion": "v1",\n  "kind": "Pod" "metadata": {}}\n');
    writeFileSync(join(dir, "d-values.yaml"), "replicas: 3\n---\napiVersion: v1\nkind: List\nitems:\n  - just a string\n");
    copyFileSync(HELM, join(dir, "e-helm.yaml"));
    const { code, stdout, stderr } = await scan("--verbose", dir);
    expect(code).toBe(2);
    // First, where the pack came from (test/scan/pack-cache.test.ts): the cache, or compiled into it by this scan.
    const [packNote, ...notes] = stderr.split("\n");
    expect(packNote).toMatch(/^pack: (loaded from the cache,|compiled 5 rules, kept in) node_modules\/\.cache\/policypack\/pack\/[0-9a-f]{64}\.json$/);
    expect(notes.join("\n")).toBe(
      [
        `${dir}/d-values.yaml:1:1: skipped: not a Kubernetes object (no apiVersion and kind)`,
        `${dir}/d-values.yaml:6:5: skipped: not a Kubernetes object (no apiVersion and kind)`,
        `${dir}/b-broken.yaml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `${dir}/c-broken.json:2:17: Unexpected double-quoted-scalar token`,
        "",
      ].join("\n"),
    );
    expect(stdout).toBe(
      [
        `${dir}/a-service.json`,
        `  ${dir}/a-service.json:9:5  medium    service-node-port  Service web is of type NodePort  (shop/Service/web)`,
        "",
        `${dir}/b-broken.yaml`,
        `  ${dir}/b-broken.yaml:5:1  error     Flow sequence in block collection must be sufficiently indented and end with a ]`,
        "",
        `${dir}/c-broken.json`,
        `  ${dir}/c-broken.json:2:17  error     Unexpected double-quoted-scalar token`,
        "",
        `${dir}/e-helm.yaml`,
        `  ${dir}/e-helm.yaml:18:3  high      host-ipc  Pod shop-debug shares the host IPC namespace (spec.hostIPC is true)  (Pod/shop-debug)`,
        `  ${dir}/e-helm.yaml:26:9  critical  privileged-containers  Container debug is privileged (securityContext.privileged is true)  (Pod/shop-debug)`,
        "",
        "3 findings in 5 files, 3 objects (0 matched by no enabled rule), 2 input errors",
        "By severity: critical 1, high 1, medium 1, low 0",
        "By rule:",
        "  host-ipc               1",
        "  privileged-containers  1",
        "  service-node-port      1",
        "",
      ].join("\n"),
    );
  });

  it("prints nothing about skipped documents without --verbose", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    writeFileSync(join(dir, "values.yaml"), "replicas: 3\n");
    expect(await scan(dir)).toEqual({ code: 0, stdout: NO_FINDINGS("1 file, 0 objects"), stderr: "" });
  });

  it("exits 2 on a path that does not exist, writing no report", async () => {
    expect(await scan(MANIFESTS, "test/scan/missing.yaml")).toEqual({ code: 2, stdout: "", stderr: "test/scan/missing.yaml: no such file or folder\n" });
  });

  it("exits 2 on usage errors", async () => {
    const badOutput = await scan("--output", "yaml=x.yaml", MANIFESTS);
    expect([badOutput.code, badOutput.stdout, badOutput.stderr.split("\n")[0]]).toEqual([2, "", "error: --output yaml=x.yaml: expected FORMAT=FILE with FORMAT one of text, json, sarif, junit, policyreport, html"]);
    const badSeverity = await scan("--fail-on", "severe", MANIFESTS);
    expect([badSeverity.code, badSeverity.stderr.split("\n")[0]]).toEqual([2, "error: option '--fail-on <severity>' argument 'severe' is invalid. Allowed choices are low, medium, high, critical."]);
  });

  it("exits 2 when a report file cannot be written, naming it", async () => {
    const file = join(tmpdir(), "policypack-no-such-folder", "report.json");
    const { code, stderr } = await scan("--output", `json=${file}`, MANIFESTS);
    expect([code, stderr]).toEqual([2, `${file}: cannot write the json report: ENOENT\n`]);
  });

  it("exits 2 on a bad config, naming the file and field", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    writeFileSync(join(dir, "config.yaml"), "rules:\n  enable: [no-such-rule]\n");
    expect(await run(["scan", "-c", join(dir, "config.yaml"), MANIFESTS])).toEqual({
      code: 2,
      stdout: "",
      stderr: `${join(dir, "config.yaml")}: rules.enable.0: unknown rule "no-such-rule" (see \`policypack list\`)\n`,
    });
  });
});

describe("exit codes and narrowing", () => {
  it("--fail-on: exit 1 only for a finding at least that severe", async () => {
    expect((await scan("--fail-on", "critical", MANIFESTS)).code).toBe(1);
    expect((await scan("--rule", "image-tag", "--fail-on", "high", MANIFESTS)).code).toBe(0);
    expect((await scan("--rule", "image-tag", "--fail-on", "medium", MANIFESTS)).code).toBe(1);
    expect((await scan(join(MANIFESTS, "clean"))).code).toBe(0);
  });

  it("--rule keeps only the named rules", async () => {
    const { code, stdout } = await scan("--rule", "image-tag", "--rule", "service-node-port", MANIFESTS);
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        "test/scan/manifests/app/deployment.yaml",
        "  test/scan/manifests/app/deployment.yaml:21:11  medium    image-tag  Container sidecar uses image busybox without a tag  (shop/Deployment/web)",
        "",
        "test/scan/manifests/app/pods-list.yaml",
        "  test/scan/manifests/app/pods-list.yaml:31:11  medium    image-tag  Container app uses image nginx:latest with the mutable tag latest  (Pod/third)",
        "",
        "test/scan/manifests/app/service.json",
        "  test/scan/manifests/app/service.json:9:5  medium    service-node-port  Service web is of type NodePort  (shop/Service/web)",
        "",
        "3 findings in 4 files, 7 objects (0 matched by no enabled rule), 0 input errors",
        "By severity: critical 0, high 0, medium 3, low 0",
        "By rule:",
        "  image-tag          2",
        "  service-node-port  1",
        "",
      ].join("\n"),
    );
  });

  it("--profile keeps only the enabled rules of the profile", async () => {
    const { stdout } = await scan("--profile", "pss-baseline", "--format", "json", MANIFESTS);
    const findings = (JSON.parse(stdout) as { findings: Array<{ ruleId: string }> }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(["host-ipc", "privileged-containers"]);
  });

  it("refuses a --rule the config does not enable, and an unknown --profile (exit 2)", async () => {
    const notEnabled = await scan("--rule", "host-pid", MANIFESTS);
    expect([notEnabled.code, notEnabled.stderr.split("\n")[0]]).toEqual([2, `error: --rule host-pid: the rule is not enabled by ${CONFIG}`]);
    const unknown = await scan("--profile", "nsa", MANIFESTS);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: --profile nsa: no rule belongs to this profile \(profiles: best-practice, .*\)\n/);
  });

  it("skips excluded namespaces as the Constraints do, and reports them when the config excludes none", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const config = join(dir, "config.yaml");
    writeFileSync(config, readFileSync(CONFIG, "utf8").replace("excludedNamespaces: [kube-system]", "excludedNamespaces: []"));
    const list = join(MANIFESTS, "app", "pods-list.yaml");
    for (const engine of ["pack", "reference"]) {
      const { stdout } = await run(["scan", "-c", config, "--engine", engine, "--rule", "host-ipc", list]);
      expect(stdout.split("\n")[1]).toBe(`  ${list}:19:7  high      host-ipc  Pod second shares the host IPC namespace (spec.hostIPC is true)  (kube-system/Pod/second)`);
      expect((await scan("--engine", engine, "--rule", "host-ipc", list)).stdout).toBe(NO_FINDINGS("1 file, 3 objects"));
    }
  });
});

describe("field check", () => {
  // Fairwinds' hostIPC example: hostIPC written inside the container, where Kubernetes ignores it.
  const POD = "test/scan/fixtures/field-check/container-host-ipc.yaml";
  const MISPLACED =
    `  ${POD}:12:7  high      unknown-field  spec.containers[0].hostIPC is not a field of Container: hostIPC belongs in the pod spec (spec.hostIPC); ` +
    "as written it is ignored and the pod is not protected  (shop/Pod/web)";

  it("runs by default: a misplaced field is a finding at its key, with where it belongs, counted for --fail-on", async () => {
    const { code, stdout } = await scan("--rule", "image-tag", "--fail-on", "high", POD);
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        POD,
        MISPLACED,
        "",
        "1 finding in 1 file, 1 object (0 matched by no enabled rule), 0 input errors",
        "By severity: critical 0, high 1, medium 0, low 0",
        "By rule:",
        "  unknown-field  1",
        "",
      ].join("\n"),
    );
  });

  it("is off with --no-field-check", async () => {
    expect(await scan("--no-field-check", "--rule", "image-tag", "--fail-on", "high", POD)).toEqual({ code: 0, stdout: NO_FINDINGS("1 file, 1 object"), stderr: "" });
    const { stdout } = await scan("--no-field-check", "--format", "json", POD);
    expect((JSON.parse(stdout) as { rules: Array<{ id: string }> }).rules.map((r) => r.id)).not.toContain("unknown-field");
  });
});

describe("exemption annotation", () => {
  it("exempts an annotated object from the named rules when the config allows it, in both engines", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const config = join(dir, "config.yaml");
    writeFileSync(config, `${readFileSync(CONFIG, "utf8")}exemptionAnnotation: true\n`);
    const annotated = join(dir, "pod.yaml");
    const pod = readFileSync(HELM, "utf8").split("---\n").at(-1)!;
    writeFileSync(annotated, pod.replace("  labels:\n", "  annotations:\n    policypack.dev/exempt: host-ipc\n  labels:\n"));
    for (const engine of ["pack", "reference"]) {
      const { stdout } = await run(["scan", "-c", config, "--engine", engine, annotated]);
      expect(stdout).toBe(
        `${annotated}\n  ${annotated}:19:9  critical  privileged-containers  Container debug is privileged (securityContext.privileged is true)  (Pod/shop-debug)\n\n` +
          "1 finding in 1 file, 1 object (0 matched by no enabled rule), 0 input errors\nBy severity: critical 1, high 0, medium 0, low 0\n" +
          "By rule:\n  privileged-containers  1\n",
      );
      expect((await scan("--engine", engine, annotated)).stdout.split("\n")[1]).toBe(
        `  ${annotated}:11:3  high      host-ipc  Pod shop-debug shares the host IPC namespace (spec.hostIPC is true)  (Pod/shop-debug)`,
      );
    }
  });
});

describe("output on a terminal", () => {
  it("shows a progress line on standard error only when it is a terminal, and clears it", async () => {
    const { stderr } = await run(["scan", "-c", CONFIG, MANIFESTS], { stdin: false, stdout: false, stderr: true });
    // The first file is always shown; later ones at most every 100 ms.
    expect(stderr.startsWith("\r\x1b[2Kscanning: files 1, objects 2, findings 4")).toBe(true);
    expect(stderr).toMatch(/^(\r\x1b\[2Kscanning: files \d, objects \d, findings \d)+\r\x1b\[2K$/);
  });

  it("colours the text report only on a terminal without NO_COLOR, or with FORCE_COLOR; never a report file", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const file = join(dir, "report.txt");
    const coloured = (out: string) => out.includes("\x1b[");
    const onTerminal = () => run(["scan", "-c", CONFIG, "--output", `text=${file}`, MANIFESTS], { stdin: false, stdout: true, stderr: false });
    const onPipe = () => run(["scan", "-c", CONFIG, MANIFESTS], { stdin: false, stdout: false, stderr: false });
    const terminal = await onTerminal();
    expect(terminal.stdout).toContain("\x1b[1m\x1b[31mcritical");
    expect(terminal.stdout.replace(/\x1b\[\d+m/g, "")).toBe(FOLDER_REPORT);
    expect(readFileSync(file, "utf8")).toBe(FOLDER_REPORT);
    expect(coloured((await onPipe()).stdout)).toBe(false);
    vi.stubEnv("NO_COLOR", "1");
    expect(coloured((await onTerminal()).stdout)).toBe(false);
    vi.stubEnv("NO_COLOR", "");
    vi.stubEnv("FORCE_COLOR", "1");
    expect(coloured((await onPipe()).stdout)).toBe(true);
    vi.stubEnv("FORCE_COLOR", "0");
    expect(coloured((await onTerminal()).stdout)).toBe(false);
  });

  it("documents the exit codes in --help", async () => {
    const { code, stdout } = await run(["scan", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Exit codes:\n  0  no finding at or above --fail-on\n  1  findings at or above --fail-on\n  2  usage error");
  });
});

describe("the installed command", () => {
  it("runs through bin/policypack.js", () => {
    expect(execFileSync(process.execPath, ["bin/policypack.js", "scan", "-c", CONFIG, join(MANIFESTS, "clean")], { encoding: "utf8" })).toBe(
      NO_FINDINGS("1 file, 1 object"),
    );
  });
});
