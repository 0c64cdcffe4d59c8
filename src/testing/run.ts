// Running rules' fixtures (built-in and custom alike) through the engines, as `policypack test`
// and this repository's own fixture tests do: the configuration picks the rules, the build's
// generated files in memory (generate(), nothing written) carry their policies, and every engine
// must answer each fixture with exactly its expected messages, compared as a multiset (engines
// visit map entries in no fixed order; CEL's joined messages arrive split, see src/engines/cel.ts).
//
// A fixture states its verdict for the rule's default parameters and its own `parameters`: a
// parameter value the configuration sets is put back to the rule's default for the fixture.

import { type Fixture, fixtureDir, readFixtures } from "../catalog/fixtures.ts";
import type { CompilerChoice } from "../compiler/index.ts";
import type { EnabledRule } from "../config/types.ts";
import { CommandError, type InputError } from "../errors.ts";
import { type AdmissionRequest, type EngineName, type Engines, engineApplies, engines, generatedFilesOf } from "../engines/index.ts";
import { POLICY_GENERATORS } from "../../generators/index.ts";
import { generate } from "../generate/build.ts";
import { defaultParams } from "../model/rule.ts";

/** What the project requires of every built-in rule; fewer is a warning for a custom one. */
export const MIN_FIXTURES = { violation: 3, compliant: 3 } as const;

export interface RuleUnderTest {
  rule: EnabledRule;
  /** The fixtures that read, sorted by file name. */
  fixtures: Fixture[];
  /** One per fixture file that is not valid YAML or breaks the fixture schema. */
  errors: InputError[];
}

export interface FixtureSuite {
  /** The configuration file, or undefined for the defaults. */
  configFile: string | undefined;
  /** The enabled rules selected, sorted by id, with their fixtures. */
  rules: RuleUnderTest[];
  /** One engine's messages for a fixture of a rule; throws what the engine throws. */
  answer(engine: EngineName, ruleId: string, fixture: Fixture, regoCompiler?: CompilerChoice): Promise<string[]>;
}

export interface SuiteOptions {
  /** The config file; default policypack.config.yaml in the working directory, if present. */
  configFile?: string;
  /** Only these enabled rules (all when empty or absent); an id that is unknown or not enabled is a CommandError. */
  ruleIds?: readonly string[];
  /** A fixture whose object's JSON encoding is longer is a fixture file error; default: the API server's request limit. */
  maxObjectBytes?: number;
}

/** The enabled rules' fixtures and the engines over the generated files. */
export async function loadFixtureSuite(options: SuiteOptions = {}): Promise<FixtureSuite> {
  // Only the policies: the test suites' generator refuses fixtures that disagree with their rule, which is what this reports.
  const { config, rules, enabled, files } = await generate({ configFile: options.configFile, outDir: "out", generators: POLICY_GENERATORS });
  const configName = config.file ?? "the default configuration";
  for (const id of options.ruleIds ?? []) {
    if (!rules.some(({ rule }) => rule.id === id)) throw new CommandError(`--rule ${id}: unknown rule (see \`policypack list\`)`);
    if (!enabled.some(({ rule }) => rule.id === id)) throw new CommandError(`--rule ${id}: the rule is not enabled by ${configName}`);
  }
  const selected = options.ruleIds?.length ? enabled.filter(({ rule }) => options.ruleIds!.includes(rule.id)) : enabled;
  const byCompiler = new Map<CompilerChoice, Engines>();
  const enginesWith = (regoCompiler: CompilerChoice) => {
    let found = byCompiler.get(regoCompiler);
    if (!found) byCompiler.set(regoCompiler, (found = engines({ files: generatedFilesOf(files), rules: enabled, config: config.config, regoCompiler })));
    return found;
  };
  const byId = new Map(enabled.map((e) => [e.rule.id, e]));
  return {
    configFile: config.file,
    rules: selected.map((rule) => ({ rule, ...readFixtures(fixtureDir(rule.file), options.maxObjectBytes) })),
    answer(engine, ruleId, fixture, regoCompiler = "builtin") {
      const rule = byId.get(ruleId);
      if (!rule) throw new Error(`${ruleId}: not among the enabled rules`);
      return enginesWith(regoCompiler)(engine, ruleId, fixtureRequest(rule, fixture));
    },
  };
}

/**
 * The request for a fixture: the rule's parameter defaults under the fixture's Pod Security
 * Standards version where the enabled rule's values differ (the configuration's parameters and
 * version do not apply to fixtures), the fixture's own parameters over them.
 */
