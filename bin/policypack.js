#!/usr/bin/env node
// The installed `policypack` command: registers tsx so the TypeScript sources (and rule files) run
// as they are, without a compile step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
