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
      podSecurityVersion: "latest",
      operation: "CREATE",
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } },
    });
  });

  it("reads an UPDATE with the object before it, and a DELETE", () => {
    const old = "oldObject:\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: p, labels: {a: b}}\n";
    const update = fixtureFile("update.yaml", `description: u\noperation: UPDATE\nexpect: {verdict: compliant, violations: []}\n${old}${OBJECT}`);
    expect(loadFixture(update)).toMatchObject({
      operation: "UPDATE",
      oldObject: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" } } },
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } },
    });
    const deletion = fixtureFile("delete.yaml", `description: d\noperation: DELETE\nexpect: {verdict: compliant, violations: []}\n${OBJECT}`);
    expect(loadFixture(deletion)).toMatchObject({ operation: "DELETE" });
    expect(loadFixture(deletion)).not.toHaveProperty("oldObject");
    const debug = fixtureFile("debug.yaml", `description: e\noperation: UPDATE\nsubResource: ephemeralcontainers\nexpect: {verdict: compliant, violations: []}\n${OBJECT}`);
    expect(loadFixture(debug)).toMatchObject({ operation: "UPDATE", subResource: "ephemeralcontainers" });
    expect(loadFixture(update)).not.toHaveProperty("subResource");
  });

  it.each([
    ["bad-operation.yaml", `description: x\noperation: PATCH\nexpect: {verdict: compliant, violations: []}\n${OBJECT}`, /bad-operation\.yaml:2:1: operation: must be one of "CREATE", "UPDATE", "DELETE"$/],
    ["old-on-create.yaml", `description: x\nexpect: {verdict: compliant, violations: []}\noldObject: {apiVersion: v1, kind: Pod}\n${OBJECT}`, /old-on-create\.yaml:3:1: oldObject: only an UPDATE has an old object, this fixture's operation is CREATE$/],
    ["subresource-on-create.yaml", `description: x\nsubResource: ephemeralcontainers\nexpect: {verdict: compliant, violations: []}\n${OBJECT}`, /subresource-on-create\.yaml:2:1: subResource: only an UPDATE of a v1 Pod goes to pods\/ephemeralcontainers, not this fixture's CREATE of v1 Pod$/],
    ["subresource-of-deployment.yaml", `description: x\noperation: UPDATE\nsubResource: ephemeralcontainers\nexpect: {verdict: compliant, violations: []}\nobject: {apiVersion: apps/v1, kind: Deployment}\n`, /subresource-of-deployment\.yaml:3:1: subResource: only an UPDATE of a v1 Pod goes to pods\/ephemeralcontainers, not this fixture's UPDATE of apps\/v1 Deployment$/],
    ["unknown-subresource.yaml", `description: x\noperation: UPDATE\nsubResource: status\nexpect: {verdict: compliant, violations: []}\n${OBJECT}`, /unknown-subresource\.yaml:3:1: subResource: must be one of "ephemeralcontainers"$/],
    ["old-on-delete.yaml", `description: x\noperation: DELETE\nexpect: {verdict: compliant, violations: []}\noldObject: {apiVersion: v1, kind: Pod}\n${OBJECT}`, /old-on-delete\.yaml:4:1: oldObject: only an UPDATE has an old object, this fixture's operation is DELETE$/],
    ["bad-yaml.yaml", "description: x\nexpect: [unclosed\n", /bad-yaml\.yaml:3:1: not valid YAML: /],
    ["no-object.yaml", "description: x\nexpect: {verdict: compliant, violations: []}\n", /no-object\.yaml: \(top level\): missing field "object" \(or "terraform"\)$/],
    ["message-map.yaml", `description: x\nexpect:\n  verdict: violation\n  violations:\n    - Pod p: refused\n${OBJECT}`, /message-map\.yaml:5:7: expect\.violations\.0: must be string$/],
    ["bad-verdict.yaml", `description: x\nexpect: {verdict: maybe, violations: []}\n${OBJECT}`, /bad-verdict\.yaml:2:10: expect\.verdict: must be one of "violation", "compliant"$/],
    ["disagree.yaml", `description: x\nexpect: {verdict: compliant, violations: [boom]}\n${OBJECT}`, /disagree\.yaml:2:1: expect: verdict "compliant" disagrees with 1 expected violation\(s\)$/],
    ["extra.yaml", `description: x\nexpect: {verdict: compliant, violations: []}\nparams: {}\n${OBJECT}`, /extra\.yaml:3:1: \(top level\): unknown field "params"$/],
  ])("%s fails with one clear line", (name, text, message) => {
    const file = fixtureFile(name, text);
    expect(() => loadFixture(file)).toThrow(message);
  });

  it("converts a fixture written in Terraform into the object every engine checks", () => {
    const terraform = 'resource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = "p"\n  }\n  spec {\n    host_ipc = true\n  }\n}\n';
    const file = fixtureFile("tf.yaml", `description: tf\nexpect: {verdict: compliant, violations: []}\nterraform: ${JSON.stringify(terraform)}\n`);
    const fixture = loadFixture(file);
    expect(fixture.object).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { hostIPC: true, automountServiceAccountToken: true } });
    expect(fixture.terraform).toBe(terraform);
  });

  it.each([
    ["tf-syntax.yaml", 'resource "kubernetes_pod_v1" "p" {\n  spec {\n    host_ipc = \n  }\n}\n', /tf-syntax\.yaml: terraform: terraform:3:5: not valid HCL: unexpected "host_ipc ="$/],
    ["tf-two.yaml", 'resource "kubernetes_pod_v1" "a" {}\nresource "kubernetes_pod_v1" "b" {}\n', /tf-two\.yaml: terraform: holds 2 kubernetes_\* resources, not one$/],
    ["tf-unknown.yaml", 'resource "kubernetes_pod_v1" "a" {\n  spec {\n    host_ipc = var.ipc\n  }\n}\n', /tf-unknown\.yaml: terraform: terraform:3:16: kubernetes_pod_v1\.a: spec\.hostIPC is known only at apply time \(a variable \(var\.ipc\)\): no finding rests on it$/],
    ["tf-unmapped.yaml", 'resource "kubernetes_secret_v1" "a" {}\n', /tf-unmapped\.yaml: terraform: terraform:1:1: kubernetes_secret_v1\.a: kubernetes_secret_v1 is not a resource type policypack maps to a Kubernetes object: not checked$/],
  ])("%s: a Terraform fixture that does not give one known object fails with one clear line", (name, terraform, message) => {
    const file = fixtureFile(name, `description: x\nexpect: {verdict: compliant, violations: []}\nterraform: ${JSON.stringify(terraform)}\n`);
    expect(() => loadFixture(file)).toThrow(message);
  });

  it("refuses a fixture with both an object and Terraform", () => {
    const file = fixtureFile("both.yaml", `description: x\nexpect: {verdict: compliant, violations: []}\nterraform: "x"\n${OBJECT}`);
    expect(() => loadFixture(file)).toThrow(/both\.yaml: \(top level\): both "object" and "terraform": give one$/);
  });

  it("finds no fixtures in a folder that does not exist", () => {
    expect(loadFixtures(join(dir, "missing"))).toEqual([]);
  });
});
