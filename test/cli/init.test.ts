// `policypack init`: the starter files in an empty folder, and a refusal (one line, exit 1,
// nothing written) when any of them exists. That the example rule builds is shown by the package
// test (test/package/), where "policypack" resolves as in a user's project.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { runCli } from "../../src/cli/main.ts";
import { loadFixtures } from "../../src/catalog/fixtures.ts";

const root = tempDir("init");
async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe("init", () => {
  it("writes a config and an example rule with three violating and three compliant fixtures, and prints the next commands", async () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    expect(await run("init", dir)).toEqual({
      code: 0,
      stdout: [
        [
          "policypack: wrote policypack.config.yaml",
          ...["cronjob-with-label", "cronjob-without-labels", "deployment-label-on-deployment-only", "deployment-with-label", "pod-with-label", "pod-without-label"].map((name) => `rules/require-app-label/fixtures/${name}.yaml`),
          "rules/require-app-label/rule.ts",
        ].join(", "),
        "",
        "Next:",
        "  npx policypack list                            # the built-in rules and yours",
        "  npx policypack test --rule require-app-label   # the example rule's fixtures, through every engine",
        "  npx policypack build                           # out/: Gatekeeper, Kyverno and ValidatingAdmissionPolicy files",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(join(dir, "policypack.config.yaml"), "utf8")).toContain("ruleDirs: [rules]\n");
    expect(readFileSync(join(dir, "rules", "require-app-label", "rule.ts"), "utf8")).toContain('from "policypack";\n');
    const fixtures = loadFixtures(join(dir, "rules", "require-app-label", "fixtures"));
    expect(fixtures.map((f) => [f.name, f.verdict])).toEqual([
      ["cronjob-with-label", "compliant"],
      ["cronjob-without-labels", "violation"],
      ["deployment-label-on-deployment-only", "violation"],
      ["deployment-with-label", "compliant"],
      ["pod-with-label", "compliant"],
      ["pod-without-label", "violation"],
    ]);
  });

  it("refuses to overwrite an existing file: one line, exit 1, nothing written", async () => {
    const dir = join(root, "taken");
    mkdirSync(join(dir, "rules", "require-app-label"), { recursive: true });
    writeFileSync(join(dir, "rules", "require-app-label", "rule.ts"), "// mine\n");
    expect(await run("init", dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `policypack init: ${join(dir, "rules", "require-app-label", "rule.ts")} already exists; nothing was written\n`,
    });
    expect(existsSync(join(dir, "policypack.config.yaml"))).toBe(false);
    expect(readdirSync(join(dir, "rules", "require-app-label"))).toEqual(["rule.ts"]);
    expect(readFileSync(join(dir, "rules", "require-app-label", "rule.ts"), "utf8")).toBe("// mine\n");
  });
});
