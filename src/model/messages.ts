// How messages read in every engine: the reference evaluator, the Rego and CEL lowerings and the
// engines that run their output render values and join messages the same way.

import type { Json } from "./expr.ts";

/** What a missing value renders as in a message, in every engine. */
export const MISSING_TEXT = "<none>";
/** How the per-element messages of one check are joined where an engine allows one message per check (CEL). */
export const MESSAGE_SEPARATOR = "; ";

/** How a value reads inside a message. */
export function renderText(v: Json | undefined): string {
  if (v === undefined) return MISSING_TEXT;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(renderText).join(", ");
  return JSON.stringify(v);
}
