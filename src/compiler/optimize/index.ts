// The optimiser: IR → IR rewrites between the planner and the Wasm emitter.
export { foldConstants } from "./constants.ts";
