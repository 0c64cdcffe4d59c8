// `policypack rego build|eval|test`: compile Rego (plain files or ConstraintTemplates) to a Wasm
// module, evaluate such a module through the OPA Wasm SDK, exactly as the rule-pack tests do, and
// run Rego unit tests (`test_*` rules) compiled the same way.

import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import { Command, CommanderError, Option } from "commander";
import type { CompilerChoice, RegoSource } from "../compiler/index.ts";
import { CommandError } from "../errors.ts";
import { maxObjectSizeOption } from "./object-size-option.ts";

/** The exit codes of `policypack rego test`. */
export const REGO_TEST_EXIT = { passed: 0, failed: 1, error: 2 } as const;

const REGO_TEST_EXIT_HELP = `
Exit codes:
  0  every test passed (or was skipped)
  1  a test failed: undefined, not true, or an error while evaluating it
  2  usage error, a file that cannot be read, Rego that does not compile (file:line:col: reason),
     or no test rule in the files given`;

/** Adds `rego` and its subcommands to `cli`, inheriting its output and exit settings; `exit` ends a command with an exit status. */
export function addRegoCommand(cli: Command, exit: (code: number) => never): void {
  const rego = cli.command("rego").description("compile Rego to OPA-compatible WebAssembly, evaluate it, and run Rego tests");

  rego
    .command("build")
    .description("compile .rego files and ConstraintTemplate YAML files into one Wasm module")
    .argument("<files...>", ".rego files (Rego v1 unless --v0-compatible) and ConstraintTemplate .yaml files")
    .option("-e, --entrypoint <path>", "rule to export as pkg/rule (repeatable)", collect, [] as string[])
    .option("-o, --output <file>", "where to write the module", "policy.wasm")
    .option("--v0-compatible", "parse .rego files as Rego v0 (templates keep their declared version)")
    .addOption(new Option("--compiler <name>", "compiler to use").choices(["builtin", "opa"]).default("builtin"))
    .addOption(
      new Option("--emit <form>", "wasm: write the module; ir: print the planned IR to standard output instead (as `opa build -t plan`)")
        .choices(["wasm", "ir"])
        .default("wasm"),
    )
    .action(async (files: string[], opts: BuildOptions, command: Command) => {
      // The compiler and the SDK load only when a subcommand runs: `policypack --help` stays fast.
      const [{ compileRego, planRego }, { printPolicy }, { regoSourcesFromTemplate }] = await Promise.all([
        import("../compiler/index.ts"),
        import("../compiler/ir/print.ts"),
        import("../engines/gatekeeper/template.ts"),
      ]);
      try {
        if (opts.entrypoint.length === 0) throw new Error("name at least one entrypoint with -e pkg/rule");
        if (opts.emit === "ir" && opts.compiler === "opa") throw new Error("--emit ir shows the builtin compiler's IR; it cannot be used with --compiler opa");
        const sources = files.flatMap((file) => sourcesOf(file, opts.v0Compatible ? 0 : 1, regoSourcesFromTemplate));
        if (opts.emit === "ir") {
          command.configureOutput().writeOut!(printPolicy(planRego(sources, opts.entrypoint)));
          return;
        }
        const wasm = compileRego(sources, opts.entrypoint, { compiler: opts.compiler });
        writeFileSync(opts.output, wasm);
      } catch (err) {
        throw new CommandError(`error: ${messageOf(err)}`);
      }
    });

  rego
    .command("eval")
    .description("evaluate a compiled module and print its result set as JSON")
    .argument("<policy.wasm>", "a module built by `rego build` or `opa build -t wasm`")
    .requiredOption("-e, --entrypoint <path>", "entrypoint to evaluate, as pkg/rule")
    .requiredOption("--input <file>", "input document as a JSON file, or - for standard input")
    .option("--data <file>", "data document as a JSON file")
    .addOption(new Option("--fail", "exit 1 when the result is undefined (an empty result set)").conflicts("failDefined"))
    .option("--fail-defined", "exit 1 when the result is defined (a non-empty result set)")
    .addOption(maxObjectSizeOption())
    .action(async (wasmFile: string, opts: EvalOptions, command: Command) => {
      const [{ RenewedPolicy }, { readTextFile }, { tooLargeToCheck }, { reindentJson }] = await Promise.all([
        import("../engines/gatekeeper/instance.ts"),
        import("../yaml-file.ts"),
        import("../size-limits.ts"),
        import("../exact-json.ts"),
      ]);
      let resultSet: unknown[];
      try {
        const policy = new RenewedPolicy(readFileSync(wasmFile));
        // The files are checked here and handed to the module as their JSON text, which the module
        // reads with its integers exact.
        if (opts.data !== undefined) {
          const text = readTextFile(opts.data);
          parseJson(text, opts.data);
          policy.setData(utf8Bytes(text));
        }
        const inputText = readTextFile(opts.input);
        const tooLarge = tooLargeToCheck(parseJson(inputText, opts.input), opts.maxObjectSize);
        if (tooLarge !== undefined) throw new Error(`${nameOf(opts.input)}: the input is ${tooLarge}`);
        const resultText = policy.evaluateToText(utf8Bytes(inputText), opts.entrypoint);
        resultSet = JSON.parse(resultText) as unknown[];
        // Through commander's output configuration, so an embedding program can capture it.
        command.configureOutput().writeOut!(`${reindentJson(resultText, 2)}\n`);
      } catch (err) {
        throw new CommandError(`error: ${messageOf(err)}`);
      }
      if ((opts.fail && resultSet.length === 0) || (opts.failDefined && resultSet.length > 0)) exit(1);
    });

  rego
    .command("test")
    .description("run the test rules (test_*) of Rego files, compiled to Wasm, and report them as `opa test` does")
    .argument("<files...>", ".rego files (Rego v1 unless --v0-compatible) and ConstraintTemplate .yaml files, whose Rego the tests test")
    .option("-v, --verbose", "list every test, not only those that did not pass")
    .option("-r, --run <regex>", "only the tests whose name (data.pkg.test_x) matches")
    .option("--v0-compatible", "parse .rego files as Rego v0 (templates keep their declared version)")
    .addHelpText("after", REGO_TEST_EXIT_HELP)
    .exitOverride((error) => {
      // Usage errors exit 2, as bad input does; help stays 0.
      throw error.exitCode === 0 ? error : new CommanderError(REGO_TEST_EXIT.error, error.code, error.message);
    })
    .action(async (files: string[], opts: TestOptions, command: Command) => {
      const [{ regoSourcesFromTemplate }, { renderRegoTestReport, runPattern, runRegoTests, testRules }] = await Promise.all([
        import("../engines/gatekeeper/template.ts"),
        import("./rego-test.ts"),
      ]);
      let results: Awaited<ReturnType<typeof runRegoTests>>;
      try {
        const sources = files.flatMap((file) => sourcesOf(file, opts.v0Compatible ? 0 : 1, regoSourcesFromTemplate));
        const tests = testRules(sources, runPattern(opts.run));
        if (tests.length === 0) throw new Error(`no test rule (test_*)${opts.run === undefined ? "" : ` matching --run ${JSON.stringify(opts.run)}`} in ${files.join(", ")}`);
        results = await runRegoTests(sources, tests);
      } catch (err) {
        command.configureOutput().writeErr!(`${messageOf(err).replace(/^error: /, "").replace(/\s*\n\s*/g, " ")}\n`);
        exit(REGO_TEST_EXIT.error);
      }
      command.configureOutput().writeOut!(renderRegoTestReport(results, opts.verbose === true));
      exit(results.every((r) => r.outcome === "PASS" || r.outcome === "SKIPPED") ? REGO_TEST_EXIT.passed : REGO_TEST_EXIT.failed);
    });
}

