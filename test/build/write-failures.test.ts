// Where the build writes, and what it does when it cannot: each file-system failure is one line
// naming the path and the cause (exit 1) and leaves every previous output as it was; a build into a
// folder outside the project leaves the project's docs and README alone.

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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

const root = tempDir("write");

/** A digest of every file below `dir` (names and contents). */
function digest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      hash.update(join(at, entry.name));
      if (entry.isDirectory()) walk(join(at, entry.name));
      else hash.update(readFileSync(join(at, entry.name)));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

describe("build output failures", () => {
  // A project with a previous build: out/ and docs/rules/ from its config.
  const project = join(root, "project");
  const config = join(project, "policypack.config.yaml");
  mkdirSync(project, { recursive: true });
  writeFileSync(config, "profiles: [pss-baseline]\ndocs: docs\n");

  it("names the path and the cause in one line, exit 1, and leaves the previous output untouched", async () => {
    expect((await run("build", "--config", config, "--out", join(project, "out"))).code).toBe(0);
    const before = digest(project);
    const file = join(root, "a-file");
    writeFileSync(file, "not a folder\n");

    // A file where a parent folder should be.
    expect(await run("build", "--config", config, "--out", join(file, "out"), "--no-docs")).toEqual({
      code: 1,
      stdout: "",
      stderr: `${join(file, "out")}: cannot write: ${file} is a file, not a folder\n`,
    });
    // A folder nobody may create folders in (root included: the kernel's /sys).
    const denied = await run("build", "--config", config, "--out", "/sys/policypack-test/out", "--no-docs");
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^\/sys\/policypack-test\/out: cannot write: (operation not permitted \(EPERM\)|permission denied \(EACCES\))\n$/);
    // The output folder is a file.
    expect((await run("build", "--config", config, "--out", file, "--no-docs")).stderr).toBe(`${file}: the output path exists and is not a folder\n`);
    // The docs cannot be written (their folder is a file): out/ is not replaced either.
    writeFileSync(join(root, "docs-is-a-file.yaml"), "profiles: [pss-baseline]\ndocs: a-file\n");
    expect(await run("build", "--config", join(root, "docs-is-a-file.yaml"), "--out", join(project, "out"))).toEqual({
      code: 1,
      stdout: "",
      stderr: `${join(file, "rules")}: cannot write: ${file} is a file, not a folder\n`,
    });
    // A README in a folder that does not exist.
    expect((await run("build", "--config", config, "--out", join(project, "out"), "--readme", join(root, "missing", "README.md"))).stderr).toBe(
      `${join(root, "missing", "README.md")}: README not found\n`,
    );
    expect(digest(project)).toBe(before);
    expect(readdirSync(root).sort()).toEqual(["a-file", "docs-is-a-file.yaml", "project"]);
  });
});

describe("a build into a folder outside the project", () => {
  it("leaves the project's docs/ and README untouched (the README's example command)", async () => {
    const out = join(root, "example-out");
    const docsBefore = digest("docs");
    const readmeBefore = statSync("README.md").mtimeMs;
    expect(await run("build", "--config", "examples/policypack.config.yaml", "--out", out)).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(out).sort()).toEqual(["gatekeeper", "kyverno", "kyverno-clusterpolicy", "tests", "vap"]);
    // This repository's own config names docs/, but its pages link to out/: not to a folder elsewhere.
    expect(await run("build", "--out", join(root, "own-out"))).toMatchObject({
      code: 0,
      stderr: `policypack: docs not written: the output folder ${join(root, "own-out")} is outside ${process.cwd()}, whose docs link to it\n`,
    });
    expect(digest("docs")).toBe(docsBefore);
    expect(statSync("README.md").mtimeMs).toBe(readmeBefore);
  });
});
