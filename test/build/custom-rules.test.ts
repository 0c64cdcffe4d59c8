// The worked custom-rule example: examples/policypack.config.yaml loads examples/custom-rules/
// and builds every engine's files for require-team-label. Its fixtures (beside it, in
// require-team-label/fixtures/) run through every engine with the built-in rules' (test/rules/).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { parseAllDocuments } from "yaml";
import { build } from "../../src/generate/build.ts";
import { GENERATORS } from "../../generators/index.ts";

const CONFIG = "examples/policypack.config.yaml";
const outDir = join(tempDir("custom"), "out");
const result = await build({ configFile: CONFIG, outDir, check: false });
const custom = result.enabled.find((e) => e.rule.id === "require-team-label")!;

function documents(path: string): Array<Record<string, any>> {
  const docs = parseAllDocuments(readFileSync(join(outDir, path), "utf8"));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((doc) => doc.toJS());
}

describe("examples/custom-rules", () => {
  it("is enabled through its custom profile, with the config's parameter and enforcement", () => {
    expect(custom.file).toBe("examples/custom-rules/require-team-label/rule.ts");
    expect(custom.params).toEqual({ labelKey: "example.com/team" });
    expect(custom.enforcement).toBe("warn");
    expect(result.enabled.some((e) => e.rule.id === "host-ipc")).toBe(true);
  });

  it("builds a file for every engine", () => {
    expect(GENERATORS.map((g) => g.name).sort()).toEqual(["gatekeeper", "kyverno", "kyverno-clusterpolicy", "tests", "vap"]);
  });

  it("builds a Gatekeeper ConstraintTemplate and its Constraint", () => {
    const [template] = documents("gatekeeper/templates/require-team-label.yaml");
    expect(template).toMatchObject({ apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate" });
    const kind = template!.spec.crd.spec.names.kind;
    expect(template!.metadata.name).toBe(kind.toLowerCase());
    expect(template!.spec.crd.spec.validation.openAPIV3Schema.properties.labelKey.type).toBe("string");
    const engines = template!.spec.targets[0].code.map((c: { engine: string }) => c.engine);
    expect(engines).toEqual(["K8sNativeValidation", "Rego"]);

    const [constraint] = documents("gatekeeper/constraints/require-team-label.yaml");
    expect(constraint).toEqual({
      apiVersion: "constraints.gatekeeper.sh/v1beta1",
      kind,
      metadata: { name: "require-team-label" },
      spec: {
        enforcementAction: "warn",
        match: { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment"] }], excludedNamespaces: ["kube-system", "monitoring"] },
        parameters: { labelKey: "example.com/team" },
      },
    });
    expect(documents("gatekeeper/templates/kustomization.yaml")[0]!.resources).toContain("require-team-label.yaml");
    expect(documents("gatekeeper/constraints/kustomization.yaml")[0]!.resources).toContain("require-team-label.yaml");
  });

  it("builds a Kyverno ValidatingPolicy", () => {
    const [policy] = documents("kyverno/require-team-label.yaml");
    expect(policy).toMatchObject({ apiVersion: "policies.kyverno.io/v1", kind: "ValidatingPolicy", metadata: { name: "require-team-label" } });
    expect(policy!.spec.validationActions).toEqual(["Warn"]);
    expect(policy!.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"] },
    ]);
    expect(policy!.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(["kube-system", "monitoring"]);
    expect(JSON.stringify(policy)).toContain("example.com/team");
    expect(documents("kyverno/kustomization.yaml")[0]!.resources).toContain("require-team-label.yaml");
  });

  it("builds a Kyverno ClusterPolicy", () => {
    const [policy] = documents("kyverno-clusterpolicy/require-team-label.yaml");
    expect(policy).toMatchObject({ apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "require-team-label" } });
    expect(policy!.spec.rules[0].validate.failureAction).toBe("Audit");
    expect(policy!.spec.rules[0].match.any[0].resources).toEqual({ kinds: ["apps/v1/Deployment"], operations: ["CREATE", "UPDATE"] });
    expect(policy!.spec.rules[0].exclude.any[0].resources.namespaces).toEqual(["kube-system", "monitoring"]);
    expect(documents("kyverno-clusterpolicy/kustomization.yaml")[0]!.resources).toContain("require-team-label.yaml");
  });

  it("builds a ValidatingAdmissionPolicy and its binding", () => {
    const [policy, binding] = documents("vap/require-team-label.yaml");
    expect(policy).toMatchObject({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "require-team-label" } });
    expect(policy!.spec.matchConstraints.resourceRules).toEqual([
      expect.objectContaining({ apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments"] }),
    ]);
    expect(binding).toMatchObject({ kind: "ValidatingAdmissionPolicyBinding", spec: { policyName: "require-team-label", validationActions: ["Warn"] } });
    expect(JSON.stringify(policy)).toContain("example.com/team");
    expect(documents("vap/kustomization.yaml")[0]!.resources).toContain("require-team-label.yaml");
  });
});
