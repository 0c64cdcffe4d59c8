// The committed validators in src/schema-validators/ are what scripts/generate-validators.ts makes
// from schemas/ with the installed ajv: a schema edited without regenerating fails here.

import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { generateValidator, RUNTIME_SCHEMAS, validatorFile } from "../../scripts/generate-validators.ts";

it.each(RUNTIME_SCHEMAS)("the %s validator is up to date (regenerate with `npm run generate:validators`)", (name) => {
  expect(readFileSync(validatorFile(name), "utf8") === generateValidator(name)).toBe(true);
});
