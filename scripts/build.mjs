// `npm run build`: the compiled form of the package (compile.mjs), then this repository's rule
// pack with it: out/, docs/rules/ (the config's `docs`) and the README's rule table. Extra
// arguments go to `policypack build`: `npm run build -- --check` writes nothing and compares.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(["scripts/compile.mjs"]);
run(["bin/policypack.js", "build", "--readme", "README.md", ...process.argv.slice(2)]);
