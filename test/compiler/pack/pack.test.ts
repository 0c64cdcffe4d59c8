// The pack module (src/compiler/pack.ts): every template of out/gatekeeper compiled into one
// module. Each fixture object is evaluated ONCE through it, giving every rule's violations; the
// fixture's rule's part must be exactly the fixture's messages. Other rules' parts are left alone:
// the fixture says nothing about them. Parameters: the fixture's over the constraint's, for the
// fixture's rule only; every other rule gets its constraint's.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { type ConstraintMatch, compilePack, packData } from "../../../src/compiler/pack.ts";
import { type Fixture, loadFixtures } from "../../../src/catalog/fixtures.ts";
import type { Json } from "../../../src/model/index.ts";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const GATEKEEPER = join(REPO, "out", "gatekeeper");
const RULES = join(REPO, "rules");

interface Constraint {
  spec: { match?: ConstraintMatch; parameters?: Record<string, Json> };
}

const ids = readdirSync(join(GATEKEEPER, "templates"))
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .map((f) => f.slice(0, -".yaml".length))
  .sort();
const constraints = new Map(
  ids.map((id) => [id, parse(readFileSync(join(GATEKEEPER, "constraints", `${id}.yaml`), "utf8")) as Constraint] as const),
);
const templateFile = (id: string) => join(GATEKEEPER, "templates", `${id}.yaml`);
const pack = compilePack(
  ids.map((id) => ({ id, template: { file: templateFile(id), text: readFileSync(templateFile(id), "utf8") }, match: constraints.get(id)!.spec.match })),
);
const policy = await loadPolicy(pack.wasm);
const constraintParameters = Object.fromEntries(ids.map((id) => [id, constraints.get(id)!.spec.parameters ?? {}]));

type PackResult = Array<{ result: Record<string, string[]> }>;

/** Every rule's messages for the fixture's object, from one evaluation of the pack. */
function packMessages(ruleId: string, fixture: Fixture): Map<string, string[]> {
  const { object } = fixture;
  const apiVersion = String(object.apiVersion);
  const slash = apiVersion.indexOf("/");
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  policy.setData(packData({ ...constraintParameters, [ruleId]: { ...constraintParameters[ruleId], ...fixture.parameters } }));
  const input = {
    review: {
      object,
      oldObject: fixture.operation === "UPDATE" ? object : null,
      operation: fixture.operation,
      kind: { group: slash === -1 ? "" : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind: String(object.kind) },
      name: metadata.name,
      namespace: metadata.namespace,
      userInfo: { username: "policypack-fixture", groups: ["system:authenticated"] },
    },
  };
  const [{ result }] = policy.evaluate(input, pack.entrypoint) as PackResult;
  return new Map(Object.entries(result));
}

const withFixtures = ids.map((id) => [id, loadFixtures(join(RULES, id, "fixtures"))] as const).filter(([, fixtures]) => fixtures.length > 0);

describe("compilePack over out/gatekeeper", () => {
  it("covers every rule of out/ that has fixtures", () => {
    expect(withFixtures.length).toBeGreaterThan(0);
    expect(withFixtures.length).toBe(ids.filter((id) => loadFixtures(join(RULES, id, "fixtures")).length > 0).length);
  });

  describe.each(withFixtures)("%s", (ruleId, fixtures) => {
    it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
      const byRule = packMessages(ruleId, fixture);
      expect([...(byRule.get(ruleId) ?? [])].sort()).toEqual([...fixture.violations].sort());
      // Every violation names a rule of the pack.
      for (const rule of byRule.keys()) expect(ids).toContain(rule);
    });
  });
});

describe("compilePack input checks", () => {
  const hostIpc = { file: templateFile("host-ipc"), text: readFileSync(templateFile("host-ipc"), "utf8") };

  it("rejects a rule id given twice, naming the template", () => {
    expect(() => compilePack([{ id: "host-ipc", template: hostIpc }, { id: "host-ipc", template: hostIpc }])).toThrow(
      `${hostIpc.file}: rule id "host-ipc" appears twice in the pack`,
    );
  });

  it("rejects a template whose package would shadow the pack's aggregator or parameters", () => {
    for (const root of ["policypack_pack", "policypack_params"]) {
      const text = hostIpc.text.replace("package policypack.host_ipc", `package ${root}.host_ipc`);
      expect(() => compilePack([{ id: "host-ipc", template: { file: hostIpc.file, text } }])).toThrow(
        `${hostIpc.file}: package ${root} is reserved for the pack`,
      );
    }
  });

  it("rejects an empty pack", () => {
    expect(() => compilePack([])).toThrow("compilePack: no rules given");
  });

  it("hands parameters to a template however it reads them, and needs none for one reading only the review", async () => {
    const template = (name: string, rego: string) => ({
      file: `${name}.yaml`,
      text: [
        "apiVersion: templates.gatekeeper.sh/v1",
        "kind: ConstraintTemplate",
        `metadata: {name: ${name}}`,
        "spec:",
        `  crd: {spec: {names: {kind: ${name}}}}`,
        "  targets:",
        "    - target: admission.k8s.gatekeeper.sh",
        "      rego: |",
        ...rego.split("\n").map((line) => `        ${line}`),
      ].join("\n"),
    });
    const { wasm, entrypoint } = compilePack([
      { id: "bracketed", template: template("bracketed", 'package bracketed\nviolation[{"msg": msg}] {\n  msg := sprintf("limit %v", [input["parameters"].limit])\n}') },
      { id: "review-only", template: template("reviewonly", 'package reviewonly\nviolation[{"msg": msg}] {\n  msg := sprintf("kind %v", [input.review.kind.kind])\n}') },
    ]);
    const loaded = await loadPolicy(wasm);
    loaded.setData(packData({ bracketed: { limit: 3 } }));
    const result = loaded.evaluate({ review: { kind: { group: "", version: "v1", kind: "Pod" } } }, entrypoint) as PackResult;
    expect(result).toEqual([{ result: { bracketed: ["limit 3"], "review-only": ["kind Pod"] } }]);
  });

  it("applies a rule only to the kinds and namespaces its match selects", async () => {
    const only = (match: ConstraintMatch) => compilePack([{ id: "host-ipc", template: hostIpc, match }]);
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team" }, spec: { hostIPC: true, containers: [] } };
    const review = (namespace: string) => ({ review: { object: pod, kind: { group: "", version: "v1", kind: "Pod" }, namespace } });
    const run = async (match: ConstraintMatch, namespace: string) => {
      const { wasm, entrypoint } = only(match);
      const loaded = await loadPolicy(wasm);
      loaded.setData(packData({}));
      const result = loaded.evaluate(review(namespace), entrypoint) as PackResult;
      return result.flatMap((r) => Object.entries(r.result).flatMap(([rule, messages]) => messages.map((msg) => `${rule}: ${msg}`)));
    };
    const podKinds = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] };
    expect(await run(podKinds, "team")).toEqual(["host-ipc: Pod p shares the host IPC namespace (spec.hostIPC is true)"]);
    expect(await run({ kinds: [{ apiGroups: ["apps"], kinds: ["Pod"] }] }, "team")).toEqual([]);
    expect(await run({ ...podKinds, excludedNamespaces: ["team"] }, "team")).toEqual([]);
  });
});
