// Property: user text survives every output intact. A rule's title, description, category,
// remediation and the literal text of its messages, and the object's own strings, may hold
// quotes, backslashes, `%`, `{{`, `}}`, line breaks, control characters and any Unicode. For
// such a rule every generated file must parse as YAML without error or warning and carry the
// text unchanged where the generator puts it, and on a violating Pod the generated Rego (compiled
// to WebAssembly by the project's compiler, run by the OPA Wasm SDK) and the generated CEL
// (Kyverno ValidatingPolicy and ClusterPolicy, ValidatingAdmissionPolicy, Gatekeeper
// K8sNativeValidation) must report exactly the
// reference evaluator's messages. (The remediation appears in no generated file; it is in the
// probe so that no field of a rule goes untried.)
//
// The engines (src/engines/) read each case's files from the four generators in memory.
//
// Not modelled here: for a ValidatingAdmissionPolicy, Kubernetes replaces a messageExpression
// result that contains a line break (or is empty or blank) with the validation's static
// `message`. The CEL engine (src/engines/cel.ts) does not model that, so for messages with line breaks the equality
// below is with what the expression evaluates to; the static messages of VAP and Gatekeeper's CEL
// are asserted free of line breaks, as Kubernetes requires.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { gatekeeper } from "../../generators/gatekeeper.ts";
import { kyverno } from "../../generators/kyverno.ts";
import { kyvernoClusterPolicy } from "../../generators/kyverno-clusterpolicy.ts";
import type { OutputFile } from "../../generators/types.ts";
import { vap } from "../../generators/vap.ts";
import type { Fixture } from "../../src/catalog/fixtures.ts";
import { evaluateChecks } from "../../src/lower/reference/evaluate.ts";
import { MESSAGE_SEPARATOR } from "../../src/model/messages.ts";
import {
  type Message,
  type Rule,
  type Value,
  containers,
  defaultParams,
  defineRule,
  equals,
  forEach,
  msg,
  when,
  workloads,
} from "../../src/model/index.ts";
import { unreadableCharacter, validateRule } from "../../src/model/validate.ts";
import { type EngineName, engines, generatedFilesOf } from "../../src/engines/index.ts";
import { enabled, testConfig } from "../generators/generator-inputs.ts";

const RULE_ID = "escaping-probe";
const CEL_ENGINES: readonly EngineName[] = ["kyverno", "kyverno-clusterpolicy", "vap", "gatekeeper-cel"];

/** Everything user-supplied in one probe: rule text, message text and the Pod's own strings. */
interface Texts {
  title: string;
  description: string;
  category: string;
  remediation: string;
  /** Text around the Pod's name in the hostIPC message. */
  podMessage: [string, string];
  /** Text around a container's name in the privileged message, and a literal value after it. */
  containerMessage: [string, string];
  containerLiteral: string;
  /** The whole hostPID message: literal text only (Rego emits a plain string, not sprintf). */
  plainMessage: string;
  podName: string;
  containerNames: [string, string, string];
}

/** `msg` called as a tagged template with these literal parts around `values`. */
function message(strings: readonly string[], ...values: Parameters<typeof msg>[1][]): Message {
  return msg(Object.assign([...strings], { raw: [...strings] }), ...values);
}

function probeRule(t: Texts): Rule {
  const literal: Value = { op: "literal", value: t.containerLiteral };
  const rule = defineRule({
    id: RULE_ID,
    title: t.title,
    description: t.description,
    severity: "medium",
    category: t.category,
    profiles: ["best-practice"],
    references: {},
    remediation: t.remediation,
    match: workloads,
    checks: ({ pod, object }) => [
      when(equals(pod.spec.hostIPC, true), message(t.podMessage, object.metadata.name)),
      forEach(containers(pod), (container) =>
        when(equals(container.securityContext.privileged, true), message([...t.containerMessage, ""], container.name, literal)),
      ),
      when(equals(pod.spec.hostPID, true), message([t.plainMessage])),
    ],
  });
  // The probe must be a rule the pack accepts, so a failure below is never a malformed input.
  validateRule(rule, "test/properties/escaping.test.ts");
  return rule;
}

