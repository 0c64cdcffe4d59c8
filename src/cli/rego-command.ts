// `policypack rego build|eval`: compile Rego (plain files or ConstraintTemplates) to a Wasm module
// and evaluate such a module through the OPA Wasm SDK, exactly as the rule-pack tests do.

import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import { Command, Option } from "commander";
import type { CompilerChoice, RegoSource } from "../compiler/index.ts";
import { CommandError } from "../errors.ts";

export function regoCommand(): Command {
  const rego = new Command("rego").description("compile Rego to OPA-compatible WebAssembly and evaluate it");

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
    .action(async (wasmFile: string, opts: EvalOptions, command: Command) => {
      const [{ loadPolicy }, { HOST_BUILTINS }] = await Promise.all([import("@open-policy-agent/opa-wasm"), import("../compiler/host-builtins.ts")]);
      try {
        const policy = await loadPolicy(readFileSync(wasmFile), undefined, HOST_BUILTINS);
        if (opts.data !== undefined) policy.setData(readJson(opts.data) as object);
        const resultSet: unknown = policy.evaluate(readJson(opts.input), opts.entrypoint);
        // Through commander's output configuration, so an embedding program can capture it.
        command.configureOutput().writeOut!(`${JSON.stringify(resultSet, null, 2)}\n`);
      } catch (err) {
        throw new CommandError(`error: ${messageOf(err)}`);
      }
    });

  return rego;
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
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type TemplateReader = typeof import("../engines/gatekeeper/template.ts").regoSourcesFromTemplate;

function sourcesOf(file: string, regoVersion: 0 | 1, regoSourcesFromTemplate: TemplateReader): RegoSource[] {
  const ext = extname(file).toLowerCase();
  if (ext === ".rego") return [{ file, text: readFileSync(file, "utf8"), regoVersion }];
  if (ext === ".yaml" || ext === ".yml") return regoSourcesFromTemplate(readFileSync(file, "utf8"), file).sources;
  throw new Error(`${file}: expected a .rego file or a ConstraintTemplate .yaml file`);
}

function readJson(file: string): unknown {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file === "-" ? "standard input" : file}: invalid JSON: ${messageOf(err)}`);
  }
}

/** The SDK throws plain strings (entrypoint errors, runtime aborts); everything else throws Errors. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
