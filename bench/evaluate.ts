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
// - Wasm pack: every template compiled into ONE module (src/engines/gatekeeper/pack.ts) whose entrypoint
//   yields every rule's violations, each rule with its own parameters and only where its
//   Constraint's match selects the object: one evaluation per pod. The rules' parameters are the
//   module's data, set once at load (packData, as configuration); the input is {review} only.
//   Two rows: the input handed as an object (opa-wasm JSON-encodes it), and as JSON bytes (an
//   ArrayBuffer), as an admission request arrives: the review's bytes are encoded once, standing
//   for the request body, and each iteration wraps them into the input buffer.
// - CEL: every ValidatingAdmissionPolicy whose matchConstraints select a Deployment (those the
//   API server would run; the others assume a kind they would not get), its expressions compiled
//   once and run by src/engines/cel.ts's runCelProgram; converting the object to CEL values is
//   part of each iteration, as the JSON encoding is for Wasm.
// Before timing, every engine must report the same messages; the notes say whether they do.
//
// Goals (issue): through Wasm, one pod against every rule under 50 µs median, and within 3x
// of the reference evaluator.

import { type LoadedPolicy, loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/compiler/index.ts";
import { compilePack } from "../src/engines/gatekeeper/pack.ts";
import { packData } from "../src/engines/gatekeeper/pack-module.ts";
import { regoSourcesFromTemplate, violationEntrypoint } from "../src/engines/gatekeeper/template.ts";
import type { EnabledRule } from "../src/config/types.ts";
import { evaluate } from "../src/lower/reference/evaluate.ts";
import type { Json } from "../src/model/index.ts";
import { type CelProgram, runCelProgram, toCel } from "../src/engines/cel.ts";
import { gatekeeperReview } from "../src/engines/gatekeeper/constraint.ts";
import { vapSelects } from "../src/engines/vap.ts";
import { type Row, type Section, sampleInterleaved, sampleStats } from "./measure.ts";
import { type BuiltRule, assertSameRules, benchObject, builtRules, configuredRules, packRule } from "./pack.ts";

const utf8 = new TextEncoder();
const WASM_GOAL_US = 50;
const WASM_GOAL_RATIO = 3;
const SAMPLING = { warmupMs: 500, totalMs: 8_000, rounds: 10 };
const MEMORY_WARMUP_EVALUATIONS = 1_000;
const MEMORY_EVALUATIONS = 100_000;
const MEMORY_PACK_EVALUATIONS = 20_000;

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
  wasmPack: { policy: LoadedPolicy; entrypoint: string; input: { review: Record<string, Json> } };
  vapPrograms: Array<{ id: string; program: CelProgram }>;
}

/** Gatekeeper's `input.review` for creating `object`. */
const admissionReview = (object: { [key: string]: Json }) => gatekeeperReview({ object, operation: "CREATE" }) as Record<string, Json>;

async function loadTemplate(rule: BuiltRule, review: Record<string, Json>): Promise<WasmTemplate> {
  const { sources } = regoSourcesFromTemplate(rule.templateText, rule.templateFile);
  const entrypoint = violationEntrypoint(sources, rule.templateFile);
  const policy = await loadPolicy(compileRego(sources, [entrypoint]));
  const parameters = rule.constraintParameters;
  return { id: rule.id, policy, entrypoint, input: { review, parameters }, parametersJson: JSON.stringify(parameters) };
}

async function loadWasmPack(built: BuiltRule[], review: Record<string, Json>): Promise<Pack["wasmPack"]> {
  const { wasm, entrypoint } = compilePack(built.map(packRule));
  const policy = await loadPolicy(wasm);
  policy.setData(packData(Object.fromEntries(built.map((rule) => [rule.id, rule.constraintParameters]))));
  return { policy, entrypoint, input: { review } };
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
      wasmPack: await loadWasmPack(built, review),
      vapPrograms: built.flatMap(({ id, vap }) =>
        vap !== undefined && vapSelects(vap, { object, operation: "CREATE" })
          ? [{ id, program: { variables: vap.spec.variables ?? [], validations: vap.spec.validations } }]
          : [],
      ),
    };
  })();
  return pack;
}

const REVIEW_HEAD = utf8.encode('{"review":');

/** `{"review":<review>}` as one buffer, from the review's ready JSON bytes. */
function wrapReview(reviewJson: Uint8Array): ArrayBuffer {
  const buffer = new Uint8Array(REVIEW_HEAD.length + reviewJson.length + 1);
  buffer.set(REVIEW_HEAD);
  buffer.set(reviewJson, REVIEW_HEAD.length);
  buffer[buffer.length - 1] = "}".charCodeAt(0);
  return buffer.buffer;
}

type ResultSet = Array<{ result: Array<{ msg: string }> }>;
const messagesOf = (resultSet: ResultSet) => resultSet.flatMap((r) => r.result.map((violation) => violation.msg));
type PackResultSet = Array<{ result: Record<string, Array<[string, unknown]>> }>;
const packMessagesOf = (resultSet: PackResultSet) => resultSet.flatMap((r) => Object.values(r.result).flatMap((found) => found.map(([message]) => message)));

function wasmMessages(template: WasmTemplate): string[] {
  return messagesOf(template.policy.evaluate(template.input, template.entrypoint) as ResultSet);
}


