// Rego literals and references as text.

import type { Json } from "../../model/expr.ts";

/** Words no Rego variable or dotted reference segment may be. */
export const REGO_KEYWORDS = new Set([
  "as", "contains", "default", "else", "every", "false", "if", "import", "in", "not", "null", "package", "some", "true", "with",
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isRegoIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !REGO_KEYWORDS.has(name);
}

/**
 * A Rego string literal. Rego strings take JSON's escapes, and JSON.stringify escapes exactly
 * what must be (quotes, backslashes, control characters) and keeps everything else, non-ASCII
 * included, as it is.
 */
export function regoString(text: string): string {
  // JSON escapes C0 controls and quotes; the rest of what no reader should see raw (DEL, C1
  // controls, the Unicode line separators, non-characters) is escaped too.
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A JSON value as a Rego term. */
export function regoLiteral(value: Json): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${value} has no Rego literal`);
    return JSON.stringify(value);
  }
  if (typeof value === "string") return regoString(value);
  if (Array.isArray(value)) return `[${value.map(regoLiteral).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${regoString(key)}: ${regoLiteral(item)}`)
    .join(", ")}}`;
}

/** `base` followed by field segments: `.name` where the name allows, `["name"]` otherwise. */
export function regoRef(base: string, segments: readonly string[]): string {
  return base + segments.map((s) => (isRegoIdentifier(s) ? `.${s}` : `[${regoString(s)}]`)).join("");
}
