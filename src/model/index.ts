// Everything a rule author imports: `import { defineRule, workloads, equals, msg } from "policypack"`
// (the package's export, compiled to dist/src/model/index.js with its declarations).
export * from "./dsl.ts";
export * from "./rule.ts";
export * from "./exemptions.ts";
export { isQuantity, quantityAbove } from "./quantity.ts";
export { afterLast } from "./text.ts";
export { differenceBelow } from "./difference.ts";
export { checkInitContainers, maximumParam, resourceChecks } from "./resources.ts";
export * from "./concat.ts";
export * from "./profiles.ts";
export * from "./ignoring-case.ts";
export * from "./param-items.ts";
export * from "./kinds/rbac-v1.ts";
export * from "./kinds/policy-v1beta1.ts";
export type { Path } from "./path.ts";
export type { Check, Condition, Json, Message, Value } from "./expr.ts";
export type { Fixture } from "../catalog/fixtures.ts";
