// The CEL lowering's public API (implementation in lower.ts).
export { CONTAINERS_VARIABLE, type CelLowering, type CelRoots, type CelValidation, type CelVariable, celLiteral, celString, lowerCel } from "./lower.ts";
