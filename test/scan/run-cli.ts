// `policypack` run in process, as the scan tests run it: its exit code and what it printed.

import { type Io, runCli } from "../../src/cli/main.ts";

export async function runPolicypack(argv: string[], isTerminal?: Io["isTerminal"]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTerminal });
  return { code, stdout, stderr };
}
