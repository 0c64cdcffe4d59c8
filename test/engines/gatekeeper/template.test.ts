// ConstraintTemplate → Rego sources → Wasm → evaluation with Gatekeeper's input shape.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";
import { regoSourcesFromTemplate } from "../../../src/engines/gatekeeper/template.ts";

// The ConstraintTemplates the rego CLI tests build too.
const FIXTURES = join(import.meta.dirname, "..", "..", "compiler", "pipeline", "fixtures");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

/** An AdmissionReview as Gatekeeper hands it to a template, plus the constraint's parameters. */
function gatekeeperInput(labels: Record<string, string>, parameters: unknown) {
  const object = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "shop", labels } };
  return {
    review: {
      object,
      oldObject: null,
      operation: "CREATE",
      kind: { group: "", version: "v1", kind: "Pod" },
      name: "web",
      namespace: "shop",
      userInfo: { username: "alice", groups: ["devs"] },
    },
    parameters,
  };
}

const PARAMETERS = { labels: [{ key: "app" }, { key: "owner" }, { key: "team", allowedRegex: "^[a-z]+$" }] };

describe("regoSourcesFromTemplate", () => {
  it("reads legacy rego and libs as Rego v0", () => {
    const { kind, sources } = regoSourcesFromTemplate(fixture("required-labels-v0.yaml"), "tmpl.yaml");
    expect(kind).toBe("PpkRequiredLabels");
    expect(sources.map((s) => [s.file, s.regoVersion])).toEqual([
      ["tmpl.yaml#spec.targets[0].rego", 0],
      ["tmpl.yaml#spec.targets[0].libs[0]", 0],
    ]);
    expect(sources[0].text.startsWith("package ppkrequiredlabels\n")).toBe(true);
    expect(sources[1].text.startsWith("package lib.helpers\n")).toBe(true);
  });

  it("reads the code entry with engine Rego and its version", () => {
    const { kind, sources } = regoSourcesFromTemplate(fixture("required-labels-v1.yaml"), "v1.yaml");
    expect(kind).toBe("PpkRequiredLabelsV1");
    expect(sources.map((s) => [s.file, s.regoVersion])).toEqual([
      ["v1.yaml#spec.targets[0].code[1].source.rego", 1],
      ["v1.yaml#spec.targets[0].code[1].source.libs[0]", 1],
    ]);
  });

  it("treats a code entry without version as Rego v0", () => {
    const yaml = template(`
      code:
        - engine: Rego
          source:
            rego: "package x\\nviolation[r] { r := 1 }"`);
    expect(regoSourcesFromTemplate(yaml, "t.yaml").sources).toEqual([
      { file: "t.yaml#spec.targets[0].code[0].source.rego", text: "package x\nviolation[r] { r := 1 }", regoVersion: 0 },
    ]);
  });

  it("names the file and field when there is no Rego", () => {
    const yaml = template(`
      code:
        - engine: K8sNativeValidation
          source: {}`);
    expect(() => regoSourcesFromTemplate(yaml, "t.yaml")).toThrow(
      "t.yaml: spec.targets[0]: has no Rego: expected `rego` or a `code` entry with `engine: Rego`",
    );
  });

  it("rejects an empty rego field", () => {
    expect(() => regoSourcesFromTemplate(template(`      rego: ""`), "t.yaml")).toThrow(
      "t.yaml: spec.targets[0].rego: missing or empty; no Rego to compile",
    );
  });

  it("rejects libs that are not strings", () => {
    const yaml = template(`
      rego: "package x"
      libs:
        - {a: 1}`);
    expect(() => regoSourcesFromTemplate(yaml, "t.yaml")).toThrow(
      "t.yaml: spec.targets[0].libs[0]: expected a Rego module as a string",
    );
  });

  it("rejects other kinds and missing targets", () => {
    expect(() => regoSourcesFromTemplate("apiVersion: v1\nkind: Pod\n", "pod.yaml")).toThrow(
      'pod.yaml: kind: expected ConstraintTemplate, found "Pod"',
    );
    const noTargets = "apiVersion: templates.gatekeeper.sh/v1beta1\nkind: ConstraintTemplate\nspec:\n  crd: {spec: {names: {kind: K}}}\n";
    expect(() => regoSourcesFromTemplate(noTargets, "t.yaml")).toThrow("t.yaml: spec.targets: missing or empty; no Rego to compile");
  });

  it("reads a double-quoted scalar continued at its key's indentation, as Gatekeeper's Go YAML does", () => {
    // gatekeeper-library's httpsonly template has such a description; the yaml package refuses it.
    const yaml = [
      "apiVersion: templates.gatekeeper.sh/v1",
      "kind: ConstraintTemplate",
      "spec:",
      "  crd:",
      "    spec:",
      "      names:",
      "        kind: K8sHttpsOnly",
      "      validation:",
      "        openAPIV3Schema:",
      "          properties:",
      "            tlsOptional:",
      '              description: "When set to `true` the TLS {} is optional, defaults',
      '              to false."',
      "  targets:",
      "    - target: admission.k8s.gatekeeper.sh",
      "      rego: |",
      "        package k8shttpsonly",
      "",
    ].join("\n");
    expect(regoSourcesFromTemplate(yaml, "t.yaml")).toEqual({
      kind: "K8sHttpsOnly",
      sources: [{ file: "t.yaml#spec.targets[0].rego", text: "package k8shttpsonly\n", regoVersion: 0 }],
    });
  });

  it("reports YAML syntax errors with a position", () => {
    expect(() => regoSourcesFromTemplate("kind: [unclosed\n", "t.yaml")).toThrow(/^t\.yaml:\d+:\d+: invalid YAML: /);
  });
});

