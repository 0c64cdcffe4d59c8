// Runs every conformance case: compile in-process with compileRego, load the module as policypack
// does (RenewedPolicy, which reads results with integers exact), evaluate, and compare the result
// set exactly with what OPA returns.

import { describe, expect, it } from "vitest";
import { CompileError } from "../../../src/compiler/errors.ts";
import { compileRego } from "../../../src/compiler/index.ts";
import { RenewedPolicy } from "../../../src/engines/gatekeeper/instance.ts";
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

function runCase(c: ConformanceCase): void {
  if (c.expect.kind === "compileError") {
    const { at, contains } = c.expect;
    const err = thrownBy(() => compileRego(c.sources, [c.entrypoint]));
    expect(err, "compileRego should have thrown a CompileError").toBeInstanceOf(CompileError);
    const message = (err as CompileError).message;
    expect(message.startsWith(`${at}: `), `"${message}" should start with "${at}: "`).toBe(true);
    expect(message).toContain(contains);
    return;
  }
  const policy = new RenewedPolicy(compileRego(c.sources, [c.entrypoint]));
  if (c.data !== undefined) policy.setData(c.data as object);
  const evaluate = () => policy.evaluate(c.input, c.entrypoint);
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
