// Every ConstraintTemplate of a rule pack compiled into ONE Wasm module, so that checking an object
// against every rule is one evaluation (one input encoding, one JSON parse) instead of one per
// template. A generated aggregator module queries each template's `violation` rule with that rule's
// own parameters and only where the rule's Constraint matches the object, as Gatekeeper would run
// the templates one by one. What the compiled module is and how it is run: pack-module.ts.
//
// Data:   {"policypack_params": {<rule id>: <the Constraint's parameters>}}, set once with the SDK's
//         setData (packData, pack-module.ts, builds it): parameters are configuration, so each evaluation encodes
//         and parses only the request.
// Input:  {review: <Gatekeeper's input.review>}
// Result: {<rule id>: [[<message>, <path>], ...]} for every rule with violations: the message and
//         `details.path` (the offending field, model/fields.ts; null when a template gives none)
//         of each element of its template's violation set, in their order. Keyed by rule, so that
//         the module builds no set of violations and the host decodes only what it reports.

import { compileRego, type RegoSource } from "../../compiler/index.ts";
import type { GeneratedFiles } from "../generated.ts";
import { type ConstraintMatch, gatekeeperRuleIds, matchTables, readConstraint, templatePath } from "./constraint.ts";
import { type CompiledPack, type GatekeeperPack, loadPackModule, PARAMETERS_DOCUMENT, type PackModule } from "./pack-module.ts";
import { regoSourcesFromTemplate, violationEntrypoint } from "./template.ts";

export interface PackRule {
  /** The rule's id: the key of its parameters in the pack's data, and of its messages in the result. */
  id: string;
  /** The ConstraintTemplate: path (for messages) and YAML text. */
  template: { file: string; text: string };
  /** The Constraint's spec.match; absent: the rule applies to every object. */
  match?: ConstraintMatch;
}

const AGGREGATOR_PACKAGE = "policypack_pack";
const AGGREGATOR_FILE = "<pack aggregator>";

/** Compiles every rule's template and the aggregator into one module. Throws naming the rule on bad input. */
export function compilePack(rules: PackRule[]): CompiledPack {
  if (rules.length === 0) throw new Error("compilePack: no rules given");
  const ids = new Set<string>();
  const sources: RegoSource[] = [];
  // Templates carry the same libs (lib.policypack.core); one copy of each text is enough, and two
  // would define the same rules twice.
  const seenTexts = new Set<string>();
  const packs = rules.map((rule) => {
    if (ids.has(rule.id)) throw new Error(`${rule.template.file}: rule id ${JSON.stringify(rule.id)} appears twice in the pack`);
    ids.add(rule.id);
    const templateSources = regoSourcesFromTemplate(rule.template.text, rule.template.file).sources;
    const entrypoint = violationEntrypoint(templateSources, rule.template.file);
    const root = entrypoint.split("/")[0];
    if (root === AGGREGATOR_PACKAGE || root === PARAMETERS_DOCUMENT) {
      throw new Error(`${rule.template.file}: package ${root} is reserved for the pack`);
    }
    for (const source of templateSources) {
      if (seenTexts.has(source.text)) continue;
      seenTexts.add(source.text);
      sources.push(source);
    }
    return { rule, violationRef: `data.${entrypoint.replaceAll("/", ".")}`, readsParameters: templateSources.some(mayReadParameters) };
  });
  const aggregator: RegoSource = { file: AGGREGATOR_FILE, text: aggregatorRego(packs), regoVersion: 1 };
  const entrypoint = `${AGGREGATOR_PACKAGE}/violation`;
  return { wasm: compileRego([...sources, aggregator], [entrypoint]), entrypoint };
}

/**
 * One `violation` definition per rule, yielding its messages where there are any. Rules with the
 * same match share one `applies_N` rule, whose tables are rules of their own (constants, so the
 * module computes them once per evaluation).
 * Parameters: `with input.parameters as` the rule's entry in the data, {} when it has none (as a
 * Constraint without spec.parameters); left out for a template that cannot read them, as the
 * `with` costs a copy of the input on every evaluation.
 */
