// The `policypack` command line: init, build, list, explain, scan, test, rego. Each command imports what it
// needs when it runs, so `--version` and `--help` load no rule, no compiler and no engine.

import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { CompileError } from "../compiler/errors.ts";
import type { LoadedRule } from "../config/types.ts";
import { CommandError, InputError } from "../errors.ts";
import { packageVersion } from "../package-root.ts";
import { addRegoCommand } from "./rego-command.ts";
import { addScanCommand } from "./scan-command.ts";
import { addTestCommand } from "./test-command.ts";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Which standard streams are terminals (scan reads standard input when it is not, colours its text report on a terminal's standard output, and shows progress on a terminal's standard error); none when absent. */
  isTerminal?: { stdin: boolean; stdout: boolean; stderr: boolean };
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTerminal: { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
};

/** Exit status requested by an action (1: check failed); thrown to unwind to runCli. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

async function allRules(configFile: string | undefined): Promise<LoadedRule[]> {
  const [{ loadRules }, { loadConfig }] = await Promise.all([import("../catalog/rules.ts"), import("../config/load.ts")]);
  return loadRules(loadConfig(configFile));
}

/** What `list --json` prints for each rule. */
function ruleSummary({ rule }: LoadedRule, ruleKinds: (rule: LoadedRule["rule"]) => string[]) {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    profiles: rule.profiles,
    kinds: ruleKinds(rule),
    references: rule.references,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((text, col) => (col === row.length - 1 ? text : text.padEnd(widths[col]!))).join("  ")).join("\n") + "\n";
}

export function program(io: Io): Command {
  const cli = new Command("policypack")
    .description("Kubernetes policy rules as typed TypeScript, compiled to Gatekeeper, Kyverno and ValidatingAdmissionPolicy")
    .version(packageVersion(), "-V, --version", "print policypack's version")
    .option("--debug", "on an unexpected error, print its stack instead of one line")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  cli
    .command("init")
    .description("start a project: policypack.config.yaml and an example rule with its fixtures in rules/")
    .argument("[folder]", "the project's folder", ".")
    .action(async (folder: string) => {
      const { init } = await import("./init.ts");
      const written = init(folder);
      io.out(`policypack: wrote ${written.join(", ")}\n\nNext:\n${NEXT_STEPS}`);
    });

  cli
    .command("build")
    .description("generate out/ (Gatekeeper, Kyverno, VAP) from the rules and the config, and the rule docs where the config's `docs` says")
    .option("-c, --config <file>", "config file (default: policypack.config.yaml if present, else the defaults)")
    .option("-o, --out <dir>", "output folder, replaced as a whole", "out")
    .option("--check", "write nothing; exit 1 listing every file that differs from what the build would write")
    .option("--readme <file>", "also regenerate this README's rule table (between <!-- rules:start --> and <!-- rules:end -->)")
    .option("--no-readme", "leave every README alone (the default; overrides an earlier --readme)")
    .option("--no-docs", "write no rule docs, even when the config names a docs folder")
    .action(async (opts: { config?: string; out: string; check?: true; readme?: string | false; docs: boolean }) => {
      const [{ build }, { RULE_DOCS }] = await Promise.all([import("../generate/build.ts"), import("../../generators/docs.ts")]);
      const result = await build({
        configFile: opts.config,
        outDir: opts.out,
        check: opts.check === true,
        readme: opts.readme === false ? undefined : opts.readme,
        docsDir: opts.docs ? undefined : false,
      });
      if (result.docsSkipped !== undefined) io.err(`policypack: docs not written: ${result.docsSkipped}\n`);
      const docs = result.docsDir === undefined ? undefined : join(result.docsDir, RULE_DOCS);
      if (!opts.check) {
        const pages = docs === undefined ? "" : `, and ${result.docs.length} pages to ${docs}`;
        io.out(`policypack: wrote ${result.files.length} files for ${result.enabled.length} of ${result.rules.length} rules to ${opts.out}${pages}\n`);
        return;
      }
      if (result.differences.length === 0) {
        const pages = docs === undefined ? "" : `, and so is ${docs} (${result.docs.length} pages)`;
        io.out(`policypack: ${opts.out} is up to date (${result.files.length} files)${pages}\n`);
        return;
      }
      io.err(`policypack: ${result.differences.length} generated file(s) out of date; run \`policypack build\`:\n`);
      for (const d of result.differences) io.err(`  ${d.problem.padEnd(7)}  ${d.file}\n`);
      throw new Exit(1);
    });

  cli
    .command("list")
    .description("list every rule (built-in and the config's ruleDirs)")
    .option("-c, --config <file>", "config file whose ruleDirs add custom rules")
    .option("--json", "print a JSON array: id, title, severity, category, profiles, kinds, references")
    .action(async (opts: { config?: string; json?: true }) => {
      const rules = await allRules(opts.config);
      if (opts.json) {
        const { ruleKinds } = await import("../model/describe.ts");
        io.out(`${JSON.stringify(rules.map((rule) => ruleSummary(rule, ruleKinds)), null, 2)}\n`);
        return;
      }
      io.out(table([["ID", "SEVERITY", "CATEGORY", "PROFILES", "TITLE"], ...rules.map(({ rule }) => [rule.id, rule.severity, rule.category, rule.profiles.join(","), rule.title])]));
    });

  cli
    .command("explain")
    .description("describe a rule: metadata, parameters, references and its conditions")
    .argument("<rule-id>", "the rule's id, as `policypack list` shows it")
    .option("-c, --config <file>", "config file whose ruleDirs add custom rules")
    .action(async (id: string, opts: { config?: string }) => {
      const rules = await allRules(opts.config);
      const found = rules.find((r) => r.rule.id === id);
      if (!found) {
        io.err(`unknown rule "${id}" (see \`policypack list\`)\n`);
        throw new Exit(1);
      }
      const { explain } = await import("./explain.ts");
      io.out(explain(found));
    });

  addScanCommand(cli, io, (code) => {
    throw new Exit(code);
  });

  addTestCommand(cli, io, (code) => {
    throw new Exit(code);
  });

  addRegoCommand(cli, (code) => {
    throw new Exit(code);
  });
  return cli;
}

/** What `init` suggests next. */
const NEXT_STEPS = `  npx policypack list                            # the built-in rules and yours
  npx policypack test --rule require-app-label   # the example rule's fixtures, through every engine
  npx policypack build                           # out/: Gatekeeper, Kyverno and ValidatingAdmissionPolicy files
`;

/** The exit status of every command when something fails that policypack did not expect (a bug, or a failure of the system under it). */
export const UNEXPECTED_ERROR_EXIT = 3;

/** Runs the CLI on `argv` (without node and the script); resolves to the exit status. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const cli = program(io);
  try {
    await cli.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    // Commander has already printed its message (usage error) or the help.
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof InputError || error instanceof CompileError || error instanceof CommandError) {
      io.err(`${error.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 1;
    }
    // Anything else is one line, or its stack with --debug; the SDK throws plain strings too.
    if (cli.opts<{ debug?: true }>().debug) io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    else io.err(`policypack: ${error instanceof Error ? error.message.replace(/\s*\n\s*/g, " ") : String(error)} (rerun with --debug for the stack)\n`);
    return UNEXPECTED_ERROR_EXIT;
  }
}
