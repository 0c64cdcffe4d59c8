// The command line, run in process (and once through bin/policypack.js): exact output of list and
// explain, exit codes, one-line errors, --help on every command.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { runCli } from "../../src/cli/main.ts";

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const root = tempDir("cli");
const builtinIds = readdirSync(new URL("../../rules/", import.meta.url)).sort();
const WORKLOAD_KINDS = ["v1/Pod", "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/ReplicaSet", "v1/ReplicationController", "batch/v1/Job", "batch/v1/CronJob"];

describe("list", () => {
  it("--json prints every built-in rule, sorted by id, with exact entries for the starter rules", async () => {
    const { code, stdout, stderr } = await run("list", "--json");
    expect([code, stderr]).toEqual([0, ""]);
    const rules = JSON.parse(stdout) as Array<{ id: string }>;
    expect(rules.map((r) => r.id)).toEqual(builtinIds);
    expect(rules.find((r) => r.id === "host-ipc")).toEqual({
      id: "host-ipc",
      title: "hostIPC should not be configured",
      severity: "high",
      category: "Security",
      profiles: ["pss-baseline", "pss-restricted", "best-practice"],
      kinds: WORKLOAD_KINDS,
      references: {
        pss: "Host Namespaces",
        polaris: "hostIPCSet",
        gatekeeper: "pod-security-policy/host-namespaces",
        kyverno: "disallow-host-namespaces",
        urls: ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
      },
    });
    expect(rules.find((r) => r.id === "privileged-containers")).toEqual({
      id: "privileged-containers",
      title: "Containers should not run privileged",
      severity: "critical",
      category: "Security",
      profiles: ["pss-baseline", "pss-restricted", "best-practice"],
      kinds: WORKLOAD_KINDS,
      references: {
        pss: "Privileged Containers",
        polaris: "runAsPrivileged",
        gatekeeper: "pod-security-policy/privileged-containers",
        kyverno: "disallow-privileged-containers",
      },
    });
    expect(stdout.endsWith("}\n]\n")).toBe(true);
  });

  it("prints a table without --json", async () => {
    const { code, stdout } = await run("list");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +SEVERITY +CATEGORY +PROFILES +TITLE$/);
    expect(lines.slice(1).map((line) => line.split(" ")[0])).toEqual(builtinIds);
  });

  it("includes custom rules from the config's ruleDirs", async () => {
    const { code, stdout } = await run("list", "--json", "--config", "examples/policypack.config.yaml");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).find((r: { id: string }) => r.id === "require-team-label")).toEqual({
      id: "require-team-label",
      title: "Deployments must name their owning team",
      severity: "medium",
      category: "Governance",
      profiles: ["team-conventions"],
      kinds: ["apps/v1/Deployment"],
      references: {},
    });
  });
});

