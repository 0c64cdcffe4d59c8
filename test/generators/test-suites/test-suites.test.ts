// The peer-native suites in out/tests/: valid against their schemas, every path they name exists,
// and every assertion holds when the policies they name run in the CEL engine (gator's CEL
// reports one violation per failing check, its element messages joined, for the object it
// creates or the AdmissionReview's request; Kyverno's results are pass, fail, or skip when a
// ValidatingPolicy's matchConditions leave the request out, per resource and operation).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { MESSAGE_SEPARATOR } from "../../../src/model/messages.ts";
import { schemaCheck } from "../../../src/schemas.ts";
import admissionReviewValidator from "../../../src/schema-validators/admission-review.ts";
import gatorSuiteValidator from "../../../src/schema-validators/gator-suite.ts";
import kyvernoTestValidator from "../../../src/schema-validators/kyverno-test.ts";
import { type CelProgram, celBindings, matchConditionsHold, runCelProgram, toCel } from "../../../src/engines/cel.ts";
import { kyvernoClusterPolicyViolations, kyvernoPolicyViolations } from "../../../src/engines/kyverno.ts";
import { type AdmissionReview, type GroupVersionKind, groupVersionKind } from "../../../src/engines/request.ts";
import { type VapPolicy, vapSelects } from "../../../src/engines/vap.ts";
import { inlineFixture } from "../generator-inputs.ts";
import type { Json } from "../../../src/model/index.ts";

const OUT = fileURLToPath(new URL("../../../out/", import.meta.url));
const TESTS = join(OUT, "tests");
const validateSuite = schemaCheck(gatorSuiteValidator);
const validateKyvernoTest = schemaCheck(kyvernoTestValidator);
const validateAdmissionReview = schemaCheck(admissionReviewValidator);

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

/** What a gator case's object file asks: the creation of the object, or the AdmissionReview's request (validated). */
function gatorRequest(document: Record<string, Json>, path: string): { review: AdmissionReview; kind: GroupVersionKind } {
  if (document.kind !== "AdmissionReview") return { review: { object: document, operation: "CREATE" }, kind: groupVersionKind(document) };
  validateAdmissionReview(document, path);
  const request = document.request as unknown as Pick<AdmissionReview, "operation" | "oldObject" | "subResource"> & { kind: GroupVersionKind; object?: AdmissionReview["object"] };
  const review: AdmissionReview =
    request.operation === "DELETE"
      ? { object: request.oldObject!, operation: "DELETE" }
      : {
          object: request.object!,
          operation: request.operation,
          ...(request.oldObject ? { oldObject: request.oldObject } : {}),
          ...(request.subResource ? { subResource: request.subResource } : {}),
        };
  return { review, kind: request.kind };
}

/** Gatekeeper's CEL on a request, where the Constraint (on the request's kind) and the matchConditions select it: one message per failing validation, its elements joined. */
function gatorViolations(template: any, constraint: any, { review, kind }: ReturnType<typeof gatorRequest>): string[] {
  const source = template.spec.targets[0].code.find((c: { engine: string }) => c.engine === "K8sNativeValidation").source;
  const kinds: Array<{ apiGroups: string[]; kinds: string[] }> = constraint.spec.match.kinds;
  if (!kinds.some((k) => k.apiGroups.includes(kind.group) && k.kinds.includes(kind.kind))) return [];
  const bindings = celBindings(review);
  if (!matchConditionsHold(source.matchConditions ?? [], bindings)) return [];
  const preset = { params: constraint.spec.parameters ? toCel(constraint.spec.parameters) : null, anyObject: bindings.object ?? bindings.oldObject };
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
        const objectPath = existing(suitePath, c.object);
        const [object] = docs(objectPath);
        const messages = gatorViolations(template, constraint, gatorRequest(object, objectPath));
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
        // Kyverno sends an UPDATE's resource as its own oldObject.
        const fixture = inlineFixture(resource!, result.operation ?? "CREATE");
        const violations = result.isValidatingPolicy ? kyvernoPolicyViolations(policy, fixture, testPath) : kyvernoClusterPolicyViolations(policy, fixture, testPath);
        const [validatingPolicy] = policy as [VapPolicy];
        const skipped =
          result.isValidatingPolicy && vapSelects(validatingPolicy, fixture) && !matchConditionsHold(validatingPolicy.spec.matchConditions ?? [], celBindings(fixture), testPath);
        expect(skipped ? "skip" : violations.length > 0 ? "fail" : "pass", `${name}: ${JSON.stringify(violations)}`).toBe(result.result);
      }
    }
  });
});

describe("UPDATE and DELETE fixtures", () => {
  const caseOf = (rule: string, name: string) => {
    const [suite] = docs(join(TESTS, "gator", rule, "suite.yaml"));
    return suite.tests.flatMap((t: { cases: any[] }) => t.cases).find((c: { name: string }) => c.name === name);
  };
  const resultsFor = (form: string, rule: string, name: string) => {
    const [kyvernoTest] = docs(join(TESTS, form, rule, "kyverno-test.yaml"));
    return kyvernoTest.results
      .filter((r: { resources: string[] }) => r.resources.includes(name))
      .map((r: { operation?: string; result: string }) => ({ operation: r.operation, result: r.result }));
  };

  test("are gator cases whose object is the AdmissionReview of the request", () => {
    expect(caseOf("privileged-containers", "update-pod-label-only").assertions).toEqual([{ violations: 0 }]);
    expect(caseOf("privileged-containers", "update-pod-image").assertions[0]).toEqual({ violations: 1 });
    expect(caseOf("privileged-containers", "delete-pod-privileged").assertions).toEqual([{ violations: 0 }]);
    const [review] = docs(join(TESTS, "gator", "privileged-containers", "objects", "update-pod-image.yaml"));
    expect(review.request).toMatchObject({
      kind: { group: "", version: "v1", kind: "Pod" },
      resource: { group: "", version: "v1", resource: "pods" },
      name: "debug",
      namespace: "default",
      operation: "UPDATE",
    });
    expect([review.request.oldObject.spec.containers[0].image, review.request.object.spec.containers[0].image]).toEqual([
      "registry.example.com/app:1.4.2",
      "registry.example.com/app:1.5.0",
    ]);
    const [deletion] = docs(join(TESTS, "gator", "privileged-containers", "objects", "delete-pod-privileged.yaml"));
    expect([deletion.request.operation, "object" in deletion.request, deletion.request.oldObject.metadata.name]).toEqual(["DELETE", false, "debug"]);
  });

  test("are Kyverno results where Kyverno's UPDATE (the resource as its own oldObject) is the fixture's request", () => {
    // No oldObject: an update changing nothing, exempt; the ValidatingPolicy's matchConditions skip it.
    expect(resultsFor("kyverno", "privileged-containers", "update-pod-unchanged")).toEqual([{ operation: "UPDATE", result: "skip" }]);
    expect(resultsFor("kyverno-clusterpolicy", "privileged-containers", "update-pod-unchanged")).toEqual([{ operation: "UPDATE", result: "pass" }]);
    // A Deployment's update is checked whatever it was before.
    expect(resultsFor("kyverno", "privileged-containers", "update-deployment-label-only")).toEqual([{ operation: "UPDATE", result: "fail" }]);
    // A Pod's update from another oldObject, and a DELETE, have no Kyverno result.
    for (const name of ["update-pod-image", "update-pod-label-only", "delete-pod-privileged"]) {
      expect(resultsFor("kyverno", "privileged-containers", name)).toEqual([]);
    }
  });
});
