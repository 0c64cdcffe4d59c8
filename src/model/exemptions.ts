// Per-rule exemptions shared by the container-level rules, as gatekeeper-library offers them.

import type { Container } from "kubernetes-types/core/v1.js";
import type { Condition } from "./expr.ts";
import { type Param, and, matchesPattern, not } from "./dsl.ts";
import type { Path } from "./path.ts";
import type { ParamSpec, Rule } from "./rule.ts";

/** The `exemptImages` parameter: images a container-level rule skips. */
export const exemptImages: ParamSpec<"string[]"> = {
  type: "string[]",
  description:
    "Images the rule does not check: an exact image reference, or a prefix ending in * (e.g. registry.example.com/debug/*).",
  default: [],
};

/** Holds for a container whose image is not exempt. */
export function notExempt(container: Path<Container>, images: Param<string[]>): Condition {
  return not(matchesPattern(container.image, images));
}

/** The annotation that exempts one object from named rules, when the configuration enables it. */
export const EXEMPTION_ANNOTATION = "policypack.dev/exempt";

/**
 * The rule with every check skipped for objects annotated `<annotation>: <id>[,<id>…]` naming
 * it. Written in the model itself, so every engine enforces it identically.
 */
export function withExemptionAnnotation(rule: Rule, annotation: string): Rule {
  const listed: Condition = {
    op: "matches",
    value: { op: "path", scope: { kind: "object" }, segments: ["metadata", "annotations", annotation] },
    // Rule ids are kebab-case, so the id needs no escaping inside the pattern.
    pattern: `(^|,)\\s*${rule.id}\\s*(,|$)`,
  };
  return { ...rule, checks: rule.checks.map((check) => ({ ...check, when: and(not(listed), check.when) })) };
}
