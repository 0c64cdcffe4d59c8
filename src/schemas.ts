// Checking files against the JSON schemas kept in schemas/, with their validating functions
// generated ahead of time (src/schema-validators/, by scripts/generate-validators.ts), so that no
// schema is compiled at run time. A failed validation throws one InputError naming the file (with
// the field's line and column, when the caller can tell them) and the JSON path of the first
// offending field.

import type { ErrorObject } from "ajv";
import { InputError } from "./errors.ts";
import type { YamlPosition } from "./yaml-file.ts";

/** A validating function as ajv generates it: the errors of the last call on the function itself. */
export type SchemaValidator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

function describe(error: ErrorObject): { path: string[]; where: string; problem: string } {
  const path = error.instancePath === "" ? [] : error.instancePath.slice(1).split("/").map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
  const where = path.length === 0 ? "(top level)" : path.join(".");
  switch (error.keyword) {
    case "additionalProperties":
      return { path: [...path, String(error.params.additionalProperty)], where, problem: `unknown field "${error.params.additionalProperty}"` };
    case "required":
      return { path, where, problem: `missing field "${error.params.missingProperty}"` };
    case "enum":
      return { path, where, problem: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    default:
      return { path, where, problem: error.message ?? "is invalid" };
  }
}

/** Where a field (a path of keys and indexes) sits in the file validated. */
export type Locate = (path: readonly string[]) => YamlPosition | undefined;

/**
 * A check with a generated validator (src/schema-validators/<schema>.ts); it throws
 * InputError(file, field path, problem), the file as `file:line:col` when `locate` finds the
 * offending field (for a missing one: the object lacking it).
 */
export function schemaCheck(validate: SchemaValidator): (value: unknown, file: string, locate?: Locate) => void {
  return (value, file, locate) => {
    if (validate(value)) return;
    const { path, where, problem } = describe(validate.errors![0]!);
    // The top level has no key to point at: no position for it.
    const at = path.length === 0 ? undefined : locate?.(path);
    throw new InputError(at ? `${file}:${at.line}:${at.col}` : file, where, problem);
  };
}
