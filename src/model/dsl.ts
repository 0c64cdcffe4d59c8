// The builders rule authors call. Each returns plain model data (expr.ts); the types make the
// common mistakes compile errors: comparing a boolean field with a string, iterating a scalar,
// naming an unknown field.

import type { Check, Collection, Comparison, Condition, Iteration, Json, Message, Scalar, Value } from "./expr.ts";
import { type ElementOf, type Path, isPath, pathProxy, pathValue } from "./path.ts";
import type { Concatenated } from "./concat.ts";
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import type { AfterLastValue } from "./text.ts";

/** A parameter reference as the rule's `params` argument hands it out; T is its value type. */
export interface Param<T> {
  readonly op: "param";
  readonly name: string;
  readonly __type?: T;
}

/** Anything that yields a value of type T: a path, a parameter, a literal, a coalesce, a concat. */
export type Operand<T> = Path<T> | Param<T> | Coalesced<T> | Concatenated<T> | (string extends T ? AfterLastValue : never) | NonNullable<T>;

export interface Coalesced<T> {
  readonly op: "coalesce";
  readonly values: Value[];
  readonly __type?: T;
}

/** A list a value can be tested against: a parameter, a constant array or an array field. */
export type ListOperand<T> = Param<T[]> | readonly T[] | Path<T[] | undefined>;

export function toValue(operand: unknown): Value {
  if (isPath(operand)) return pathValue(operand);
  if (typeof operand === "object" && operand !== null && "op" in operand) {
    const op = (operand as { op: unknown }).op;
    if (op === "param" || op === "coalesce" || op === "filter" || op === "path" || op === "literal" || op === "afterLast" || op === "concat") return operand as Value;
  }
  return { op: "literal", value: operand as Json };
}

// ---- values ----

/** The first present of the given paths: e.g. the container's setting, else the pod's; a constant last stands for the field's default. */
export function coalesce<T>(...operands: Array<Path<T> | NonNullable<T>>): Coalesced<T> {
  return { op: "coalesce", values: operands.map(toValue) };
}

// ---- tests on values ----

export const present = (value: Operand<unknown>): Condition => ({ op: "present", value: toValue(value) });
export const absent = (value: Operand<unknown>): Condition => ({ op: "absent", value: toValue(value) });

export function equals<T extends Scalar | undefined>(left: Operand<T>, right: Operand<NonNullable<T>>): Condition {
  return { op: "equals", left: toValue(left), right: toValue(right) };
}
export function notEquals<T extends Scalar | undefined>(left: Operand<T>, right: Operand<NonNullable<T>>): Condition {
  return { op: "notEquals", left: toValue(left), right: toValue(right) };
}
export function isIn<T extends Scalar | undefined>(value: Operand<T>, list: ListOperand<NonNullable<T>>): Condition {
  return { op: "in", value: toValue(value), list: toValue(list) };
}
export function notIn<T extends Scalar | undefined>(value: Operand<T>, list: ListOperand<NonNullable<T>>): Condition {
  return { op: "notIn", value: toValue(value), list: toValue(list) };
}

function comparison(cmp: Comparison) {
  return (left: Operand<number | undefined>, right: Operand<number>): Condition => ({
    op: "compare",
    cmp,
    left: toValue(left),
    right: toValue(right),
  });
}
export const lessThan = comparison("<");
export const atMost = comparison("<=");
export const greaterThan = comparison(">");
export const atLeast = comparison(">=");

export const startsWith = (value: Operand<string | undefined>, text: Operand<string>): Condition => ({
  op: "startsWith",
  value: toValue(value),
  text: toValue(text),
});
export const endsWith = (value: Operand<string | undefined>, text: Operand<string>): Condition => ({
  op: "endsWith",
  value: toValue(value),
  text: toValue(text),
});
/** An RE2 regular expression (the syntax shared by Go's regexp, Rego and CEL's matches()). */
export const matches = (value: Operand<string | undefined>, pattern: string): Condition => ({
  op: "matches",
  value: toValue(value),
  pattern,
});

/** `value` equals a pattern of the list, or starts with a pattern's text before its trailing `*`. */
export const matchesPattern = (value: Operand<string | undefined>, patterns: ListOperand<string>): Condition => ({
  op: "matchesPattern",
  value: toValue(value),
  patterns: toValue(patterns),
});

// ---- logic ----

export const and = (...conditions: Condition[]): Condition => ({ op: "and", conditions });
export const or = (...conditions: Condition[]): Condition => ({ op: "or", conditions });
export const not = (condition: Condition): Condition => ({ op: "not", condition });
/**
 * Holds unless `condition` does, for a condition that exempts objects from the check (an exempt
 * image, a Windows pod) rather than says what is wrong: a violation never points at its fields.
 */
export const unless = (condition: Condition): Condition => ({ op: "not", condition, exempts: true });

// ---- collections ----

