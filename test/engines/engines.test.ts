// The engines' own contract: the same answers from the generated files on disk and in memory,
// a request's parameters reaching every engine (Kyverno and VAP through a policy generated
// again), the pack keeping each rule's Constraint parameters between evaluations, and errors
// that name what is missing.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadFixture } from "../../src/catalog/fixtures.ts";
import { generate } from "../../src/generate/build.ts";
import { ENGINE_NAMES, engineApplies, engines, generatedFilesIn, generatedFilesOf, loadGatekeeperPack } from "../../src/engines/index.ts";
import { constraintSelects } from "../../src/engines/gatekeeper/constraint.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OUT = join(REPO, "out");
const built = await generate({ configFile: join(REPO, "policypack.config.yaml"), outDir: OUT });
const onDisk = generatedFilesIn(OUT);
const inMemory = generatedFilesOf(built.files);

const fixture = (rule: string, name: string) => loadFixture(join(REPO, "rules", rule, "fixtures", `${name}.yaml`));
const narrowed = fixture("added-capabilities", "pod-chown-refused-by-parameter");
const hostIpc = fixture("host-ipc", "deployment-hostipc-true");

describe("generated files", () => {
  it("list the same files on disk and in memory", () => {
    expect(inMemory.list("gatekeeper/templates")).toEqual(onDisk.list("gatekeeper/templates"));
    expect(inMemory.list("gatekeeper/templates")).toContain("gatekeeper/templates/host-ipc.yaml");
    expect(inMemory.read("kyverno/host-ipc.yaml")).toBe(onDisk.read("kyverno/host-ipc.yaml"));
  });

  it("name a missing file", () => {
    expect(() => inMemory.read("kyverno/no-such-rule.yaml")).toThrow("kyverno/no-such-rule.yaml: not among the generated files");
    expect(() => onDisk.read("kyverno/no-such-rule.yaml")).toThrow(`${join(OUT, "kyverno/no-such-rule.yaml")}: no such generated file`);
  });
});

describe("engines", () => {
  const fromDisk = engines({ files: onDisk, rules: built.enabled, config: built.config.config });
  const fromMemory = engines({ files: inMemory, rules: built.enabled, config: built.config.config });

  it.each(ENGINE_NAMES)("%s answers alike from disk and memory, with the fixture's parameters", async (name) => {
    expect(await fromDisk(name, "added-capabilities", narrowed)).toEqual(narrowed.violations);
    expect(await fromMemory(name, "added-capabilities", narrowed)).toEqual(narrowed.violations);
    // Without the fixture's narrower parameter, CHOWN is allowed.
    expect(await fromMemory(name, "added-capabilities", { ...narrowed, parameters: {} })).toEqual([]);
  });

  it("skip a rule only on kinds no API server serves: no ValidatingPolicy nor VAP for PodSecurityPolicy", async () => {
    const psp = built.enabled.find((e) => e.rule.id === "psp-host-ipc")!;
    expect(ENGINE_NAMES.filter((name) => engineApplies(name, psp.rule))).toEqual(["reference", "gatekeeper-rego", "gatekeeper-cel", "kyverno-clusterpolicy"]);
    const request = fixture("psp-host-ipc", "psp-all-host-namespaces");
    expect(request.violations).toHaveLength(1);
    expect(await fromMemory("kyverno-clusterpolicy", "psp-host-ipc", request)).toEqual(request.violations);
    await expect(fromMemory("vap", "psp-host-ipc", request)).rejects.toThrow(
      "psp-host-ipc: the build makes no vap policy for it (it matches only kinds no current API server serves)",
    );
  });

  it("name a rule they do not know", async () => {
    await expect(fromMemory("reference", "no-such-rule", hostIpc)).rejects.toThrow("no-such-rule: not among the enabled rules");
    await expect(engines({ files: inMemory, rules: [] })("kyverno", "added-capabilities", narrowed)).rejects.toThrow(
      "kyverno/added-capabilities.yaml: parameters given, but added-capabilities is no loaded rule to generate the policy from",
    );
  });
});

describe("the Gatekeeper pack", () => {
  it("answers for every rule at once, with each violation's field, a request's parameters for its rule only, and the Constraints' again after", async () => {
    const pack = await loadGatekeeperPack(inMemory);
    expect(pack.ruleIds).toEqual(built.enabled.map((e) => e.rule.id).sort());
    expect(pack.evaluate(hostIpc)["host-ipc"]).toEqual([
      { message: hostIpc.violations[0], path: ["spec", "template", "spec", "hostIPC"] },
    ]);
    expect(pack.evaluate(narrowed, "added-capabilities")["added-capabilities"]).toEqual([
      { message: narrowed.violations[0], path: ["spec", "containers", 0, "securityContext", "capabilities", "add"] },
    ]);
    expect(pack.evaluate(narrowed)["added-capabilities"]).toBeUndefined();
  });
});

describe("constraintSelects", () => {
  const pod = (namespace?: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...(namespace ? { namespace } : {}) } });
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "team" } };
  const match = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-system"] };

  it("selects the kinds under their API group, outside the excluded namespaces", () => {
    expect(constraintSelects(match, pod("team"))).toBe(true);
    expect(constraintSelects(match, pod())).toBe(true);
    expect(constraintSelects(match, pod("kube-system"))).toBe(false);
    expect(constraintSelects(match, deployment)).toBe(false);
    expect(constraintSelects({ kinds: [{ apiGroups: ["apps"], kinds: ["Pod"] }] }, pod("team"))).toBe(false);
    expect(constraintSelects(undefined, deployment)).toBe(true);
  });
});
