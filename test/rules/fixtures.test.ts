// Every rule (built-in, and the worked example's custom rule) against every one of its fixtures,
// in every engine: the reference evaluator, the Kyverno (ValidatingPolicy and ClusterPolicy),
// VAP and Gatekeeper CEL, and the Gatekeeper Rego compiled to WebAssembly. Rules for kinds no
// current API server serves (PodSecurityPolicy) have no ValidatingPolicy nor VAP to run. The CEL and
// Rego come from the generated files on disk: out/ as built by `npm run build`, and for rules the
// committed configuration leaves disabled, a build of just those rules into a temporary folder.
// The fixture states the exact violation messages; each engine must produce them as a multiset.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "../../src/generate/build.ts";
import { opaAvailable } from "../../src/compiler/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/catalog/rules.ts";
import type { LoadedRule } from "../../src/config/types.ts";
import { fixtureDir, loadFixtures } from "../../src/catalog/fixtures.ts";
import { defaultParams } from "../../src/model/index.ts";
import { evaluate } from "../../src/lower/reference/evaluate.ts";
import { servedKinds } from "../../generators/admission.ts";
import { type CelEngine, celViolationsIn } from "../engines/cel.ts";
import { regoViolationsIn } from "../engines/gatekeeper-rego.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OPA = opaAvailable();
const OUT = join(REPO, "out");

// The built-in rules, and the worked example's custom rules: both get every engine's tests.
const CONFIGS = [join(REPO, "policypack.config.yaml"), join(REPO, "examples", "policypack.config.yaml")];
const loaded = new Map<string, LoadedRule>();
for (const config of CONFIGS) for (const rule of await loadRules(loadConfig(config))) loaded.set(rule.rule.id, rule);
const rules = [...loaded.values()];
const ruleById = new Map(rules.map(({ rule }) => [rule.id, rule]));
const inOut = (id: string) => existsSync(join(OUT, "gatekeeper", "constraints", `${id}.yaml`));

// Rules out/ does not carry (disabled by the committed configuration, or custom) are built,
// alone, with the same generators.
const optIn = rules.filter(({ rule }) => !inOut(rule.id));
const scratch = mkdtempSync(join(tmpdir(), "policypack-fixtures-"));
if (optIn.length > 0) {
  const configFile = join(scratch, "policypack.config.yaml");
  const ruleDirs = [...new Set(optIn.map(({ file }) => dirname(dirname(resolve(file)))).filter((dir) => dir !== resolve(BUILTIN_RULES_DIR)))];
  writeFileSync(configFile, JSON.stringify({ profiles: [], rules: { enable: optIn.map(({ rule }) => rule.id) }, excludedNamespaces: [], ruleDirs }));
  await build({ configFile, outDir: join(scratch, "out"), check: false });
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const outFor = (id: string) => (inOut(id) ? OUT : join(scratch, "out"));
const sorted = (messages: string[]) => [...messages].sort();

for (const { rule, file } of rules) {
  const fixtures = loadFixtures(fixtureDir(file));
  const cel = celViolationsIn(outFor(rule.id), ruleById);
  const rego = regoViolationsIn(outFor(rule.id));
  const opaRego = regoViolationsIn(outFor(rule.id), "opa");

  const served = servedKinds(rule).length > 0;
  const celEngines: CelEngine[] = served ? ["kyverno", "kyverno-clusterpolicy", "vap", "gatekeeper-cel"] : ["kyverno-clusterpolicy", "gatekeeper-cel"];

  describe(rule.id, () => {
    it("has at least 3 violating and 3 compliant fixtures", () => {
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

      it("reference evaluator", () => {
        const params = { ...defaultParams(rule), ...fixture.parameters };
        expect(sorted(evaluate(rule, fixture.object, params).map((v) => v.message))).toEqual(expected);
      });
      it.each(celEngines)("%s CEL", (engine) => {
        expect(sorted(cel(engine, rule.id, fixture))).toEqual(expected);
      });
      it("gatekeeper Rego as WebAssembly", async () => {
        expect(sorted(await rego(rule.id, fixture))).toEqual(expected);
      });
      // With an `opa` binary at hand (PATH or OPA_BIN), the same Rego built by `opa build -t wasm`
      // must give the same answers: any difference between the two compilers fails here.
      it.runIf(OPA !== undefined)("gatekeeper Rego as WebAssembly built by opa", async () => {
        expect(sorted(await opaRego(rule.id, fixture))).toEqual(expected);
      });
    });
  });
}
