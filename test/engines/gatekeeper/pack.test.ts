// The pack module (src/engines/gatekeeper/pack.ts): every template of out/gatekeeper compiled into
// one module. Each fixture object is evaluated ONCE through it, giving every rule's violations;
// the fixture's rule's part must be exactly the fixture's messages, each pointing at the field the
// reference evaluator points at. Other rules' parts are left alone: the fixture says nothing about
// them. Parameters: the fixture's over the constraint's, for the fixture's rule only; every other
// rule gets its constraint's.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../../../src/catalog/fixtures.ts";
import { generatedFilesIn, loadGatekeeperPack } from "../../../src/engines/index.ts";
import type { ConstraintMatch } from "../../../src/engines/gatekeeper/constraint.ts";
import { compilePack } from "../../../src/engines/gatekeeper/pack.ts";
import { packData } from "../../../src/engines/gatekeeper/pack-module.ts";
import { loadRules } from "../../../src/catalog/rules.ts";
import { loadConfig } from "../../../src/config/load.ts";
import { enabledRules } from "../../../src/config/resolve.ts";
import { evaluate } from "../../../src/lower/reference/evaluate.ts";
import type { FieldPath } from "../../../src/model/fields.ts";
import { reviews } from "../../../src/model/updates.ts";
import { defaultParams } from "../../../src/model/rule.ts";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const GATEKEEPER = join(REPO, "out", "gatekeeper");
const RULES = join(REPO, "rules");

const pack = await loadGatekeeperPack(generatedFilesIn(join(REPO, "out")));
const ids = pack.ruleIds;
const templateFile = (id: string) => join(GATEKEEPER, "templates", `${id}.yaml`);
// The rules out/ was built from, with its parameters.
const committed = loadConfig(join(REPO, "policypack.config.yaml"));
const enabled = new Map(enabledRules(committed, await loadRules(committed)).map((e) => [e.rule.id, e]));

type PackResult = Array<{ result: Record<string, Array<[string, unknown]>> }>;

/** Violations as comparable text, sorted: the message and the path. */
const pointed = (violations: Array<{ message: string; path?: FieldPath }>) => violations.map((v) => JSON.stringify([v.message, v.path])).sort();

const withFixtures = ids.map((id) => [id, loadFixtures(join(RULES, id, "fixtures"))] as const).filter(([, fixtures]) => fixtures.length > 0);

describe("compilePack over out/gatekeeper", () => {
  it("covers every rule of out/ that has fixtures", () => {
    expect(withFixtures.length).toBeGreaterThan(0);
    expect(withFixtures.length).toBe(ids.filter((id) => loadFixtures(join(RULES, id, "fixtures")).length > 0).length);
  });

  describe.each(withFixtures)("%s", (ruleId, fixtures) => {
    it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
      const { rule } = enabled.get(ruleId)!;
      // The fixture's parameters over the defaults of its Pod Security Standards version.
      const parameters = { ...defaultParams(rule, fixture.podSecurityVersion), ...fixture.parameters };
      const byRule = pack.evaluate({ ...fixture, parameters }, ruleId);
      const found = byRule[ruleId] ?? [];
      expect(found.map((v) => v.message).sort()).toEqual([...fixture.violations].sort());
      const expected = reviews(rule, fixture) ? evaluate(rule, fixture.object, parameters) : [];
      expect(pointed(found)).toEqual(pointed(expected));
      // Every violation names a rule of the pack.
      for (const rule of Object.keys(byRule)) expect(ids).toContain(rule);
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
    // Templates that give no details.path: null in its place.
    expect(result).toEqual([{ result: { bracketed: [["limit 3", null]], "review-only": [["kind Pod", null]] } }]);
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
      return result.flatMap((r) => Object.entries(r.result).flatMap(([rule, found]) => found.map(([msg, path]) => `${rule}: ${msg} at ${JSON.stringify(path)}`)));
    };
    const podKinds = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] };
    expect(await run(podKinds, "team")).toEqual(['host-ipc: Pod p shares the host IPC namespace (spec.hostIPC is true) at ["spec","hostIPC"]']);
    expect(await run({ kinds: [{ apiGroups: ["apps"], kinds: ["Pod"] }] }, "team")).toEqual([]);
    expect(await run({ ...podKinds, excludedNamespaces: ["team"] }, "team")).toEqual([]);
  });
});

describe("the pack's Wasm memory", () => {
  it("is back at its baseline after an object that grew it past 256 MiB, and the next answer is right", () => {
    const privileged = (containers: number) => ({
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team" }, spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: "nginx:1.27", securityContext: { privileged: true } })) } },
      operation: "CREATE" as const,
      parameters: {},
    });
    const messages = (containers: number) => (pack.evaluate(privileged(containers))["privileged-containers"] ?? []).map((v) => v.message);
    expect(messages(1)).toEqual(["Container c0 is privileged (securityContext.privileged is true)"]);
    const baseline = pack.memoryBytes;
    // About 800 kB of JSON, under the API server's limit: its evaluation needs over 256 MiB.
    expect(messages(12_000)).toHaveLength(12_000);
    // The renewed instance holds only what small objects need: no more than the baseline, which
    // the file's earlier tests may have grown a little.
    expect(pack.memoryBytes).toBeLessThanOrEqual(baseline);
    expect(messages(1)).toEqual(["Container c0 is privileged (securityContext.privileged is true)"]);
    expect(pack.memoryBytes).toBeLessThanOrEqual(baseline);
  });
});
