// How messages read in every engine: the reference evaluator, the Rego and CEL lowerings and the
// engines that run their output render values and join messages the same way.

import type { Json } from "./expr.ts";

/** What a missing value renders as in a message, in every engine. */
export const MISSING_TEXT = "<none>";
/** How the per-element messages of one check are joined where an engine allows one message per check (CEL). */
export const MESSAGE_SEPARATOR = "; ";

/** What an object inside a message reads as: its keys have no order every engine shares (CEL's is unspecified). */
export const OBJECT_TEXT = "{...}";
/** What a list inside a list reads as in a message. */
export const NESTED_LIST_TEXT = "[...]";

/**
 * How a value reads inside a message, in every engine: missing (or null, which is missing) as
 * MISSING_TEXT, a list as its elements joined by ", ", anything else as an element reads.
 */
export function renderText(v: Json | undefined): string {
  if (v === undefined || v === null) return MISSING_TEXT;
  if (Array.isArray(v)) return v.map(elementText).join(", ");
  return elementText(v);
}

/** A string as it is, null as "null", a number or boolean as JSON writes it, an object or a list as a placeholder. */
function elementText(v: Json): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return NESTED_LIST_TEXT;
  if (v !== null && typeof v === "object") return OBJECT_TEXT;
  return JSON.stringify(v);
}
