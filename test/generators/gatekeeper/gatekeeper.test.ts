import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { constraintKind, gatekeeper } from "../../../generators/gatekeeper.ts";
import addedCapabilities from "../../../rules/added-capabilities/rule.ts";
import hostIpc from "../../../rules/host-ipc/rule.ts";
import pspHostIpc from "../../../rules/psp-host-ipc/rule.ts";
import { regoSourcesFromTemplate } from "../../../src/engines/gatekeeper/template.ts";
import { lowerRego } from "../../../src/lower/rego/index.ts";
import { type Rule, defineRule, equals, msg, when, workloads } from "../../../src/model/index.ts";
import { AWKWARD, awkwardRule, enabled, testConfig } from "../generator-inputs.ts";

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");

type Doc = { metadata: Record<string, unknown>; spec: Record<string, any> };
const files = (rule: Rule, enforcement: "deny" | "warn" | "audit" = "deny", config = testConfig()) =>
  Object.fromEntries(gatekeeper.generate([enabled(rule, enforcement)], config).map((f) => [f.path, f.content]));
const constraintOf = (rule: Rule, enforcement: "deny" | "warn" | "audit" = "deny", config = testConfig()) =>
  parse(files(rule, enforcement, config)[`gatekeeper/constraints/${rule.id}.yaml`]!) as Doc;
const templateOf = (rule: Rule) => parse(files(rule)[`gatekeeper/templates/${rule.id}.yaml`]!) as Doc;

