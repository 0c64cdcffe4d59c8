// `policypack test`: runs every enabled rule's fixtures (built-in and the config's ruleDirs)
// through the engines, from the build's generated files in memory, and reports where an engine
// disagrees with a fixture.

import { writeFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { CompileError } from "../compiler/errors.ts";
import { ENGINE_NAMES, type EngineName } from "../engines/names.ts";
import { CommandError, InputError } from "../errors.ts";
import { TEST_FORMATS, type TestFormat } from "../testing/formats.ts";
import type { Io } from "./main.ts";
import { maxObjectSizeOption } from "./object-size-option.ts";

/** The exit codes of `policypack test`. */
export const TEST_EXIT = { passed: 0, failed: 1, error: 2 } as const;

const EXIT_CODES_HELP = `
Exit codes:
  0  every engine gave every fixture's expected messages
  1  an engine disagreed with a fixture
  2  usage error, bad configuration or rule, or a fixture file that is not valid YAML, breaks
     the fixture schema, is over 64 MiB or holds an object over --max-object-size (one line
     file:line:col: reason on stderr; the other rules still run)
  3  an unexpected error (one line; --debug prints its stack)`;

interface TestCommandOptions {
  config?: string;
  rule?: string[];
  engine?: EngineName[];
  format: TestFormat;
  output?: string;
  maxObjectSize: number;
}

/** Adds `test` to `cli`, inheriting its output and exit settings. */
export function addTestCommand(cli: Command, io: Io, exit: (code: number) => never): void {
  cli
    .command("test")
    .description("run every enabled rule's fixtures (built-in and custom) through the engines and report any disagreement")
    .option("-c, --config <file>", "config file whose rules are tested (default: policypack.config.yaml if present, else the defaults)")
    .option("--rule <id...>", "only these enabled rules (default: all)")
    .addOption(new Option("--engine <name...>", "only these engines (default: all)").choices(ENGINE_NAMES))
    .addOption(new Option("-f, --format <format>", "report format").choices(TEST_FORMATS).default("text"))
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .addOption(maxObjectSizeOption())
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride((error) => {
      // Usage errors exit 2, as bad input does; help and version stay 0.
      throw error.exitCode === 0 ? error : new CommanderError(TEST_EXIT.error, error.code, error.message);
    })
    .action(async (opts: TestCommandOptions) => {
      try {
        exit(await runTests(opts, io));
      } catch (error) {
        if (error instanceof InputError || error instanceof CompileError || error instanceof CommandError) {
          io.err(`${error.message.replace(/\s*\n\s*/g, " ")}\n`);
          exit(TEST_EXIT.error);
        }
        throw error;
      }
    });
}

async function runTests(opts: TestCommandOptions, io: Io): Promise<number> {
  // Loaded only now: registering the command (and --help, --version) needs none of them.
  const [{ loadFixtureSuite, runFixtureSuite }, { renderTestReport, reportNotes, reportPassed }] = await Promise.all([
    import("../testing/run.ts"),
    import("../testing/report.ts"),
  ]);
  const suite = await loadFixtureSuite({ configFile: opts.config, ruleIds: opts.rule, maxObjectBytes: opts.maxObjectSize });
  const engines = ENGINE_NAMES.filter((name) => opts.engine === undefined || opts.engine.includes(name));
  const report = await runFixtureSuite(suite, engines);
  const rendered = renderTestReport(opts.format, report);
  if (opts.output === undefined) io.out(rendered);
  else {
    try {
      writeFileSync(opts.output, rendered);
    } catch (error) {
      throw new InputError(opts.output, undefined, `cannot write the ${opts.format} report: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  for (const note of reportNotes(report)) io.err(`${note}\n`);
  if (report.rules.some((rule) => rule.errors.length > 0)) return TEST_EXIT.error;
  return reportPassed(report) ? TEST_EXIT.passed : TEST_EXIT.failed;
}
