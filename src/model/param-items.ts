// Iterating over a list parameter: an allow-list of objects (gatekeeper-library's
// allowedSELinuxOptions) is tested element by element with any() or all().

import type { Over } from "./dsl.ts";
import type { Param } from "./dsl.ts";
import type { Path } from "./path.ts";

/** The elements of a list parameter, each seen as an `E` path (its fields are paths too). */
export function paramItems<E>(param: Param<E[]>, name: string): Over<Path<E>> {
  return { collection: { op: "paramItems", param: { op: "param", name: param.name } }, name };
}