/** A Pod violating every check: hostIPC and hostPID on, two of its three containers privileged. */
function violatingPod(t: Texts): Fixture["object"] {
  const [first, second, init] = t.containerNames;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: t.podName, namespace: "default" },
    spec: {
      hostIPC: true,
      hostPID: true,
      containers: [
        { name: first, image: "registry.example/app:1", securityContext: { privileged: true } },
        { name: second, image: "registry.example/sidecar:1" },
      ],
      initContainers: [{ name: init, image: "registry.example/init:1", securityContext: { privileged: true } }],
    },
  };
}

const config = testConfig();

function generate(rule: Rule): OutputFile[] {
  return [gatekeeper, kyverno, kyvernoClusterPolicy, vap].flatMap((generator) => generator.generate([enabled(rule)], config));
}

/** The engines over a probe's files; the probe sets no parameters, so no rule is generated again. */
const enginesOf = (files: OutputFile[]) => engines({ files: generatedFilesOf(files), rules: [] });

/** The documents of a generated file; fails the test on any YAML error or warning. */
function documents(file: OutputFile): any[] {
  return parseAllDocuments(file.content).map((doc) => {
    expect(doc.errors.map((e) => e.message), `${file.path}: YAML errors`).toEqual([]);
    expect(doc.warnings.map((w) => w.message), `${file.path}: YAML warnings`).toEqual([]);
    return doc.toJS();
  });
}

/** The probe rule generated, with the violating Pod and the reference's messages for it. */
interface Probe {
  texts: Texts;
  files: OutputFile[];
  pod: Fixture;
  /** Per check, as the reference evaluator renders them. */
  reference: string[][];
}

function prepare(texts: Texts): Probe {
  const rule = probeRule(texts);
  const files = generate(rule);
  const object = violatingPod(texts);
  const reference = evaluateChecks(rule, object, defaultParams(rule));
  // Not vacuous: one hostIPC violation, two privileged containers, one hostPID violation.
  expect(reference.map((messages) => messages.length)).toEqual([1, 2, 1]);
  const pod: Fixture = {
    file: "test/properties/escaping.test.ts",
    name: "violating-pod",
    description: "hostIPC, hostPID and privileged containers",
    verdict: "violation",
    violations: reference.flat(),
    parameters: {},
    podSecurityVersion: "latest",
    operation: "CREATE",
    object,
  };
  return { texts, files, pod, reference };
}

/** Where each generator puts the rule's text, read back from the parsed YAML. */
function expectTextInYaml({ files, texts: t }: Probe): void {
  const parsed = new Map(files.map((file) => [file.path, documents(file)]));
  const [template] = parsed.get(`gatekeeper/templates/${RULE_ID}.yaml`)!;
  const [policy] = parsed.get(`kyverno/${RULE_ID}.yaml`)!;
  const [clusterPolicy] = parsed.get(`kyverno-clusterpolicy/${RULE_ID}.yaml`)!;
  const [admissionPolicy] = parsed.get(`vap/${RULE_ID}.yaml`)!;

  expect(template.metadata.annotations["metadata.gatekeeper.sh/title"]).toBe(t.title);
  expect(template.metadata.annotations.description).toBe(t.description);
  expect(template.metadata.annotations["policypack/category"]).toBe(t.category);
  expect(policy.metadata.annotations["policies.kyverno.io/title"]).toBe(t.title);
  expect(policy.metadata.annotations["policies.kyverno.io/description"]).toBe(t.description);
  expect(policy.metadata.annotations["policies.kyverno.io/category"]).toBe(t.category);
  expect(clusterPolicy.metadata.annotations).toMatchObject({
    "policies.kyverno.io/title": t.title,
    "policies.kyverno.io/description": t.description,
    "policies.kyverno.io/category": t.category,
  });

  // The static fallback message: the title itself in a ClusterPolicy; in ValidatingPolicy, VAP
  // and Gatekeeper's CEL, where Kubernetes forbids line breaks in it, the title on one line.
  const kyvernoMessages = clusterPolicy.spec.rules.flatMap((r: any) => r.validate.cel.expressions.map((e: any) => e.message));
  for (const m of kyvernoMessages) expect(m).toBe(t.title);
  const oneLineMessages = [
    ...admissionPolicy.spec.validations.map((v: any) => v.message),
    ...policy.spec.validations.map((v: any) => v.message),
    ...template.spec.targets[0].code.find((c: any) => c.engine === "K8sNativeValidation").source.validations.map((v: any) => v.message),
  ];
  for (const m of oneLineMessages) {
    expect(m).not.toMatch(/[\r\n]/);
    if (!/[\r\n]/.test(t.title)) expect(m).toBe(t.title);
  }
}

