// How fast the installed command answers: the package packed (`npm pack`, from the compiled form
// that `npm run build` made), installed from the tarball into a temporary project, and each
// command run as a user's shell runs it (node on the package's bin; npx would add npm's own start).
//
// Baseline: `node -e 0`, Node starting and exiting, measured in the same run. The build of the
// built-in pack is also shown against the same build run from the TypeScript sources through tsx
// (the form the command ran in before it was compiled). The type-check of a custom rule is shown
// against the same build with its verdict cached. The scan of one manifest (bench/deployment.yaml)
// against every built-in profile's rules is shown with the pack module in the cache (a second
// scan) and without (the cache's pack entries removed before each run, so every run compiles).

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Row, type Section, time } from "./measure.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const ALL_PROFILES = "profiles: [pss-baseline, pss-restricted, best-practice, rbac, psp]\n";

function run(args: string[], cwd: string): void {
  execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
}

/** A scan: exit 1 (findings) is an answer, not a failure. */
function runScan(args: string[], cwd: string): void {
  const { status, error } = spawnSync(process.execPath, args, { cwd, stdio: "ignore" });
  if (error || (status !== 0 && status !== 1)) throw error ?? new Error(`${args.join(" ")}: exit ${status}`);
}

export const startupSection: Section = {
  title: "Start-up of the installed command (packed, installed into a fresh project)",
  unit: "ms",
  async run(runs) {
    const scratch = mkdtempSync(join(tmpdir(), "policypack-bench-startup-"));
    try {
      const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], REPO)) as Array<{ filename: string }>;
      // Two projects: one with only a config (the built-in pack), one started by `policypack init`.
      const builtin = join(scratch, "builtin");
      const custom = join(scratch, "custom");
      for (const project of [builtin, custom]) {
        mkdirSync(project);
        writeFileSync(join(project, "package.json"), JSON.stringify({ name: "bench", version: "1.0.0", private: true }));
        npm(["install", join(scratch, packed!.filename), "--prefer-offline", "--no-audit", "--no-fund"], project);
      }
      const bin = (project: string) => join(project, "node_modules", "policypack", "bin", "policypack.js");
      writeFileSync(join(builtin, "policypack.config.yaml"), ALL_PROFILES);
      run([bin(custom), "init"], custom);
      const cache = join(custom, "node_modules", ".cache", "policypack");
      copyFileSync(join(REPO, "bench", "deployment.yaml"), join(builtin, "deployment.yaml"));
      const scan = [bin(builtin), "scan", "deployment.yaml"];

      const node = await time(runs, () => run(["-e", "0"], scratch));
      const baseline = { name: "node -e 0", value: node };
      const build = await time(runs, () => run([bin(builtin), "build"], builtin));
      const source = `const { runCli } = await import(${JSON.stringify(join(REPO, "src", "cli", "main.ts"))}); process.exitCode = await runCli(["build"]);`;
      const buildFromSource = await time(runs, () => run(["--import", "tsx", "--input-type=module", "-e", source], builtin));
      const buildCached = await time(runs, () => run([bin(custom), "build"], custom));
      const buildUnchecked = await time(runs, () => {
        rmSync(cache, { recursive: true, force: true });
        run([bin(custom), "build"], custom);
      });
      const scanWarm = await time(runs, () => runScan(scan, builtin));
      const scanCold = await time(runs, () => {
        rmSync(join(builtin, "node_modules", ".cache", "policypack", "pack"), { recursive: true, force: true });
        runScan(scan, builtin);
      });
      const rows: Row[] = [
        { name: "policypack --version", value: await time(runs, () => run([bin(builtin), "--version"], builtin)), baseline },
        { name: "policypack --help", value: await time(runs, () => run([bin(builtin), "--help"], builtin)), baseline },
        { name: "policypack list (every built-in rule)", value: await time(runs, () => run([bin(builtin), "list"], builtin)), baseline },
        { name: "policypack list (and init's rule, verdict cached)", value: await time(runs, () => run([bin(custom), "list"], custom)), baseline },
        { name: "policypack build, every built-in profile", value: build, baseline },
        { name: "  the same build from the sources through tsx", value: buildFromSource, baseline: { name: "compiled build", value: build } },
        { name: "policypack build with init's rule, type-check cached", value: buildCached, baseline },
        { name: "  the same, type-checking the rule (no cache)", value: buildUnchecked, baseline: { name: "type-check cached", value: buildCached } },
        { name: "policypack scan of one manifest, every built-in profile, pack cached", value: scanWarm, baseline },
        { name: "  the same, the pack compiled (no cache)", value: scanCold, baseline },
      ];
      return { rows, notes: [`Each figure is a whole process: node starting, the command, its exit.`] };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
