// The Rego → WebAssembly pipeline: parse every source (AST), check the modules together
// (CheckedPolicy: rule index, ordered bodies, resolved calls), plan the entrypoints (IR), fold
// constants (IR), emit a module that speaks OPA's Wasm ABI. `compiler: "opa"` hands
// the same sources to a real `opa build` instead, so the two can be compared where an opa binary
// exists.

import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { checkModules } from "./check/index.ts";
import type { Policy } from "./ir/types.ts";
import { foldConstants } from "./optimize/index.ts";
import { planPolicy } from "./planner/index.ts";
import { parseModule } from "./syntax/index.ts";
import { emitWasm } from "./wasm/index.ts";

export interface RegoSource {
  /** Shown in error messages as `file:line:col`. */
  file: string;
  text: string;
  regoVersion: 0 | 1;
}

export type CompilerChoice = "builtin" | "opa";

export interface CompileOptions {
  compiler?: CompilerChoice;
}

/**
 * Compiles Rego sources to a Wasm module with one entrypoint per `entrypoints` item (`pkg/rule`).
 * Throws CompileError (message `file:line:col: problem`) on bad Rego, Error for other failures.
 */
export function compileRego(sources: RegoSource[], entrypoints: string[], options: CompileOptions = {}): Uint8Array {
  if (options.compiler === "opa") {
    requireEntrypoints(entrypoints);
    return compileWithOpa(sources, entrypoints);
  }
  return emitWasm(planRego(sources, entrypoints));
}

/**
 * The IR of the sources' entrypoints as the Wasm emitter receives it: planned, constants folded.
 * Print it with printPolicy (ir/print.ts). Throws as compileRego does.
 */
export function planRego(sources: RegoSource[], entrypoints: string[]): Policy {
  requireEntrypoints(entrypoints);
  const modules = sources.map((s) => parseModule(s.text, s.file, { regoVersion: s.regoVersion }));
  return foldConstants(planPolicy(checkModules(modules), entrypoints));
}

function requireEntrypoints(entrypoints: string[]): void {
  if (entrypoints.length === 0) throw new Error("no entrypoint given: name at least one rule as pkg/rule");
}

/** The opa binary to use: $OPA_BIN when set, else the first `opa` on PATH, else undefined. */
export function opaAvailable(): string | undefined {
  if (process.env.OPA_BIN) return process.env.OPA_BIN;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "opa");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

function compileWithOpa(sources: RegoSource[], entrypoints: string[]): Uint8Array {
  const opa = opaAvailable();
  if (!opa) throw new Error("the opa compiler needs an opa binary on PATH or in $OPA_BIN; none was found");
  const versions = new Set(sources.map((s) => s.regoVersion));
  // `opa build` takes one language version for all files given on the command line.
  if (versions.size > 1) throw new Error("the opa compiler cannot build Rego v0 and v1 sources together");
  const dir = mkdtempSync(join(tmpdir(), "policypack-opa-"));
  try {
    const files = sources.map((s, i) => {
      // Numbered folders keep same-named sources (e.g. two templates' `rego`) apart; opa loads
      // only files named *.rego, and template sources are named after their YAML field.
      const base = s.file.replace(/^.*[\\/]/, "").replace(/[^\w.-]+/g, "_");
      const path = join(dir, "src", String(i), base.endsWith(".rego") ? base : `${base}.rego`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, s.text);
      return path;
    });
    const bundle = join(dir, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", ...entrypoints.flatMap((e) => ["-e", e]), "-o", bundle];
    if (versions.has(0)) args.push("--v0-compatible");
    const run = spawnSync(opa, [...args, ...files], { encoding: "utf8" });
    if (run.error) throw new Error(`running ${opa}: ${run.error.message}`);
    if (run.status !== 0) {
      // One line, naming the caller's files rather than the temporary copies.
      let output = (run.stderr || run.stdout).trim().replace(/\s*\n\s*/g, "; ");
      files.forEach((path, i) => (output = output.split(path).join(sources[i].file)));
      throw new Error(`opa build failed: ${output}`);
    }
    return extractFromTarGz(readFileSync(bundle), "policy.wasm");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads one regular file out of a gzip'd tar (ustar or GNU), as `opa build` writes bundles.
 * A bundle holds a handful of small files, so reading it whole is fine.
 */
export function extractFromTarGz(archive: Uint8Array, wanted: string): Uint8Array {
  const tar = gunzipSync(archive);
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
  };
  let offset = 0;
  while (offset + 512 <= tar.length && tar[offset] !== 0) {
    const name = text(offset, 100);
    const prefix = text(offset + 345, 155);
    const size = parseInt(text(offset + 124, 12).trim() || "0", 8);
    const typeflag = String.fromCharCode(tar[offset + 156]);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\.?\//, "");
    const body = offset + 512;
    if (path === wanted && (typeflag === "0" || typeflag === "\0")) return new Uint8Array(tar.subarray(body, body + size));
    offset = body + Math.ceil(size / 512) * 512;
  }
  throw new Error(`the opa bundle has no ${wanted}`);
}
