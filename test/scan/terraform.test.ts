// `policypack scan` of Terraform: .tf, .tf.json and `terraform show -json` output read with
// Kubernetes manifests in one run and one report; findings at the attribute (or its nearest written
// block) with the address of the resource; no finding on a value known only at apply time; bad
// Terraform input as one line and exit 2 while the other files are still reported.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/scan/types.ts";
import { tempDir } from "../temp-dir.ts";
import { clearColorEnv } from "./color-env.ts";
import { runPolicypack } from "./run-cli.ts";
import { parseJunit, validatePolicyReport, validateSarif, validateScanResult, yamlDocuments } from "./report/validators.ts";

const scratch = tempDir("scan-terraform");
clearColorEnv();

const BIN = join(import.meta.dirname, "..", "..", "bin", "policypack.js");
const CONFIG = "test/scan/scan.config.yaml";
const MIXED = "test/scan/mixed";

const scan = (...argv: string[]) => runPolicypack(["scan", "-c", CONFIG, ...argv]);

/** A new folder holding `files`. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, "case-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The installed command, run in `dir` as a user runs it there. */
function policypack(dir: string, args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, input, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Written for these tests after Datadog's "PSP allows sharing host IPC" example: a policy that admits pods sharing the node's IPC namespace. */
const pspMainTf = (hostIpc: boolean) => `# Pods admitted under this policy may or may not share the node's IPC namespace.
resource "kubernetes_pod_security_policy" "example2" {
  metadata {
    name = "shared-ipc"
  }
  spec {
    privileged                 = false
    allow_privilege_escalation = false
    host_ipc                   = ${hostIpc}
    read_only_root_filesystem  = true
    volumes                    = ["configMap", "secret", "emptyDir"]

    run_as_user {
      rule = "MustRunAsNonRoot"
    }
    se_linux {
      rule = "RunAsAny"
    }
    supplemental_groups {
      rule = "MustRunAs"
      range {
        min = 1
        max = 65535
      }
    }
    fs_group {
      rule = "MustRunAs"
      range {
        min = 1
        max = 65535
      }
    }
  }
}
`;

/** A project that checks PodSecurityPolicies: the default profile and `psp`. */
const PSP_CONFIG = "profiles: [pss-baseline, psp]\n";

describe("a Terraform PodSecurityPolicy, scanned as a new user would", () => {
  it("reports host_ipc = true at its line with the resource's address, and exits 1", () => {
    const dir = folder({ "main.tf": pspMainTf(true), "policypack.config.yaml": PSP_CONFIG });
    expect(policypack(dir, ["scan", "main.tf"])).toEqual({
      code: 1,
      stdout: `\
main.tf
  main.tf:9:5  high      psp-host-ipc  PodSecurityPolicy shared-ipc allows sharing the host IPC namespace (spec.hostIPC is true)  (PodSecurityPolicy/shared-ipc kubernetes_pod_security_policy.example2)

1 finding in 1 file, 1 object (0 matched by no enabled rule), 0 input errors
By severity: critical 0, high 1, medium 0, low 0
By rule:
  psp-host-ipc  1
`,
      stderr: "",
    });
  });

  it("is checked without a config file too: a scan then checks every built-in rule", () => {
    const dir = folder({ "main.tf": pspMainTf(true) });
    const { code, stdout, stderr } = policypack(dir, ["scan", "main.tf"]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(stdout).toContain(
      "  main.tf:9:5  high      psp-host-ipc  PodSecurityPolicy shared-ipc allows sharing the host IPC namespace (spec.hostIPC is true)  (PodSecurityPolicy/shared-ipc kubernetes_pod_security_policy.example2)\n",
    );
    expect(policypack(folder({ "main.tf": pspMainTf(false) }), ["scan", "main.tf"]).stdout).not.toContain("psp-host-ipc");
  });

  it("passes host_ipc = false, and exits 0", () => {
    const dir = folder({ "main.tf": pspMainTf(false), "policypack.config.yaml": PSP_CONFIG });
    expect(policypack(dir, ["scan", "main.tf"])).toEqual({
      code: 0,
      stdout: "0 findings in 1 file, 1 object (0 matched by no enabled rule), 0 input errors\nBy severity: critical 0, high 0, medium 0, low 0\n",
      stderr: "",
    });
  });
});

const MIXED_REPORT = `\
test/scan/mixed/infra/main.tf
  test/scan/mixed/infra/main.tf:24:9  high      host-ipc  Deployment web shares the host IPC namespace (spec.hostIPC is true)  (shop/Deployment/web kubernetes_deployment_v1.web)
  test/scan/mixed/infra/main.tf:34:11  medium    image-tag  Container sidecar uses image busybox without a tag  (shop/Deployment/web kubernetes_deployment_v1.web)
  test/scan/mixed/infra/main.tf:36:13  critical  privileged-containers  Container sidecar is privileged (securityContext.privileged is true)  (shop/Deployment/web kubernetes_deployment_v1.web)

test/scan/mixed/infra/report.tf.json
  test/scan/mixed/infra/report.tf.json:16:21  low       cpu-limits  Container upload does not set resources.limits.cpu  (shop/CronJob/report kubernetes_cron_job_v1.report)
  test/scan/mixed/infra/report.tf.json:16:41  medium    image-tag  Container upload uses image uploader without a tag  (shop/CronJob/report kubernetes_cron_job_v1.report)

test/scan/mixed/plan.json
  test/scan/mixed/plan.json:25:25  medium    image-tag  Container migrate uses image migrate:latest with the mutable tag latest  (shop/Job/migrate module.batch.kubernetes_job_v1.migrate)

test/scan/mixed/pod.yaml
  test/scan/mixed/pod.yaml:11:9  critical  privileged-containers  Container shell is privileged (securityContext.privileged is true)  (shop/Pod/debug)

test/scan/mixed/service.json
  test/scan/mixed/service.json:6:5  medium    service-node-port  Service web is of type NodePort  (shop/Service/web)

8 findings in 5 files, 6 objects (0 matched by no enabled rule), 0 input errors
By severity: critical 2, high 1, medium 4, low 1
By rule:
  image-tag              3
  privileged-containers  2
  cpu-limits             1
  host-ipc               1
  service-node-port      1
`;

/** What --verbose tells of the folder: per file, in the order of the resources. */
const MIXED_NOTES = `\
test/scan/mixed/infra/main.tf:27:19: kubernetes_deployment_v1.web: spec.template.spec.containers[0].image is known only at apply time (a variable (var.app_image)): no finding rests on it
test/scan/mixed/infra/main.tf:48:3: kubernetes_pod_v1.worker has count: its instances are checked once, as written
test/scan/mixed/infra/main.tf:58:26: kubernetes_pod_v1.worker: spec.containers[0].resources.limits.cpu is known only at apply time (a variable (var.worker_cpu)): no finding rests on it
test/scan/mixed/infra/main.tf:64:1: kubernetes_config_map_v1.settings: kubernetes_config_map_v1 is not a resource type policypack maps to a Kubernetes object: not checked
test/scan/mixed/infra/report.tf.json:15:50: kubernetes_cron_job_v1.report: spec.jobTemplate.spec.template.spec.containers[0].image is known only at apply time (a string template ("reporter:\${var.report_tag}")): no finding rests on it
`;

describe("a folder mixing .tf, .tf.json, a plan, YAML and a JSON manifest", () => {
  // The images written as var.app_image and "reporter:${var.report_tag}" and the worker's CPU limit
  // are known only at apply time: image-tag and cpu-limits say nothing of them.
  it("is one report: every file's findings at their attribute, Terraform ones with their resource's address; exit 1", async () => {
    expect(await scan(MIXED)).toEqual({ code: 1, stdout: MIXED_REPORT, stderr: "" });
  });

  it("gives the same report with the reference evaluator", async () => {
    expect(await scan("--engine", "reference", MIXED)).toEqual({ code: 1, stdout: MIXED_REPORT, stderr: "" });
  });

  it("--verbose lists the values known only at apply time, count resources checked once and resource types not checked", async () => {
    // The reference evaluator: with the pack, --verbose also says where the pack module came from.
    expect(await scan("--verbose", "--engine", "reference", MIXED)).toEqual({ code: 1, stdout: MIXED_REPORT, stderr: MIXED_NOTES });
  });

  it("writes the address into every report format, each valid against its schema", async () => {
    const dir = mkdtempSync(join(scratch, "case-"));
    const out = (format: string) => join(dir, `report.${format}`);
    const formats = ["sarif", "junit", "policyreport", "html"];
    const { code, stdout, stderr } = await scan("--format", "json", ...formats.flatMap((f) => ["--output", `${f}=${out(f)}`]), MIXED);
    expect([code, stderr]).toEqual([1, ""]);

    const json = JSON.parse(stdout) as { findings: Finding[] };
    validateScanResult(json, "scan.json");
    expect(json.findings.map((f) => [f.location.file, f.terraformAddress ?? null])).toEqual([
      ["test/scan/mixed/infra/main.tf", "kubernetes_deployment_v1.web"],
      ["test/scan/mixed/infra/main.tf", "kubernetes_deployment_v1.web"],
      ["test/scan/mixed/infra/main.tf", "kubernetes_deployment_v1.web"],
      ["test/scan/mixed/infra/report.tf.json", "kubernetes_cron_job_v1.report"],
      ["test/scan/mixed/infra/report.tf.json", "kubernetes_cron_job_v1.report"],
      ["test/scan/mixed/plan.json", "module.batch.kubernetes_job_v1.migrate"],
      ["test/scan/mixed/pod.yaml", null],
      ["test/scan/mixed/service.json", null],
    ]);
    expect(json.findings[0]).toEqual({
      ruleId: "host-ipc",
      severity: "high",
      message: "Deployment web shares the host IPC namespace (spec.hostIPC is true)",
      path: "spec.template.spec.hostIPC",
      location: { file: "test/scan/mixed/infra/main.tf", line: 24, column: 9 },
      resource: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "shop" },
      terraformAddress: "kubernetes_deployment_v1.web",
    });

    const sarif = JSON.parse(readFileSync(out("sarif"), "utf8"));
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    type SarifLocation = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }> };
    expect(
      (sarif.runs[0].results as Array<{ ruleId: string; locations: SarifLocation[] }>).map(({ ruleId, locations: [where] }) => [
        ruleId,
        `${where!.physicalLocation.artifactLocation.uri}:${where!.physicalLocation.region.startLine}`,
        where!.logicalLocations?.map((l) => `${l.kind} ${l.fullyQualifiedName}`) ?? [],
      ]),
    ).toEqual([
      ["host-ipc", "test/scan/mixed/infra/main.tf:24", ["resource kubernetes_deployment_v1.web"]],
      ["image-tag", "test/scan/mixed/infra/main.tf:34", ["resource kubernetes_deployment_v1.web"]],
      ["privileged-containers", "test/scan/mixed/infra/main.tf:36", ["resource kubernetes_deployment_v1.web"]],
      ["cpu-limits", "test/scan/mixed/infra/report.tf.json:16", ["resource kubernetes_cron_job_v1.report"]],
      ["image-tag", "test/scan/mixed/infra/report.tf.json:16", ["resource kubernetes_cron_job_v1.report"]],
      ["image-tag", "test/scan/mixed/plan.json:25", ["resource module.batch.kubernetes_job_v1.migrate"]],
      ["privileged-containers", "test/scan/mixed/pod.yaml:11", []],
      ["service-node-port", "test/scan/mixed/service.json:6", []],
    ]);

    const junit = parseJunit(readFileSync(out("junit"), "utf8"));
    const failed = junit.testsuite.flatMap((suite) => suite.testcase.filter((c) => c.failure).map((c) => `${c.classname} ${c.name}`));
    expect(failed).toContain("shop/Job/migrate module.batch.kubernetes_job_v1.migrate image-tag");
    expect(failed).toContain("shop/Deployment/web kubernetes_deployment_v1.web privileged-containers");

    type ReportDocument = { results: Array<{ policy: string; result: string; properties: Record<string, string> }> };
    const reports = yamlDocuments<ReportDocument>(readFileSync(out("policyreport"), "utf8"));
    reports.forEach((doc, i) => validatePolicyReport(doc, `policyreport document ${i}`));
    const hostIpc = reports.flatMap((doc) => doc.results).filter((r) => r.policy === "host-ipc" && r.result === "fail");
    expect(hostIpc.map((r) => r.properties)).toEqual([
      { location: "test/scan/mixed/infra/main.tf:24:9", path: "spec.template.spec.hostIPC", terraformAddress: "kubernetes_deployment_v1.web" },
    ]);

    expect(readFileSync(out("html"), "utf8")).toContain("<code>module.batch.kubernetes_job_v1.migrate</code>");
  });
});