describe("explain", () => {
  it("describes host-ipc", async () => {
    const { code, stdout, stderr } = await run("explain", "host-ipc");
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toBe(`host-ipc: hostIPC should not be configured

  Severity:   high
  Category:   Security
  Profiles:   pss-baseline, pss-restricted, best-practice
  Applies to: ${WORKLOAD_KINDS.join(", ")}
  Defined in: rules/host-ipc/rule.ts

Description
  A pod with spec.hostIPC: true shares the node's IPC namespace, so a compromised container can read and write the shared memory of every other process on the node.

Remediation
  Remove spec.hostIPC from the pod (or pod template), or set it to false.

Parameters
  (none)

References
  Pod Security Standards: Host Namespaces
  Polaris: hostIPCSet
  gatekeeper-library: pod-security-policy/host-namespaces
  kyverno/policies: disallow-host-namespaces
  URL: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline

Checks (each reports a violation with its message when its condition holds)
  1. when pod.spec.hostIPC == true
     message: "{object.kind} {object.metadata.name} shares the host IPC namespace (spec.hostIPC is true)"
`);
  });

  it("shows parameters and iterations", async () => {
    const { code, stdout } = await run("explain", "require-team-label", "--config", "examples/policypack.config.yaml");
    expect(code).toBe(0);
    expect(stdout).toContain(`Parameters
  labelKey (string, default "team"): The label every Deployment must carry.
`);
    expect(stdout).toContain(`  1. when not (some label in the entries of object.metadata.labels has (label.key == params.labelKey))
     message: "Deployment {object.metadata.name} has no {params.labelKey} label"
`);
  });

  it("shows the defaults of earlier Pod Security Standards versions", async () => {
    const { code, stdout } = await run("explain", "selinux");
    expect(code).toBe(0);
    expect(stdout).toContain(
      `  allowedSELinuxTypes (string[], default ["container_t","container_init_t","container_kvm_t","container_engine_t"]; before v1.31: ["container_t","container_init_t","container_kvm_t"]): SELinux types a pod or container may use (an empty type is always allowed).\n`,
    );
  });

  it("shows an object[] parameter's fields and a difference of numbers", async () => {
    const { code, stdout } = await run("explain", "hpa-min-replicas");
    expect(code).toBe(0);
    expect(stdout).toContain("  ranges (object[] of {minReplicas: integer, maxReplicas: integer}, default []): gatekeeper-library horizontalpodautoscaler's ranges");
    expect(stdout).toContain("  5. when params.minimumReplicaSpread > 0 and (object.spec.maxReplicas - (object.spec.minReplicas ?? 1)) < params.minimumReplicaSpread\n");
  });

  it("lists each of several references of one source on its own line", async () => {
    const { code, stdout } = await run("explain", "host-ports");
    expect(code).toBe(0);
    expect(stdout).toContain("  kyverno/policies: disallow-host-ports\n  kyverno/policies: disallow-host-ports-range\n");
  });

  it("rejects an unknown rule id", async () => {
    expect(await run("explain", "no-such-rule")).toEqual({
      code: 1,
      stdout: "",
      stderr: 'unknown rule "no-such-rule" (see `policypack list`)\n',
    });
  });
});

describe("errors", () => {
  it("prints an InputError as one line and exits 1", async () => {
    const config = join(root, "bad.yaml");
    writeFileSync(config, "rules:\n  enable: [no-such-rule]\n");
    expect(await run("build", "--config", config, "--out", join(root, "out"), "--no-docs")).toEqual({
      code: 1,
      stdout: "",
      stderr: `${config}: rules.enable.0: unknown rule "no-such-rule" (see \`policypack list\`)\n`,
    });
  });

  it("exits 1 on an unknown command", async () => {
    const { code, stderr } = await run("bild");
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command 'bild'");
  });
});

describe("build", () => {
  it("writes out/, then --check passes; after an edit --check lists the file and exits 1", async () => {
    const config = join(root, "ok.yaml");
    writeFileSync(config, "profiles: [pss-baseline]\n");
    const out = join(root, "build-out");
    const built = await run("build", "--config", config, "--out", out, "--no-docs");
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(new RegExp(`^policypack: wrote \\d+ files for \\d+ of ${builtinIds.length} rules to ${out}\n$`));

    const clean = await run("build", "--config", config, "--out", out, "--no-docs", "--check");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(new RegExp(`^policypack: ${out} is up to date \\(\\d+ files\\)\n$`));

    writeFileSync(join(out, "kyverno", "host-ipc.yaml"), "edited\n");
    writeFileSync(join(out, "kyverno", "extra.yaml"), "extra\n");
    expect(await run("build", "--config", config, "--out", out, "--no-docs", "--check")).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "policypack: 2 generated file(s) out of date; run `policypack build`:",
        `  extra    ${out}/kyverno/extra.yaml`,
        `  differs  ${out}/kyverno/host-ipc.yaml`,
        "",
      ].join("\n"),
    });
  });
});

describe("--help", () => {
  it.each([[[]], [["init"]], [["build"]], [["list"]], [["explain"]], [["rego"]], [["rego", "build"]], [["rego", "eval"]]])("works for %j", async (command) => {
    const { code, stdout } = await run(...command, "--help");
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: policypack${command.map((c) => ` ${c}`).join("")} [options]`);
  });
});

describe("bin/policypack.js", () => {
  it("runs the compiled CLI (dist/, from `npm run build`), built-in rules included", () => {
    const stdout = execFileSync(process.execPath, ["bin/policypack.js", "list", "--json"], { encoding: "utf8" });
    expect(JSON.parse(stdout).map((r: { id: string }) => r.id)).toEqual(builtinIds);
  });

  it("prints the package's version", () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(execFileSync(process.execPath, ["bin/policypack.js", "--version"], { encoding: "utf8" })).toBe(`${version}\n`);
  });
});