/** One pod against every rule, in each engine: the messages of every violation. */
function engines({ object, review, rules, templates, wasmPack, vapPrograms }: Pack): Record<"reference" | "wasm" | "wasmEncodedOnce" | "wasmPack" | "wasmPackBytes" | "cel", () => string[]> {
  // The request body as it arrives, encoded once.
  const reviewBytes = utf8.encode(JSON.stringify(review));
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
    wasmPack: () => packMessagesOf(wasmPack.policy.evaluate(wasmPack.input, wasmPack.entrypoint) as PackResultSet),
    wasmPackBytes: () =>
      packMessagesOf(wasmPack.policy.evaluate(wrapReview(reviewBytes), wasmPack.entrypoint) as PackResultSet),
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
    const [reference, wasm, wasmEncodedOnce, wasmPack, wasmPackBytes, cel] = sampleInterleaved(
      [run.reference, run.wasm, run.wasmEncodedOnce, run.wasmPack, run.wasmPackBytes, run.cel],
      SAMPLING,
    ).map(sampleStats);
    const referenceName = `reference evaluator, ${loaded.rules.length} rules`;
    const baseline = { name: referenceName, value: reference!.value };
    const rows: Row[] = [
      { name: referenceName, ...reference! },
      { name: `Wasm (opa-wasm), ${loaded.templates.length} templates`, ...wasm!, baseline },
      { name: "  same, review JSON-encoded once per pod", ...wasmEncodedOnce!, baseline },
      { name: "Wasm pack module (one module, every rule; parameters as data), input {review} as object", ...wasmPack!, baseline },
      { name: "  same, input as pre-encoded JSON bytes (ArrayBuffer, as an admission request arrives)", ...wasmPackBytes!, baseline },
      { name: `CEL (cel-js), ${loaded.vapPrograms.length} VAPs selecting a Deployment`, ...cel!, baseline },
    ];
    // The goals are read off the fastest Wasm path, named in the note.
    const wasmPaths = [
      { path: `one module per template (${loaded.templates.length}), input as object`, value: wasm!.value },
      { path: `one module per template (${loaded.templates.length}), review JSON-encoded once per pod`, value: wasmEncodedOnce!.value },
      { path: "pack module, input as object", value: wasmPack!.value },
      { path: "pack module, input as JSON bytes", value: wasmPackBytes!.value },
    ];
    const best = wasmPaths.reduce((a, b) => (b.value < a.value ? b : a));
    const ratio = best.value / reference!.value;
    return {
      rows,
      notes: [
        agreement,
        `Samples: ${SAMPLING.totalMs / 1000} s in ${SAMPLING.rounds} interleaved rounds after ${SAMPLING.warmupMs} ms warm-up per engine; "per s" counts whole Deployments.`,
        `Goal: Wasm median under ${WASM_GOAL_US} µs: ${best.value < WASM_GOAL_US ? "met" : "NOT met"} (${best.value.toFixed(1)} µs, fastest Wasm path: ${best.path}).`,
        `Goal: Wasm within ${WASM_GOAL_RATIO}x of the reference evaluator: ${ratio <= WASM_GOAL_RATIO ? "met" : "NOT met"} (${ratio.toFixed(1)}x, same path).`,
      ],
    };
  },
};

/** memory.buffer in KiB after a warm-up and after `evaluations` more evaluations by `evaluate`. */
function memoryGrowth(memory: WebAssembly.Memory, evaluations: number, evaluate: () => unknown) {
  const kib = () => memory.buffer.byteLength / 1024;
  for (let i = 0; i < MEMORY_WARMUP_EVALUATIONS; i++) evaluate();
  const afterWarmup = kib();
  const start = performance.now();
  for (let i = 0; i < evaluations; i++) evaluate();
  return { afterWarmup, after: kib(), seconds: (performance.now() - start) / 1000 };
}

export const memorySection: Section = {
  title: "Wasm memory (one policy, evaluated over and over on the Deployment)",
  unit: "KiB",
  async run() {
    const { templates, wasmPack } = await loadPack();
    // The template with the most violations on the Deployment: its results allocate the most.
    const template = templates.reduce((most, t) => (wasmMessages(t).length > wasmMessages(most).length ? t : most));
    const single = memoryGrowth(template.policy.mem, MEMORY_EVALUATIONS, () => template.policy.evaluate(template.input, template.entrypoint));
    const evaluatePack = () => wasmPack.policy.evaluate(wasmPack.input, wasmPack.entrypoint) as PackResultSet;
    const pack = memoryGrowth(wasmPack.policy.mem, MEMORY_PACK_EVALUATIONS, evaluatePack);
    const count = (n: number) => n.toLocaleString("en-US");
    const baseline = (afterWarmup: number) => ({ name: `after warm-up (${count(MEMORY_WARMUP_EVALUATIONS)} evaluations)`, value: afterWarmup });
    const flat = (m: { after: number; afterWarmup: number }) => (m.after === m.afterWarmup ? "Flat" : "NOT flat: the memory grew");
    return {
      rows: [
        { name: `memory.buffer after ${count(MEMORY_EVALUATIONS)} more evaluations of ${template.id}`, value: single.after, baseline: baseline(single.afterWarmup) },
        { name: `memory.buffer after ${count(MEMORY_PACK_EVALUATIONS)} more evaluations of the pack module`, value: pack.after, baseline: baseline(pack.afterWarmup) },
      ],
      notes: [
        `${template.id}: ${flat(single)} over ${count(MEMORY_EVALUATIONS)} evaluations (${wasmMessages(template).length} violations each, ${single.seconds.toFixed(1)} s).`,
        `Pack module: ${flat(pack)} over ${count(MEMORY_PACK_EVALUATIONS)} evaluations (${packMessagesOf(evaluatePack()).length} violations each, ${pack.seconds.toFixed(1)} s).`,
      ],
    };
  },
};
