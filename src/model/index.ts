// Everything a rule author imports: `import { defineRule, workloads, equals, msg } from "policypack"`.
export * from "./dsl.ts";
export * from "./rule.ts";
export * from "./exemptions.ts";
export type { Path } from "./path.ts";
export type { Check, Condition, Json, Message, Value } from "./expr.ts";
