// The pack as built in out/ (by `npm run build` from policypack.config.yaml), and the object the
// evaluation sections check against it: bench/deployment.yaml.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { type ConstraintMatch, gatekeeperRuleIds, readConstraint, templatePath } from "../src/engines/gatekeeper/constraint.ts";
import { generatedFilesIn } from "../src/engines/index.ts";
import type { PackRule } from "../src/engines/gatekeeper/pack.ts";
import type { VapPolicy } from "../src/engines/vap.ts";
import { loadRules } from "../src/catalog/rules.ts";
import { loadConfig } from "../src/config/load.ts";
import { enabledRules } from "../src/config/resolve.ts";
import type { EnabledRule } from "../src/config/types.ts";
import type { Json } from "../src/model/index.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT_DIR = join(ROOT, "out");

export interface BuiltRule {
  id: string;
  /** out/gatekeeper/templates/<id>.yaml, path and text. */
  templateFile: string;
  templateText: string;
  /** The Constraint's spec.parameters ({} when it sets none), as Gatekeeper hands them to the Rego. */
  constraintParameters: Record<string, Json>;
  /** The Constraint's spec.match: the objects Gatekeeper runs the template on. */
  match: ConstraintMatch | undefined;
  /** The ValidatingAdmissionPolicy of out/vap/<id>.yaml, parsed; none for a rule on kinds no API server serves (PodSecurityPolicy). */
  vap: VapPolicy | undefined;
}

/** Every rule in out/, in id order. */
export function builtRules(): BuiltRule[] {
  const files = generatedFilesIn(OUT_DIR);
  return gatekeeperRuleIds(files).map((id) => {
    const constraint = readConstraint(files, id);
    const vapPath = `vap/${id}.yaml`;
    const [vap] = files.has(vapPath) ? (parseAllDocuments(files.read(vapPath)).map((doc) => doc.toJS()) as [VapPolicy]) : [undefined];
    const templateFile = files.shown(templatePath(id));
    return { id, templateFile, templateText: files.read(templatePath(id)), constraintParameters: constraint.parameters, match: constraint.match, vap };
  });
}

/** compilePack's view of a built rule. */
export function packRule({ id, templateFile, templateText, match }: BuiltRule): PackRule {
  return { id, template: { file: templateFile, text: templateText }, match };
}

/** The rules policypack.config.yaml enables, with their parameters: the ones out/ was built from. */
export async function configuredRules(): Promise<EnabledRule[]> {
  const loaded = loadConfig(join(ROOT, "policypack.config.yaml"));
  return enabledRules(loaded, await loadRules(loaded));
}

/** Throws unless `built` and `configured` name the same rules, i.e. unless out/ is up to date. */
export function assertSameRules(built: BuiltRule[], configured: EnabledRule[]): void {
  const builtIds = built.map((r) => r.id).sort().join(",");
  const configuredIds = configured.map((r) => r.rule.id).sort().join(",");
  if (builtIds !== configuredIds) {
    throw new Error(`out/ holds other rules than policypack.config.yaml enables; run \`npm run build\` first`);
  }
}

/** bench/deployment.yaml: a Deployment as a team would write it, with a few slips. */
export function benchObject(): { [key: string]: Json } {
  return parse(readFileSync(join(ROOT, "bench", "deployment.yaml"), "utf8")) as { [key: string]: Json };
}
