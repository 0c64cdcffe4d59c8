// How long checking one object against every rule takes, in each engine, and whether the Wasm
// memory stays flat over many evaluations.
//
// "One pod against every rule" is bench/deployment.yaml checked against every rule in out/:
// - reference evaluator (the baseline): `evaluate(rule, object, params)` for every enabled rule;
//   a rule that does not apply to a Deployment returns at once.
// - Wasm: every template's Rego compiled by the project's compiler, loaded with opa-wasm, and its
//   `violation` entrypoint evaluated on Gatekeeper's input ({review, parameters}); opa-wasm
//   serializes the input to JSON on each call, as a host handing it objects would. Every
//   template runs: their Rego checks the object's kind itself. A second Wasm row encodes the
//   review to JSON once per pod and hands each template bytes (opa-wasm takes an ArrayBuffer as
//   ready JSON), to show how much of the time is that per-call encoding.
// - CEL: every ValidatingAdmissionPolicy whose matchConstraints select a Deployment (those the
//   API server would run; the others assume a kind they would not get), its expressions compiled
//   once and run by test/engines/cel.ts's runCelProgram; converting the object to CEL values is
//   part of each iteration, as the JSON encoding is for Wasm.
// Before timing, every engine must report the same messages; the notes say whether they do.
//
// Goals (issue): through Wasm, one pod against every rule under 50 µs median, and within 3x
// of the reference evaluator.

import { type LoadedPolicy, loadPolicy } from "@open-policy-agent/opa-wasm";
import { resourceName } from "../generators/vap.ts";
import { compileRego } from "../src/compiler/index.ts";
import { regoSourcesFromTemplate } from "../src/compiler/template.ts";
import type { EnabledRule } from "../src/config/types.ts";
import { evaluate } from "../src/lower/reference/evaluate.ts";
import type { Json } from "../src/model/index.ts";
import { type CelProgram, runCelProgram, toCel } from "../test/engines/cel.ts";
import { type Row, type Section, sampleInterleaved, sampleStats } from "./measure.ts";
import { type BuiltRule, type VapPolicy, assertSameRules, benchObject, builtRules, configuredRules, violationEntrypoint } from "./pack.ts";

const WASM_GOAL_US = 50;
const WASM_GOAL_RATIO = 3;
const SAMPLING = { warmupMs: 500, totalMs: 8_000, rounds: 10 };
const MEMORY_WARMUP_EVALUATIONS = 1_000;
const MEMORY_EVALUATIONS = 100_000;

interface WasmTemplate {
  id: string;
  policy: LoadedPolicy;
  entrypoint: string;
  input: { review: Record<string, Json>; parameters: Record<string, Json> };
  parametersJson: string;
}

interface Pack {
  object: { [key: string]: Json };
  /** Gatekeeper's input.review for the object, shared by every template's input. */
  review: Record<string, Json>;
  rules: EnabledRule[];
  templates: WasmTemplate[];
  vapPrograms: Array<{ id: string; program: CelProgram }>;
}

function groupVersionKind(object: { [key: string]: Json }): { group: string; version: string; kind: string } {
  const apiVersion = String(object.apiVersion);
  const slash = apiVersion.indexOf("/");
  return { group: slash === -1 ? "" : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind: String(object.kind) };
}

/** Gatekeeper's `input.review` for creating `object`. */
function admissionReview(object: { [key: string]: Json }): Record<string, Json> {
  const metadata = object.metadata as { name: string; namespace: string };
  return {
    object,
    oldObject: null,
    operation: "CREATE",
    kind: groupVersionKind(object),
    name: metadata.name,
    namespace: metadata.namespace,
    userInfo: { username: "policypack-bench", groups: ["system:authenticated"] },
  };
}

async function loadTemplate(rule: BuiltRule, review: Record<string, Json>): Promise<WasmTemplate> {
  const { sources } = regoSourcesFromTemplate(rule.templateText, rule.templateFile);
  const entrypoint = violationEntrypoint(sources, rule.templateFile);
  const policy = await loadPolicy(compileRego(sources, [entrypoint]));
  const parameters = rule.constraintParameters;
  return { id: rule.id, policy, entrypoint, input: { review, parameters }, parametersJson: JSON.stringify(parameters) };
}

/** Whether the API server would run `policy` on the creation of `object`. */
function vapSelects(policy: VapPolicy, object: { [key: string]: Json }): boolean {
  const { group, version, kind } = groupVersionKind(object);
  return policy.spec.matchConstraints.resourceRules.some(
    (r) => r.apiGroups.includes(group) && r.apiVersions.includes(version) && r.operations.includes("CREATE") && r.resources.includes(resourceName(kind)),
  );
}

let pack: Promise<Pack> | undefined;

/** Loaded once, for both sections. */
function loadPack(): Promise<Pack> {
  pack ??= (async () => {
    const object = benchObject();
    const built = builtRules();
    const rules = await configuredRules();
    assertSameRules(built, rules);
    const review = admissionReview(object);
    return {
      object,
      review,
      rules,
      templates: await Promise.all(built.map((rule) => loadTemplate(rule, review))),
      vapPrograms: built
        .filter((rule) => vapSelects(rule.vap, object))
        .map((rule) => ({ id: rule.id, program: { variables: rule.vap.spec.variables ?? [], validations: rule.vap.spec.validations } })),
    };
  })();
  return pack;
}

type ResultSet = Array<{ result: Array<{ msg: string }> }>;
const messagesOf = (resultSet: ResultSet) => resultSet.flatMap((r) => r.result.map((violation) => violation.msg));