interface BuildOptions {
  entrypoint: string[];
  output: string;
  v0Compatible?: true;
  compiler: CompilerChoice;
  emit: "wasm" | "ir";
}

interface EvalOptions {
  entrypoint: string;
  input: string;
  data?: string;
  fail?: true;
  failDefined?: true;
  maxObjectSize: number;
}

interface TestOptions {
  verbose?: true;
  run?: string;
  v0Compatible?: true;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type TemplateReader = typeof import("../engines/gatekeeper/template.ts").regoSourcesFromTemplate;

function sourcesOf(file: string, regoVersion: 0 | 1, regoSourcesFromTemplate: TemplateReader): RegoSource[] {
  const ext = extname(file).toLowerCase();
  if (ext === ".rego") return [{ file, text: readText(file), regoVersion }];
  if (ext === ".yaml" || ext === ".yml") return regoSourcesFromTemplate(readText(file), file).sources;
  throw new Error(`${file}: expected a .rego file or a ConstraintTemplate .yaml file`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? messageOf(err)}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${nameOf(file)}: invalid JSON: ${messageOf(err)}`);
  }
}

function utf8Bytes(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer as ArrayBuffer;
}

const nameOf = (file: string) => (file === "-" ? "standard input" : file);

/** The SDK throws plain strings (entrypoint errors, runtime aborts); everything else throws Errors. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
