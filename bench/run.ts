// `npm run bench`: how long building the pack takes, each figure next to a baseline measured in
// the same run on the same machine, so the ratios mean something even where absolute times vary.
//
// Baseline for the build: load the same rule files, then serialize each enabled rule's model
// (the plain data the generators read) to YAML with the `yaml` package and write one file per
// rule and engine. That is the floor every build pays (reading rules, emitting YAML files);
// the ratio shows what lowering to Rego/CEL and templating cost on top of it.
//
// Each section measures one thing; later sections (Wasm evaluation, CEL evaluation) are added to
// SECTIONS.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { GENERATORS } from "../generators/index.ts";
import { build } from "../src/build/build.ts";
import { loadRules } from "../src/build/load-rules.ts";
import { loadConfig } from "../src/config/load.ts";
import { enabledRules } from "../src/config/resolve.ts";
import type { EnabledRule } from "../src/config/types.ts";

interface Row {
  name: string;
  ms: number;
  baseline: { name: string; ms: number };
}

interface Section {
  title: string;
  run: (runs: number) => Promise<Row[]>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `runs` runs of `action`, after one warm-up run. */
async function time(runs: number, action: () => unknown): Promise<number> {
  await action();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await action();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const scratch = mkdtempSync(join(tmpdir(), "policypack-bench-"));

/** A config enabling every rule of the pack: every profile any rule names. */
async function wholePackConfig(): Promise<string> {
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

const buildSection: Section = {
  title: "Build (the whole pack: every rule enabled)",
  async run(runs) {
    const configFile = await wholePackConfig();
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
        ms: whole,
        baseline: { name: "load rules, YAML-serialize models, write", ms: wholeBaseline },
      },
      {
        name: "all generators, in memory (rules already loaded)",
        ms: generateOnly,
        baseline: { name: "YAML-serialize models, in memory", ms: serializeOnly },
      },
    ];
    for (const generator of GENERATORS) {
      rows.push({
        name: `  ${generator.name} generator, in memory`,
        ms: await time(runs, () => generator.generate(enabled, loaded.config)),
        baseline: { name: "YAML-serialize models, in memory", ms: serializeOnly / GENERATORS.length },
      });
    }
    return rows;
  },
};

const SECTIONS: Section[] = [buildSection];

function report(section: Section, rows: Row[]): string {
  const table = [
    ["measured", "median ms", "baseline", "median ms", "ratio"],
    ...rows.map((r) => [r.name, r.ms.toFixed(1), r.baseline.name, r.baseline.ms.toFixed(1), `${(r.ms / r.baseline.ms).toFixed(1)}x`]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  const lines = table.map((row) => row.map((cell, col) => (col === 1 || col >= 3 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join("  "));
  return [`## ${section.title}`, "", ...lines, ""].join("\n");
}

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");

console.log(`policypack bench: median of ${runs} runs after one warm-up, Node ${process.version}\n`);
try {
  for (const section of SECTIONS) console.log(report(section, await section.run(runs)));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
