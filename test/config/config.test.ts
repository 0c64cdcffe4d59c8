// policypack.config.yaml: shape errors name the file and the field path; rule ids and parameters
// are checked against the loaded rules; defaults fill everything left out.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { loadConfig } from "../../src/config/load.ts";
import { enabledRules } from "../../src/config/resolve.ts";
import type { LoadedRule } from "../../src/config/types.ts";
import { containers, defineRule, equals, forEach, isIn, kinds, msg, present, when, workloads } from "../../src/model/index.ts";

const dir = tempDir("config");
let count = 0;
function configFile(text: string): string {
  const file = join(dir, `config-${count++}.yaml`);
  writeFileSync(file, text);
  return file;
}

const meta = {
  title: "A test rule",
  description: "Used by the config tests.",
  severity: "low",
  category: "Test",
  references: {},
  remediation: "None needed.",
} as const;

const rules: LoadedRule[] = [
  {
    file: "rules/alpha/rule.ts",
    rule: defineRule({
      ...meta,
      id: "alpha",
      profiles: ["pss-baseline"],
      match: workloads,
      checks: ({ pod }) => [when(equals(pod.spec.hostIPC, true), msg`hostIPC`)],
    }),
  },
  {
    file: "rules/beta/rule.ts",
    rule: defineRule({
      ...meta,
      id: "beta",
      profiles: ["best-practice"],
      match: workloads,
      params: {
        names: { type: "string[]", description: "Allowed names.", default: ["a"], earlierDefaults: [{ before: "v1.30", default: ["old"] }, { before: "v1.20", default: ["older"] }] },
        limit: { type: "integer", description: "A limit.", default: 3 },
        maximum: { type: "string", format: "quantity", description: "A quantity.", default: "-1" },
        mode: { type: "string", description: "A mode.", default: "strict", oneOf: ["strict", "loose"] },
        ranges: { type: "object[]", fields: { low: "integer", high: "integer" }, description: "Ranges.", default: [] },
      },
      checks: ({ pod, params }) => [
        forEach(containers(pod), (c) => when(isIn(c.name, params.names), msg`${c.name} over ${params.limit}`)),
      ],
    }),
  },
  {
    file: "custom/gamma.ts",
    rule: defineRule({
      ...meta,
      id: "gamma",
      profiles: [],
      match: kinds({ group: "", version: "v1", kind: "Namespace" }),
      checks: ({ object }) => [when(present(object), msg`namespace`)],
    }),
  },
];

function resolve(text: string) {
  return enabledRules(loadConfig(configFile(text)), rules);
}

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("loadConfig", () => {
  it("fills in the defaults for an empty file", () => {
    const file = configFile("");
    expect(loadConfig(file)).toEqual({
      file,
      ruleDirs: [],
      config: {
        profiles: ["pss-baseline"],
        enableRules: [],
        disableRules: [],
        enforcement: "deny",
        ruleEnforcement: {},
        excludedNamespaces: ["kube-system"],
        exemptionAnnotation: false,
        podSecurityVersion: "latest",
        parameters: {},
        ruleDirs: [],
      },
    });
  });

  it("reads every field and resolves ruleDirs against the config file's folder", () => {
    const file = configFile(
      [
        "profiles: [best-practice]",
        "rules: { enable: [gamma], disable: [alpha], enforcement: { beta: audit } }",
        "enforcement: warn",
        "excludedNamespaces: [kube-system, monitoring]",
        "exemptionAnnotation: true",
        "podSecurityVersion: v1.30",
        "parameters: { beta: { limit: 5 } }",
        "ruleDirs: [custom, ../shared]",
      ].join("\n"),
    );
    expect(loadConfig(file)).toEqual({
      file,
      ruleDirs: [join(dir, "custom"), join(dir, "../shared")],
      config: {
        profiles: ["best-practice"],
        enableRules: ["gamma"],
        disableRules: ["alpha"],
        enforcement: "warn",
        ruleEnforcement: { beta: "audit" },
        excludedNamespaces: ["kube-system", "monitoring"],
        exemptionAnnotation: true,
        podSecurityVersion: "v1.30",
        parameters: { beta: { limit: 5 } },
        ruleDirs: ["custom", "../shared"],
      },
    });
  });

  it("reports a missing config file that was named explicitly", () => {
    const file = join(dir, "nope.yaml");
    expect(errorOf(() => loadConfig(file))).toBe(`${file}: config file not found`);
  });

  it.each([
    ["profile: [pss-baseline]", '(top level): unknown field "profile"'],
    ["enforcement: block", 'enforcement: must be one of "deny", "warn", "audit"'],
    ["rules: { enforcement: { alpha: enforce } }", 'rules.enforcement.alpha: must be one of "deny", "warn", "audit"'],
    ["rules: { enabled: [alpha] }", 'rules: unknown field "enabled"'],
    ["rules: { enable: alpha }", "rules.enable: must be array"],
    ["excludedNamespaces: [Kube_System]", 'excludedNamespaces.0: must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"'],
    ["parameters: { beta: 3 }", "parameters.beta: must be object"],
    ["ruleDirs: [a, a]", "ruleDirs: must NOT have duplicate items (items ## 1 and 0 are identical)"],
    ["- just a list", "(top level): must be object"],
    ["podSecurityVersion: 1.30", 'podSecurityVersion: must be string'],
    ["podSecurityVersion: v1.3x", 'podSecurityVersion: must match pattern "^(latest|v1\\.(0|[1-9][0-9]*))$"'],
  ])("rejects %j", (text, problem) => {
    const file = configFile(text);
    expect(errorOf(() => loadConfig(file))).toBe(`${file}: ${problem}`);
  });

  it("reports YAML syntax errors with line and column", () => {
    const file = configFile("profiles: [pss-baseline\nenforcement: deny\n");
    expect(errorOf(() => loadConfig(file))).toBe(`${file}:2:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`);
  });
});

