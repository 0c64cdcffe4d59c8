// How long building the whole pack takes.
//
// Baseline: load the same rule files, then serialize each enabled rule's model (the plain data
// the generators read) to YAML with the `yaml` package and write one file per rule and engine.
// That is the floor every build pays (reading rules, emitting YAML files); the ratio shows what
// lowering to Rego/CEL and templating cost on top of it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { GENERATORS } from "../generators/index.ts";
import { build } from "../src/generate/build.ts";
import { loadRules } from "../src/catalog/rules.ts";
import { loadConfig } from "../src/config/load.ts";
import { enabledRules } from "../src/config/resolve.ts";
import type { EnabledRule } from "../src/config/types.ts";
import { type Row, type Section, time } from "./measure.ts";

/** A config enabling every rule of the pack: every profile any rule names. */
async function wholePackConfig(scratch: string): Promise<string> {
  const rules = await loadRules(loadConfig(undefined));
  const file = join(scratch, "policypack.config.yaml");
  writeFileSync(file, stringify({ profiles: [...new Set(rules.flatMap((r) => r.rule.profiles))].sort() }));
  return file;
}

/** The baseline's output: each rule's model as YAML, one file per rule and engine. */
function serializeModels(enabled: EnabledRule[], outDir: string | undefined): void {
  for (const generator of GENERATORS) {
    if (outDir) mkdirSync(join(outDir, generator.name), { recursive: true });
    for (const { rule, params, enforcement } of enabled) {
      const text = stringify({ rule, params, enforcement });
      if (outDir) writeFileSync(join(outDir, generator.name, `${rule.id}.yaml`), text);
    }
  }
}

export const buildSection: Section = {
  title: "Build (the whole pack: every rule enabled)",
  unit: "ms",
  async run(runs) {
    const scratch = mkdtempSync(join(tmpdir(), "policypack-bench-"));
    try {
      const configFile = await wholePackConfig(scratch);
      const loaded = loadConfig(configFile);
      const enabled = enabledRules(loaded, await loadRules(loaded));
      const outDir = join(scratch, "out");
      const baselineDir = join(scratch, "baseline");

      const whole = await time(runs, () => build({ configFile, outDir, check: false }));
      const wholeBaseline = await time(runs, async () => {
        const config = loadConfig(configFile);
        const rules = enabledRules(config, await loadRules(config));
        rmSync(baselineDir, { recursive: true, force: true });
        serializeModels(rules, baselineDir);
      });
      const generateOnly = await time(runs, () => GENERATORS.forEach((g) => g.generate(enabled, loaded.config)));
      const serializeOnly = await time(runs, () => serializeModels(enabled, undefined));

      const rows: Row[] = [
        {
          name: `policypack build, ${enabled.length} rules x ${GENERATORS.length} engines (load, generate, write)`,
          value: whole,
          baseline: { name: "load rules, YAML-serialize models, write", value: wholeBaseline },
        },
        {
          name: "all generators, in memory (rules already loaded)",
          value: generateOnly,
          baseline: { name: "YAML-serialize models, in memory", value: serializeOnly },
        },
      ];
      for (const generator of GENERATORS) {
        rows.push({
          name: `  ${generator.name} generator, in memory`,
          value: await time(runs, () => generator.generate(enabled, loaded.config)),
          baseline: { name: "YAML-serialize models, in memory", value: serializeOnly / GENERATORS.length },
        });
      }
      return { rows };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
