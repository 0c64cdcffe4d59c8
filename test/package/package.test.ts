// The package as a user gets it: `npm pack`, installed from the tarball into a fresh project,
// `policypack init`, a second rule of the user's importing from "policypack" with fixtures of its
// own, then `build`, `list` and `test` there. Needs the compiled form (`npm run build`, as CI runs before the tests; `npm pack`
// itself would run prepack, which rebuilds it).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = process.cwd();
const work = mkdtempSync(join(tmpdir(), "policypack-package-"));
const project = join(work, "project");
const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `npx policypack ...` in the project: exit code and output. */
function policypack(...args: string[]) {
  const run = spawnSync("npx", ["--no", "policypack", ...args], { cwd: project, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: Array<{ path: string }>;
}
let packed: PackResult;

const SECOND_RULE = `import { defineRule, equals, msg, when, workloads } from "policypack";

export default defineRule({
  id: "no-host-ipc-pods",
  title: "Pods must not share the node's IPC namespace",
  description: "A second rule of the user's.",
  severity: "high",
  category: "Security",
  profiles: ["my-conventions"],
  match: workloads,
  references: {},
  remediation: "Remove spec.hostIPC.",
  checks: ({ pod, object }) => [when(equals(pod.spec.hostIPC, true), msg\`\${object.metadata.name} shares the node's IPC namespace\`)],
});
`;

/** The second rule's fixtures: one violating, one compliant (fewer than built-in rules need). */
const SECOND_RULE_FIXTURES = {
  "pod-host-ipc.yaml": `description: A Pod sharing the node's IPC namespace
expect:
  verdict: violation
  violations: ["db shares the node's IPC namespace"]
object:
  apiVersion: v1
  kind: Pod
  metadata: { name: db, labels: { app.kubernetes.io/name: db } }
  spec:
    hostIPC: true
    containers: [{ name: db, image: registry.example.com/db:15 }]
`,
  "pod-own-ipc.yaml": `description: A Pod with its own IPC namespace
expect:
  verdict: compliant
  violations: []
object:
  apiVersion: v1
  kind: Pod
  metadata: { name: db, labels: { app.kubernetes.io/name: db } }
  spec:
    hostIPC: false
    containers: [{ name: db, image: registry.example.com/db:15 }]
`,
};
const ENGINES = "reference, gatekeeper-rego, gatekeeper-cel, kyverno, kyverno-clusterpolicy, vap";
const FEW_FIXTURES_WARNING =
  "warning: no-host-ipc-pods (rules/no-host-ipc-pods/rule.ts): 1 violating and 1 compliant fixture(s); built-in rules have at least 3 of each\n";

beforeAll(() => {
  if (!existsSync(join(REPO, "dist", "src", "cli", "main.js")) || !existsSync(join(REPO, "build", "opa-runtime.wasm"))) {
    throw new Error("the compiled form is missing: run `npm run build` first");
  }
  // --ignore-scripts: the compiled form is already there (prepack would only rebuild it).
  [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO)) as PackResult[];
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-policies", version: "1.0.0", private: true }));
  npm(["install", join(work, packed!.filename), ...npmFlags], project);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed package", () => {
  it("ships the compiled form, the runtime and the built-in rules with their fixtures, and no test", () => {
    const paths = packed.files.map((f) => f.path);
    console.log(`policypack tarball: ${(packed.size / 1024).toFixed(0)} kB, ${packed.entryCount} files`);
    expect(paths.filter((p) => p.startsWith("test/") || /\.test\.[jt]s$/.test(p) || p.startsWith("src/"))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(["bin/policypack.js", "dist/src/cli/main.js", "dist/src/model/index.d.ts", "dist/rules/host-ipc/rule.js", "build/opa-runtime.wasm", "rules/host-ipc/fixtures/cronjob-hostipc-true.yaml", "templates/init/rules/require-app-label/rule.ts", "schemas/config.schema.json"]));
  });

  it("imports from plain ESM", () => {
    const script = 'import("policypack").then((m) => console.log(typeof m.defineRule, typeof m.workloads, typeof m.kinds))';
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" })).toBe("function object function\n");
  });

  it("starts a project with init, builds the user's rules for every engine and lists them", () => {
    const init = policypack("init");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("npx policypack build");
    mkdirSync(join(project, "rules", "no-host-ipc-pods", "fixtures"), { recursive: true });
    writeFileSync(join(project, "rules", "no-host-ipc-pods", "rule.ts"), SECOND_RULE);
    for (const [name, text] of Object.entries(SECOND_RULE_FIXTURES)) writeFileSync(join(project, "rules", "no-host-ipc-pods", "fixtures", name), text);

    const build = policypack("build");
    expect(build).toMatchObject({ code: 0, stderr: "" });
    for (const id of ["require-app-label", "no-host-ipc-pods"]) {
      for (const file of [`gatekeeper/templates/${id}.yaml`, `gatekeeper/constraints/${id}.yaml`, `kyverno/${id}.yaml`, `vap/${id}.yaml`]) {
        expect(existsSync(join(project, "out", file)), file).toBe(true);
      }
    }
    expect(readFileSync(join(project, "out", "kyverno", "no-host-ipc-pods.yaml"), "utf8")).toContain("shares the node's IPC namespace");
    // No docs unless the config asks; nothing else written.
    expect(readdirSync(project).sort()).toEqual(["node_modules", "out", "package-lock.json", "package.json", "policypack.config.yaml", "rules"]);

    const list = policypack("list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^no-host-ipc-pods +high +Security +my-conventions +Pods must not share/m);
    expect(list.stdout).toMatch(/^require-app-label +low +Conventions +my-conventions +Pods must name their application/m);
  });

  it("tests the user's rules' fixtures through every engine, from the generated objects", () => {
    expect(policypack("test", "--rule", "require-app-label", "no-host-ipc-pods")).toEqual({
      code: 0,
      stdout: [
        "PASS  no-host-ipc-pods  2 fixtures, 12 checks",
        "PASS  require-app-label  6 fixtures, 36 checks",
        `2 rules, 8 fixtures, 48 checks (${ENGINES}): 48 passed, 0 failed`,
        "",
      ].join("\n"),
      stderr: FEW_FIXTURES_WARNING,
    });
  });

  it("stops a test on a fixture that is not YAML, at its position, still testing the other rules", () => {
    const broken = join(project, "rules", "no-host-ipc-pods", "fixtures", "broken.yaml");
    writeFileSync(broken, "description: broken\nexpect:\n  verdict: violation\n  violations: [unclosed\nobject: {}\n");
    try {
      expect(policypack("test", "--rule", "require-app-label", "no-host-ipc-pods")).toEqual({
        code: 2,
        stdout: [
          "FAIL  no-host-ipc-pods  2 fixtures, 12 checks, 1 fixture file not read",
          "PASS  require-app-label  6 fixtures, 36 checks",
          `2 rules, 8 fixtures, 48 checks (${ENGINES}): 48 passed, 0 failed, 1 fixture file not read`,
          "",
        ].join("\n"),
        stderr: `rules/no-host-ipc-pods/fixtures/broken.yaml:5:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n${FEW_FIXTURES_WARNING}`,
      });
    } finally {
      rmSync(broken);
    }
  });

  it("stops a build on a field the Kubernetes type lacks, at its position, writing nothing", () => {
    const rule = join(project, "rules", "no-host-ipc-pods", "rule.ts");
    const out = readFileSync(join(project, "out", "kyverno", "no-host-ipc-pods.yaml"), "utf8");
    writeFileSync(rule, SECOND_RULE.replace("pod.spec.hostIPC", "pod.spec.hostIPCC"));
    expect(policypack("build")).toEqual({
      code: 1,
      stdout: "",
      stderr: "rules/no-host-ipc-pods/rule.ts:13:54: Property 'hostIPCC' does not exist on type 'PodSpec'. Did you mean 'hostIPC'?\n",
    });
    expect(readFileSync(join(project, "out", "kyverno", "no-host-ipc-pods.yaml"), "utf8")).toBe(out);
  });
});
