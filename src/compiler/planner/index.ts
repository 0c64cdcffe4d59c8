// The planner: Rego modules → IR plans (one per entrypoint) and functions (one per rule used).
export { planPolicy } from "./policy.ts";