/** Gatekeeper keeps violations in a set, each with its field's path: equal messages stay apart, order carries no meaning. */
async function expectRegoAgrees({ files, pod, reference }: Probe): Promise<void> {
  expect((await enginesOf(files)("gatekeeper-rego", RULE_ID, pod)).sort(), "Gatekeeper Rego").toEqual(reference.flat().sort());
}

/**
 * CEL has one message per check, the elements' joined by MESSAGE_SEPARATOR; the CEL engine splits
 * it again, so a separator inside the text splits too. Expected: exactly that, in order.
 */
async function expectCelAgrees({ files, pod, reference }: Probe): Promise<void> {
  const expected = reference.filter((messages) => messages.length > 0).flatMap((messages) => messages.join(MESSAGE_SEPARATOR).split(MESSAGE_SEPARATOR));
  const engine = enginesOf(files);
  for (const name of CEL_ENGINES) expect(await engine(name, RULE_ID, pod), name).toEqual(expected);
}

async function expectIntactEverywhere(texts: Texts): Promise<void> {
  const probe = prepare(texts);
  expectTextInYaml(probe);
  await expectRegoAgrees(probe);
  await expectCelAgrees(probe);
}

// ---- arbitraries ----

/** Pieces that break naive YAML, Rego, CEL, sprintf or handlebars output. */
const HOSTILE_PIECES = [
  '"', "'", "\\", "`", "%", "{", "}", "$", "\n", "\r", "\r\n", "\t", "{{", "}}", "{{{", "{{ .x }}", "%v", "%s", "%d", "%%", "%!",
  "${x}", "\\n", "\\u0041", "\\U0001F600", "; ", ": ", "- ", "#", "---", "...", "|", ">", "&a", "*a", "!tag", "?", "@", "~", "null",
  "true", "é", "ü", "ß", "中文", "😀", "👩‍👩‍👧", "\u{10FFFF}", "\u0301", "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u00a0",
  "\u2028", "\u2029", "\ufeff", " ",
];

const oneCodePoint = (unit: "grapheme-ascii" | "binary") => fc.string({ unit, minLength: 1, maxLength: 1 });
const hostileText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
    { weight: 2, arbitrary: oneCodePoint("grapheme-ascii") },
    { weight: 1, arbitrary: oneCodePoint("binary") },
  ),
  maxLength: 12,
});
/** Hostile mixes mostly; plain random Unicode strings (any code point, or graphemes) too. */
const userText = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
);
/** Text a rule may carry: validateRule refuses characters Kubernetes' YAML reader cannot take. */
const ruleText = userText.filter((s) => unreadableCharacter(s) === undefined);
/** Rule fields the pack requires to be non-blank. */
const fieldText = ruleText.filter((s) => s.trim() !== "");

