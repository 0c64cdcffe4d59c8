// Runs `policypack rego …` in a child process through the CLI's entry point, so tests see the real
// exit code and output.
import { runCli } from "../../../src/cli/main.ts";

process.exitCode = await runCli(["rego", ...process.argv.slice(2)]);
