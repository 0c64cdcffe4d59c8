// The committed field schema is what scripts/generate-field-schema.ts makes from the installed
// kubernetes-models: a stale file (after a kubernetes-models upgrade) fails here.

import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { FIELD_SCHEMA_FILE, generateFieldSchema } from "../../scripts/generate-field-schema.ts";

it("the committed field schema is up to date (regenerate with `npm run generate:field-schema`)", () => {
  expect(readFileSync(FIELD_SCHEMA_FILE, "utf8") === generateFieldSchema()).toBe(true);
});
