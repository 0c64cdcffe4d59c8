// Per-rule exemptions shared by the container-level rules, as gatekeeper-library offers them.

import type { Container } from "kubernetes-types/core/v1.js";
import type { Condition } from "./expr.ts";
import { type Param, matchesPattern, not } from "./dsl.ts";
import type { Path } from "./path.ts";
import type { ParamSpec } from "./rule.ts";

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
