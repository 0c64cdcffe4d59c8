// The compiled form of the package, what `policypack` runs and what `npm pack` ships: the Rego
// compiler's Wasm runtime (build/opa-runtime.wasm) and the JavaScript and type declarations of
// src/, generators/ and rules/ (dist/, from tsconfig.build.json), made afresh, with the id of
// that code (dist/code-id, src/code-id.ts) that the scan's pack cache is keyed by.

import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(["--import", "tsx", "src/compiler/runtime/build.ts"]);
rmSync(`${root}dist`, { recursive: true, force: true });
run([createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
// The compiled code's id, taken once here rather than at every start (src/code-id.ts).
const { CODE_ID_FILE, hashPackageCode } = await import(new URL("../dist/src/code-id.js", import.meta.url).href);
writeFileSync(CODE_ID_FILE, `${hashPackageCode()}\n`);