function aggregatorRego(packs: Array<{ rule: PackRule; violationRef: string; readsParameters: boolean }>): string {
  const matchRules = new Map<string, string>();
  const helpers: string[] = [];
  const definitions = packs.map(({ rule, violationRef, readsParameters }) => {
    let applies: string | undefined;
    if (rule.match?.kinds || rule.match?.excludedNamespaces?.length) {
      const key = JSON.stringify(matchTables(rule.match));
      applies = matchRules.get(key);
      if (!applies) {
        applies = `applies_${matchRules.size}`;
        matchRules.set(key, applies);
        helpers.push(...matchRego(applies, rule.match));
      }
    }
    const id = JSON.stringify(rule.id);
    const found = `[[v.msg, object.get(v, ["details", "path"], null)] | some v in ${violationRef}]`;
    return [
      `violation[${id}] := found if {`,
      ...(applies ? [`\t${applies}`] : []),
      readsParameters
        ? `\tfound := ${found} with input.parameters as object.get(data.${PARAMETERS_DOCUMENT}, ${id}, {})`
        : `\tfound := ${found}`,
      "\tcount(found) > 0",
      "}",
      "",
    ].join("\n");
  });
  return [
    "# Generated by policypack's pack: every rule's violations (message and path), by rule id.",
    `package ${AGGREGATOR_PACKAGE}`,
    "",
    "import rego.v1",
    "",
    ...definitions,
    ...helpers,
  ].join("\n");
}

/**
 * Whether Rego source may read input.parameters: whether it names `input` anywhere (comments
 * included) other than as `input.review`. Conservative: a template reading only the review
 * cannot tell whether parameters are there.
 */
function mayReadParameters(source: RegoSource): boolean {
  return /\binput\b(?!\.review\b)/.test(source.text);
}

const regoSet = (items: string[]) => (items.length === 0 ? "set()" : `{${items.map((i) => JSON.stringify(i)).join(", ")}}`);

/** `name` holds when Gatekeeper would run a Constraint with `match` on the review. */
function matchRego(name: string, match: ConstraintMatch): string[] {
  const { kinds, excludedNamespaces } = matchTables(match);
  const conditions: string[] = [];
  const tables: string[] = [];
  if (kinds) {
    const entries = Object.entries(kinds).map(([group, list]) => `${JSON.stringify(group)}: ${regoSet(list)}`);
    tables.push(`${name}_kinds := {${entries.join(", ")}}`, "");
    conditions.push(`input.review.kind.kind in ${name}_kinds[input.review.kind.group]`);
  }
  if (excludedNamespaces.length > 0) {
    tables.push(`${name}_excluded_namespaces := ${regoSet(excludedNamespaces)}`, "");
    // The namespace is read with a default: Rego evaluates a negated expression's arguments
    // first, so a cluster-scoped object (no namespace) would otherwise fail the match.
    conditions.push(`not object.get(input.review, "namespace", "") in ${name}_excluded_namespaces`);
  }
  return [`${name} if {`, ...conditions.map((c) => `\t${c}`), "}", "", ...tables];
}

/**
 * The pack of the Gatekeeper templates and Constraints in `files`, compiled: every rule there, or
 * the rules `ruleIds` names.
 */
export function compilePackModule(files: GeneratedFiles, ruleIds?: string[]): PackModule {
  const ids = [...(ruleIds ?? gatekeeperRuleIds(files))].sort();
  const constraints = new Map(ids.map((id) => [id, readConstraint(files, id)] as const));
  const { wasm, entrypoint } = compilePack(
    ids.map((id) => ({ id, template: { file: files.shown(templatePath(id)), text: files.read(templatePath(id)) }, match: constraints.get(id)!.match })),
  );
  return { wasm, entrypoint, ruleIds: ids, parameters: Object.fromEntries(ids.map((id) => [id, constraints.get(id)!.parameters])) };
}

/** The pack of `files` (as compilePackModule), loaded to evaluate objects. */
export async function loadGatekeeperPack(files: GeneratedFiles, ruleIds?: string[]): Promise<GatekeeperPack> {
  return loadPackModule(compilePackModule(files, ruleIds));
}
