// The planner: checked modules (CheckedPolicy, from ../check) → IR plans (one per entrypoint) and
// functions (one per rule used).
export { planPolicy } from "./policy.ts";