/** A collection whose elements the callback sees as `E` paths. */
export interface Over<E> {
  readonly collection: Collection;
  readonly name: string;
  readonly __element?: E;
}

/** A map entry as an iteration binds it. */
export interface Entry<V> {
  key: Path<string>;
  value: Path<V>;
}

/** The fields of an object as entries (key = field name), e.g. to find a volume's source type. */
export function fields(object: Path<object | undefined>, name = "field"): Over<Entry<unknown>> {
  return { collection: { op: "entries", map: pathValue(object) }, name };
}

/** Every container of a pod: containers, initContainers and ephemeralContainers. */
export function containers(_pod: PodView): Over<Path<Container>> {
  return { collection: { op: "containers" }, name: "container" };
}

/** The elements of an array field. `name` names the element in generated code (default: derived from the field). */
export function items<T>(list: Path<T>, name?: string): Over<Path<ElementOf<T>>> {
  const value = pathValue(list);
  const last = value.segments.at(-1) ?? "item";
  return { collection: { op: "items", list: value }, name: name ?? (last.endsWith("s") ? last.slice(0, -1) : "item") };
}

/** The entries of a map field such as annotations or labels. */
export function entries<V>(map: Path<{ [key: string]: V } | undefined>, name = "entry"): Over<Entry<V>> {
  return { collection: { op: "entries", map: pathValue(map) }, name };
}

// Iterations nest while their callbacks run; the stack keeps binding names unique among the
// iterations enclosing one another, so generated code never shadows a variable.
const openBindings: string[] = [];

function bind<E, R>(over: Over<E>, body: (element: E) => R): { iteration: Iteration; result: R } {
  let name = over.name;
  for (let n = 2; openBindings.includes(name); n++) name = `${over.name}${n}`;
  const element = (
    over.collection.op === "entries"
      ? { key: pathProxy({ kind: "binding", name, part: "key" }), value: pathProxy({ kind: "binding", name, part: "value" }) }
      : pathProxy({ kind: "binding", name })
  ) as E;
  openBindings.push(name);
  try {
    return { iteration: { collection: over.collection, bind: name }, result: body(element) };
  } finally {
    openBindings.pop();
  }
}

export function any<E>(over: Over<E>, where: (element: E) => Condition): Condition {
  const { iteration, result } = bind(over, where);
  return { op: "any", iteration, where: result };
}

export function all<E>(over: Over<E>, where: (element: E) => Condition): Condition {
  const { iteration, result } = bind(over, where);
  return { op: "all", iteration, where: result };
}

/**
 * The elements satisfying `where`, for a message: rendered joined by ", ". `select` picks what
 * each element shows (default: the element, or a map entry's key), e.g. `(env) => env.name`.
 */
export function filtered<E>(
  over: Over<E>,
  where: (element: E) => Condition,
  select?: (element: E) => Operand<Scalar | undefined>,
): Value {
  const { iteration, result } = bind(over, (element) => ({
    where: where(element),
    select: select ? toValue(select(element)) : undefined,
  }));
  return { op: "filter", iteration, where: result.where, ...(result.select ? { select: result.select } : {}) };
}

// ---- checks ----

/** A violation of the object as a whole when `condition` holds. */
export function when(condition: Condition, message: Message): Check {
  return { when: condition, message };
}

/** One violation per element for which the returned check's condition holds. */
export function forEach<E>(over: Over<E>, check: (element: E) => Check): Check {
  const { iteration, result } = bind(over, check);
  if (result.each) throw new Error(`forEach over ${iteration.bind}: checks cannot nest forEach; use any()/all() inside`);
  return { each: iteration, when: result.when, message: result.message };
}

/** A violation message: literal text with interpolated paths, parameters and filtered lists. */
export function msg(
  strings: TemplateStringsArray,
  ...values: Array<Path<Scalar | undefined> | Param<unknown> | Value | Coalesced<unknown> | Concatenated<unknown>>
): Message {
  const parts: Array<string | Value> = [];
  strings.forEach((text, i) => {
    if (text !== "") parts.push(text);
    if (i < values.length) parts.push(toValue(values[i]));
  });
  return { parts };
}

// ---- what a rule's check function receives ----

/** What every Kubernetes object has, for messages about the object as a whole. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** A Pod, or the pod template of a workload. */
export interface PodView {
  spec: Path<PodSpec>;
  metadata: Path<ObjectMeta>;
}

/**
 * Holds unless the pod declares itself a Windows pod (spec.os.name: windows), which the Pod
 * Security Standards exempt from the controls of Linux-only fields.
 */
export function notWindows(pod: PodView): Condition {
  return unless(equals(pod.spec.os.name, "windows"));
}

export const objectView = <T>(): Path<T> => pathProxy<T>({ kind: "object" });
export const podView = (): PodView => ({
  spec: pathProxy<PodSpec>({ kind: "podSpec" }),
  metadata: pathProxy<ObjectMeta>({ kind: "podMeta" }),
});
