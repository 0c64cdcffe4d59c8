// How long the project's compiler takes to turn every generated ConstraintTemplate into Wasm:
// read the template's YAML, pull out its Rego (regoSourcesFromTemplate), compileRego — as a
// host loading the pack into a Wasm engine would, one module per template. Goal (issue): the
// whole pack under 10 s.
//
// Baseline: reading the same templates' YAML and parsing their Rego (parseModule) and nothing
// more, the floor any Rego tool pays; the ratio shows what checking, planning and emitting Wasm
// cost on top of it.
//
// The pack row compiles every template into ONE module (src/engines/gatekeeper/pack.ts), the module the
// evaluation section's pack rows run; its baseline is the one-module-per-template total above.

import { compileRego } from "../src/compiler/index.ts";
import { parseModule } from "../src/compiler/syntax/index.ts";
import { compilePack } from "../src/engines/gatekeeper/pack.ts";
import { regoSourcesFromTemplate, violationEntrypoint } from "../src/engines/gatekeeper/template.ts";
import { type Row, type Section, median, time } from "./measure.ts";
import { type BuiltRule, builtRules, packRule } from "./pack.ts";

const GOAL_MS = 10_000;
const SLOWEST_SHOWN = 3;

function compileTemplate({ templateText, templateFile }: BuiltRule): Uint8Array {
  const { sources } = regoSourcesFromTemplate(templateText, templateFile);
  return compileRego(sources, [violationEntrypoint(sources, templateFile)]);
}

function parseTemplate({ templateText, templateFile }: BuiltRule): void {
  const { sources } = regoSourcesFromTemplate(templateText, templateFile);
  for (const source of sources) parseModule(source.text, source.file, { regoVersion: source.regoVersion });
}

/** Per template, the median ms of `runs` passes over every template, after one warm-up pass. */
function perTemplate(runs: number, rules: BuiltRule[], action: (rule: BuiltRule) => unknown): { total: number; each: Map<string, number> } {
  const samples = new Map(rules.map((r): [string, number[]] => [r.id, []]));
  const totals: number[] = [];
  for (let pass = 0; pass <= runs; pass++) {
    let total = 0;
    for (const rule of rules) {
      const start = performance.now();
      action(rule);
      const ms = performance.now() - start;
      total += ms;
      if (pass > 0) samples.get(rule.id)!.push(ms);
    }
    if (pass > 0) totals.push(total);
  }
  return { total: median(totals), each: new Map([...samples].map(([id, ms]) => [id, median(ms)])) };
}

export const compileSection: Section = {
  title: "Rego -> Wasm compile (every ConstraintTemplate in out/gatekeeper/templates)",
  unit: "ms",
  async run(runs) {
    const rules = builtRules();
    const compiled = perTemplate(runs, rules, compileTemplate);
    const parsed = perTemplate(runs, rules, parseTemplate);
    const packMs = await time(runs, () => compilePack(rules.map(packRule)));
    const parseBaseline = "read YAML, parse Rego";
    const slowest = [...compiled.each].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST_SHOWN);
    const rows: Row[] = [
      {
        name: `compile ${rules.length} templates (YAML -> Rego -> Wasm), total`,
        value: compiled.total,
        baseline: { name: `${parseBaseline}, total`, value: parsed.total },
      },
      {
        name: "  per template, mean",
        value: compiled.total / rules.length,
        baseline: { name: `${parseBaseline}, mean`, value: parsed.total / rules.length },
      },
      ...slowest.map(([id, ms]) => ({
        name: `  slowest: ${id}`,
        value: ms,
        baseline: { name: `${parseBaseline}, same template`, value: parsed.each.get(id)! },
      })),
      {
        name: `compile the pack: ${rules.length} templates into one module (compilePack)`,
        value: packMs,
        baseline: { name: "compile the templates one module each, total", value: compiled.total },
      },
    ];
    const met = compiled.total < GOAL_MS ? "met" : "NOT met";
    return { rows, notes: [`Goal: the whole pack under ${GOAL_MS / 1000} s: ${met} (${(compiled.total / 1000).toFixed(2)} s).`] };
  },
};
