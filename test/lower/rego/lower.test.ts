import { readFileSync } from "node:fs";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, test } from "vitest";
import { loadRules } from "../../../src/catalog/rules.ts";
import { compileRego } from "../../../src/compiler/index.ts";
import { defaultConfig } from "../../../src/config/load.ts";
import { parseModule } from "../../../src/compiler/syntax/index.ts";
import { evaluate } from "../../../src/lower/reference/evaluate.ts";
import { lowerRego } from "../../../src/lower/rego/index.ts";
import { type Json, type ParamValues, type Rule, defaultParams, defineRule, equals, kinds, msg, when } from "../../../src/model/index.ts";
import { CONSTRUCT_RULES } from "./construct-rules.ts";

// The built-in rules, as the catalog loads them without a config file.
const builtinRules = (await loadRules({ file: undefined, config: defaultConfig(), ruleDirs: [], docsDir: undefined })).map(({ rule }) => rule);

const golden = (name: string) => readFileSync(new URL(`golden/${name}.rego`, import.meta.url), "utf8");

/** Every string literal in a parsed module, decoded. */
function stringLiterals(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => stringLiterals(n, found));
  else if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    if (record.type === "string" && typeof record.value === "string") found.push(record.value);
    Object.values(record).forEach((v) => stringLiterals(v, found));
  }
  return found;
}

/** The messages the lowered Rego reports, compiled by the project's compiler and run through the OPA Wasm SDK. */
async function regoMessages(rule: Rule, object: Json, parameters: ParamValues = {}): Promise<string[]> {
  const lowered = lowerRego(rule);
  const entrypoint = `${lowered.packageName.replaceAll(".", "/")}/violation`;
  const sources = [lowered.module, ...lowered.libs].map((text, i) => ({ file: `${rule.id}#${i}`, text, regoVersion: 1 as const }));
  const policy = await loadPolicy(compileRego(sources, [entrypoint]));
  const resultSet = policy.evaluate({ review: { object }, parameters }, entrypoint) as Array<{ result: Array<{ msg: string }> }>;
  return resultSet.flatMap((r) => r.result.map((v) => v.msg)).sort();
}

function referenceMessages(rule: Rule, object: Json, parameters: ParamValues = {}): string[] {
  return evaluate(rule, object, { ...defaultParams(rule), ...parameters })
    .map((v) => v.message)
    .sort();
}

describe("lowerRego: golden modules, one per group of constructs", () => {
  test.each(Object.keys(CONSTRUCT_RULES))("%s", (name) => {
    const lowered = lowerRego(CONSTRUCT_RULES[name]!);
    expect(lowered.module).toBe(golden(name));
    expect(() => parseModule(lowered.module, name, { regoVersion: 1 })).not.toThrow();
  });
});

describe("lowerRego: every built-in rule", () => {
  test.each(builtinRules.map((r) => [r.id, r]))("%s parses as Rego v1, library included", (_id, rule) => {
    const lowered = lowerRego(rule);
    expect(lowered.packageName).toBe(`policypack.${rule.id.replaceAll("-", "_")}`);
    for (const [i, text] of [lowered.module, ...lowered.libs].entries()) {
      expect(() => parseModule(text, `${rule.id}#${i}`, { regoVersion: 1 })).not.toThrow();
    }
  });

  test("output is deterministic", () => {
    for (const rule of builtinRules) expect(lowerRego(rule)).toEqual(lowerRego(rule));
  });
});

describe("lowerRego: text survives Rego string escaping", () => {
  const rule = CONSTRUCT_RULES["text-escapes"]!;
  const literals = stringLiterals(parseModule(lowerRego(rule).module, "text-escapes", { regoVersion: 1 }));

  test("a literal in a condition decodes to itself", () => {
    expect(literals).toContain('say "hi"\\ 100% {{ x }}\nnext\ttab ü 日本 😀');
  });

  test("a sprintf format keeps the text, with % doubled", () => {
    expect(literals).toContain('Quote " backslash \\ percent 100%% braces {{ name }} line\nbreak tab\tü 日本 😀 %s %%s %%%%');
  });

  test("a message without values is the text itself", () => {
    expect(literals).toContain('plain 50% "literal" {{ }} \\ only');
  });

  test("the compiled module renders the text exactly as the reference evaluator", async () => {
    const name = 'say "hi"\\ 100% {{ x }}\nnext\ttab ü 日本 😀';
    const object = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { schedulerName: name, hostIPC: true } };
    const messages = await regoMessages(rule, object);
    expect(messages).toEqual(referenceMessages(rule, object));
    expect(messages).toContain(`Quote " backslash \\ percent 100% braces {{ name }} line\nbreak tab\tü 日本 😀 ${name} %s %%`);
  });
});