function fixtureRequest({ rule, params }: EnabledRule, fixture: Fixture): AdmissionRequest {
  const defaults = defaultParams(rule, fixture.podSecurityVersion);
  const reset = Object.fromEntries(Object.entries(defaults).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(params[name])));
  return {
    object: fixture.object,
    operation: fixture.operation,
    ...(fixture.oldObject === undefined ? {} : { oldObject: fixture.oldObject }),
    ...(fixture.subResource === undefined ? {} : { subResource: fixture.subResource }),
    parameters: { ...reset, ...fixture.parameters },
  };
}

/** One engine's answer to one fixture, against the expected messages. */
export interface EngineResult {
  engine: EngineName;
  passed: boolean;
  /** The engine's messages, sorted; none when it failed with an error. */
  violations: string[];
  /** Expected messages the engine did not give (as a multiset: a message expected twice and given once is missing once). */
  missing: string[];
  /** Messages the engine gave that were not expected. */
  unexpected: string[];
  /** The engine's error, when it failed to answer. */
  error?: string;
}

export interface FixtureResult {
  fixture: Fixture;
  passed: boolean;
  results: EngineResult[];
}

export interface RuleResult {
  id: string;
  /** The rule file, as loaded. */
  file: string;
  passed: boolean;
  fixtures: FixtureResult[];
  errors: InputError[];
  /** Set when the rule has fewer fixtures than MIN_FIXTURES. */
  warning?: string;
}

export interface TestReport {
  engines: EngineName[];
  rules: RuleResult[];
}

/** Every selected rule's fixtures through those of `engineNames` that apply to it (engineApplies), one after another. */
export async function runFixtureSuite(suite: FixtureSuite, engineNames: readonly EngineName[]): Promise<TestReport> {
  const rules: RuleResult[] = [];
  for (const { rule, fixtures, errors } of suite.rules) {
    const id = rule.rule.id;
    const applicable = engineNames.filter((engine) => engineApplies(engine, rule.rule));
    const fixtureResults: FixtureResult[] = [];
    for (const fixture of fixtures) {
      const results: EngineResult[] = [];
      for (const engine of applicable) results.push(await engineResult(suite, engine, id, fixture));
      fixtureResults.push({ fixture, passed: results.every((r) => r.passed), results });
    }
    const warning = fixtureShortfall(fixtures);
    rules.push({
      id,
      file: rule.file,
      passed: errors.length === 0 && fixtureResults.every((f) => f.passed),
      fixtures: fixtureResults,
      errors,
      ...(warning ? { warning } : {}),
    });
  }
  return { engines: [...engineNames], rules };
}

async function engineResult(suite: FixtureSuite, engine: EngineName, ruleId: string, fixture: Fixture): Promise<EngineResult> {
  let violations: string[];
  try {
    violations = sortedMessages(await suite.answer(engine, ruleId, fixture));
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).trim().replace(/\s*\n\s*/g, " ");
    return { engine, passed: false, violations: [], missing: sortedMessages(fixture.violations), unexpected: [], error: message };
  }
  const missing = multisetMinus(fixture.violations, violations);
  const unexpected = multisetMinus(violations, fixture.violations);
  return { engine, passed: missing.length === 0 && unexpected.length === 0, violations, missing, unexpected };
}

/** Messages in a fixed order, so that lists compare as multisets. */
export function sortedMessages(messages: readonly string[]): string[] {
  return [...messages].sort();
}

/** The messages of `from` left after taking away one for each in `taken`, sorted. */
function multisetMinus(from: readonly string[], taken: readonly string[]): string[] {
  const left = [...taken];
  return sortedMessages(
    from.filter((message) => {
      const i = left.indexOf(message);
      if (i === -1) return true;
      left.splice(i, 1);
      return false;
    }),
  );
}

/** Why a rule's fixtures fall short of MIN_FIXTURES; undefined when they do not. */
export function fixtureShortfall(fixtures: readonly Fixture[]): string | undefined {
  const violating = fixtures.filter((f) => f.verdict === "violation").length;
  const compliant = fixtures.length - violating;
  if (violating >= MIN_FIXTURES.violation && compliant >= MIN_FIXTURES.compliant) return undefined;
  return `${violating} violating and ${compliant} compliant fixture(s); built-in rules have at least ${MIN_FIXTURES.violation} of each`;
}
