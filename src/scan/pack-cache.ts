// The scan's pack module, kept between runs: compiling the enabled rules' Gatekeeper Rego into one
// Wasm module takes seconds, loading a kept one milliseconds. An entry is named by a hash of
// everything the module and its data are made from: the enabled rules (their model, parameters and
// enforcement), the config, and policypack's own code (code-id.ts: the generators, the compiler,
// its Wasm runtime, the version). A second scan with the same rules and config loads the entry
// and loads neither the generators nor the compiler; any change makes another entry. An entry
// that cannot be read, or whose module does not load, is compiled again and rewritten.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, sha256, writeCacheFile } from "../cache.ts";
import { displayPath } from "../catalog/rules.ts";
import { codeId } from "../code-id.ts";
import type { Config, EnabledRule } from "../config/types.ts";
import { type GatekeeperPack, loadPackModule, type PackModule } from "../engines/gatekeeper/pack-module.ts";

/** Changes when the entry's layout does. */
const ENTRY_FORMAT = 1;

/** An entry on disk: the PackModule with its bytes in base64, their hash, and the key it was made for. */
interface Entry extends Omit<PackModule, "wasm"> {
  format: number;
  key: string;
  wasm: string;
  wasmSha256: string;
}

export interface PackLoadOptions {
  /** Whether to use the cache (false: compile, and keep nothing). */
  cache: boolean;
  /** Told where the module came from (for --verbose). */
  onNote?: (note: string) => void;
}

/** The cache key of the pack of `rules` with `config`. */
export function packCacheKey(rules: readonly EnabledRule[], config: Config): string {
  // A rule's file only names it in messages; the rest of it is what the generators read.
  const generatorInput = { rules: rules.map(({ rule, params, enforcement }) => ({ rule, params, enforcement })), config };
  return sha256(JSON.stringify({ format: ENTRY_FORMAT, code: codeId(), generatorInput }));
}

/** The pack of the enabled rules, from the cache when it holds it, else compiled (and kept). */
export async function loadPack(rules: readonly EnabledRule[], config: Config, { cache, onNote }: PackLoadOptions): Promise<GatekeeperPack> {
  if (!cache) {
    const compiled = await compile(rules, config);
    onNote?.(`pack: compiled ${rules.length} rules (cache not used)`);
    return loadPackModule(compiled);
  }
  const key = packCacheKey(rules, config);
  const file = join(cacheDir(), "pack", `${key}.json`);
  const kept = readEntry(file, key);
  if (typeof kept !== "string") {
    try {
      const pack = loadPackModule(kept);
      onNote?.(`pack: loaded from the cache, ${displayPath(file)}`);
      return pack;
    } catch (error) {
      onNote?.(`pack: ignored the cache entry ${displayPath(file)}: its module does not load (${error instanceof Error ? error.message : String(error)})`);
    }
  } else if (kept !== ABSENT) {
    onNote?.(`pack: ignored the cache entry ${displayPath(file)}: ${kept}`);
  }
  const compiled = await compile(rules, config);
  writeCacheFile(file, JSON.stringify(entryOf(compiled, key)));
  onNote?.(`pack: compiled ${rules.length} rules, kept in ${displayPath(file)}`);
  return loadPackModule(compiled);
}

/** The generated Gatekeeper templates and Constraints of the rules, compiled; the generators and the compiler load only here. */
async function compile(rules: readonly EnabledRule[], config: Config): Promise<PackModule> {
  const [{ gatekeeper }, { generatedFilesOf }, { compilePackModule }] = await Promise.all([
    import("../../generators/gatekeeper.ts"),
    import("../engines/generated.ts"),
    import("../engines/gatekeeper/pack.ts"),
  ]);
  return compilePackModule(
    generatedFilesOf(gatekeeper.generate([...rules], config)),
    rules.map(({ rule }) => rule.id),
  );
}

const ABSENT = "absent";

function entryOf({ wasm, ...module }: PackModule, key: string): Entry {
  return { format: ENTRY_FORMAT, key, ...module, wasm: Buffer.from(wasm).toString("base64"), wasmSha256: sha256(wasm) };
}

/** The module the entry holds, or why there is none: ABSENT, or what is wrong with the file. */
function readEntry(file: string, key: string): PackModule | string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? ABSENT : `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(text) as Partial<Entry>;
  } catch {
    return "not valid JSON";
  }
  if (entry === null || typeof entry !== "object" || entry.format !== ENTRY_FORMAT || entry.key !== key) return "made for another key or format";
  const { entrypoint, ruleIds, parameters, wasm, wasmSha256 } = entry;
  if (typeof entrypoint !== "string" || !Array.isArray(ruleIds) || parameters === null || typeof parameters !== "object" || typeof wasm !== "string") {
    return "fields missing";
  }
  const bytes = new Uint8Array(Buffer.from(wasm, "base64"));
  if (sha256(bytes) !== wasmSha256) return "its module's bytes do not match their hash";
  return { wasm: bytes, entrypoint, ruleIds, parameters };
}
