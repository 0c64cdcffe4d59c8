import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kyvernoClusterPolicy, validateKyvernoClusterPolicy } from "../../../generators/kyverno-clusterpolicy.ts";
import hostIpc from "../../../rules/host-ipc/rule.ts";
import pspHostIpc from "../../../rules/psp-host-ipc/rule.ts";
import { kyvernoClusterPolicyViolations } from "../../../src/engines/kyverno.ts";
import { enabled, inlineFixture, testConfig } from "../generator-inputs.ts";

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");

describe("kyverno-clusterpolicy generator", () => {
  test("host-ipc: the whole ClusterPolicy (golden)", () => {
    const files = kyvernoClusterPolicy.generate([enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["kyverno-clusterpolicy/host-ipc.yaml", "kyverno-clusterpolicy/kustomization.yaml"]);
    expect(files[0]!.content).toBe(golden("host-ipc.yaml"));
  });

  test("enforcement maps to each rule's failureAction; the deprecated spec-level field is gone", () => {
    const policy = (enforcement: "deny" | "warn" | "audit") => parse(kyvernoClusterPolicy.generate([enabled(hostIpc, enforcement)], testConfig())[0]!.content);
    const actions = (enforcement: "deny" | "warn" | "audit") => policy(enforcement).spec.rules.map((r: { validate: { failureAction: string } }) => r.validate.failureAction);
    expect([actions("deny"), actions("warn"), actions("audit")]).toEqual([
      ["Enforce", "Enforce", "Enforce"],
      ["Audit", "Audit", "Audit"],
      ["Audit", "Audit", "Audit"],
    ]);
    expect(policy("deny").spec).toEqual({ background: true, rules: expect.any(Array) });
  });

  test("rules match CREATE and UPDATE: deleting an object is never checked, nor a Pod update Pod Security Admission exempts", () => {
    const documents = parseAllDocuments(kyvernoClusterPolicy.generate([enabled(hostIpc)], testConfig())[0]!.content).map((d) => d.toJS());
    const object = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a" }, spec: { hostIPC: true } };
    const labelled = { ...object, metadata: { ...object.metadata, labels: { team: "a" } } };
    const message = "Pod p shares the host IPC namespace (spec.hostIPC is true)";
    expect(kyvernoClusterPolicyViolations(documents, inlineFixture(object, "CREATE"), "p")).toEqual([message]);
    expect(kyvernoClusterPolicyViolations(documents, inlineFixture(object, "UPDATE", { ...object, spec: { hostIPC: false } }), "p")).toEqual([message]);
    expect(kyvernoClusterPolicyViolations(documents, inlineFixture(labelled, "UPDATE", object), "p")).toEqual([]);
    expect(kyvernoClusterPolicyViolations(documents, inlineFixture(object, "DELETE"), "p")).toEqual([]);
  });

  test("a PodSecurityPolicy rule keeps its ClusterPolicy, for clusters old enough to serve the kind", () => {
    const policy = parse(kyvernoClusterPolicy.generate([enabled(pspHostIpc)], testConfig())[0]!.content);
    expect(policy.metadata.annotations["policies.kyverno.io/subject"]).toBe("PodSecurityPolicy");
    expect(policy.spec.rules).toHaveLength(1);
    expect(policy.spec.rules[0].match).toEqual({ any: [{ resources: { kinds: ["policy/v1beta1/PodSecurityPolicy"], operations: ["CREATE", "UPDATE"] } }] });
  });

  test("the schema rejects fields Kyverno does not have", () => {
    const policy = parse(kyvernoClusterPolicy.generate([enabled(hostIpc)], testConfig())[0]!.content);
    expect(() => validateKyvernoClusterPolicy(policy, "p.yaml")).not.toThrow();
    policy.spec.rules[0].validate.cel.expressions[0].messageExpresion = "typo";
    expect(() => validateKyvernoClusterPolicy(policy, "p.yaml")).toThrow('p.yaml: spec.rules.0.validate.cel.expressions.0: unknown field "messageExpresion"');
    delete policy.spec.rules[0].validate.cel.expressions[0].messageExpresion;
    policy.spec.validationFailureAction = "Enforce";
    expect(() => validateKyvernoClusterPolicy(policy, "p.yaml")).toThrow('p.yaml: spec: unknown field "validationFailureAction"');
  });
});
