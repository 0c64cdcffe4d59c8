// Per-rule exemptions shared by the container-level rules, as gatekeeper-library offers them.

import type { Container } from "kubernetes-types/core/v1.js";
import type { Condition } from "./expr.ts";
import { type Param, and, isIn, matchesPattern, unless } from "./dsl.ts";
import type { Path } from "./path.ts";
import type { ParamSpec, Rule } from "./rule.ts";

/**
 * The exemption parameters of container-level rules, as gatekeeper-library offers them: spread
 * into a rule's params (`params: { ...containerExemptions }`) and test with notExempt().
 */
export const containerExemptions = {
  exemptImages: {
    type: "string[]",
    description:
      "Images the rule does not check: an exact image reference, or a prefix ending in * (e.g. registry.example.com/debug/*).",
    default: [],
  },
  exemptContainers: {
    type: "string[]",
    description: "Container names the rule does not check.",
    default: [],
  },
} satisfies Record<string, ParamSpec<"string[]">>;

/** Holds for a container that neither its image nor its name exempts. */
export function notExempt(
  container: Path<Container>,
  params: { exemptImages: Param<string[]>; exemptContainers: Param<string[]> },
): Condition {
  return and(unless(matchesPattern(container.image, params.exemptImages)), unless(isIn(container.name, params.exemptContainers)));
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
  return { ...rule, checks: rule.checks.map((check) => ({ ...check, when: and(unless(listed), check.when) })) };
}
