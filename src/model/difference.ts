// The difference of two numbers in the rule model, compared with a bound: how far an autoscaler's
// maxReplicas lies above its minReplicas. A condition rather than a value, so that no engine has
// to render a computed number in a message.

import { type Comparison, type Condition, type Value, compares } from "./expr.ts";
import { type Operand, toValue } from "./dsl.ts";

/** `left`, `right` and `bound` present numbers and `left - right cmp bound`, in doubles. */
export interface DifferenceCondition {
  op: "compareDifference";
  cmp: Comparison;
  left: Value;
  right: Value;
  bound: Value;
}

/** Holds when `left - right` is below `bound`, all three numbers. */
export const differenceBelow = (left: Operand<number | undefined>, right: Operand<number | undefined>, bound: Operand<number>): Condition => ({
  op: "compareDifference",
  cmp: "<",
  left: toValue(left),
  right: toValue(right),
  bound: toValue(bound),
});

/** The condition on JSON values: false unless all three are numbers. */
export function differenceHolds(cmp: Comparison, left: unknown, right: unknown, bound: unknown): boolean {
  return typeof left === "number" && typeof right === "number" && typeof bound === "number" && compares(cmp, left - right, bound);
}
