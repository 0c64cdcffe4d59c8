// Reading a user's YAML file (config, fixture): a syntax error becomes one InputError naming the
// file, line and column.

import { readFileSync } from "node:fs";
import { parse, YAMLParseError } from "yaml";
import { InputError } from "./errors.ts";

export function readYamlFile(file: string): unknown {
  try {
    return parse(readFileSync(file, "utf8"), { prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      throw new InputError(at ? `${file}:${at.line}:${at.col}` : file, undefined, `not valid YAML: ${error.code}`);
    }
    throw error;
  }
}