describe("gatekeeper generator", () => {
  test("host-ipc: template, constraint and both kustomizations (golden)", () => {
    const out = gatekeeper.generate([enabled(hostIpc)], testConfig());
    expect(out.map((f) => f.path)).toEqual([
      "gatekeeper/templates/host-ipc.yaml",
      "gatekeeper/templates/kustomization.yaml",
      "gatekeeper/constraints/host-ipc.yaml",
      "gatekeeper/constraints/kustomization.yaml",
    ]);
    expect(out[0]!.content).toBe(golden("host-ipc-template.yaml"));
    expect(out[1]!.content).toBe(golden("templates-kustomization.yaml"));
    expect(out[2]!.content).toBe(golden("host-ipc-constraint.yaml"));
    expect(out[3]!.content).toBe(golden("constraints-kustomization.yaml"));
  });

  test("kustomizations list every file, sorted", () => {
    const out = gatekeeper.generate([enabled(pspHostIpc), enabled(hostIpc)], testConfig());
    const resources = (path: string) => (parse(out.find((f) => f.path === path)!.content) as { resources: string[] }).resources;
    expect(resources("gatekeeper/templates/kustomization.yaml")).toEqual(["host-ipc.yaml", "psp-host-ipc.yaml"]);
    expect(resources("gatekeeper/constraints/kustomization.yaml")).toEqual(["host-ipc.yaml", "psp-host-ipc.yaml"]);
  });

  test("the constraint kind comes from the id; the template is named after it in lower case", () => {
    expect(constraintKind("host-ipc")).toBe("PolicypackHostIpc");
    expect(constraintKind("psp-host-ipc")).toBe("PolicypackPspHostIpc");
    const template = templateOf(pspHostIpc);
    expect(template.metadata.name).toBe("policypackpsphostipc");
    expect(template.spec.crd.spec.names.kind).toBe("PolicypackPspHostIpc");
    expect(constraintOf(pspHostIpc)).toMatchObject({ kind: "PolicypackPspHostIpc", metadata: { name: "psp-host-ipc" } });
  });

  test("enforcement maps to enforcementAction", () => {
    const action = (e: "deny" | "warn" | "audit") => constraintOf(hostIpc, e).spec.enforcementAction;
    expect([action("deny"), action("warn"), action("audit")]).toEqual(["deny", "warn", "dryrun"]);
  });

  test("a kinds rule matches its kinds; no excluded namespaces leaves the field out", () => {
    expect(constraintOf(pspHostIpc, "deny", testConfig({ excludedNamespaces: [] })).spec.match).toEqual({
      kinds: [{ apiGroups: ["policy"], kinds: ["PodSecurityPolicy"] }],
    });
  });

  test("parameters: a structural schema in the template, the configured values in the constraint", () => {
    const template = templateOf(addedCapabilities);
    expect(template.spec.crd.spec.validation).toEqual({
      openAPIV3Schema: {
        type: "object",
        properties: {
          allowedCapabilities: {
            type: "array",
            description: "Capabilities a container may add: names, or a prefix followed by `*` (`*` allows any capability).",
            items: { type: "string" },
          },
          ignoreCase: {
            type: "boolean",
            description:
              "Compare capability names regardless of letter case (`chown` is CHOWN), as container runtimes and gatekeeper-library do; Pod Security Admission compares them exactly.",
          },
          exemptImages: {
            type: "array",
            description: "Images the rule does not check: an exact image reference, or a prefix ending in * (e.g. registry.example.com/debug/*).",
            items: { type: "string" },
          },
          exemptContainers: { type: "array", description: "Container names the rule does not check.", items: { type: "string" } },
        },
      },
    });
    const configured = { ...enabled(addedCapabilities), params: { allowedCapabilities: ["CHOWN"] } };
    const [, , constraint] = gatekeeper.generate([configured], testConfig());
    expect((parse(constraint!.content) as Doc).spec.parameters).toEqual({ allowedCapabilities: ["CHOWN"] });
    expect(templateOf(hostIpc).spec.crd.spec.validation).toBeUndefined();
    expect(constraintOf(hostIpc).spec.parameters).toBeUndefined();
  });

  test("object[] parameters: objects of strings, or of the declared fields, each required", () => {
    const options = { type: "object[]" as const, description: "Options.", default: [] };
    const rule = defineRule({
      id: "object-params",
      title: "Object parameters",
      description: "d",
      severity: "low",
      category: "Test",
      profiles: [],
      references: {},
      remediation: "r",
      match: workloads,
      params: { free: options, ranges: { ...options, fields: { low: "integer", name: "string" } } },
      checks: ({ pod }) => [when(equals(pod.spec.hostIPC, true), msg`hostIPC`)],
    });
    expect(templateOf(rule).spec.crd.spec.validation.openAPIV3Schema.properties).toEqual({
      free: { type: "array", description: "Options.", items: { type: "object", additionalProperties: { type: "string" } } },
      ranges: {
        type: "array",
        description: "Options.",
        items: { type: "object", properties: { low: { type: "integer" }, name: { type: "string" } }, required: ["low", "name"] },
      },
    });
  });

  test("the code list: CEL first, then the Rego v1 module and library as lowerRego writes them", () => {
    const [cel, rego] = templateOf(addedCapabilities).spec.targets[0].code;
    expect(cel.engine).toBe("K8sNativeValidation");
    expect(cel.source.validations).toHaveLength(1);
    const lowered = lowerRego(addedCapabilities);
    expect(rego).toEqual({ engine: "Rego", source: { version: "v1", rego: lowered.module, libs: lowered.libs } });
  });

  test("the compiler's template reader finds the Rego as v1 sources", () => {
    const text = files(hostIpc)["gatekeeper/templates/host-ipc.yaml"]!;
    const { kind, sources } = regoSourcesFromTemplate(text, "host-ipc.yaml");
    expect(kind).toBe("PolicypackHostIpc");
    expect(sources.map((s) => s.regoVersion)).toEqual([1, 1]);
  });

  test("awkward text stays intact in annotations, CEL and Rego", () => {
    const out = files(awkwardRule);
    const template = parse(out["gatekeeper/templates/awkward-text.yaml"]!) as Doc;
    expect(template.metadata.annotations).toEqual({
      "metadata.gatekeeper.sh/title": `Title ${AWKWARD}`,
      description: `Description ${AWKWARD}`,
      "policypack/severity": "medium",
      "policypack/category": "Test: {{x}}",
    });
    const [cel, rego] = template.spec.targets[0].code;
    expect(cel.source.validations[0].message).toBe(`Title ${AWKWARD}`.replace(/\s*\n\s*/g, " "));
    expect(rego.source.rego).toBe(lowerRego(awkwardRule).module);
  });

  test("an object failing the schema is reported with its file and field", () => {
    const badId = defineRule({
      id: "Bad_ID",
      title: "t",
      description: "d",
      severity: "low",
      category: "c",
      profiles: [],
      references: {},
      remediation: "r",
      match: workloads,
      checks: ({ pod }) => [when(equals(pod.spec.hostIPC, true), msg`x`)],
    });
    expect(() => gatekeeper.generate([enabled(badId)], testConfig())).toThrow(
      'gatekeeper/constraints/Bad_ID.yaml: metadata.name: must match pattern "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"',
    );
  });
});
