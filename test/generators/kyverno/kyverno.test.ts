import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kyverno, validateKyvernoValidatingPolicy } from "../../../generators/kyverno.ts";
import { resourceName } from "../../../generators/admission.ts";
import hostIpc from "../../../rules/host-ipc/rule.ts";
import pspHostIpc from "../../../rules/psp-host-ipc/rule.ts";
import serviceNodePort from "../../../rules/service-node-port/rule.ts";
import { WORKLOAD_KINDS } from "../../../src/model/index.ts";
import { kyvernoPolicyViolations } from "../../../src/engines/kyverno.ts";
import { AWKWARD, awkwardRule, enabled, inlineFixture, testConfig } from "../generator-inputs.ts";

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");

describe("kyverno generator (ValidatingPolicy)", () => {
  test("host-ipc: the whole ValidatingPolicy and the kustomization (golden)", () => {
    const files = kyverno.generate([enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["kyverno/host-ipc.yaml", "kyverno/kustomization.yaml"]);
    expect(files[0]!.content).toBe(golden("host-ipc.yaml"));
    expect(files[1]!.content).toBe(golden("kustomization.yaml"));
  });

  test("enforcement maps to validationActions", () => {
    const actions = (enforcement: "deny" | "warn" | "audit") =>
      parse(kyverno.generate([enabled(hostIpc, enforcement)], testConfig())[0]!.content).spec.validationActions;
    expect([actions("deny"), actions("warn"), actions("audit")]).toEqual([["Deny"], ["Warn"], ["Audit"]]);
  });

  test("no excluded namespaces: no namespaceSelector", () => {
    const policy = parse(kyverno.generate([enabled(hostIpc)], testConfig({ excludedNamespaces: [] }))[0]!.content);
    expect(Object.keys(policy.spec.matchConstraints)).toEqual(["resourceRules"]);
  });

  test("every pod controller gets the expressions, through the kind-selecting variables, and autogen is off", () => {
    const [file] = kyverno.generate([enabled(hostIpc)], testConfig());
    const documents = parseAllDocuments(file!.content).map((d) => d.toJS());
    const policy = documents[0];
    expect(policy.spec.autogen).toEqual({ podControllers: { controllers: [] } });
    const matched = policy.spec.matchConstraints.resourceRules.flatMap((r: { resources: string[] }) => r.resources);
    const pod = (hostIPC: boolean) => ({ hostIPC, containers: [{ name: "c", image: "i" }] });
    for (const { kind, group, version, podPath } of WORKLOAD_KINDS) {
      expect(matched).toContain(resourceName(kind));
      // The pod spec placed where this kind keeps it: spec, spec.template.spec, spec.jobTemplate.spec.template.spec.
      const at = (hostIPC: boolean) => [...podPath, "spec"].reduceRight<unknown>((inner, key) => ({ [key]: inner }), pod(hostIPC));
      const object = (hostIPC: boolean) => ({ apiVersion: group === "" ? version : `${group}/${version}`, kind, metadata: { name: "w", namespace: "a" }, ...(at(hostIPC) as object) });
      expect(kyvernoPolicyViolations(documents, inlineFixture(object(true)), kind), kind).toEqual([`${kind} w shares the host IPC namespace (spec.hostIPC is true)`]);
      expect(kyvernoPolicyViolations(documents, inlineFixture(object(false)), kind), kind).toEqual([]);
    }
  });

  test("a kinds rule: its kinds, reading the object, no autogen", () => {
    const policy = parse(kyverno.generate([enabled(serviceNodePort)], testConfig())[0]!.content);
    expect(policy.metadata.annotations["policies.kyverno.io/subject"]).toBe("Service");
    expect(policy.spec.autogen).toBeUndefined();
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"] }]);
    expect(JSON.stringify(policy.spec.validations)).not.toContain("variables.pod");
  });

  test("a PodSecurityPolicy rule gets no ValidatingPolicy: no served API has the kind", () => {
    const files = kyverno.generate([enabled(pspHostIpc), enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["kyverno/host-ipc.yaml", "kyverno/kustomization.yaml"]);
    expect(parse(files[1]!.content).resources).toEqual(["host-ipc.yaml"]);
  });

  test("awkward text survives YAML and CEL intact", () => {
    const [file] = kyverno.generate([enabled(awkwardRule)], testConfig());
    const policy = parse(file!.content);
    expect(policy.metadata.annotations["policies.kyverno.io/title"]).toBe(`Title ${AWKWARD}`);
    expect(policy.metadata.annotations["policies.kyverno.io/description"]).toBe(`Description ${AWKWARD}`);
    expect(policy.metadata.annotations["policies.kyverno.io/category"]).toBe("Test: {{x}}");
    const object = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "x" }, spec: { template: { spec: { hostIPC: true } } } };
    expect(kyvernoPolicyViolations(parseAllDocuments(file!.content).map((d) => d.toJS()), inlineFixture(object), file!.path)).toEqual([`d ${AWKWARD}`]);
  });

  test("the schema rejects fields the CRD does not have, and Deny with Warn", () => {
    const validate = validateKyvernoValidatingPolicy;
    const policy = parse(kyverno.generate([enabled(hostIpc)], testConfig())[0]!.content);
    expect(() => validate(policy, "p.yaml")).not.toThrow();
    policy.spec.validations[0].messageExpresion = "typo";
    expect(() => validate(policy, "p.yaml")).toThrow('p.yaml: spec.validations.0: unknown field "messageExpresion"');
    delete policy.spec.validations[0].messageExpresion;
    policy.spec.evaluation.background.enabeld = true;
    expect(() => validate(policy, "p.yaml")).toThrow('p.yaml: spec.evaluation.background: unknown field "enabeld"');
    delete policy.spec.evaluation.background.enabeld;
    policy.spec.validationActions = ["Deny", "Warn"];
    expect(() => validate(policy, "p.yaml")).toThrow("p.yaml: spec.validationActions");
  });
});
