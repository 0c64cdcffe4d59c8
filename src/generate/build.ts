// The build: config + rules → every generator's files and the rule docs (in memory) → out/ and
// docs/rules/, each swapped in atomically; or, with `check`, compared with what they hold.

import { type Dirent, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { RULE_DOCS, ruleDocs, rulePageLink } from "../../generators/docs.ts";
import { GENERATORS } from "../../generators/index.ts";
import { ruleTable, withRuleTable } from "../../generators/readme.ts";
import type { Generator, OutputFile } from "../../generators/types.ts";
import { loadConfig, type LoadedConfig } from "../config/load.ts";
import { enabledRules } from "../config/resolve.ts";
import type { EnabledRule, LoadedRule } from "../config/types.ts";
import { InputError } from "../errors.ts";
import { displayPath, isBuiltin, loadRules } from "../catalog/rules.ts";
import { writeOutputs } from "./write-tree.ts";

export interface BuildOptions {
  /** The config file; default policypack.config.yaml in the working directory, if present. */
  configFile?: string;
  outDir: string;
  /** Compare with outDir (and the README) instead of writing. */
  check: boolean;
  /** A README whose rule table (between the markers) is regenerated; none when omitted. */
  readme?: string;
  /**
   * A folder whose rules/ subfolder (a page per documented rule, and an index) is regenerated;
   * by default the config's `docs` field, false for none.
   */
  docsDir?: string | false;
}

export interface Difference {
  /** The file as the user sees it: `out/kyverno/host-ipc.yaml`, `docs/rules/host-ipc.md`, `README.md`. */
  file: string;
  problem: "differs" | "missing" | "extra";
}

export interface BuildResult {
  config: LoadedConfig;
  rules: LoadedRule[];
  enabled: EnabledRule[];
  /** Every generated file, sorted by path (relative to outDir). */
  files: OutputFile[];
  /** Where the rule docs go; undefined when none are written. */
  docsDir: string | undefined;
  /** Why the config's docs were not written, if so. */
  docsSkipped: string | undefined;
  /** The rule docs, sorted by path (relative to <docsDir>/rules); none without docsDir. */
  docs: OutputFile[];
  /** With `check`: what differs from outDir, the docs and the README (empty when up to date). */
  differences: Difference[];
}

/** Everything a build produces, in memory: no file is written. */
export async function generate(options: Omit<BuildOptions, "check"> & { generators?: readonly Generator[] }) {
  const config = loadConfig(options.configFile);
  const rules = await loadRules(config);
  const enabled = enabledRules(config, rules);
  const files = (options.generators ?? GENERATORS).flatMap((generator) => generatorFiles(generator, enabled, config));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { outDir } = options;
  const { docsDir, docsSkipped } = docsLocation(options, config);
  const documented = documentedRules(config, rules);
  const docs = docsDir === undefined ? [] : ruleDocs({ documented, enabled, outFiles: files, outDir, docsDir });
  const readme = options.readme === undefined ? undefined : readmeUpdate(options.readme, rules, documented, docsDir);
  return { config, rules, enabled, files, docsDir, docsSkipped, docs, readme };
}

/**
 * Where the docs go. The config's `docs` pages link to the output files, so they are written only
 * when the output folder lies inside the config's folder: building into /tmp leaves the project's
 * docs alone.
 */
function docsLocation(options: Pick<BuildOptions, "outDir" | "docsDir">, config: LoadedConfig): { docsDir: string | undefined; docsSkipped: string | undefined } {
  if (options.docsDir === false) return { docsDir: undefined, docsSkipped: undefined };
  if (options.docsDir !== undefined) return { docsDir: options.docsDir, docsSkipped: undefined };
  if (config.docsDir === undefined) return { docsDir: undefined, docsSkipped: undefined };
  const project = config.file === undefined ? process.cwd() : dirname(resolve(config.file));
  const fromProject = relative(project, resolve(options.outDir));
  if (fromProject.startsWith("..") || isAbsolute(fromProject)) {
    return { docsDir: undefined, docsSkipped: `the output folder ${options.outDir} is outside ${displayPath(project)}, whose docs link to it` };
  }
  return { docsDir: displayPath(config.docsDir), docsSkipped: undefined };
}

/** The rules that get docs pages: the config's own (from its ruleDirs), or the built-in ones when it has none. */
function documentedRules(config: LoadedConfig, rules: LoadedRule[]): LoadedRule[] {
  return config.ruleDirs.length > 0 ? rules.filter((r) => !isBuiltin(r)) : rules.filter(isBuiltin);
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const { readme, ...result } = await generate(options);
  const generatorNames = new Set(GENERATORS.map((g) => g.name));
  const trees = [{ dir: options.outDir, files: result.files, owned: (e: Dirent) => e.isDirectory() && generatorNames.has(e.name) }];
  if (result.docsDir !== undefined) {
    trees.push({ dir: join(result.docsDir, RULE_DOCS), files: result.docs, owned: (e: Dirent) => e.isFile() && e.name.endsWith(".md") });
  }
  if (options.check) {
    const differences = trees.flatMap((tree) => compareTree(resolve(tree.dir), tree.dir, tree.files));
    if (readme && readme.current !== readme.updated) differences.push({ file: readme.file, problem: "differs" });
    return { ...result, differences };
  }
  await writeOutputs(
    trees.map((tree) => ({ ...tree, dir: resolve(tree.dir) })),
    readme && readme.current !== readme.updated ? [{ file: resolve(readme.file), content: readme.updated }] : [],
  );
  return { ...result, differences: [] };
}

function generatorFiles(generator: Generator, rules: EnabledRule[], config: LoadedConfig): OutputFile[] {
  const files = generator.generate(rules, config.config);
  const seen = new Set<string>();
  for (const { path } of files) {
    // A generator bug must not write outside its folder or overwrite another file.
    const safe = path.startsWith(`${generator.name}/`) && path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
    if (!safe || seen.has(path)) throw new Error(`generator ${generator.name} produced ${seen.has(path) ? "a duplicate" : "an invalid"} path ${JSON.stringify(path)}`);
    seen.add(path);
  }
  return files;
}

/** The README with its rule table regenerated: every rule, the documented ones linked to their pages. */
function readmeUpdate(file: string, rules: LoadedRule[], documented: LoadedRule[], docsDir: string | undefined) {
  if (!existsSync(file)) throw new InputError(file, undefined, "README not found");
  const current = readFileSync(file, "utf8");
  const pages = new Map(docsDir === undefined ? [] : documented.map(({ rule }) => [rule.id, rulePageLink(dirname(file), docsDir, rule.id)]));
  return { file, current, updated: withRuleTable(current, ruleTable(rules, pages), file) };
}

/** Every file below `dir`, relative, with forward slashes, sorted. */
function listTree(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? listTree(dir, rel) : [rel];
    })
    .sort();
}

function compareTree(outDir: string, shownDir: string, files: OutputFile[]): Difference[] {
  const shown = (path: string) => `${shownDir.replace(/\/+$/, "")}/${path}`;
  const existing = existsSync(outDir) ? listTree(outDir) : [];
  const expected = new Map(files.map((f) => [f.path, f.content]));
  const differences: Difference[] = [];
  for (const path of [...new Set([...existing, ...expected.keys()])].sort()) {
    const content = expected.get(path);
    if (content === undefined) differences.push({ file: shown(path), problem: "extra" });
    else if (!existing.includes(path)) differences.push({ file: shown(path), problem: "missing" });
    else if (readFileSync(join(outDir, path), "utf8") !== content) differences.push({ file: shown(path), problem: "differs" });
  }
  return differences;
}
