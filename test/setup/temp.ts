// Every test run gets a temp folder of its own (TMPDIR, which os.tmpdir(), child processes and
// the tests' own mkdtemp calls follow), removed at the end with whatever tools cached there (tsx);
// a run whose tests left a policypack-* folder behind fails, so no test forgets its clean-up.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const runTemp = mkdtempSync(join(tmpdir(), "policypack-test-run-"));
  process.env.TMPDIR = runTemp;
  return () => {
    const left = readdirSync(runTemp).filter((name) => name.startsWith("policypack-"));
    rmSync(runTemp, { recursive: true, force: true });
    if (left.length === 0) return;
    // vitest reports an error thrown here but still exits 0; the exit code is what CI reads.
    process.stderr.write(`\nFAIL: the tests left ${left.length} temporary file(s) or folder(s) behind: ${left.sort().join(", ")}\n`);
    process.exitCode = 1;
  };
}
