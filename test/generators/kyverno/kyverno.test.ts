import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kyverno, validateKyvernoPolicy } from "../../../generators/kyverno.ts";
import hostIpc from "../../../rules/host-ipc/rule.ts";
import pspHostIpc from "../../../rules/psp-host-ipc/rule.ts";
import { kyvernoPolicyViolations } from "../../../src/engines/kyverno.ts";
import { AWKWARD, awkwardRule, enabled, testConfig } from "../generator-inputs.ts";

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");

describe("kyverno generator", () => {
  test("host-ipc: the whole ClusterPolicy and the kustomization (golden)", () => {
    const files = kyverno.generate([enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["kyverno/host-ipc.yaml", "kyverno/kustomization.yaml"]);
    expect(files[0]!.content).toBe(golden("host-ipc.yaml"));
    expect(files[1]!.content).toBe(golden("kustomization.yaml"));
  });

  test("enforcement maps to validationFailureAction", () => {
    const action = (enforcement: "deny" | "warn" | "audit") =>
      parse(kyverno.generate([enabled(hostIpc, enforcement)], testConfig())[0]!.content).spec.validationFailureAction;
    expect([action("deny"), action("warn"), action("audit")]).toEqual(["Enforce", "Audit", "Audit"]);
  });

  test("no excluded namespaces: no exclude block", () => {
    const policy = parse(kyverno.generate([enabled(hostIpc)], testConfig({ excludedNamespaces: [] }))[0]!.content);
    expect(policy.spec.rules.map((r: { exclude?: unknown }) => r.exclude)).toEqual([undefined, undefined, undefined]);
  });

  test("a kinds rule: one rule matching its kinds, reading the object", () => {
    const policy = parse(kyverno.generate([enabled(pspHostIpc)], testConfig())[0]!.content);
    expect(policy.metadata.annotations["policies.kyverno.io/subject"]).toBe("PodSecurityPolicy");
    expect(policy.spec.rules).toHaveLength(1);
    expect(policy.spec.rules[0].name).toBe("validate");
    expect(policy.spec.rules[0].match).toEqual({ any: [{ resources: { kinds: ["policy/v1beta1/PodSecurityPolicy"] } }] });
    expect(policy.spec.rules[0].validate.cel.expressions[0].expression).toBe(
      "!(object.?spec.?hostIPC.hasValue() && object.?spec.?hostIPC.value() == true)",
    );
  });

  test("awkward text survives YAML and CEL intact", () => {
    const [file] = kyverno.generate([enabled(awkwardRule)], testConfig());
    const policy = parse(file!.content);
    expect(policy.metadata.annotations["policies.kyverno.io/title"]).toBe(`Title ${AWKWARD}`);
    expect(policy.metadata.annotations["policies.kyverno.io/description"]).toBe(`Description ${AWKWARD}`);
    expect(policy.metadata.annotations["policies.kyverno.io/category"]).toBe("Test: {{x}}");
    const fixture = {
      file: "inline",
      name: "inline",
      description: "",
      verdict: "violation" as const,
      violations: [],
      parameters: {},
      operation: "CREATE" as const,
      object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "x" }, spec: { template: { spec: { hostIPC: true } } } },
    };
    expect(kyvernoPolicyViolations(parseAllDocuments(file!.content).map((d) => d.toJS()), fixture, file!.path)).toEqual([`d ${AWKWARD}`]);
  });

  test("the schema rejects fields Kyverno does not have", () => {
    const validate = validateKyvernoPolicy;
    const policy = parse(kyverno.generate([enabled(hostIpc)], testConfig())[0]!.content);
    expect(() => validate(policy, "p.yaml")).not.toThrow();
    policy.spec.rules[0].validate.cel.expressions[0].messageExpresion = "typo";
    expect(() => validate(policy, "p.yaml")).toThrow('p.yaml: spec.rules.0.validate.cel.expressions.0: unknown field "messageExpresion"');
  });
});
