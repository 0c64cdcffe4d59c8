// The peer-native suites in out/tests/: valid against their schemas, every path they name exists,
// and every assertion holds when the policies they name run in the CEL engine (gator's CEL
// reports one violation per failing check, its element messages joined; Kyverno's results are
// pass or fail per resource).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { MESSAGE_SEPARATOR } from "../../../src/model/messages.ts";
import { schemaCheck } from "../../../src/schemas.ts";
import gatorSuiteValidator from "../../../src/schema-validators/gator-suite.ts";
import kyvernoTestValidator from "../../../src/schema-validators/kyverno-test.ts";
import { type CelProgram, celBindings, matchConditionsHold, runCelProgram, toCel } from "../../../src/engines/cel.ts";
import { kyvernoClusterPolicyViolations, kyvernoPolicyViolations } from "../../../src/engines/kyverno.ts";
import { inlineFixture } from "../generator-inputs.ts";
import type { Json } from "../../../src/model/index.ts";

const OUT = fileURLToPath(new URL("../../../out/", import.meta.url));
const TESTS = join(OUT, "tests");
const validateSuite = schemaCheck(gatorSuiteValidator);
const validateKyvernoTest = schemaCheck(kyvernoTestValidator);

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesNamed(path, name) : entry === name ? [path] : [];
  });
}
const docs = (path: string): any[] => parseAllDocuments(readFileSync(path, "utf8")).map((d) => d.toJS());
const existing = (from: string, path: string) => {
  const target = join(dirname(from), path);
  expect(existsSync(target), `${relative(OUT, from)} names ${path}`).toBe(true);
  return target;
};

interface Assertion {
  violations: number;
  message?: string;
}

/** Gatekeeper's CEL on an object, where the Constraint and the matchConditions select it: one message per failing validation, its elements joined. */
function gatorViolations(template: any, constraint: any, object: Record<string, Json>): string[] {
  const source = template.spec.targets[0].code.find((c: { engine: string }) => c.engine === "K8sNativeValidation").source;
  const kinds: Array<{ apiGroups: string[]; kinds: string[] }> = constraint.spec.match.kinds;
  const group = String(object.apiVersion).includes("/") ? String(object.apiVersion).split("/")[0] : "";
  if (!kinds.some((k) => k.apiGroups.includes(group!) && k.kinds.includes(String(object.kind)))) return [];
  // gator creates every case's object.
  const bindings = celBindings({ object, operation: "CREATE" });
  if (!matchConditionsHold(source.matchConditions ?? [], bindings)) return [];
  const preset = { params: constraint.spec.parameters ? toCel(constraint.spec.parameters) : null, anyObject: bindings.object };
  return (source.validations as CelProgram["validations"])
    .map((v) => runCelProgram({ variables: source.variables ?? [], validations: [v] }, bindings, preset).join(MESSAGE_SEPARATOR))
    .filter((m) => m !== "");
}

describe("gator suites", () => {
  const suites = filesNamed(join(TESTS, "gator"), "suite.yaml");

  test("one per rule with fixtures in out/", () => {
    expect(suites.map((s) => relative(join(TESTS, "gator"), dirname(s))).sort()).toEqual(
      readdirSync(join(OUT, "gatekeeper", "constraints")).filter((f) => f !== "kustomization.yaml").map((f) => f.replace(/\.yaml$/, "")).sort(),
    );
  });

  test.each(suites.map((s) => [relative(OUT, s), s]))("%s: valid, and every assertion holds in Gatekeeper's CEL", (_name, suitePath) => {
    const [suite] = docs(suitePath);
    validateSuite(suite, suitePath);
    let assertions = 0;
    for (const t of suite.tests) {
      const [template] = docs(existing(suitePath, t.template));
      const [constraint] = docs(existing(suitePath, t.constraint));
      for (const c of t.cases) {
        const [object] = docs(existing(suitePath, c.object));
        const messages = gatorViolations(template, constraint, object);
        for (const a of c.assertions as Assertion[]) {
          const matching = a.message === undefined ? messages : messages.filter((m) => new RegExp(a.message!, "u").test(m));
          expect(matching.length, `${c.name}: ${JSON.stringify(a)} over ${JSON.stringify(messages)}`).toBe(a.violations);
          assertions++;
        }
      }
    }
    expect(assertions).toBeGreaterThan(0);
  });
});

describe("Kyverno CLI tests", () => {
  const tests = [...filesNamed(join(TESTS, "kyverno"), "kyverno-test.yaml"), ...filesNamed(join(TESTS, "kyverno-clusterpolicy"), "kyverno-test.yaml")];

  test("one per rule and Kyverno policy form, the PodSecurityPolicy rules only as ClusterPolicy", () => {
    const rules = (form: string) => readdirSync(join(TESTS, form)).sort();
    expect(rules("kyverno")).toEqual(readdirSync(join(OUT, "kyverno")).filter((f) => f !== "kustomization.yaml").map((f) => f.replace(/\.yaml$/, "")).sort());
    expect(rules("kyverno-clusterpolicy")).toContain("psp-host-ipc");
    expect(rules("kyverno")).not.toContain("psp-host-ipc");
  });

  test.each(tests.map((t) => [relative(OUT, t), t]))("%s: valid, and every result holds in the CEL engine", (_name, testPath) => {
    const [kyvernoTest] = docs(testPath);
    validateKyvernoTest(kyvernoTest, testPath);
    const policy = docs(existing(testPath, kyvernoTest.policies[0]));
    const resources = kyvernoTest.resources.flatMap((r: string) => docs(existing(testPath, r))) as Array<Record<string, Json>>;
    for (const result of kyvernoTest.results) {
      for (const name of result.resources as string[]) {
        const resource = resources.find((r) => (r.metadata as { name: string }).name === name && r.kind === result.kind);
        expect(resource, `${name} in resources`).toBeDefined();
        const fixture = inlineFixture(resource!);
        const violations = result.isValidatingPolicy ? kyvernoPolicyViolations(policy, fixture, testPath) : kyvernoClusterPolicyViolations(policy, fixture, testPath);
        expect(violations.length > 0 ? "fail" : "pass", `${name}: ${JSON.stringify(violations)}`).toBe(result.result);
      }
    }
  });
});
