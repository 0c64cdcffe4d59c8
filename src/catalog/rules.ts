// Loading the rule catalog: the built-in rules (rules/<id>/rule.ts) and the custom ones, laid out
// the same way in each of the config's ruleDirs (<ruleDir>/<id>/rule.ts), each with its fixtures
// beside it (fixtures.ts). Files are imported through tsx so plain TypeScript rule files need no
// compile step.

import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register as registerCjs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";
import type { LoadedConfig } from "../config/load.ts";
import type { LoadedRule } from "../config/types.ts";
import { InputError } from "../errors.ts";
import { validateRule } from "../model/validate.ts";

export const BUILTIN_RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));

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

/** The files that define rules: built-in first, then each ruleDir's, each group sorted. */
function ruleFiles(loaded: LoadedConfig): Array<{ file: string; folder: string }> {
  const custom = loaded.ruleDirs.flatMap((dir, i) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InputError(loaded.file ?? "(defaults)", `ruleDirs.${i}`, `folder not found: ${displayPath(dir)}`);
    }
    return ruleFilesIn(dir);
  });
  return [...ruleFilesIn(BUILTIN_RULES_DIR), ...custom];
}

/** Every rule, validated, ids unique, sorted by id. */
export async function loadRules(loaded: LoadedConfig): Promise<LoadedRule[]> {
  // A fresh namespace per load: the modules are evaluated anew, so a long-lived process (tests,
  // the benchmark) sees edited rule files. The CommonJS hooks serve rule files outside an ESM
  // package (no "type": "module"), which Node loads as CommonJS.
  const namespace = `policypack-${randomUUID()}`;
  const cjs = registerCjs({ namespace });
  const tsx = register({ namespace });
  const rules: LoadedRule[] = [];
  try {
    for (const { file: absolute, folder } of ruleFiles(loaded)) {
      const file = displayPath(absolute);
      let module: { default?: unknown };
      try {
        module = await tsx.import(pathToFileURL(absolute).href, import.meta.url);
      } catch (error) {
        throw new InputError(file, undefined, `cannot load the rule file: ${oneLine(error)}`);
      }
      const rule = defaultExport(module);
      validateRule(rule, file);
      if (rule.id !== folder) {
        throw new InputError(file, `rule "${rule.id}" id`, `a rule's folder must be named after its id (${rule.id}/rule.ts)`);
      }
      const other = rules.find((r) => r.rule.id === rule.id);
      if (other) throw new InputError(file, `rule "${rule.id}" id`, `duplicate rule id "${rule.id}", also defined in ${other.file}`);
      rules.push({ rule, file });
    }
  } finally {
    await tsx.unregister();
    cjs.unregister();
  }
  return rules.sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}

/** A file Node loads as CommonJS arrives with its whole exports object as the default. */
function defaultExport(module: { default?: unknown }): unknown {
  const exported = module.default as { __esModule?: boolean; default?: unknown } | undefined;
  return exported?.__esModule === true ? exported.default : exported;
}

/** The error's message on one line (esbuild puts the position of a syntax error on the next line). */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().replace(/\s*\n\s*/g, " ");
}