describe("values known only at apply time", () => {
  it("reports no violation that rests on a variable, and reports the same object once its values are written", async () => {
    const pod = (privileged: string) =>
      `resource "kubernetes_pod_v1" "debug" {\n  metadata {\n    name = "debug"\n  }\n  spec {\n    container {\n      name  = "shell"\n      image = "alpine:3.20"\n      security_context {\n        privileged = ${privileged}\n      }\n      resources {\n        limits = { cpu = "100m" }\n      }\n    }\n  }\n}\n`;
    const dir = folder({ "unknown.tf": pod("var.debug"), "known.tf": pod("true") });
    const { code, stdout } = await scan("--format", "json", dir);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { findings: Finding[] }).findings.map((f) => [f.location, f.ruleId, f.terraformAddress])).toEqual([
      [{ file: join(dir, "known.tf"), line: 10, column: 9 }, "privileged-containers", "kubernetes_pod_v1.debug"],
    ]);
  });
});

describe("the field check on Terraform", () => {
  const pod = (security: string) => `\
    metadata = { name = "debug", namespace = "shop" }
    spec = {
      containers = [{
        name      = "shell"
        image     = "alpine:3.20"
        ${security}
        resources = { limits = { cpu = "100m" } }
      }]
    }`;

  it("checks a kubernetes_manifest's object, which the user writes as the API object, and names its address", async () => {
    const dir = folder({ "manifest.tf": `resource "kubernetes_manifest" "debug" {\n  manifest = {\n    apiVersion = "v1"\n    kind       = "Pod"\n${pod("hostIPC   = false")}\n  }\n}\n` });
    const { code, stdout } = await scan("--format", "json", dir);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { findings: Finding[] }).findings).toEqual([
      {
        ruleId: "unknown-field",
        severity: "high",
        message: "spec.containers[0].hostIPC is not a field of Container: hostIPC belongs in the pod spec (spec.hostIPC); as written it is ignored and the pod is not protected",
        path: "spec.containers[0].hostIPC",
        location: { file: join(dir, "manifest.tf"), line: 10, column: 9 },
        resource: { apiVersion: "v1", kind: "Pod", name: "debug", namespace: "shop" },
        terraformAddress: "kubernetes_manifest.debug",
      },
    ]);
  });

  it("skips an object mapped from a resource type's schema: the provider itself refuses an attribute its schema does not define", async () => {
    const dir = folder({
      "pod.tf": `resource "kubernetes_pod_v1" "debug" {\n  metadata {\n    name = "debug"\n  }\n  spec {\n    container {\n      name  = "shell"\n      image = "alpine:3.20"\n      host_ipc = false\n      resources {\n        limits = { cpu = "100m" }\n      }\n    }\n  }\n}\n`,
    });
    expect(await scan(dir)).toMatchObject({ code: 0, stderr: "" });
  });
});

