import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { resourceName } from "../../../generators/admission.ts";
import { validateVapBinding, validateVapPolicy, vap } from "../../../generators/vap.ts";
import hostIpc from "../../../rules/host-ipc/rule.ts";
import pspHostIpc from "../../../rules/psp-host-ipc/rule.ts";
import serviceNodePort from "../../../rules/service-node-port/rule.ts";
import { type VapPolicy, vapPolicyViolations, vapSelects } from "../../../src/engines/vap.ts";
import { AWKWARD, awkwardRule, enabled, inlineFixture, testConfig } from "../generator-inputs.ts";

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");
const documents = (content: string) => parseAllDocuments(content).map((d) => d.toJS());

describe("vap generator", () => {
  test("host-ipc: policy and binding, and the kustomization (golden)", () => {
    const files = vap.generate([enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["vap/host-ipc.yaml", "vap/kustomization.yaml"]);
    expect(files[0]!.content).toBe(golden("host-ipc.yaml"));
    expect(files[1]!.content).toBe(golden("kustomization.yaml"));
  });

  test("enforcement maps to the binding's validationActions", () => {
    const actions = (enforcement: "deny" | "warn" | "audit") =>
      (documents(vap.generate([enabled(hostIpc, enforcement)], testConfig())[0]!.content)[1] as { spec: { validationActions: string[] } }).spec
        .validationActions;
    expect([actions("deny"), actions("warn"), actions("audit")]).toEqual([["Deny"], ["Warn"], ["Audit"]]);
  });

  test("no excluded namespaces: the binding matches everywhere", () => {
    const [, binding] = documents(vap.generate([enabled(hostIpc)], testConfig({ excludedNamespaces: [] }))[0]!.content) as Array<{ spec: object }>;
    expect(binding!.spec).toEqual({ policyName: "host-ipc", validationActions: ["Deny"] });
  });

  test("Pods come with pods/ephemeralcontainers, whose updates (kubectl debug) carry the whole Pod", () => {
    const [policy] = documents(vap.generate([enabled(hostIpc)], testConfig())[0]!.content) as VapPolicy[];
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { hostIPC: true, containers: [] } };
    const debug = { object: pod, oldObject: { ...pod, spec: { containers: [] } }, operation: "UPDATE" as const, subResource: "ephemeralcontainers" as const };
    expect(vapSelects(policy!, debug)).toBe(true);
    const [services] = documents(vap.generate([enabled(serviceNodePort)], testConfig())[0]!.content) as VapPolicy[];
    expect(vapSelects(services!, { ...debug, object: { ...pod, kind: "Service" } })).toBe(false);
  });

  test("a kinds rule: its resources, no pod variables", () => {
    const [policy] = documents(vap.generate([enabled(serviceNodePort)], testConfig())[0]!.content) as Array<{ spec: Record<string, unknown> }>;
    expect(policy!.spec.matchConstraints).toEqual({
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"] }],
    });
    expect(policy!.spec.variables).toBeUndefined();
  });

  test("a PodSecurityPolicy rule gets no policy: Kubernetes 1.25 removed the kind, VAP v1 needs 1.30", () => {
    const files = vap.generate([enabled(pspHostIpc), enabled(hostIpc)], testConfig());
    expect(files.map((f) => f.path)).toEqual(["vap/host-ipc.yaml", "vap/kustomization.yaml"]);
  });

  test("resource names", () => {
    expect(["Pod", "NetworkPolicy", "Ingress", "Gateway", "ReplicaSet"].map(resourceName)).toEqual([
      "pods",
      "networkpolicies",
      "ingresses",
      "gateways",
      "replicasets",
    ]);
  });

  test("awkward text survives YAML and CEL; the static message loses only its line break", () => {
    const [file] = vap.generate([enabled(awkwardRule)], testConfig());
    const docs = documents(file!.content);
    const policy = docs[0] as { spec: { validations: Array<{ message: string }> } };
    expect(policy.spec.validations[0]!.message).toBe(`Title ${AWKWARD}`.replace("\n", " "));
    const fixture = inlineFixture(
      { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cj", namespace: "x" }, spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true } } } } } },
      "UPDATE",
    );
    expect(vapPolicyViolations(docs, fixture, file!.path)).toEqual([`cj ${AWKWARD}`]);
    expect(vapPolicyViolations(docs, { ...fixture, object: { ...fixture.object, metadata: { name: "cj", namespace: "kube-system" } } }, file!.path)).toEqual([]);
  });

  test("the schemas reject what the API server would", () => {
    const [policy, binding] = documents(vap.generate([enabled(hostIpc)], testConfig())[0]!.content) as Array<Record<string, any>>;
    policy!.spec.validations[0].message = "two\nlines";
    expect(() => validateVapPolicy(policy, "v.yaml")).toThrow("v.yaml: spec.validations.0.message");
    binding!.spec.validationActions = ["Deny", "Deny"];
    expect(() => validateVapBinding(binding, "v.yaml")).toThrow("v.yaml: spec.validationActions");
  });
});
