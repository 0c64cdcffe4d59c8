// Every built-in rule's fixtures through the CEL engines, as the fixture harness runs them: the
// Gatekeeper, Kyverno and VAP generators write a build to a temporary folder and celViolations
// reads it back from disk. Messages must equal the fixture's, order aside (see
// test/engines/cel.ts).

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { kyverno } from "../../../generators/kyverno.ts";
import { gatekeeper } from "../../../generators/gatekeeper.ts";
import { vap } from "../../../generators/vap.ts";
import type { EnabledRule } from "../../../src/config/types.ts";
import { loadFixtures } from "../../../src/fixtures/load.ts";
import { type Rule, defaultParams } from "../../../src/model/index.ts";
import { type CelEngine, celViolationsIn } from "../../engines/cel.ts";
import { testConfig } from "../../generators/generator-inputs.ts";

const RULES_DIR = new URL("../../../rules/", import.meta.url);
const FIXTURES_DIR = new URL("../../fixtures/", import.meta.url);
const rules = await Promise.all(
  readdirSync(RULES_DIR)
    .sort()
    .map(async (id) => ((await import(new URL(`${id}/rule.ts`, RULES_DIR).href)) as { default: Rule }).default),
);
const enabled: EnabledRule[] = rules.map((rule) => ({ rule, params: defaultParams(rule), enforcement: "deny", file: rule.id }));

const outDir = mkdtempSync(join(tmpdir(), "policypack-cel-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(outDir, path)), { recursive: true });
  writeFileSync(join(outDir, path), content);
};
for (const generator of [gatekeeper, kyverno, vap]) for (const file of generator.generate(enabled, testConfig())) write(file.path, file.content);
const celViolations = celViolationsIn(outDir);

for (const engine of ["kyverno", "vap", "gatekeeper-cel"] as CelEngine[]) {
  describe(`${engine}: built-in rule fixtures`, () => {
    for (const rule of rules) {
      const fixtures = loadFixtures(new URL(rule.id, FIXTURES_DIR).pathname);
      test.each(fixtures.map((f) => [f.name, f] as const))(`${rule.id}: %s`, (_name, fixture) => {
        expect(celViolations(engine, rule.id, fixture).sort()).toEqual([...fixture.violations].sort());
      });
    }
  });
}