describe("folders", () => {
  it("leave out .terraform, where `terraform init` keeps its copies of modules", async () => {
    const dir = folder({});
    mkdirSync(join(dir, ".terraform", "modules", "app"), { recursive: true });
    const tf = readFileSync(join(MIXED, "infra", "main.tf"), "utf8");
    writeFileSync(join(dir, ".terraform", "modules", "app", "main.tf"), tf);
    writeFileSync(join(dir, "main.tf"), tf);
    const { code, stdout } = await scan("--format", "json", dir);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).files).toEqual([join(dir, "main.tf")]);
  });
});

describe("tree-sitter's native modules", () => {
  it("are loaded for a .tf file only: a scan of manifests does without them", () => {
    const loaded = (file: string) => {
      const script = [
        `const { runCli } = await import(${JSON.stringify(join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"))});`,
        `await runCli(["scan", "-c", ${JSON.stringify(CONFIG)}, "--format", "json", ${JSON.stringify(file)}]);`,
        `const { createRequire } = await import("node:module");`,
        `process.stderr.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes("tree-sitter")).length));`,
      ].join("\n");
      const { stderr } = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
      return JSON.parse(stderr) as number;
    };
    expect(loaded(join(MIXED, "infra", "main.tf"))).toBeGreaterThan(0);
    expect(loaded(join(MIXED, "pod.yaml"))).toBe(0);
  });
});

