// The policypack.dev/exempt annotation, enabled in the config, exempts an object from the rules
// it names in every engine alike, and from no other rule.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/generate/build.ts";
import { type Fixture, loadFixture } from "../../src/catalog/fixtures.ts";
import { EXEMPTION_ANNOTATION } from "../../src/model/index.ts";
import { ENGINE_NAMES, engines, generatedFilesOf } from "../../src/engines/index.ts";

const RULES = fileURLToPath(new URL("../../rules/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "policypack-exempt-"));
const configFile = join(scratch, "policypack.config.yaml");
writeFileSync(configFile, "profiles: [pss-baseline]\nexemptionAnnotation: true\n");
// The engines read the generated files in memory, as generate() returns them.
const { config, enabled, files } = await generate({ configFile, outDir: join(scratch, "out") });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const engine = engines({ files: generatedFilesOf(files), rules: enabled, config: config.config });

/** The fixture's object with the annotation set on the object itself. */
function annotated(fixture: Fixture, value: string): Fixture {
  const metadata = (fixture.object.metadata ?? {}) as { annotations?: Record<string, string> };
  const object = { ...fixture.object, metadata: { ...metadata, annotations: { ...metadata.annotations, [EXEMPTION_ANNOTATION]: value } } };
  return { ...fixture, object };
}

async function everyEngine(ruleId: string, fixture: Fixture): Promise<Record<string, string[]>> {
  return Object.fromEntries(await Promise.all(ENGINE_NAMES.map(async (name) => [name, await engine(name, ruleId, fixture)] as const)));
}

const same = (messages: string[]) => ({
  reference: messages,
  kyverno: messages,
  "kyverno-clusterpolicy": messages,
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
    // RE2's \s, in Rego, in Kubernetes CEL and so in every engine, is ASCII white space only.
    ["the rule after ASCII white space", "host-pid,\t host-ipc", hostIpc, []],
    ["the rule after a no-break space, no white space to RE2", "host-pid,\u00a0host-ipc", hostIpc, hostIpc.violations],
    ["the rule before an ideographic space", "host-ipc\u3000", hostIpc, hostIpc.violations],
  ])("%s", async (_name, value, fixture, expected) => {
    const ruleId = fixture === hostIpc ? "host-ipc" : "privileged-containers";
    expect(await everyEngine(ruleId, annotated(fixture, value))).toEqual(same(expected));
  });

  it("leaves objects without the annotation to every rule", async () => {
    expect(await everyEngine("host-ipc", hostIpc)).toEqual(same(hostIpc.violations));
  });
});
