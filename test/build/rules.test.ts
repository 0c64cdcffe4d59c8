// Rule validation at load time: every problem is reported against the file, the rule and the field.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.ts";
import { loadRules } from "../../src/catalog/rules.ts";
import { loadConfig } from "../../src/config/load.ts";
import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";
import type { Rule } from "../../src/model/rule.ts";
import { validateRule } from "../../src/model/validate.ts";

const MODEL = new URL("../../src/model/index.ts", import.meta.url).pathname;
const root = tempDir("rules");

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

async function asyncErrorOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

const meta = {
  id: "good-rule",
  title: "A good rule",
  description: "Valid in every way.",
  severity: "medium" as const,
  category: "Test",
  profiles: ["best-practice"],
  match: workloads,
  references: {},
  remediation: "Nothing to do.",
};

const good = defineRule({
  ...meta,
  params: { flag: { type: "boolean", description: "A flag.", default: true } },
  checks: ({ pod, params }) => [when(equals(pod.spec.hostIPC, params.flag), msg`flag ${params.flag}`)],
});

const variant = (changes: Record<string, unknown>): unknown => ({ ...good, ...changes });
const check = (rule: unknown) => errorOf(() => validateRule(rule, "custom/x.ts"));

describe("validateRule", () => {
  it("accepts a well-formed rule", () => {
    expect(() => validateRule(good, "custom/x.ts")).not.toThrow();
  });

  it.each([
    [{ id: "Good_Rule" }, 'custom/x.ts: id: "Good_Rule" is not a kebab-case rule id (like "host-ipc")'],
    [{ id: "good--rule" }, 'custom/x.ts: id: "good--rule" is not a kebab-case rule id (like "host-ipc")'],
    [{ id: undefined }, 'custom/x.ts: id: undefined is not a kebab-case rule id (like "host-ipc")'],
    [{ title: "" }, 'custom/x.ts: rule "good-rule" title: must be a non-empty string'],
    [{ remediation: "  " }, 'custom/x.ts: rule "good-rule" remediation: must be a non-empty string'],
    [{ description: undefined }, 'custom/x.ts: rule "good-rule" description: must be a non-empty string'],
    [{ severity: "severe" }, 'custom/x.ts: rule "good-rule" severity: must be one of "low", "medium", "high", "critical"'],
    [{ match: { type: "kinds", kinds: [] } }, 'custom/x.ts: rule "good-rule" match.kinds: names no kind: a `kinds` match needs at least one kind'],
    [{ match: { type: "kinds", kinds: [{ group: "apps", kind: "Deployment" }] } }, 'custom/x.ts: rule "good-rule" match.kinds[0]: must be { group, version, kind } (group "" for the core group)'],
    [{ params: { flag: { type: "boolean", description: "A flag.", default: "yes" } } }, 'custom/x.ts: rule "good-rule" params.flag.default: must be a boolean, got "yes" (the parameter\'s type is boolean)'],
    [{ params: { flag: { type: "bool", description: "A flag.", default: true } } }, 'custom/x.ts: rule "good-rule" params.flag.type: must be one of "string", "integer", "boolean", "string[]", "integer[]", "object[]"'],
    [{ params: { mode: { type: "string", description: "A mode.", default: "fast", oneOf: ["strict", "loose"] } } }, 'custom/x.ts: rule "good-rule" params.mode.default: must be one of "strict", "loose", got "fast" (the parameter\'s type is string)'],
    [{ params: { limit: { type: "integer", description: "A limit.", default: 1, oneOf: ["1"] } } }, 'custom/x.ts: rule "good-rule" params.limit.oneOf: must be a list of strings, on a string parameter'],
    [{ params: { options: { type: "object[]", description: "Options.", default: [{ type: 1 }] } } }, 'custom/x.ts: rule "good-rule" params.options.default: must be a list of objects of strings, got [{"type":1}] (the parameter\'s type is object[])'],
    [{ params: { ranges: { type: "object[]", fields: { low: "integer", high: "integer" }, description: "Ranges.", default: [{ low: 1 }] } } }, 'custom/x.ts: rule "good-rule" params.ranges.default: must be a list of objects of low (an integer) and high (an integer), got [{"low":1}] (the parameter\'s type is object[])'],
    [{ params: { ranges: { type: "object[]", fields: { low: "integer" }, description: "Ranges.", default: [{ low: 1, high: 2 }] } } }, 'custom/x.ts: rule "good-rule" params.ranges.default: must be a list of objects of low (an integer), got [{"low":1,"high":2}] (the parameter\'s type is object[])'],
    [{ params: { ranges: { type: "object[]", fields: { low: "integer" }, description: "Ranges.", default: [{ low: "1" }] } } }, 'custom/x.ts: rule "good-rule" params.ranges.default: must be a list of objects of low (an integer), got [{"low":"1"}] (the parameter\'s type is object[])'],
    [{ params: { ranges: { type: "object[]", fields: { low: "number" }, description: "Ranges.", default: [] } } }, 'custom/x.ts: rule "good-rule" params.ranges.fields: must map field names to "string" or "integer", on an object[] parameter'],
    [{ params: { ranges: { type: "object[]", fields: {}, description: "Ranges.", default: [] } } }, 'custom/x.ts: rule "good-rule" params.ranges.fields: must map field names to "string" or "integer", on an object[] parameter'],
    [{ params: { low: { type: "integer", fields: { low: "integer" }, description: "Low.", default: 1 } } }, 'custom/x.ts: rule "good-rule" params.low.fields: must map field names to "string" or "integer", on an object[] parameter'],
    [{ remedation: "typo" }, 'custom/x.ts: rule "good-rule" remedation: unknown field (a rule has id, title, description, severity, category, profiles, references, remediation, match, params, checks)'],
    [{ match: { type: "workloads", workloads: [] } }, 'custom/x.ts: rule "good-rule" match.workloads: names no kind: a workloads match needs at least one pod-bearing kind'],
    [{ checks: [] }, 'custom/x.ts: rule "good-rule" checks: must return at least one check'],
    [{ references: { polaris2: "x" } }, 'custom/x.ts: rule "good-rule" references.polaris2: unknown reference (known: pss, polaris, gatekeeper, kyverno, kics, datadog, urls)'],
    [{ references: { polaris: "" } }, 'custom/x.ts: rule "good-rule" references.polaris: must be a non-empty string or a non-empty list of them'],
    [{ references: { kyverno: [] } }, 'custom/x.ts: rule "good-rule" references.kyverno: must be a non-empty string or a non-empty list of them'],
    [{ references: { kyverno: ["disallow-host-ports", ""] } }, 'custom/x.ts: rule "good-rule" references.kyverno: must be a non-empty string or a non-empty list of them'],
  ])("rejects %j", (changes, message) => {
    expect(check(variant(changes))).toBe(message);
  });

  it("rejects a default export that is not a rule", () => {
    expect(check(undefined)).toBe("custom/x.ts: the default export is not a rule (write `export default defineRule({ ... })`)");
  });

  it("names a parameter a message uses without declaring it", () => {
    const rule = defineRule({
      ...meta,
      checks: ({ pod, params }) => [
        when(equals(pod.spec.hostIPC, true), msg`needs ${(params as Record<string, never>).labelKy}`),
      ],
    });
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].message: message names unknown parameter `labelKy` (declare it in params)');
  });

  it("names a parameter a condition uses without declaring it", () => {
    const rule = defineRule({
      ...meta,
      checks: ({ pod, params }) => [when(equals(pod.spec.hostIPC, (params as Record<string, never>).flag), msg`x`)],
    });
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].when: condition names unknown parameter `flag` (declare it in params)');
  });

  it("rejects a binding used outside its iteration", () => {
    const rule: Rule = {
      ...good,
      checks: [
        {
          when: { op: "present", value: { op: "path", scope: { kind: "binding", name: "container" }, segments: ["name"] } },
          message: { parts: ["x"] },
        },
      ],
    };
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].when: condition refers to `container` outside the iteration that binds it');
  });

  it("rejects pod paths in a rule that matches kinds", () => {
    const rule: Rule = {
      ...good,
      match: { type: "kinds", kinds: [{ group: "", version: "v1", kind: "Service" }] },
      checks: [{ when: { op: "present", value: { op: "path", scope: { kind: "podSpec" }, segments: ["hostIPC"] } }, message: { parts: ["x"] } }],
    };
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].when: condition uses `pod`, which needs `match: workloads`');
  });

  it("rejects a check iterating a parameter: a violation is about the object", () => {
    const rule: Rule = {
      ...good,
      params: { names: { type: "string[]", description: "Names.", default: ["a"] } },
      checks: [
        {
          each: { collection: { op: "paramItems", list: { op: "param", name: "names" } }, bind: "name" },
          when: { op: "present", value: { op: "path", scope: { kind: "binding", name: "name" }, segments: [] } },
          message: { parts: ["x"] },
        },
      ],
    };
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].each: iteration iterates a parameter: use paramItems() only in any()/all()');
  });

  it("rejects an invalid regular expression", () => {
    const rule: Rule = {
      ...good,
      checks: [{ when: { op: "matches", value: { op: "literal", value: "a" }, pattern: "(" }, message: { parts: ["x"] } }],
    };
    expect(check(rule)).toBe('custom/x.ts: rule "good-rule" checks[0].when: condition has an invalid regular expression "("');
  });
});

