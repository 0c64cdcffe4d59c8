// Reading policypack.config.yaml: the file's shape is checked by schemas/config.schema.json, then
// defaults are filled in. What needs the rules (ids, parameters) is checked in resolve.ts.

import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { readYamlFile } from "../yaml-file.ts";
import type { Json } from "../model/expr.ts";
import { schemaCheck } from "../schemas.ts";
import configValidator from "../schema-validators/config.ts";
import type { PodSecurityVersion } from "../model/rule.ts";
import type { Config, Enforcement } from "./types.ts";

/** The config file looked for in the working directory when none is named. */
export const DEFAULT_CONFIG_FILE = "policypack.config.yaml";

export const DEFAULT_PROFILES: readonly string[] = ["pss-baseline"];
export const DEFAULT_ENFORCEMENT: Enforcement = "deny";
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ["kube-system"];

export interface LoadedConfig {
  /** The config file as named to the user, or undefined when the defaults apply (no file). */
  file: string | undefined;
  config: Config;
  /** config.ruleDirs resolved against the config file's folder. */
  ruleDirs: string[];
  /** The `docs` folder resolved against the config file's folder; undefined when not set. */
  docsDir: string | undefined;
}

/** The shape the schema admits. */
interface ConfigFile {
  profiles?: string[];
  rules?: { enable?: string[]; disable?: string[]; enforcement?: Record<string, Enforcement> };
  enforcement?: Enforcement;
  excludedNamespaces?: string[];
  exemptionAnnotation?: boolean;
  podSecurityVersion?: PodSecurityVersion;
  parameters?: Record<string, Record<string, Json>>;
  ruleDirs?: string[];
  docs?: string;
}

const validateConfig = schemaCheck(configValidator);

/**
 * The configuration in `file`; without `file`, policypack.config.yaml in the working directory
 * if there is one, else the defaults.
 */
export function loadConfig(file?: string): LoadedConfig {
  if (file === undefined) {
    if (!existsSync(DEFAULT_CONFIG_FILE)) return { file: undefined, config: withDefaults({}), ruleDirs: [], docsDir: undefined };
    file = DEFAULT_CONFIG_FILE;
  }
  if (!existsSync(file)) throw new InputError(file, undefined, "config file not found");
  const doc = readYamlFile(file) ?? {};
  validateConfig(doc, file);
  const fields = doc as ConfigFile;
  checkParameterSizes(fields, file);
  const config = withDefaults(fields);
  const here = dirname(file);
  return { file, config, ruleDirs: config.ruleDirs.map((dir) => resolve(here, dir)), docsDir: fields.docs === undefined ? undefined : resolve(here, fields.docs) };
}

/** The most a parameter value may hold, as JSON: far above any real list of images or paths, far below what stalls a build. */
export const MAX_PARAMETER_BYTES = 64 * 1024;

function checkParameterSizes(doc: ConfigFile, file: string): void {
  for (const [id, values] of Object.entries(doc.parameters ?? {})) {
    for (const [name, value] of Object.entries(values)) {
      const size = Buffer.byteLength(JSON.stringify(value));
      if (size > MAX_PARAMETER_BYTES) throw new InputError(file, `parameters.${id}.${name}`, `${size} bytes is over the ${MAX_PARAMETER_BYTES} bytes a parameter value may hold`);
    }
  }
}

/** The configuration without a config file: every setting at its default. */
export function defaultConfig(): Config {
  return withDefaults({});
}

function withDefaults(doc: ConfigFile): Config {
  return {
    profiles: doc.profiles ?? [...DEFAULT_PROFILES],
    enableRules: doc.rules?.enable ?? [],
    disableRules: doc.rules?.disable ?? [],
    enforcement: doc.enforcement ?? DEFAULT_ENFORCEMENT,
    ruleEnforcement: doc.rules?.enforcement ?? {},
    excludedNamespaces: doc.excludedNamespaces ?? [...DEFAULT_EXCLUDED_NAMESPACES],
    exemptionAnnotation: doc.exemptionAnnotation ?? false,
    podSecurityVersion: doc.podSecurityVersion ?? "latest",
    parameters: doc.parameters ?? {},
    ruleDirs: doc.ruleDirs ?? [],
  };
}
