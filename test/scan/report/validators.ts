// The checks a written report must pass, shared by the reporter tests and the CLI's: SARIF 2.1.0,
// the JSON result and PolicyReport schemas, and JUnit XML read back by an XML parser.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseAllDocuments } from "yaml";
import { Ajv } from "ajv";
import { schemaCheck } from "../../../src/schemas.ts";

// The SARIF 2.1.0 schema (its final "rtm.5" draft-04 text, as published in the JSON Schema Store)
// shipped by @microsoft/jest-sarif. One of its patterns is not valid as a unicode regexp, hence unicodeRegExp: false.
const sarifSchema = JSON.parse(readFileSync(new URL("../../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json", import.meta.url), "utf8"));
// Through require: these CommonJS modules' default exports are read alike by Node, tsc and vitest.
const require = createRequire(import.meta.url);
const { default: Ajv04 } = require("ajv-draft-04") as typeof import("ajv-draft-04");
const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);

/** SARIF 2.1.0: true when valid, else false with the errors on `validateSarif.errors`. */
export const validateSarif = ajv.compile(sarifSchema);

/** A check with schemas/<name>, compiled here: the CLI writes these reports and never reads them, so no validator is generated for it. */
const reportCheck = (name: string) =>
  schemaCheck(new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), "utf8"))));

/** schemas/scan-result.schema.json; throws an InputError naming the first problem. */
export const validateScanResult = reportCheck("scan-result.schema.json");

/** schemas/policyreport.schema.json, one document; throws an InputError naming the first problem. */
export const validatePolicyReport = reportCheck("policyreport.schema.json");

/** The documents of a multi-document YAML text; throws on a syntax error. */
export function yamlDocuments<T>(text: string): T[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as T;
  });
}

export interface JunitCase {
  classname: string;
  name: string;
  file: string;
  failure?: { message: string; type: string; "#text": string };
  error?: { message: string; type: string; "#text": string };
}

export interface JunitSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: JunitCase[];
}

const junitParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) });

/** The <testsuites> element of well-formed JUnit XML; throws naming the line of malformed XML. */
export function parseJunit(xml: string): { name: string; tests: string; failures: string; errors: string; skipped: string; testsuite: JunitSuite[] } {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) throw new Error(`not well-formed XML at line ${wellFormed.err.line}: ${wellFormed.err.msg}`);
  return junitParser.parse(xml).testsuites;
}
