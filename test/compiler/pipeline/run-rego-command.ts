// Runs `policypack rego …` in a child process, so tests see the real exit code and output.
import { regoCommand } from "../../../src/cli/rego-command.ts";

await regoCommand().parseAsync(process.argv.slice(2), { from: "user" });
