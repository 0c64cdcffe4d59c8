// Inputs shared by the Kyverno and VAP generator tests: a config and rules as the build hands them.

import { defaultConfig } from "../../src/config/load.ts";
import type { Fixture } from "../../src/catalog/fixtures.ts";
import type { Config, EnabledRule, Enforcement } from "../../src/config/types.ts";
import { type Rule, defaultParams, defineRule, equals, when, workloads } from "../../src/model/index.ts";

/** The default configuration (no config file), with `overrides`. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig(), ...overrides };
}

export function enabled(rule: Rule, enforcement: Enforcement = "deny"): EnabledRule {
  return { rule, params: defaultParams(rule), enforcement, file: `rules/${rule.id}/rule.ts` };
}

/** Text with everything that breaks naive YAML, CEL or template output. */
export const AWKWARD = "Don't \"quote\" me: C:\\path\\n 100% {{ .Values.x }} {{{raw}}} #hash\nsecond line — é 中文 😀";

export const awkwardRule = defineRule({
  id: "awkward-text",
  title: `Title ${AWKWARD}`,
  description: `Description ${AWKWARD}`,
  severity: "medium",
  category: "Test: {{x}}",
  profiles: ["best-practice"],
  references: {},
  remediation: "r",
  match: workloads,
  // The text is a literal part of the message, as a template literal's text would be.
  checks: ({ pod }) => [
    when(equals(pod.spec.hostIPC, true), { parts: [{ op: "path", scope: { kind: "object" }, segments: ["metadata", "name"] }, ` ${AWKWARD}`] }),
  ],
});

/** An object to run a generated policy on, as a fixture without expectations. */
export function inlineFixture(object: Fixture["object"], operation: Fixture["operation"] = "CREATE", oldObject?: Fixture["object"]): Fixture {
  return { file: "inline", name: "inline", description: "", verdict: "violation", violations: [], parameters: {}, podSecurityVersion: "latest", operation, object, ...(oldObject ? { oldObject } : {}) };
}