describe("bad Terraform input", () => {
  it("names file:line:col of an HCL syntax error, exits 2, and still reports the other files", async () => {
    const dir = folder({ "broken.tf": 'resource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = \n  }\n}\n' });
    copyFileSync(join(MIXED, "service.json"), join(dir, "service.json"));
    const broken = join(dir, "broken.tf");
    const service = join(dir, "service.json");
    expect(await scan(dir)).toEqual({
      code: 2,
      stdout: `\
${broken}
  ${broken}:3:5  error     not valid HCL: unexpected "name ="

${service}
  ${service}:6:5  medium    service-node-port  Service web is of type NodePort  (shop/Service/web)

1 finding in 2 files, 1 object (0 matched by no enabled rule), 1 input error
By severity: critical 0, high 0, medium 1, low 0
By rule:
  service-node-port  1
`,
      stderr: `${broken}:3:5: not valid HCL: unexpected "name ="\n`,
    });
  });

  it("refuses a plan of an unknown format_version with one line, exit 2", async () => {
    const dir = folder({ "plan.json": '{\n  "format_version": "2.0",\n  "planned_values": { "root_module": {} }\n}\n' });
    const plan = join(dir, "plan.json");
    const { code, stderr } = await scan(plan);
    expect({ code, stderr }).toEqual({ code: 2, stderr: `${plan}:2:21: format_version "2.0": only the 1.x format of \`terraform show -json\` is read\n` });
  });
});

describe("terraform show -json on standard input", () => {
  it("is read as a plan: `terraform show -json plan | policypack scan`", () => {
    const dir = folder({ "policypack.config.yaml": readFileSync(CONFIG, "utf8") });
    const { code, stdout, stderr } = policypack(dir, ["scan", "--format", "json"], readFileSync(join(MIXED, "plan.json"), "utf8"));
    expect([code, stderr]).toEqual([1, ""]);
    expect((JSON.parse(stdout) as { findings: Finding[] }).findings.map((f) => [f.location, f.ruleId, f.terraformAddress])).toEqual([
      [{ file: "-", line: 25, column: 25 }, "image-tag", "module.batch.kubernetes_job_v1.migrate"],
    ]);
  });
});
