// The build: writes out/ atomically, leaves it untouched when it fails, is deterministic, and
// `check` reports every differing, missing and extra file (and a stale README rule table).

import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { build, generate } from "../../src/generate/build.ts";
import { GENERATORS } from "../../generators/index.ts";
import { RULES_END, RULES_START } from "../../generators/readme.ts";

const root = tempDir("build");
const config = join(root, "policypack.config.yaml");
writeFileSync(config, "profiles: [pss-baseline, best-practice]\nrules: { enforcement: { host-ipc: warn } }\n");

/** Every file below `dir` with its content, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

async function freshBuild(name: string) {
  const outDir = join(root, name, "out");
  const result = await build({ configFile: config, outDir, check: false });
  return { outDir, result };
}

describe("build", () => {
  it("writes every generator's files, one folder per generator", async () => {
    const { outDir, result } = await freshBuild("writes");
    const { files } = await generate({ configFile: config, outDir });
    expect(snapshot(outDir)).toEqual(Object.fromEntries(files.map((f) => [f.path, f.content])));
    expect(readdirSync(outDir).sort()).toEqual(GENERATORS.map((g) => g.name).sort());
    expect(result.enabled.find((e) => e.rule.id === "host-ipc")?.enforcement).toBe("warn");
    const hostIpcFiles = ["host-ipc.yaml", "templates/host-ipc.yaml", "gator/host-ipc/suite.yaml"];
    for (const generator of GENERATORS) {
      expect(hostIpcFiles.some((file) => existsSync(join(outDir, generator.name, file))), generator.name).toBe(true);
    }
    // Only the out folder is left beside it: the staging folders are gone.
    expect(readdirSync(join(root, "writes"))).toEqual(["out"]);
  });

  it("is deterministic: two builds are byte-identical", async () => {
    const first = await freshBuild("determinism-1");
    const second = await freshBuild("determinism-2");
    expect(snapshot(second.outDir)).toEqual(snapshot(first.outDir));
  });

  it("replaces out/ wholesale: files of rules no longer enabled disappear", async () => {
    const outDir = join(root, "replace", "out");
    await build({ configFile: config, outDir, check: false });
    const narrow = join(root, "replace", "narrow.yaml");
    writeFileSync(narrow, "profiles: [pss-baseline]\nrules: { disable: [host-pid] }\n");
    await build({ configFile: narrow, outDir, check: false });
    const paths = Object.keys(snapshot(outDir));
    expect(paths.some((p) => p.includes("host-pid"))).toBe(false);
    expect(paths.some((p) => p.includes("image-tag"))).toBe(false);
    expect(paths.some((p) => p.includes("host-ipc"))).toBe(true);
  });

  it("leaves the previous out/ byte-identical when the build fails", async () => {
    const { outDir } = await freshBuild("failing");
    const before = snapshot(outDir);
    const broken = join(root, "failing", "broken.yaml");
    writeFileSync(broken, "enforcement: block\n");
    await expect(build({ configFile: broken, outDir, check: false })).rejects.toThrow(`${broken}: enforcement: must be one of "deny", "warn", "audit"`);
    const badParam = join(root, "failing", "bad-param.yaml");
    writeFileSync(badParam, "parameters: { added-capabilities: { allowedCapabilities: CHOWN } }\n");
    await expect(build({ configFile: badParam, outDir, check: false })).rejects.toThrow(
      `${badParam}: parameters.added-capabilities.allowedCapabilities: must be a list of strings, got "CHOWN"`,
    );
    expect(snapshot(outDir)).toEqual(before);
    expect(readdirSync(join(root, "failing")).sort()).toEqual(["bad-param.yaml", "broken.yaml", "out"]);
  });

  it("refuses to replace a folder holding files it did not generate", async () => {
    const outDir = join(root, "foreign", "out");
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "notes.txt"), "mine\n");
    await expect(build({ configFile: config, outDir, check: false })).rejects.toThrow(
      `holds "notes.txt", which policypack did not generate; refusing to replace the folder`,
    );
    expect(snapshot(outDir)).toEqual({ "notes.txt": "mine\n" });
  });
});

describe("build --check", () => {
  it("finds nothing to report right after a build", async () => {
    const { outDir } = await freshBuild("check-clean");
    const result = await build({ configFile: config, outDir, check: true });
    expect(result.differences).toEqual([]);
  });

  it("reports differing, missing and extra files, and writes nothing", async () => {
    const { outDir } = await freshBuild("check-dirty");
    const [first, second] = Object.keys(snapshot(outDir)).sort();
    writeFileSync(join(outDir, first!), "edited by hand\n");
    unlinkSync(join(outDir, second!));
    mkdirSync(join(outDir, "kyverno", "old"), { recursive: true });
    writeFileSync(join(outDir, "kyverno", "old", "stale.yaml"), "kind: Stale\n");
    const before = snapshot(outDir);
    const result = await build({ configFile: config, outDir, check: true });
    expect(result.differences).toEqual(
      [
        { file: `${outDir}/${first}`, problem: "differs" },
        { file: `${outDir}/${second}`, problem: "missing" },
        { file: `${outDir}/kyverno/old/stale.yaml`, problem: "extra" },
      ].sort((a, b) => (a.file < b.file ? -1 : 1)),
    );
    expect(snapshot(outDir)).toEqual(before);
  });

  it("reports every file missing when out/ does not exist", async () => {
    const outDir = join(root, "check-none", "out");
    const result = await build({ configFile: config, outDir, check: true });
    expect(result.differences.length).toBe(result.files.length);
    expect(result.differences.every((d) => d.problem === "missing")).toBe(true);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe("README rule table", () => {
  const readme = join(root, "README.md");
  // The markers quoted in prose are not the table's markers.
  const text = `# Title\n\nBefore \`${RULES_START}\` and \`${RULES_END}\`.\n\n${RULES_START}\nstale table\n${RULES_END}\n\nAfter.\n`;

  it("is regenerated between the markers, and checked", async () => {
    writeFileSync(readme, text);
    const outDir = join(root, "readme", "out");
    const docsDir = join(root, "docs");
    await build({ configFile: config, outDir, check: false });
    expect(readFileSync(readme, "utf8")).toBe(text);
    expect((await build({ configFile: config, outDir, docsDir, check: true, readme })).differences).toContainEqual({ file: readme, problem: "differs" });

    await build({ configFile: config, outDir, docsDir, check: false, readme });
    const updated = readFileSync(readme, "utf8");
    expect(updated.startsWith(`# Title\n\nBefore \`${RULES_START}\` and \`${RULES_END}\`.\n\n${RULES_START}\n| Rule | Title | Severity | Category | Profiles | Kinds | References |\n`)).toBe(true);
    expect(updated.endsWith(`${RULES_END}\n\nAfter.\n`)).toBe(true);
    expect(updated).toContain(
      "| [`host-ipc`](docs/rules/host-ipc.md) | hostIPC should not be configured | high | Security | `pss-baseline` `pss-restricted` `best-practice` | workloads | Pod Security Standards: `Host Namespaces`<br>Polaris: `hostIPCSet`<br>gatekeeper-library: `pod-security-policy/host-namespaces`<br>kyverno/policies: `disallow-host-namespaces`<br><https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline> |",
    );
    expect((await build({ configFile: config, outDir, docsDir, check: true, readme })).differences).toEqual([]);
  });

  it.each([
    ["no markers", "# No markers\n"],
    ["markers only quoted in prose", `Use \`${RULES_START}\` and \`${RULES_END}\`.\n`],
    ["markers in the wrong order", `${RULES_END}\n${RULES_START}\n`],
    ["two tables", `${RULES_START}\n${RULES_END}\n${RULES_START}\n${RULES_END}\n`],
  ])("rejects a README with %s", async (_case, content) => {
    writeFileSync(readme, content);
    await expect(generate({ configFile: config, outDir: join(root, "readme", "out"), readme })).rejects.toThrow(
      `${readme}: needs one line ${RULES_START} and, after it, one line ${RULES_END} around the rule table`,
    );
  });
});
