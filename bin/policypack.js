#!/usr/bin/env node
// The `policypack` command: runs the compiled CLI, dist/src/cli/main.js, which `npm run build`
// (in this repository) and `prepack` (for the published package) make with tsc.
import { existsSync } from "node:fs";

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("policypack: dist/ is missing: run `npm run build` first\n");
  process.exit(1);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
