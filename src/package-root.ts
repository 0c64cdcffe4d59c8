// Where the package's own files are (rules/, templates/, schemas/, build/opa-runtime.wasm), the
// same from the TypeScript sources (src/package-root.ts) and from their compiled form
// (dist/src/package-root.js, what the installed `policypack` runs): every file read at run time
// is found through PACKAGE_ROOT.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** True when this code runs compiled (dist/), false when it runs as TypeScript sources. */
export const COMPILED = import.meta.url.endsWith(".js");

export const PACKAGE_ROOT = fileURLToPath(new URL(COMPILED ? "../../" : "../", import.meta.url));

/** A file or folder of the package: packageFile("templates", "docs") */
export function packageFile(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** policypack's version, as its package.json states it. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;
}
