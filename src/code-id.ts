// The identity of policypack's own code: what the scan's pack cache is keyed by besides the rules
// and the config, so that a cached module never outlives the code that generated and compiled it
// (the version alone would not change while the code is being worked on). A content hash of the
// code as it runs (dist/ compiled, or the TypeScript sources), the templates, the Wasm runtime and
// package.json. The compiled form records it when it is made (scripts/compile.mjs); the sources
// are hashed once per process.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { sha256 } from "./cache.ts";
import { COMPILED, PACKAGE_ROOT, packageFile } from "./package-root.ts";

/** Where the compiled form keeps its code id. */
export const CODE_ID_FILE = packageFile("dist", "code-id");

const HASHED = [...(COMPILED ? [["dist", "src"], ["dist", "generators"]] : [["src"], ["generators"]]), ["templates"], ["build", "opa-runtime.wasm"], ["package.json"]];

/** Every file below `path` (or the file itself), in a fixed order. */
function filesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesOf(join(path, name)));
}

/** The hash of the code as it runs now. */
export function hashPackageCode(): string {
  const files = HASHED.flatMap((parts) => filesOf(packageFile(...parts)));
  return sha256(files.map((file) => `${relative(PACKAGE_ROOT, file)} ${sha256(readFileSync(file))}`).join("\n"));
}

let memo: string | undefined;

/** The code's id: the compiled form's record of it, else (sources, or dist/ made without it) its hash. */
export function codeId(): string {
  memo ??= COMPILED && existsSync(CODE_ID_FILE) ? readFileSync(CODE_ID_FILE, "utf8").trim() : hashPackageCode();
  return memo;
}
