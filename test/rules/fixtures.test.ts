// Every rule (built-in, and the worked example's custom rule) against every one of its fixtures,
// in every engine: the reference evaluator, the Kyverno (ValidatingPolicy and ClusterPolicy), VAP
// and Gatekeeper CEL, and the Gatekeeper Rego compiled to WebAssembly. Rules for kinds no current
// API server serves (PodSecurityPolicy) have no ValidatingPolicy nor VAP to run. The fixtures run through the runner `policypack test`
// uses (src/testing/run.ts), over a configuration that enables every rule: the CEL and Rego come
// from the build's generated files, in memory. The fixture states the exact violation messages;
// each engine must produce them as a multiset.

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { opaAvailable } from "../../src/compiler/index.ts";
import { type EngineName, engineApplies } from "../../src/engines/index.ts";
import type { Fixture } from "../../src/catalog/fixtures.ts";
import { loadFixtureSuite, MIN_FIXTURES, sortedMessages as sorted } from "../../src/testing/run.ts";
import { tempDir } from "../temp-dir.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OPA = opaAvailable();

// The built-in rules, and the worked example's custom rules: both get every engine's tests.
const RULE_DIRS = [join(REPO, "rules"), join(REPO, "examples", "custom-rules")];
const ids = RULE_DIRS.flatMap((dir) => readdirSync(dir).filter((id) => existsSync(join(dir, id, "rule.ts"))));
const configFile = join(tempDir("fixtures"), "policypack.config.yaml");
writeFileSync(configFile, JSON.stringify({ profiles: [], rules: { enable: ids }, ruleDirs: RULE_DIRS.slice(1) }));
const suite = await loadFixtureSuite({ configFile });

const engine = (name: EngineName, ruleId: string, fixture: Fixture) => suite.answer(name, ruleId, fixture);
const opaEngine = (name: EngineName, ruleId: string, fixture: Fixture) => suite.answer(name, ruleId, fixture, "opa");

it("tests every rule", () => {
  expect(suite.rules.map(({ rule }) => rule.rule.id)).toEqual([...ids].sort());
});

for (const { rule: { rule }, fixtures, errors } of suite.rules) {
  describe(rule.id, () => {
    it("has fixtures that all read", () => {
      expect(errors.map((error) => error.message)).toEqual([]);
    });

    it(`has at least ${MIN_FIXTURES.violation} violating and ${MIN_FIXTURES.compliant} compliant fixtures`, () => {
      expect(fixtures.filter((f) => f.verdict === "violation").length).toBeGreaterThanOrEqual(3);
      expect(fixtures.filter((f) => f.verdict === "compliant").length).toBeGreaterThanOrEqual(3);
    });

    if (rule.match.type === "workloads") {
      it("has fixtures for a Pod, two controllers and a CronJob where the rule applies to them", () => {
        const kinds = new Set(fixtures.map((f) => f.object.kind));
        const applicable = new Set(rule.match.type === "workloads" ? rule.match.workloads.map((w) => w.kind) : []);
        for (const kind of ["Pod", "CronJob"].filter((k) => applicable.has(k))) expect(kinds).toContain(kind);
        const controllers = [...kinds].filter((k) => k !== "Pod" && k !== "CronJob" && applicable.has(String(k)));
        expect(controllers.length).toBeGreaterThanOrEqual(Math.min(2, [...applicable].filter((k) => k !== "Pod" && k !== "CronJob").length));
      });
    }

    describe.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
      const expected = sorted(fixture.violations);

      it("reference evaluator", async () => {
        expect(sorted(await engine("reference", rule.id, fixture))).toEqual(expected);
      });
      const celEngines = (["kyverno", "kyverno-clusterpolicy", "vap", "gatekeeper-cel"] as const).filter((name) => engineApplies(name, rule));
      it.each(celEngines)("%s CEL", async (name) => {
        expect(sorted(await engine(name, rule.id, fixture))).toEqual(expected);
      });
      it("gatekeeper Rego as WebAssembly", async () => {
        expect(sorted(await engine("gatekeeper-rego", rule.id, fixture))).toEqual(expected);
      });
      // With an `opa` binary at hand (PATH or OPA_BIN), the same Rego built by `opa build -t wasm`
      // must give the same answers: any difference between the two compilers fails here.
      it.runIf(OPA !== undefined)("gatekeeper Rego as WebAssembly built by opa", async () => {
        expect(sorted(await opaEngine("gatekeeper-rego", rule.id, fixture))).toEqual(expected);
      });
    });
  });
}
