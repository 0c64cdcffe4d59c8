// Text built from parts: a container's annotation key (prefix + container name), a profile as
// the annotation form names it ("localhost/" + the field's localhostProfile).

import type { ConcatValue, Value } from "./expr.ts";
import { type Operand, toValue } from "./dsl.ts";

/** A concat as the builders hand it out; T is its value type. */
export interface Concatenated<T> {
  readonly op: "concat";
  readonly values: Value[];
  readonly __type?: T;
}

/** The parts joined as one string; missing when any part is missing or not a string. */
export function concat(...parts: Array<Operand<string | undefined>>): Concatenated<string> {
  const value: ConcatValue = { op: "concat", values: parts.map(toValue) };
  return value;
}

/** The value of a concat: the joined strings, or undefined when any part is not a string. */
export function joinedText(parts: ReadonlyArray<unknown>): string | undefined {
  return parts.every((part): part is string => typeof part === "string") ? parts.join("") : undefined;
}
