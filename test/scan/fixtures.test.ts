// Scanning every built-in rule's fixture objects gives, object by object, exactly the messages each
// fixture expects, with both engines (the Gatekeeper pack and the reference evaluator). Fixtures
// carry their own parameters: the fixtures are scanned in rounds, each round with a config that
// enables the rules and sets, per rule, one of its fixtures' parameter sets; each fixture is scanned
// in the round of its parameters. Every object is checked against every rule of its round; a
// fixture's expectation is about its own rule, so only that rule's findings are compared. A fixture
// written in Terraform is scanned as the .tf file its HCL makes, so the scan reads and maps it itself.
// A scan sees objects, not requests: the UPDATE and DELETE fixtures are `policypack test`'s alone. A
// fixture of an earlier Pod Security Standards version is scanned with that version's defaults.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Fixture, fixtureDir, loadFixtures } from "../../src/catalog/fixtures.ts";
import { loadRules } from "../../src/catalog/rules.ts";
import { runCli } from "../../src/cli/main.ts";
import { loadConfig } from "../../src/config/load.ts";
import { defaultParams, type ParamValues, type Rule } from "../../src/model/index.ts";
import type { Finding } from "../../src/scan/types.ts";

const rules = await loadRules(loadConfig(join(import.meta.dirname, "..", "..", "policypack.config.yaml")));
const fixturesByRule = rules.map(({ rule, file }) => ({ id: rule.id, rule, fixtures: loadFixtures(fixtureDir(file)).filter((f) => f.operation === "CREATE") }));

/** The parameters a fixture is checked with, its version's defaults included. */
function parametersOf(rule: Rule, fixture: Fixture): ParamValues {
  return fixture.podSecurityVersion === "latest" ? fixture.parameters : { ...defaultParams(rule, fixture.podSecurityVersion), ...fixture.parameters };
}

interface Round {
  parameters: Record<string, ParamValues>;
  fixtures: Array<{ ruleId: string; fixture: Fixture; file: string }>;
}

/** Round i sets each rule's i-th distinct parameter set. */
function rounds(): Round[] {
  const result: Round[] = [];
  for (const { id, rule, fixtures } of fixturesByRule) {
    const sets = [...new Set(fixtures.map((f) => JSON.stringify(parametersOf(rule, f))))];
    sets.forEach((set, i) => {
      const round = (result[i] ??= { parameters: {}, fixtures: [] });
      round.parameters[id] = JSON.parse(set) as ParamValues;
      for (const fixture of fixtures.filter((f) => JSON.stringify(parametersOf(rule, f)) === set)) {
        round.fixtures.push({ ruleId: id, fixture, file: `${id}/${fixture.name}.${fixture.terraform === undefined ? "json" : "tf"}` });
      }
    });
  }
  return result;
}

const scratch = mkdtempSync(join(tmpdir(), "policypack-scan-fixtures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sorted = (messages: string[]) => [...messages].sort();

it("scans every fixture of every built-in rule once", () => {
  const scanned = rounds().flatMap((round) => round.fixtures.map(({ fixture }) => fixture.file));
  const all = fixturesByRule.flatMap(({ fixtures }) => fixtures.map((f) => f.file));
  expect(all.length).toBeGreaterThan(rules.length * 6 - 1);
  expect(sorted(scanned)).toEqual(sorted(all));
  expect(fixturesByRule.flatMap(({ fixtures }) => fixtures.filter((f) => f.terraform !== undefined)).length).toBeGreaterThanOrEqual(80);
});

describe.each(rounds().map((round, i) => [i, round] as const))("fixtures, parameter round %i", (i, round) => {
  const dir = join(scratch, `round-${i}`);
  const manifests = join(dir, "manifests");
  const config = join(dir, "config.yaml");
  for (const { file, fixture } of round.fixtures) {
    mkdirSync(join(manifests, file, ".."), { recursive: true });
    writeFileSync(join(manifests, file), fixture.terraform ?? JSON.stringify(fixture.object, null, 2));
  }
  // Every rule of the round, no namespace excluded: the fixtures state what each rule says of the object itself.
  writeFileSync(config, JSON.stringify({ profiles: [], rules: { enable: Object.keys(round.parameters) }, excludedNamespaces: [], parameters: round.parameters }));

  it.each(["pack", "reference"])("%s engine", async (engine) => {
    let stdout = "";
    let stderr = "";
    // The JUnit report too: it refuses a finding on an object whose checks the scan did not list.
    const junit = join(dir, `report-${engine}.xml`);
    const code = await runCli(["scan", "-c", config, "--engine", engine, "--format", "json", "--output", `junit=${junit}`, manifests], {
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
    });
    expect(stderr).toBe("");
    expect(code).toBeLessThan(2);
    const findings = (JSON.parse(stdout) as { findings: Finding[] }).findings;
    const actual = Object.fromEntries(
      round.fixtures.map(({ ruleId, file }) => [
        file,
        sorted(findings.filter((f) => f.ruleId === ruleId && relative(manifests, f.location.file) === file).map((f) => f.message)),
      ]),
    );
    const expected = Object.fromEntries(round.fixtures.map(({ fixture, file }) => [file, sorted(fixture.violations)]));
    expect(actual).toEqual(expected);
    expect(Object.keys(expected).length).toBe(round.fixtures.length);
    // What was read from a .tf file names the resource that creates it.
    expect(findings.filter((f) => f.location.file.endsWith(".tf") && f.terraformAddress === undefined)).toEqual([]);
  });
});
