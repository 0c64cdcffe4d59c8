// Iterating a list parameter, for conditions over every value a user configured (every
// capability a container must drop, every allowed SELinux option) rather than over a field of
// the object.

import type { Over, Param } from "./dsl.ts";
import type { Path } from "./path.ts";

/** The elements of a list parameter, for any()/all(); `name` names the element in generated code. */
export function paramItems<T>(list: Param<T[]>, name: string): Over<Path<T>> {
  return { collection: { op: "paramItems", list: { op: "param", name: list.name } }, name };
}
