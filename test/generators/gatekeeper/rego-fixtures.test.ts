// Every built-in rule's fixtures through the generated Gatekeeper Rego: the generator writes its
// output to a temporary folder, and regoViolationsIn reads it back from disk, compiles each
// template's Rego with the project's compiler and runs it through the OPA Wasm SDK. Messages
// must equal the fixture's, order aside.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { gatekeeper } from "../../../generators/gatekeeper.ts";
import { loadFixtures } from "../../../src/fixtures/load.ts";
import type { Rule } from "../../../src/model/index.ts";
import { regoViolationsIn } from "../../engines/gatekeeper-rego.ts";
import { enabled, testConfig } from "../generator-inputs.ts";

const RULES_DIR = new URL("../../../rules/", import.meta.url);
const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const rules = await Promise.all(
  readdirSync(RULES_DIR)
    .sort()
    .map(async (id) => ((await import(new URL(`${id}/rule.ts`, RULES_DIR).href)) as { default: Rule }).default),
);

const outDir = mkdtempSync(join(tmpdir(), "policypack-gatekeeper-"));
for (const file of gatekeeper.generate(rules.map((rule) => enabled(rule)), testConfig())) {
  const path = join(outDir, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content);
}
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const regoViolations = regoViolationsIn(outDir);

describe.each(rules.map((rule) => [rule.id]))("%s: generated Rego on every fixture", (id) => {
  const fixtures = loadFixtures(join(FIXTURES_DIR, id));
  test.each(fixtures.map((f) => [f.name, f]))("%s", async (_name, fixture) => {
    const messages = await regoViolations(id, fixture);
    expect([...messages].sort()).toEqual([...fixture.violations].sort());
  });
});
