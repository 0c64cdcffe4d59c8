// JSON schemas kept in schemas/, compiled once with ajv. A failed validation throws one
// InputError naming the file (with the field's line and column, when the caller can tell them)
// and the JSON path of the first offending field.

import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { InputError } from "./errors.ts";
import { packageFile } from "./package-root.ts";
import type { YamlPosition } from "./yaml-file.ts";

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const schemaDir = packageFile("schemas") + "/";

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
 * A validator for schemas/<name>; it throws InputError(file, field path, problem), the file as
 * `file:line:col` when `locate` finds the offending field (for a missing one: the object lacking it).
 */
export function compileSchema(name: string): (value: unknown, file: string, locate?: Locate) => void {
  const schema = JSON.parse(readFileSync(schemaDir + name, "utf8"));
  const validate = ajv.compile(schema);
  return (value, file, locate) => {
    if (validate(value)) return;
    const { path, where, problem } = describe(validate.errors![0]!);
    // The top level has no key to point at: no position for it.
    const at = path.length === 0 ? undefined : locate?.(path);
    throw new InputError(at ? `${file}:${at.line}:${at.col}` : file, where, problem);
  };
}
