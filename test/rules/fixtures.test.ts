// Every rule against every one of its fixtures, in every engine. The fixture states the exact
// violation messages; each engine must produce them (as a multiset: order carries no meaning).

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../../src/fixtures/load.ts";
import { defaultParams, type Rule } from "../../src/model/index.ts";
import { evaluate } from "../../src/lower/reference/evaluate.ts";

const ruleIds = readdirSync(new URL("../../rules/", import.meta.url)).sort();
const rules: Rule[] = await Promise.all(
  ruleIds.map(async (id) => (await import(`../../rules/${id}/rule.ts`)).default as Rule),
);

const sorted = (messages: string[]) => [...messages].sort();

for (const rule of rules) {
  const fixtures = loadFixtures(new URL(`../fixtures/${rule.id}/`, import.meta.url).pathname);

  describe(rule.id, () => {
    it("has at least 3 violating and 3 compliant fixtures", () => {
      expect(fixtures.filter((f) => f.verdict === "violation").length).toBeGreaterThanOrEqual(3);
      expect(fixtures.filter((f) => f.verdict === "compliant").length).toBeGreaterThanOrEqual(3);
    });

    if (rule.match.type === "workloads") {
      it("has fixtures for a Pod, a Deployment and a CronJob", () => {
        const kinds = new Set(fixtures.map((f) => f.object.kind));
        expect([...kinds]).toEqual(expect.arrayContaining(["Pod", "Deployment", "CronJob"]));
      });
    }

    describe.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
      const params = { ...defaultParams(rule), ...fixture.parameters };

      it("reference evaluator", () => {
        const messages = evaluate(rule, fixture.object, params).map((v) => v.message);
        expect(sorted(messages)).toEqual(sorted(fixture.violations));
      });
    });
  });
}
