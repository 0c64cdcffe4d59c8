// Runs every conformance case: compile in-process with compileRego, load the module with the OPA
// Wasm SDK, evaluate, and compare the result set exactly with what OPA returns.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { CompileError } from "../../../src/compiler/errors.ts";
import { HOST_BUILTINS } from "../../../src/compiler/host-builtins.ts";
import { compileRego } from "../../../src/compiler/index.ts";
import { caseFiles, type ConformanceCase, loadCases } from "./cases.ts";

const files = caseFiles();

it("has case files with at least 220 cases", () => {
  expect(files.reduce((n, f) => n + loadCases(f).length, 0)).toBeGreaterThanOrEqual(220);
});

for (const file of files) {
  describe(file, () => {
    it.each(loadCases(file))("$name", runCase);
  });
}

async function runCase(c: ConformanceCase): Promise<void> {
  if (c.expect.kind === "compileError") {
    const { at, contains } = c.expect;
    const err = thrownBy(() => compileRego(c.sources, [c.entrypoint]));
    expect(err, "compileRego should have thrown a CompileError").toBeInstanceOf(CompileError);
    const message = (err as CompileError).message;
    expect(message.startsWith(`${at}: `), `"${message}" should start with "${at}: "`).toBe(true);
    expect(message).toContain(contains);
    return;
  }
  const policy = await loadPolicy(compileRego(c.sources, [c.entrypoint]), undefined, HOST_BUILTINS);
  if (c.data !== undefined) policy.setData(c.data as object);
  const evaluate = () => policy.evaluate(c.input, c.entrypoint) as unknown;
  switch (c.expect.kind) {
    case "want":
      expect(evaluate()).toEqual([{ result: c.expect.value }]);
      break;
    case "undefined":
      expect(evaluate()).toEqual([]);
      break;
    case "runtimeError": {
      const err = thrownBy(evaluate);
      expect(err, "evaluation should have failed").toBeDefined();
      // The SDK rethrows the module's opa_abort message as a plain string.
      expect(err instanceof Error ? err.message : String(err)).toContain(c.expect.contains);
      break;
    }
  }
}

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}
