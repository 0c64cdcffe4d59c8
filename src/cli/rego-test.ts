// `policypack rego test`: runs the test rules (`test_*`) of Rego files, compiled to one Wasm module
// with every test an entrypoint, and reports them as `opa test` does: a test passes when its rule
// is defined and true; `todo_test_*` rules are skipped.

import type { RegoSource } from "../compiler/index.ts";
import { parseModule } from "../compiler/syntax/index.ts";
import type { RenewedPolicy } from "../engines/gatekeeper/instance.ts";
import { CommandError } from "../errors.ts";

export type TestOutcome = "PASS" | "FAIL" | "ERROR" | "SKIPPED";

export interface TestResult {
  /** `data.<package>.<rule>`, as OPA names tests. */
  name: string;
  file: string;
  outcome: TestOutcome;
  durationNs: bigint;
  /** Why evaluation failed (ERROR). */
  error?: string;
}

interface TestRule {
  name: string;
  file: string;
  /** The rule as an entrypoint, `pkg/path/rule`; none for a skipped test. */
  entrypoint?: string;
}

const TEST_PREFIX = "test_";
const SKIPPED_PREFIX = "todo_test_";

/** The test rules of the sources, in source order, whose name matches `run` when given. */
export function testRules(sources: RegoSource[], run?: RegExp): TestRule[] {
  const seen = new Set<string>();
  const tests: TestRule[] = [];
  for (const source of sources) {
    const module = parseModule(source.text, source.file, { regoVersion: source.regoVersion });
    for (const rule of module.rules) {
      const [ruleName, ...below] = rule.head.path;
      const skipped = ruleName?.startsWith(SKIPPED_PREFIX) === true;
      if (!ruleName || below.length > 0 || rule.head.kind !== "complete" || !(ruleName.startsWith(TEST_PREFIX) || skipped)) continue;
      const name = ["data", ...module.package, ruleName].join(".");
      // A test defined in several pieces (Rego v0 allows it) is one test.
      if (seen.has(name) || (run && !run.test(name))) continue;
      seen.add(name);
      tests.push({ name, file: source.file, entrypoint: skipped ? undefined : [...module.package, ruleName].join("/") });
    }
  }
  return tests;
}

/** Compiles the sources with every runnable test as an entrypoint, then evaluates each test. */
export async function runRegoTests(sources: RegoSource[], tests: TestRule[]): Promise<TestResult[]> {
  const entrypoints = tests.flatMap((t) => (t.entrypoint ? [t.entrypoint] : []));
  if (entrypoints.length === 0) return tests.map((t) => skippedResult(t));
  const [{ RenewedPolicy }, { compileRego }] = await Promise.all([import("../engines/gatekeeper/instance.ts"), import("../compiler/index.ts")]);
  const policy = new RenewedPolicy(compileRego(sources, entrypoints));
  return tests.map((t) => (t.entrypoint ? runTest(policy, t, t.entrypoint) : skippedResult(t)));
}

function skippedResult(test: TestRule): TestResult {
  return { name: test.name, file: test.file, outcome: "SKIPPED", durationNs: 0n };
}

function runTest(policy: RenewedPolicy, test: TestRule, entrypoint: string): TestResult {
  const started = process.hrtime.bigint();
  let outcome: TestOutcome;
  let error: string | undefined;
  try {
    const resultSet = policy.evaluate(undefined, entrypoint) as Array<{ result: unknown }>;
    outcome = resultSet.length === 1 && resultSet[0]!.result === true ? "PASS" : "FAIL";
  } catch (err) {
    outcome = "ERROR";
    // The module's abort message comes as a plain string.
    error = err instanceof Error ? err.message : String(err);
  }
  const result: TestResult = { name: test.name, file: test.file, outcome, durationNs: process.hrtime.bigint() - started };
  return error === undefined ? result : { ...result, error };
}

const RULE = `${"-".repeat(80)}\n`;

/**
 * The report as `opa test` prints it: the tests that did not pass (every test with `verbose`),
 * under the name of their file, then a count per outcome.
 */
export function renderRegoTestReport(results: TestResult[], verbose: boolean): string {
  let text = "";
  const failures = results.filter((r) => r.outcome === "FAIL");
  if (verbose && failures.length > 0) {
    text += `FAILURES\n${RULE}`;
    for (const failure of failures) text += `${resultLine(failure)}\n`;
    text += `SUMMARY\n${RULE}`;
  }
  let lastFile: string | undefined;
  let listed = false;
  for (const result of results) {
    if (!verbose && result.outcome === "PASS") continue;
    if (result.file !== lastFile) {
      text += `${result.file}:\n`;
      lastFile = result.file;
    }
    listed = true;
    text += resultLine(result);
    if (result.error !== undefined) text += `  ${result.error}\n`;
  }
  if (listed) text += RULE;
  const outcomes: TestOutcome[] = ["PASS", "FAIL", "SKIPPED", "ERROR"];
  for (const outcome of outcomes) {
    const count = results.filter((r) => r.outcome === outcome).length;
    if (count > 0) text += `${outcome}: ${count}/${results.length}\n`;
  }
  return text;
}

function resultLine(result: TestResult): string {
  if (result.outcome === "SKIPPED") return `${result.name}: SKIPPED\n`;
  return `${result.name}: ${result.outcome} (${goDuration(result.durationNs)})\n`;
}

/** A duration as Go's time.Duration prints it below a minute: 850ns, 1.417µs, 2.5ms, 1.2s. */
export function goDuration(ns: bigint): string {
  if (ns < 1000n) return `${ns}ns`;
  const [unit, scale] = ns < 1_000_000n ? ["µs", 1000n] : ns < 1_000_000_000n ? ["ms", 1_000_000n] : ["s", 1_000_000_000n];
  const fraction = (ns % scale).toString().padStart(scale.toString().length - 1, "0").replace(/0+$/, "");
  return `${ns / scale}${fraction ? `.${fraction}` : ""}${unit}`;
}

/** `--run`'s pattern, or a CommandError naming it. */
export function runPattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new CommandError(`error: --run ${JSON.stringify(pattern)} is not a regular expression: ${(err as Error).message}`);
  }
}
