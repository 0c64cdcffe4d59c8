// `policypack scan`: checks manifests and Terraform (files, folders, standard input) against the
// enabled rules, with the configuration the build uses, and reports the findings.

import { writeFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { CompileError } from "../compiler/errors.ts";
import type { EnabledRule, LoadedRule } from "../config/types.ts";
import { InputError } from "../errors.ts";
import { SEVERITIES, type Severity } from "../model/rule.ts";
import { ENGINES, type EngineName, REPORT_FORMATS, type ReportFormat, STDIN } from "../scan/choices.ts";
import type { Progress } from "../scan/scan.ts";
import type { Io } from "./main.ts";
import { maxObjectSizeOption } from "./object-size-option.ts";

/** The exit codes of `policypack scan`. */
export const SCAN_EXIT = { clean: 0, findings: 1, error: 2 } as const;

const EXIT_CODES_HELP = `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, bad configuration, a file that is not valid YAML, JSON or HCL or UTF-8 or is
     over 64 MiB, a terraform show -json of an unknown format_version, or an object over
     --max-object-size (one line file:line:col: reason on stderr; the other files and objects
     are still scanned and reported)
  3  an unexpected error (one line; --debug prints its stack)

Colours: the text report is coloured only on a terminal; NO_COLOR turns them off, FORCE_COLOR on.`;

interface ScanCommandOptions {
  config?: string;
  profile: string[];
  rule: string[];
  engine: EngineName;
  format: ReportFormat;
  output: string[];
  failOn: Severity;
  fieldCheck: boolean;
  maxObjectSize: number;
  cache: boolean;
  verbose?: true;
}

/** A usage error, reported like commander's own: one line, exit code 2. */
class UsageError extends Error {}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Adds `scan` to `cli`, inheriting its output and exit settings. */
export function addScanCommand(cli: Command, io: Io, exit: (code: number) => never): void {
  cli
    .command("scan")
    .description("check Kubernetes manifests (YAML, JSON) and Terraform (.tf, .tf.json, terraform show -json) against the enabled rules")
    .argument("[paths...]", "files and folders (.yaml, .yml, .json, .tf, recursively, .terraform folders left out); - or nothing with piped input: standard input (manifests, or terraform show -json)")
    .option("-c, --config <file>", "config file (default: policypack.config.yaml if present, else every built-in rule with the default settings)")
    .option("--profile <name>", "only the enabled rules of this profile (repeatable)", collect, [] as string[])
    .option("--rule <id>", "only this enabled rule (repeatable)", collect, [] as string[])
    .addOption(new Option("--engine <name>", "pack: the generated Gatekeeper Rego as one Wasm module; reference: the reference evaluator").choices(ENGINES).default("pack"))
    .addOption(new Option("-f, --format <format>", "report format on standard output").choices(REPORT_FORMATS).default("text"))
    .option("-o, --output <format=file>", "also write the report in this format to this file (repeatable)", collect, [] as string[])
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at least this severe").choices(SEVERITIES).default("low"))
    .option("--no-field-check", "do not report fields Kubernetes does not define for the object's kind (unknown-field)")
    .addOption(maxObjectSizeOption())
    .option("--no-cache", "compile the rules' pack module afresh, neither reading nor writing the cache")
    .option("--verbose", "tell on standard error which documents and Terraform resources were not checked and why, which Terraform values are known only at apply time, and where the pack module came from")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride((error) => {
      // Usage errors exit 2, as bad input does; help and version stay 0.
      throw error.exitCode === 0 ? error : new CommanderError(SCAN_EXIT.error, error.code, error.message);
    })
    .action(async (paths: string[], opts: ScanCommandOptions, command: Command) => {
      try {
        exit(await runScan(paths, opts, io));
      } catch (error) {
        if (error instanceof UsageError) command.error(`error: ${error.message}`, { exitCode: SCAN_EXIT.error });
        if (error instanceof InputError || error instanceof CompileError) {
          io.err(`${error.message.replace(/\s*\n\s*/g, " ")}\n`);
          exit(SCAN_EXIT.error);
        }
        throw error;
      }
    });
}

async function runScan(paths: string[], opts: ScanCommandOptions, io: Io): Promise<number> {
  const outputs = opts.output.map(parseOutput);
  if (paths.length === 0) {
    if (io.isTerminal?.stdin) throw new UsageError("name the files or folders to scan, or pipe manifests to standard input");
    paths = [STDIN];
  }
  // Loaded only now: registering the command (and --help, --version) needs none of them.
  const [{ loadConfig }, { loadRules }, { enabledRules }, { loadEngine }, { locationText, renderReport }, { hasFindingsAtOrAbove, scan }] = await Promise.all([
    import("../config/load.ts"),
    import("../catalog/rules.ts"),
    import("../config/resolve.ts"),
    import("../scan/evaluate.ts"),
    import("../scan/report/index.ts"),
    import("../scan/scan.ts"),
  ]);
  const configured = loadConfig(opts.config);
  const rules = await loadRules(configured);
  // Without a config file there is no admission setup to mirror: every built-in rule is checked,
  // so that a PodSecurityPolicy or a RoleBinding does not pass for want of an enabled profile.
  const profiles = [...new Set(rules.flatMap(({ rule }) => rule.profiles))].sort();
  const loaded = configured.file === undefined ? { ...configured, config: { ...configured.config, profiles } } : configured;
  const selected = narrow(enabledRules(loaded, rules), rules, opts, loaded.file ?? "the default configuration (every built-in rule)");
  const verboseNote = opts.verbose ? (note: string) => io.err(`${note}\n`) : undefined;
  const engine = await loadEngine(opts.engine, selected, loaded.config, { cache: opts.cache, onNote: verboseNote });

  const progress = io.isTerminal?.stderr ? progressLine(io) : undefined;
  const report = scan({
    paths,
    rules: selected,
    engine,
    excludedNamespaces: loaded.config.excludedNamespaces,
    fieldCheck: opts.fieldCheck,
    maxObjectBytes: opts.maxObjectSize,
    onProgress: progress?.update,
    onNote: verboseNote && ((note) => (progress?.clear(), verboseNote(note))),
  });
  progress?.clear();

  for (const error of report.errors) io.err(`${locationText(error)}: ${error.reason}\n`);
  for (const { format, file } of outputs) {
    const text = await renderReport(format, report, { color: false });
    try {
      writeFileSync(file, text);
    } catch (error) {
      throw new InputError(file, undefined, `cannot write the ${format} report: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  io.out(await renderReport(opts.format, report, { color: colorWanted(io.isTerminal?.stdout === true, process.env) }));
  if (report.errors.length > 0) return SCAN_EXIT.error;
  return hasFindingsAtOrAbove(report, opts.failOn) ? SCAN_EXIT.findings : SCAN_EXIT.clean;
}

function parseOutput(value: string): { format: ReportFormat; file: string } {
  const equals = value.indexOf("=");
  const format = value.slice(0, Math.max(equals, 0));
  if (equals <= 0 || equals === value.length - 1 || !(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--output ${value}: expected FORMAT=FILE with FORMAT one of ${REPORT_FORMATS.join(", ")}`);
  }
  return { format: format as ReportFormat, file: value.slice(equals + 1) };
}

/** Colours on a terminal, unless NO_COLOR is set (https://no-color.org); FORCE_COLOR (other than 0) asks for them anywhere. */
export function colorWanted(stdoutIsTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR) return env.FORCE_COLOR !== "0";
  return stdoutIsTerminal;
}

/** The enabled rules that --profile and --rule keep (all without them). */
function narrow(enabled: EnabledRule[], rules: LoadedRule[], opts: ScanCommandOptions, configName: string): EnabledRule[] {
  const profiles = [...new Set(rules.flatMap(({ rule }) => rule.profiles))].sort();
  for (const profile of opts.profile) {
    if (!profiles.includes(profile)) throw new UsageError(`--profile ${profile}: no rule belongs to this profile (profiles: ${profiles.join(", ")})`);
  }
  for (const id of opts.rule) {
    if (!rules.some(({ rule }) => rule.id === id)) throw new UsageError(`--rule ${id}: unknown rule (see \`policypack list\`)`);
    if (!enabled.some(({ rule }) => rule.id === id)) throw new UsageError(`--rule ${id}: the rule is not enabled by ${configName}`);
  }
  const selected = enabled.filter(
    ({ rule }) => (opts.profile.length === 0 || rule.profiles.some((p) => opts.profile.includes(p))) && (opts.rule.length === 0 || opts.rule.includes(rule.id)),
  );
  if (selected.length === 0) throw new UsageError(`no rule enabled by ${configName} is left by --profile and --rule`);
  return selected;
}

const PROGRESS_INTERVAL_MS = 100;

/** One line on a terminal's standard error, rewritten in place at most every PROGRESS_INTERVAL_MS. */
function progressLine(io: Io) {
  let last = 0;
  let shown = false;
  return {
    update({ files, objects, findings }: Progress) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      shown = true;
      io.err(`\r\x1b[2Kscanning: files ${files}, objects ${objects}, findings ${findings}`);
    },
    clear() {
      if (shown) io.err("\r\x1b[2K");
      shown = false;
    },
  };
}
