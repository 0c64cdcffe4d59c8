// `npm run build`: the Rego compiler's Wasm runtime first (when that build step exists), then the
// rule pack (`policypack build`, extra arguments passed on: `npm run build -- --check`).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (existsSync(`${root}src/compiler/runtime/build.ts`)) run(["--import", "tsx", "src/compiler/runtime/build.ts"]);
run(["bin/policypack.js", "build", ...process.argv.slice(2)]);