function wasmMessages(template: WasmTemplate): string[] {
  return messagesOf(template.policy.evaluate(template.input, template.entrypoint) as ResultSet);
}

const utf8 = new TextEncoder();

/** One pod against every rule, in each engine: the messages of every violation. */
function engines({ object, review, rules, templates, vapPrograms }: Pack): Record<"reference" | "wasm" | "wasmEncodedOnce" | "cel", () => string[]> {
  return {
    reference: () => rules.flatMap(({ rule, params }) => evaluate(rule, object, params).map((v) => v.message)),
    wasm: () => templates.flatMap(wasmMessages),
    wasmEncodedOnce: () => {
      const reviewJson = JSON.stringify(review);
      return templates.flatMap(({ policy, entrypoint, parametersJson }) => {
        const input = utf8.encode(`{"review":${reviewJson},"parameters":${parametersJson}}`).buffer;
        return messagesOf(policy.evaluate(input, entrypoint) as ResultSet);
      });
    },
    cel: () => {
      const bindings = { object: toCel(object), oldObject: null };
      return vapPrograms.flatMap(({ id, program }) => runCelProgram(program, bindings, {}, `vap/${id}.yaml`));
    },
  };
}

function agreementNote(messages: Record<string, string[]>): string {
  const sorted = Object.fromEntries(Object.entries(messages).map(([engine, list]) => [engine, [...list].sort()]));
  const reference = JSON.stringify(sorted.reference);
  const disagreeing = Object.keys(sorted).filter((engine) => JSON.stringify(sorted[engine]) !== reference);
  if (disagreeing.length === 0) return `Every engine reports the same ${sorted.reference!.length} violation messages for the Deployment.`;
  return `WARNING: ${disagreeing.join(", ")} disagree${disagreeing.length === 1 ? "s" : ""} with the reference evaluator on the Deployment: ${JSON.stringify(sorted)}`;
}

export const evaluationSection: Section = {
  title: "Evaluation (bench/deployment.yaml, one Deployment with 3 containers + 1 init container, against every rule)",
  unit: "µs",
  async run() {
    const loaded = await loadPack();
    const run = engines(loaded);
    const agreement = agreementNote(Object.fromEntries(Object.entries(run).map(([engine, check]) => [engine, check()])));
    const [reference, wasm, wasmEncodedOnce, cel] = sampleInterleaved([run.reference, run.wasm, run.wasmEncodedOnce, run.cel], SAMPLING).map(
      sampleStats,
    );
    const referenceName = `reference evaluator, ${loaded.rules.length} rules`;
    const baseline = { name: referenceName, value: reference!.value };
    const rows: Row[] = [
      { name: referenceName, ...reference! },
      { name: `Wasm (opa-wasm), ${loaded.templates.length} templates`, ...wasm!, baseline },
      { name: "  same, review JSON-encoded once per pod", ...wasmEncodedOnce!, baseline },
      { name: `CEL (cel-js), ${loaded.vapPrograms.length} VAPs selecting a Deployment`, ...cel!, baseline },
    ];
    const ratio = wasm!.value / reference!.value;
    return {
      rows,
      notes: [
        agreement,
        `Samples: ${SAMPLING.totalMs / 1000} s in ${SAMPLING.rounds} interleaved rounds after ${SAMPLING.warmupMs} ms warm-up per engine; "per s" counts whole Deployments.`,
        `Goal: Wasm median under ${WASM_GOAL_US} µs: ${wasm!.value < WASM_GOAL_US ? "met" : "NOT met"} (${wasm!.value.toFixed(1)} µs, ${(wasm!.value / loaded.templates.length).toFixed(1)} µs per template).`,
        `Goal: Wasm within ${WASM_GOAL_RATIO}x of the reference evaluator: ${ratio <= WASM_GOAL_RATIO ? "met" : "NOT met"} (${ratio.toFixed(1)}x).`,
      ],
    };
  },
};

export const memorySection: Section = {
  title: "Wasm memory (one policy, evaluated over and over on the Deployment)",
  unit: "KiB",
  async run() {
    const { templates } = await loadPack();
    // The template with the most violations on the Deployment: its results allocate the most.
    const template = templates.reduce((most, t) => (wasmMessages(t).length > wasmMessages(most).length ? t : most));
    const kib = () => template.policy.mem.buffer.byteLength / 1024;
    for (let i = 0; i < MEMORY_WARMUP_EVALUATIONS; i++) template.policy.evaluate(template.input, template.entrypoint);
    const afterWarmup = kib();
    const start = performance.now();
    for (let i = 0; i < MEMORY_EVALUATIONS; i++) template.policy.evaluate(template.input, template.entrypoint);
    const seconds = (performance.now() - start) / 1000;
    const after = kib();
    const count = (n: number) => n.toLocaleString("en-US");
    return {
      rows: [
        {
          name: `memory.buffer after ${count(MEMORY_EVALUATIONS)} more evaluations of ${template.id}`,
          value: after,
          baseline: { name: `after warm-up (${count(MEMORY_WARMUP_EVALUATIONS)} evaluations)`, value: afterWarmup },
        },
      ],
      notes: [
        `${after === afterWarmup ? "Flat" : "NOT flat: the memory grew"} over ${count(MEMORY_EVALUATIONS)} evaluations (${wasmMessages(template).length} violations each, ${seconds.toFixed(1)} s).`,
      ],
    };
  },
};