describe("enabledRules", () => {
  it("enables the default profile's rules with defaults", () => {
    expect(resolve("")).toEqual([
      { rule: rules[0]!.rule, file: "rules/alpha/rule.ts", params: {}, enforcement: "deny" },
    ]);
  });

  it("adds rules.enable, removes rules.disable, merges parameters, applies per-rule enforcement", () => {
    const enabled = resolve(
      [
        "profiles: [pss-baseline, best-practice]",
        "rules: { enable: [gamma], disable: [alpha], enforcement: { beta: audit } }",
        "enforcement: warn",
        "parameters: { beta: { limit: 10 } }",
      ].join("\n"),
    );
    expect(enabled.map((e) => [e.rule.id, e.enforcement, e.params])).toEqual([
      ["beta", "audit", { names: ["a"], limit: 10, maximum: "-1", mode: "strict", ranges: [] }],
      ["gamma", "warn", {}],
    ]);
  });

  it.each([
    ["latest", ["a"]],
    ["v1.30", ["a"]],
    ["v1.29", ["old"]],
    ["v1.19", ["older"]],
  ])("takes the parameter defaults of podSecurityVersion %s", (version, names) => {
    const enabled = resolve(`profiles: [best-practice]\npodSecurityVersion: ${version}\nparameters: { beta: { limit: 10 } }`);
    expect(enabled.find((e) => e.rule.id === "beta")!.params).toEqual({ names, limit: 10, maximum: "-1", mode: "strict", ranges: [] });
  });

  it.each([
    ["parameters: { delta: { x: 1 } }", 'parameters.delta: unknown rule "delta" (see `policypack list`)'],
    ["parameters: { beta: { limits: 1 } }", 'parameters.beta.limits: rule "beta" has no parameter "limits" (parameters: names, limit, maximum, mode, ranges)'],
    ["parameters: { alpha: { x: 1 } }", 'parameters.alpha.x: rule "alpha" has no parameter "x" (it takes none)'],
    ["parameters: { beta: { limit: '3' } }", 'parameters.beta.limit: must be an integer, got "3"'],
    ["parameters: { beta: { limit: 2.5 } }", "parameters.beta.limit: must be an integer, got 2.5"],
    ["parameters: { beta: { names: [a, 1] } }", 'parameters.beta.names: must be a list of strings, got ["a",1]'],
    ["parameters: { beta: { maximum: 2 cores } }", 'parameters.beta.maximum: must be a Kubernetes quantity such as 500m, 2 or 1Gi, got "2 cores"'],
    ["parameters: { beta: { maximum: 1KB } }", 'parameters.beta.maximum: must be a Kubernetes quantity such as 500m, 2 or 1Gi, got "1KB"'],
    ["parameters: { beta: { maximum: 2 } }", "parameters.beta.maximum: must be a string, got 2"],
    ["parameters: { beta: { mode: Strict } }", 'parameters.beta.mode: must be one of "strict", "loose", got "Strict"'],
    ["parameters: { beta: { ranges: [{ min: 1, max: 2 }] } }", 'parameters.beta.ranges: must be a list of objects of low (an integer) and high (an integer), got [{"min":1,"max":2}]'],
    ["parameters: { beta: { ranges: [{ low: 1 }] } }", 'parameters.beta.ranges: must be a list of objects of low (an integer) and high (an integer), got [{"low":1}]'],
    ["parameters: { beta: { ranges: [{ low: 1, high: '2' }] } }", 'parameters.beta.ranges: must be a list of objects of low (an integer) and high (an integer), got [{"low":1,"high":"2"}]'],
    ["parameters: { beta: { ranges: { low: 1, high: 2 } } }", 'parameters.beta.ranges: must be a list of objects of low (an integer) and high (an integer), got {"low":1,"high":2}'],
    ["rules: { enable: [alpha, delta] }", 'rules.enable.1: unknown rule "delta" (see `policypack list`)'],
    ["rules: { disable: [delta] }", 'rules.disable.0: unknown rule "delta" (see `policypack list`)'],
    ["rules: { enable: [gamma], disable: [gamma] }", 'rules.disable.0: rule "gamma" is also in rules.enable'],
    ["rules: { enforcement: { delta: warn } }", 'rules.enforcement.delta: unknown rule "delta" (see `policypack list`)'],
    ["profiles: [pss-basline]", 'profiles.0: no rule belongs to profile "pss-basline" (profiles: best-practice, pss-baseline)'],
  ])("rejects %j", (text, problem) => {
    const file = configFile(text);
    expect(errorOf(() => enabledRules(loadConfig(file), rules))).toBe(`${file}: ${problem}`);
  });
});
