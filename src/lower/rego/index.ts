// Public API of the Rego lowering.
export { lowerRego, type RegoLowering } from "./lower.ts";
export { CORE_PACKAGE } from "./lib.ts";
export { regoString } from "./syntax.ts";
