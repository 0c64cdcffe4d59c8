// A fixture that cannot be read fails with one line naming the file and, where there is one,
// the position or the field.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFixture, loadFixtures } from "../../src/catalog/fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "policypack-fixture-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixtureFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const OBJECT = "object:\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n";

describe("loadFixture", () => {
  it("reads a fixture", () => {
    const file = fixtureFile("ok.yaml", `description: fine\nexpect:\n  verdict: violation\n  violations: ["Pod p: x"]\nparameters: {a: [1]}\n${OBJECT}`);
    expect(loadFixture(file)).toEqual({
      file,
      name: "ok",
      description: "fine",
      verdict: "violation",
      violations: ["Pod p: x"],
      parameters: { a: [1] },
      operation: "CREATE",
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } },
    });
  });

  it.each([
    ["bad-yaml.yaml", "description: x\nexpect: [unclosed\n", /bad-yaml\.yaml:3:1: not valid YAML: /],
    ["no-object.yaml", "description: x\nexpect: {verdict: compliant, violations: []}\n", /no-object\.yaml: \(top level\): missing field "object" \(or "terraform"\)$/],
    ["message-map.yaml", `description: x\nexpect:\n  verdict: violation\n  violations:\n    - Pod p: refused\n${OBJECT}`, /message-map\.yaml: expect\.violations\.0: must be string$/],
    ["bad-verdict.yaml", `description: x\nexpect: {verdict: maybe, violations: []}\n${OBJECT}`, /bad-verdict\.yaml: expect\.verdict: must be one of "violation", "compliant"$/],
    ["disagree.yaml", `description: x\nexpect: {verdict: compliant, violations: [boom]}\n${OBJECT}`, /disagree\.yaml: expect: verdict "compliant" disagrees with 1 expected violation\(s\)$/],
    ["extra.yaml", `description: x\nexpect: {verdict: compliant, violations: []}\nparams: {}\n${OBJECT}`, /extra\.yaml: \(top level\): unknown field "params"$/],
  ])("%s fails with one clear line", (name, text, message) => {
    const file = fixtureFile(name, text);
    expect(() => loadFixture(file)).toThrow(message);
  });

  it("finds no fixtures in a folder that does not exist", () => {
    expect(loadFixtures(join(dir, "missing"))).toEqual([]);
  });
});
