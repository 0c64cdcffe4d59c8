// The CEL lowering's public API (implementation in lower.ts, pod placement in pod-roots.ts).
export {
  CONTAINERS_VARIABLE,
  type CelLowering,
  type CelRoots,
  type CelValidation,
  type CelVariable,
  type PodRoot,
  celLiteral,
  celString,
  lowerCel,
} from "./lower.ts";
export { podRoots, podSelector, podSelectors, podVariableRoots, workloadsByPodPath } from "./pod-roots.ts";
export { REQUEST_CHECKED_VARIABLE, podUpdateMatchCondition, requestCheckedCel, unlessUnchecked } from "./updates.ts";
