// Loads and validates the conformance case files (one YAML file per topic, each a list of cases).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RegoSource } from "../../../src/compiler/index.ts";

export type Expectation =
  | { kind: "want"; value: unknown }
  | { kind: "undefined" }
  | { kind: "runtimeError"; contains: string }
  | { kind: "compileError"; at: string; contains: string };

export interface ConformanceCase {
  name: string;
  sources: RegoSource[];
  input?: unknown;
  data?: unknown;
  entrypoint: string;
  expect: Expectation;
}

const KEYS = new Set(["name", "modules", "input", "data", "entrypoint", "want", "undefined", "runtimeError", "compileError"]);
const EXPECTATIONS = ["want", "undefined", "runtimeError", "compileError"] as const;

export const CASES_DIR = import.meta.dirname;

export function caseFiles(): string[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

/** Parses one case file; a malformed case throws naming the file and the case. */
export function loadCases(file: string): ConformanceCase[] {
  const raw: unknown = exactIntegers(parse(readFileSync(join(CASES_DIR, file), "utf8"), { intAsBigInt: true }));
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a list of cases`);
  const names = new Set<string>();
  return raw.map((entry, i) => {
    const where = `${file}: case ${i + 1}`;
    if (typeof entry !== "object" || entry === null) throw new Error(`${where}: expected a mapping`);
    const c = entry as Record<string, unknown>;
    const name = c.name;
    if (typeof name !== "string" || name === "") throw new Error(`${where}: missing name`);
    if (names.has(name)) throw new Error(`${file}: duplicate case name "${name}"`);
    names.add(name);
    const fail = (problem: string): never => {
      throw new Error(`${file}: case "${name}": ${problem}`);
    };
    for (const key of Object.keys(c)) if (!KEYS.has(key)) fail(`unknown field ${key}`);
    if (typeof c.entrypoint !== "string") fail("missing entrypoint");
    if (!Array.isArray(c.modules) || c.modules.length === 0) fail("missing modules");
    const sources = (c.modules as unknown[]).map((m, j): RegoSource => {
      const mod = m as Record<string, unknown>;
      if (typeof mod?.file !== "string" || typeof mod.text !== "string") fail(`module ${j + 1} needs file and text`);
      const regoVersion = mod.regoVersion ?? 1;
      if (regoVersion !== 0 && regoVersion !== 1) fail(`module ${j + 1}: regoVersion must be 0 or 1`);
      return { file: mod.file as string, text: mod.text as string, regoVersion: regoVersion as 0 | 1 };
    });
    const given = EXPECTATIONS.filter((k) => k in c);
    if (given.length !== 1) fail(`needs exactly one of ${EXPECTATIONS.join(", ")}; has ${given.join(", ") || "none"}`);
    return {
      name,
      sources,
      input: c.input,
      data: c.data,
      entrypoint: c.entrypoint as string,
      expect: expectation(c, given[0], fail),
    };
  });
}

/**
 * The case file's values with integers as the host reads a module's results (parseExactJson):
 * numbers where a JavaScript number holds them exactly, bigints past that.
 */
function exactIntegers(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(exactIntegers);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactIntegers(v)]));
  return value;
}

function expectation(c: Record<string, unknown>, kind: (typeof EXPECTATIONS)[number], fail: (p: string) => never): Expectation {
  switch (kind) {
    case "want":
      return { kind, value: c.want };
    case "undefined":
      if (c.undefined !== true) fail("undefined must be true");
      return { kind };
    case "runtimeError":
      if (typeof c.runtimeError !== "string" || c.runtimeError === "") fail("runtimeError must be a non-empty string");
      return { kind, contains: c.runtimeError as string };
    case "compileError": {
      const e = c.compileError as Record<string, unknown> | null;
      if (typeof e?.at !== "string" || !/^[^:]+:\d+:\d+$/.test(e.at)) fail("compileError.at must be file:line:col");
      if (typeof e?.message !== "string" || e.message === "") fail("compileError.message must be a non-empty string");
      return { kind, at: e!.at as string, contains: e!.message as string };
    }
  }
}
