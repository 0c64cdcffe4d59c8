// Loading the rule catalog: the built-in rules (rules/<id>/rule.ts) and the custom ones, laid out
// the same way in each of the config's ruleDirs (<ruleDir>/<id>/rule.ts), each with its fixtures
// beside it (fixtures.ts). The built-in rules run compiled (dist/rules/<id>/rule.js) when the
// package does; custom rule files are type-checked (typecheck.ts), then imported through tsx, which
// compiles them on the fly and caches the result by content.

import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedConfig } from "../config/load.ts";
import type { LoadedRule } from "../config/types.ts";
import { InputError } from "../errors.ts";
import { validateRule } from "../model/validate.ts";
import { COMPILED, packageFile } from "../package-root.ts";
import { typecheckRuleFiles } from "./typecheck.ts";

export const BUILTIN_RULES_DIR = packageFile("rules");

/** Whether the rule is one of the package's rules/ (not from a config's ruleDirs). */
export function isBuiltin({ rule, file }: LoadedRule): boolean {
  return resolve(file) === join(BUILTIN_RULES_DIR, rule.id, "rule.ts");
}

/** A path as error messages show it: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** The rule files of a folder of rules: <dir>/<id>/rule.ts, sorted by folder name. */
function ruleFilesIn(dir: string): Array<{ file: string; folder: string }> {
  return readdirSync(dir)
    .filter((folder) => existsSync(join(dir, folder, "rule.ts")))
    .sort()
    .map((folder) => ({ file: join(dir, folder, "rule.ts"), folder }));
}

/** The custom rule files: each ruleDir's, in the config's order, each sorted. */
function customRuleFiles(loaded: LoadedConfig): Array<{ file: string; folder: string }> {
  return loaded.ruleDirs.flatMap((dir, i) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InputError(loaded.file ?? "(defaults)", `ruleDirs.${i}`, `folder not found: ${displayPath(dir)}`);
    }
    return ruleFilesIn(dir);
  });
}

type RuleModule = { default?: unknown };

/** Every rule, validated, ids unique, sorted by id. */
export async function loadRules(loaded: LoadedConfig): Promise<LoadedRule[]> {
  const builtin = ruleFilesIn(BUILTIN_RULES_DIR);
  const custom = customRuleFiles(loaded);
  await typecheckRuleFiles(
    custom.map(({ file }) => file),
    loaded.ruleDirs,
  );
  const rules: LoadedRule[] = [];
  const add = (module: RuleModule, absolute: string, folder: string) => {
    const file = displayPath(absolute);
    const rule = defaultExport(module);
    validateRule(rule, file);
    if (rule.id !== folder) {
      throw new InputError(file, `rule "${rule.id}" id`, `a rule's folder must be named after its id (${rule.id}/rule.ts)`);
    }
    const other = rules.find((r) => r.rule.id === rule.id);
    if (other) throw new InputError(file, `rule "${rule.id}" id`, `duplicate rule id "${rule.id}", also defined in ${other.file}`);
    rules.push({ rule, file });
  };
  if (COMPILED) {
    const modules = await Promise.all(builtin.map(({ folder }) => import(pathToFileURL(packageFile("dist", "rules", folder, "rule.js")).href) as Promise<RuleModule>));
    builtin.forEach(({ file, folder }, i) => add(modules[i]!, file, folder));
  }
  const sources = COMPILED ? custom : [...builtin, ...custom];
  if (sources.length > 0) {
    for (const [i, module] of (await importTypeScript(sources.map(({ file }) => file))).entries()) add(module, sources[i]!.file, sources[i]!.folder);
  }
  return rules.sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}

/** TypeScript rule files, imported in order through tsx (loaded only when there are some). */
async function importTypeScript(files: string[]): Promise<RuleModule[]> {
  const [{ register }, { register: registerCjs }] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
  // A fresh namespace per load: the modules are evaluated anew, so a long-lived process (tests,
  // the benchmark) sees edited rule files. The CommonJS hooks serve rule files outside an ESM
  // package (no "type": "module"), which Node loads as CommonJS.
  const namespace = `policypack-${randomUUID()}`;
  const cjs = registerCjs({ namespace });
  const tsx = register({ namespace });
  try {
    const modules: RuleModule[] = [];
    for (const file of files) {
      try {
        modules.push(await tsx.import(pathToFileURL(file).href, import.meta.url));
      } catch (error) {
        throw new InputError(displayPath(file), undefined, `cannot load the rule file: ${oneLine(error)}`);
      }
    }
    return modules;
  } finally {
    await tsx.unregister();
    cjs.unregister();
  }
}

/** A file Node loads as CommonJS arrives with its whole exports object as the default. */
function defaultExport(module: RuleModule): unknown {
  const exported = module.default as { __esModule?: boolean; default?: unknown } | undefined;
  return exported?.__esModule === true ? exported.default : exported;
}

/** The error's message on one line (esbuild puts the position of a syntax error on the next line). */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().replace(/\s*\n\s*/g, " ");
}
