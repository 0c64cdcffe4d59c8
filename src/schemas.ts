// JSON schemas kept in schemas/, compiled once with ajv. A failed validation throws one
// InputError naming the file and the JSON path of the first offending field.

import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { InputError } from "./errors.ts";
import { packageFile } from "./package-root.ts";

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const schemaDir = packageFile("schemas") + "/";

function describe(error: ErrorObject): { where: string; problem: string } {
  const where = error.instancePath === "" ? "(top level)" : error.instancePath.slice(1).replaceAll("/", ".");
  switch (error.keyword) {
    case "additionalProperties":
      return { where, problem: `unknown field "${error.params.additionalProperty}"` };
    case "required":
      return { where, problem: `missing field "${error.params.missingProperty}"` };
    case "enum":
      return { where, problem: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    default:
      return { where, problem: error.message ?? "is invalid" };
  }
}

/** A validator for schemas/<name>; it throws InputError(file, field path, problem). */
export function compileSchema(name: string): (value: unknown, file: string) => void {
  const schema = JSON.parse(readFileSync(schemaDir + name, "utf8"));
  const validate = ajv.compile(schema);
  return (value, file) => {
    if (validate(value)) return;
    const { where, problem } = describe(validate.errors![0]!);
    throw new InputError(file, where, problem);
  };
}
