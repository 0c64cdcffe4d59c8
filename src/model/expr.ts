// The rule model's condition language as plain data: what a rule's TypeScript builders produce
// and what every lowering (Rego, CEL, the reference evaluator) consumes. Nothing here is tied to
// an engine; each node's meaning is stated once, here, and all three evaluators follow it.
//
// Undefined: a path that leads through a missing field has no value. Every test on a value
// (equals, in, compare, startsWith, ...) is false when the value is missing; `absent` is the
// only way to ask for missing. `not` is plain boolean negation of the condition it wraps.
//
// Null: a field set to null is missing, as is a null list element read as a value (the API
// server drops nulls before admission; offline checks must answer as admission would).

import type { DifferenceCondition } from "./difference.ts";
import type { QuantityCondition } from "./quantity.ts";
import type { AfterLastValue } from "./text.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Scalar = string | number | boolean;

/** Where a path starts. */
export type Scope =
  /** The object under admission review (the whole manifest). */
  | { kind: "object" }
  /** The PodSpec of a Pod or of any pod-bearing workload's pod template. */
  | { kind: "podSpec" }
  /** The metadata of a Pod or of a workload's pod template. */
  | { kind: "podMeta" }
  /** An element bound by an iteration; `part` selects a map entry's key or value. */
  | { kind: "binding"; name: string; part?: "key" | "value" };

export interface PathValue {
  op: "path";
  scope: Scope;
  /** Field names below the scope: ["securityContext", "privileged"]. Map keys are segments too. */
  segments: string[];
}

export interface LiteralValue {
  op: "literal";
  value: Json;
}

/** A rule parameter, by name; its value comes from the configuration or the parameter's default. */
export interface ParamValue {
  op: "param";
  name: string;
}

/** The first of `values` that is present (container setting, else pod setting). */
export interface CoalesceValue {
  op: "coalesce";
  values: Value[];
}

/**
 * The elements of a collection that satisfy a condition, in document order (for messages), each
 * as `select` evaluated for it; elements whose `select` is missing are left out. Without
 * `select`: the element itself, or for map entries the key.
 */
export interface FilterValue {
  op: "filter";
  iteration: Iteration;
  where: Condition;
  select?: Value;
}

/** The values joined as text; missing when any of them is missing or not a string (concat.ts). */
export interface ConcatValue {
  op: "concat";
  values: Value[];
}

export type Value = PathValue | LiteralValue | ParamValue | CoalesceValue | FilterValue | AfterLastValue | ConcatValue;

/** What an iteration walks over. */
export type Collection =
  /** Every container of the pod: containers, then initContainers, then ephemeralContainers. */
  | { op: "containers" }
  /** The elements of the array at `list` (no elements when it is missing). */
  | { op: "items"; list: PathValue }
  /** The entries of the map at `map`, in key order. */
  | { op: "entries"; map: PathValue }
  /** The elements of a list parameter (param-items.ts), only inside any()/all(), never a check's `each`. */
  | { op: "paramItems"; list: ParamValue };

export interface Iteration {
  collection: Collection;
  /** The binding's name: unique among the iterations enclosing it; readable in generated code. */
  bind: string;
}

export type Comparison = "<" | "<=" | ">" | ">=";

/** `left cmp right`: what a Comparison means, for numbers and for exact (bigint) values. */
export function compares<T extends number | bigint>(cmp: Comparison, left: T, right: T): boolean {
  switch (cmp) {
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

export type Condition =
  | { op: "present"; value: Value }
  | { op: "absent"; value: Value }
  /** Both present and equal (numbers by value, strings exactly, booleans). */
  | { op: "equals"; left: Value; right: Value }
  /** Both present and different. */
  | { op: "notEquals"; left: Value; right: Value }
  /**
   * `value` present and equal to an element of the list `list`; with `ignoreCase`, a string equal
   * to a string element but for the case of ASCII letters (ignoring-case.ts).
   */
  | { op: "in"; value: Value; list: Value; ignoreCase?: true }
  /** `value` present and equal to no element of the list `list`. */
  | { op: "notIn"; value: Value; list: Value }
  /** Both present numbers and `left cmp right`. */
  | { op: "compare"; cmp: Comparison; left: Value; right: Value }
  /** `value` a present string starting with / ending with the string `text`. */
  | { op: "startsWith" | "endsWith"; value: Value; text: Value }
  /** `value` a present string in which the RE2 regular expression `pattern` finds a match. */
  | { op: "matches"; value: Value; pattern: string }
  /**
   * `value` a present string matching one of the strings in the list `patterns`: a pattern
   * ending in `*` matches every string that starts with the text before the `*`, any other
   * pattern matches only itself (gatekeeper-library's exemptImages convention). `ignoreCase`: ASCII
   * letters compare regardless of case (ignoring-case.ts).
   */
  | { op: "matchesPattern"; value: Value; patterns: Value; ignoreCase?: true }
  | { op: "and"; conditions: Condition[] }
  | { op: "or"; conditions: Condition[] }
  /**
   * `exempts`: the negated condition picks out what the check leaves alone (exempt images, Windows
   * pods, an exemption annotation) rather than what is wrong; it evaluates the same, but a
   * violation never points at the fields it reads (fields.ts).
   */
  | { op: "not"; condition: Condition; exempts?: true }
  /** Some element of the collection satisfies `where` (false when there are none). */
  | { op: "any"; iteration: Iteration; where: Condition }
  /** Every element satisfies `where` (true when there are none). */
  | { op: "all"; iteration: Iteration; where: Condition }
  /** Kubernetes resource quantities (quantity.ts). */
  | QuantityCondition
  /** The difference of two numbers compared with a bound (difference.ts). */
  | DifferenceCondition;

/** Literal text and values, concatenated. Values render as text: strings as is, numbers and
 * booleans as JSON does, a filtered list as its elements joined by ", ". */
export interface Message {
  parts: Array<string | Value>;
}

/**
 * One way a rule can be violated. Without `each`, the check yields at most one violation per
 * object; with `each`, one violation per element of the collection that satisfies `when`.
 */
export interface Check {
  each?: Iteration;
  when: Condition;
  message: Message;
}