describe("compiling a v0 template with libs", () => {
  const { sources } = regoSourcesFromTemplate(fixture("required-labels-v0.yaml"), "required-labels-v0.yaml");
  const entrypoint = "ppkrequiredlabels/violation";

  it("reports missing labels and labels that do not match their pattern", async () => {
    const policy = await loadPolicy(compileRego(sources, [entrypoint]));
    const input = gatekeeperInput({ app: "web", team: "Payments!" }, PARAMETERS);
    // The result is a set: OPA orders its objects by their sorted keys and then values, and
    // "label" < "missing_labels", so the pattern violation comes first.
    expect(policy.evaluate(input, entrypoint)).toEqual([
      {
        result: [
          { msg: "label <team: Payments!> does not match /^[a-z]+$/", details: { label: "team", value: "Payments!" } },
          { msg: "Pod/web is missing required labels: owner", details: { missing_labels: ["owner"] } },
        ],
      },
    ]);
  });

  it("returns the empty set for a compliant object", async () => {
    const policy = await loadPolicy(compileRego(sources, [entrypoint]));
    const input = gatekeeperInput({ app: "web", owner: "bob", team: "payments" }, PARAMETERS);
    expect(policy.evaluate(input, entrypoint)).toEqual([{ result: [] }]);
  });

  it("gives the same answers over many evaluations of one loaded module", async () => {
    // The SDK reuses one instance: every evaluation must start from a clean heap.
    const policy = await loadPolicy(compileRego(sources, [entrypoint]));
    const bad = gatekeeperInput({ app: "web", team: "Payments!" }, PARAMETERS);
    const good = gatekeeperInput({ app: "web", owner: "bob", team: "payments" }, PARAMETERS);
    const first = { bad: policy.evaluate(bad, entrypoint), good: policy.evaluate(good, entrypoint) };
    for (let i = 0; i < 300; i++) {
      expect(policy.evaluate(i % 2 ? bad : good, entrypoint)).toEqual(i % 2 ? first.bad : first.good);
    }
    expect(first.good).toEqual([{ result: [] }]);
    expect(first.bad[0].result).toHaveLength(2);
  });

  it("lists every missing label, sorted, in one violation", async () => {
    const policy = await loadPolicy(compileRego(sources, [entrypoint]));
    const input = gatekeeperInput({}, { labels: [{ key: "team" }, { key: "app" }] });
    expect(policy.evaluate(input, entrypoint)).toEqual([
      { result: [{ msg: "Pod/web is missing required labels: app, team", details: { missing_labels: ["app", "team"] } }] },
    ]);
  });
});

describe("compiling a v1 template from its code entry", () => {
  it("evaluates the violation set", async () => {
    const { sources } = regoSourcesFromTemplate(fixture("required-labels-v1.yaml"), "required-labels-v1.yaml");
    const entrypoint = "ppkrequiredlabelsv1/violation";
    const policy = await loadPolicy(compileRego(sources, [entrypoint]));
    const input = gatekeeperInput({ owner: "bob" }, { labels: [{ key: "owner" }, { key: "tier" }, { key: "app" }] });
    expect(policy.evaluate(input, entrypoint)).toEqual([
      { result: [{ msg: "missing required labels: app, tier", details: { missing_labels: ["app", "tier"] } }] },
    ]);
  });
});

/** A minimal template whose first target ends with `targetBody` (YAML indented for `targets[0]`). */
function template(targetBody: string): string {
  return `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
spec:
  crd:
    spec:
      names:
        kind: K
  targets:
    - target: admission.k8s.gatekeeper.sh
${targetBody.replace(/^\n/, "")}
`;
}