describe("lowerRego: the compiled module agrees with the reference evaluator", () => {
  const pod = (spec: Record<string, Json>, metadata: Record<string, Json> = { name: "p" }): Json => ({ apiVersion: "v1", kind: "Pod", metadata, spec });
  const cases: Array<[string, Json, ParamValues?]> = [
    ["value-tests", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "team-a-tmp" }, data: {}, immutable: false, weight: 11 }],
    ["value-tests", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "abc.io" }, immutable: true, weight: "11" }, { strict: true }],
    ["value-tests", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: {}, weight: -3 }],
    ["value-tests", { apiVersion: "v1", kind: "Secret", metadata: { name: "team-x-tmp" }, data: {} }],
    ["value-tests", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, weight: 9.5 }],
    ["value-tests", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, weight: null }, { limit: 1 }],
    ["value-tests", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, weight: 8 }],
    ["list-tests", pod({ containers: [{ name: "c", image: "a", imagePullPolicy: "Always", workingDir: "/w", args: ["x"], command: ["c"] }] })],
    ["list-tests", pod({ containers: [{ name: "b", image: "x", ports: [{ containerPort: 80 }, { containerPort: 8080 }] }] }), { allowed: ["x*"], ports: [80] }],
    ["list-tests", pod({ initContainers: [{ name: "i", imagePullPolicy: "Never", args: "not-a-list", workingDir: "/w" }] })],
    ["logic", pod({ hostname: "h", dnsPolicy: "None" })],
    ["logic", pod({ hostname: "h", hostPID: false, subdomain: "s", hostNetwork: true, restartPolicy: "Always" })],
    ["logic", pod({ hostname: "h", subdomain: "s", hostNetwork: false })],
    ["iterations", pod({ containers: [{ name: "c", volumeMounts: [{ readOnly: true }] }], volumes: [{ name: "v", emptyDir: {} }] })],
    ["iterations", pod({ containers: [{ name: "c" }], volumes: [{ name: "v", hostPath: {} }] }, { name: "p", labels: { app: "x" }, annotations: { "x/a": "1", b: "c" } })],
    ["iterations", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: {} }],
    ["values", pod({ securityContext: { runAsNonRoot: false, runAsUser: 0 }, containers: [{ name: "a" }, { name: "b", securityContext: { runAsNonRoot: true } }] })],
    ["values", pod({ containers: [{ name: "a", securityContext: { runAsNonRoot: false } }], securityContext: { supplementalGroups: [5, 1001, 2000] } }, { name: "p", finalizers: ["vol/a", "x", "vol/b"], labels: { "vol/x": "1" } })],
    ["ignoring-case", pod({ containers: [{ name: "a", securityContext: { capabilities: { add: ["net_admin", "CHOWN", "Sys_Time", "\u212Aill", 5, null], drop: ["all"] } } }] })],
    ["ignoring-case", pod({ containers: [{ name: "a", securityContext: { capabilities: { drop: ["ALL "] } } }, { name: "b" }] }), { required: ["net_raw", "Kill", 7] }],
    ["values", { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cj" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "x", resources: { limits: { cpu: 1 } } }] } } } } } }],
  ];
  test.each(cases.map(([name, object, params], i) => [`${name} #${i}`, name, object, params ?? {}] as const))(
    "%s",
    async (_label, name, object, params) => {
      const rule = CONSTRUCT_RULES[name]!;
      expect(await regoMessages(rule, object, params)).toEqual(referenceMessages(rule, object, params));
    },
  );
});

describe("lowerRego: rules it cannot lower", () => {
  test("an undeclared parameter is named", () => {
    const rule = defineRule({
      id: "bad-param",
      title: "t",
      description: "d",
      severity: "low",
      category: "c",
      profiles: [],
      references: {},
      remediation: "r",
      match: kinds<{ kind: string }>({ group: "", version: "v1", kind: "ConfigMap" }),
      checks: ({ object }) => [when(equals(object.kind, { op: "param", name: "missing" } as never), msg`x`)],
    });
    expect(() => lowerRego(rule)).toThrow('rule bad-param: cannot lower to Rego: parameter "missing" is not declared');
  });

  test("the pod of a rule that matches kinds", () => {
    const rule: Rule = {
      ...CONSTRUCT_RULES["value-tests"]!,
      id: "pod-of-kinds",
      checks: [{ when: { op: "present", value: { op: "path", scope: { kind: "podSpec" }, segments: [] } }, message: { parts: ["x"] } }],
    };
    expect(() => lowerRego(rule)).toThrow("rule pod-of-kinds: cannot lower to Rego: the pod is only there for rules matching workloads");
  });
});