/** A config whose ruleDirs are `names`, each holding files at the given paths (`<id>/rule.ts`, ...). */
function ruleDirs(dirs: Record<string, Record<string, string>>): string {
  const names = Object.keys(dirs);
  for (const [name, files] of Object.entries(dirs)) {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name, file)), { recursive: true });
      writeFileSync(join(root, name, file), text);
    }
  }
  const config = join(root, `${names.join("+")}.yaml`);
  writeFileSync(config, `ruleDirs: [${names.join(", ")}]\n`);
  return config;
}

const ruleDir = (name: string, files: Record<string, string>) => ruleDirs({ [name]: files });

const ruleSource = (id: string, extra = "") => `import { defineRule, equals, msg, when, workloads } from ${JSON.stringify(MODEL)};
export default defineRule({
  id: ${JSON.stringify(id)},
  title: "t", description: "d", severity: "low", category: "Test", profiles: [], references: {}, remediation: "r",
  match: workloads,${extra}
  checks: ({ pod }) => [when(equals(pod.spec.hostPID, true), msg\`hostPID\`)],
});
`;

describe("loadRules", () => {
  it("loads built-in and custom rules, sorted by id", async () => {
    const config = ruleDir("ok", { "zz-custom/rule.ts": ruleSource("zz-custom"), "notes.md": "not a rule", "helpers/util.ts": "export {};\n" });
    const rules = await loadRules(loadConfig(config));
    expect(rules.at(-1)).toMatchObject({ rule: { id: "zz-custom" }, file: join(root, "ok", "zz-custom", "rule.ts") });
    expect(rules.find((r) => r.rule.id === "host-ipc")?.file).toBe("rules/host-ipc/rule.ts");
    const ids = rules.map((r) => r.rule.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("rejects a custom rule reusing a built-in id, naming both files", async () => {
    const config = ruleDir("dup-builtin", { "host-ipc/rule.ts": ruleSource("host-ipc") });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${join(root, "dup-builtin", "host-ipc", "rule.ts")}: rule "host-ipc" id: duplicate rule id "host-ipc", also defined in rules/host-ipc/rule.ts`,
    );
  });

  it("rejects two custom rules with the same id, naming both files", async () => {
    const config = ruleDirs({ "dup-a": { "same-id/rule.ts": ruleSource("same-id") }, "dup-b": { "same-id/rule.ts": ruleSource("same-id") } });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${join(root, "dup-b", "same-id", "rule.ts")}: rule "same-id" id: duplicate rule id "same-id", also defined in ${join(root, "dup-a", "same-id", "rule.ts")}`,
    );
  });

  it("rejects a rule whose folder is not named after its id", async () => {
    const config = ruleDir("misnamed", { "mine/rule.ts": ruleSource("my-rule") });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${join(root, "misnamed", "mine", "rule.ts")}: rule "my-rule" id: a rule's folder must be named after its id (my-rule/rule.ts)`,
    );
  });

  it("validates custom rules as they load", async () => {
    const config = ruleDir("bad-id", { "BadId/rule.ts": ruleSource("BadId") });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${join(root, "bad-id", "BadId", "rule.ts")}: id: "BadId" is not a kebab-case rule id (like "host-ipc")`,
    );
  });

  it("reports a rule file that does not compile at its line and column", async () => {
    const config = ruleDir("broken", { "broken/rule.ts": "export default {{;\n" });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(`${join(root, "broken", "broken", "rule.ts")}:1:17: Property assignment expected.`);
  });

  it("type-checks custom rules: a field the Kubernetes type lacks stops the load at its position", async () => {
    const config = ruleDir("typo", { "typo-rule/rule.ts": ruleSource("typo-rule").replace("pod.spec.hostPID", "pod.spec.hostPIDD") });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${join(root, "typo", "typo-rule", "rule.ts")}:6:46: Property 'hostPIDD' does not exist on type 'PodSpec'. Did you mean 'hostPID'?`,
    );
  });

  it("reports a ruleDir that does not exist, naming the config field", async () => {
    const config = join(root, "missing.yaml");
    writeFileSync(config, "ruleDirs: [here, not-there]\n");
    mkdirSync(join(root, "here"), { recursive: true });
    expect(await asyncErrorOf(() => loadRules(loadConfig(config)))).toBe(
      `${config}: ruleDirs.1: folder not found: ${join(root, "not-there")}`,
    );
  });
});
