// The policypack.dev/exempt annotation, enabled in the config, exempts an object from the rules
// it names in every engine alike, and from no other rule.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "../../src/generate/build.ts";
import { type Fixture, loadFixture } from "../../src/catalog/fixtures.ts";
import { EXEMPTION_ANNOTATION } from "../../src/model/index.ts";
import { evaluate } from "../../src/lower/reference/evaluate.ts";
import { celViolationsIn } from "../engines/cel.ts";
import { regoViolationsIn } from "../engines/gatekeeper-rego.ts";

const RULES = fileURLToPath(new URL("../../rules/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "policypack-exempt-"));
const configFile = join(scratch, "policypack.config.yaml");
writeFileSync(configFile, "profiles: [pss-baseline]\nexemptionAnnotation: true\n");
const { enabled } = await build({ configFile, outDir: join(scratch, "out"), check: false });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cel = celViolationsIn(join(scratch, "out"));
const rego = regoViolationsIn(join(scratch, "out"));

/** The fixture's object with the annotation set on the object itself. */
function annotated(fixture: Fixture, value: string): Fixture {
  const metadata = (fixture.object.metadata ?? {}) as { annotations?: Record<string, string> };
  const object = { ...fixture.object, metadata: { ...metadata, annotations: { ...metadata.annotations, [EXEMPTION_ANNOTATION]: value } } };
  return { ...fixture, object };
}

async function everyEngine(ruleId: string, fixture: Fixture): Promise<Record<string, string[]>> {
  const rule = enabled.find((e) => e.rule.id === ruleId)!;
  return {
    reference: evaluate(rule.rule, fixture.object, rule.params).map((v) => v.message),
    kyverno: cel("kyverno", ruleId, fixture),
    vap: cel("vap", ruleId, fixture),
    "gatekeeper-cel": cel("gatekeeper-cel", ruleId, fixture),
    "gatekeeper-rego": await rego(ruleId, fixture),
  };
}

const same = (messages: string[]) => ({
  reference: messages,
  kyverno: messages,
  vap: messages,
  "gatekeeper-cel": messages,
  "gatekeeper-rego": messages,
});

describe("exemption annotation", () => {
  const hostIpc = loadFixture(join(RULES, "host-ipc", "fixtures", "deployment-hostipc-true.yaml"));
  const privileged = loadFixture(join(RULES, "privileged-containers", "fixtures", "deployment-second-container-privileged.yaml"));

  it.each([
    ["host-ipc", "host-ipc", hostIpc, []],
    ["a list naming the rule", "host-pid, host-ipc", hostIpc, []],
    ["another rule only", "host-pid", hostIpc, hostIpc.violations],
    ["a longer id containing the rule's", "host-ipc-extra", hostIpc, hostIpc.violations],
    ["a container-level rule", "privileged-containers", privileged, []],
  ])("%s", async (_name, value, fixture, expected) => {
    const ruleId = fixture === hostIpc ? "host-ipc" : "privileged-containers";
    expect(await everyEngine(ruleId, annotated(fixture, value))).toEqual(same(expected));
  });

  it("leaves objects without the annotation to every rule", async () => {
    expect(await everyEngine("host-ipc", hostIpc)).toEqual(same(hostIpc.violations));
  });
});