const texts: fc.Arbitrary<Texts> = fc.record({
  title: fieldText,
  description: fieldText,
  category: fieldText,
  remediation: fieldText,
  podMessage: fc.tuple(ruleText, ruleText),
  containerMessage: fc.tuple(ruleText, ruleText),
  containerLiteral: userText,
  plainMessage: ruleText.filter((s) => s !== ""),
  podName: userText,
  containerNames: fc.tuple(userText, userText, userText),
});

// ---- tests ----

describe("user text survives every output intact", () => {
  test("property: random hostile text in YAML, Rego and CEL", async () => {
    await fc.assert(fc.asyncProperty(texts, expectIntactEverywhere), { seed: 42, numRuns: 100 });
  });

  /** A test name showing invisible characters as escapes: "\u2028", not a blank. */
  const visible = (text: string) =>
    JSON.stringify(text).replace(/(?! )[\p{C}\p{Z}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);

  /**
   * One nasty case everywhere at once, so a failure names the character at fault: in the rule's
   * own text when a rule may carry it, and always in the literal and in the object's names.
   */
  function everywhere(nasty: string): Texts {
    const around = (label: string) => `${nasty}${label}${nasty}`;
    const text = unreadableCharacter(nasty) === undefined ? around : (label: string) => label;
    return {
      title: text("title"),
      description: text("description"),
      category: text("category"),
      remediation: text("remediation"),
      podMessage: [text("pod "), text(" shares the host IPC namespace")],
      containerMessage: [text("container "), text(" is privileged")],
      containerLiteral: around("literal"),
      plainMessage: text("hostPID is true"),
      podName: around("pod"),
      containerNames: [around("app"), around("sidecar"), around("init")],
    };
  }

  // The last three: a line separator inside a Rego string literal; text ending in Unicode white
  // space (no-break space, ideographic space) or in a space before a line break, which a YAML
  // serializer writes unquoted.
  const NASTY_CASES = ['"', "\\", "%s", "%%", "{{ .x }}", "}}", "\n", "café", "😀", "\u0000", "\u2028", "\u00a0", " \n"];
  describe.each(NASTY_CASES.map((nasty) => [visible(nasty), nasty]))("%s everywhere", (_label, nasty) => {
    test("the YAML carries the text", () => expectTextInYaml(prepare(everywhere(nasty))));
    test("Gatekeeper's Rego reports the reference's messages", () => expectRegoAgrees(prepare(everywhere(nasty))));
    test("the CEL engines report the reference's messages", () => expectCelAgrees(prepare(everywhere(nasty))));
  });

  // Kubernetes reads YAML with go-yaml, a port of libyaml (YAML 1.1): it rejects a file holding
  // DEL, C1 controls or U+FFFE/U+FFFF, and reads NEL, U+2028 and U+2029 as line breaks. The
  // generated files must hold none of them raw; escaped (`\x85`, `\u2028`) they are fine.
  const YAML_1_1_UNREADABLE = /[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|[\u2028\u2029]/u;
  const YAML_1_1_CASES = ["\u007f", "\u0080", "\u0085", "\u2028", "\u2029", "\ufffe"];
  test.each(YAML_1_1_CASES.map((nasty) => [visible(nasty), nasty]))("a rule's own text holding %s is refused, naming the field", (_label, nasty) => {
    const code = nasty.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    expect(() => probeRule({ ...everywhere(""), title: `a${nasty}b` })).toThrow(
      `test/properties/escaping.test.ts: rule "escaping-probe" title: contains the character U+${code}, which Kubernetes' YAML reader refuses or reads as a line break`,
    );
  });
  test.each(YAML_1_1_CASES.map((nasty) => [visible(nasty), nasty]))("YAML 1.1 readers (Kubernetes' go-yaml) read %s intact", (_label, nasty) => {
    for (const file of generate(probeRule(everywhere(nasty)))) {
      const raw = YAML_1_1_UNREADABLE.exec(file.content);
      expect(raw && `raw U+${raw[0].codePointAt(0)!.toString(16).padStart(4, "0")}`, file.path).toBeNull();
    }
  });
});
