// The replacement of generated folders and files: killed after every step of the write
// (POLICYPACK_FAULT makes the child kill itself with SIGKILL right after the step), every output is
// found complete under its name, exactly the old or exactly the new one, and the next write repairs
// what the killed one left. Also the exchange itself, the fallback two renames, and the build lock.

import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exchangePaths } from "../../src/generate/exchange.ts";
import { stageTree, swapByRenames, WRITE_STEPS, writeOutputs } from "../../src/generate/write-tree.ts";
import { tempDir } from "../temp-dir.ts";
import { type Outputs, type TreeSpec, treesOf } from "./fault/trees.ts";

const CHILD = fileURLToPath(new URL("./fault/write-trees.ts", import.meta.url));
const scratch = tempDir("write-tree");

const OLD = { "gatekeeper/a.yaml": "old a\n", "gatekeeper/b.yaml": "old b\n", "kyverno/c.yaml": "old c\n" };
const NEW = { "gatekeeper/a.yaml": "new a\n", "kyverno/c.yaml": "new c\n", "vap/d.yaml": "new d\n" };
const OLD_README = "# old\n";
const NEW_README = "# new\n";

function specs(root: string, files: Record<string, string>): TreeSpec[] {
  return [
    { dir: join(root, "out"), files },
    { dir: join(root, "docs", "rules"), files },
  ];
}

function outputs(root: string, version: "old" | "new"): Outputs {
  return {
    trees: specs(root, version === "old" ? OLD : NEW),
    files: [{ file: join(root, "README.md"), content: version === "old" ? OLD_README : NEW_README }],
  };
}

const write = ({ trees, files }: Outputs) => writeOutputs(treesOf(trees), files);

/** The files below `dir`, with their bytes; undefined when it does not exist. */
function read(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(join(dir, path), "latin1");
    }
  };
  walk("");
  return files;
}

/** What stands beside `target`: its leftovers from an interrupted replacement. */
const leftovers = (target: string) => readdirSync(dirname(target)).filter((name) => name.startsWith(`.${basename(target)}.`) || name.startsWith(`${basename(target)}.policypack-`));

/** Runs the write in a child told to kill itself after the step `fault`; resolves to the signal that ended it. */
function killedWrite(written: Outputs, fault: string, how: "build" | "renames"): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(written), how], { env: { ...process.env, POLICYPACK_FAULT: fault } });
    child.on("exit", (_code, signal) => resolve(signal));
  });
}

/** The next write finds the killed one's leftovers: afterwards every output is the new one, nothing stands beside it, the lock is gone. */
async function expectRepairedByNextWrite(root: string): Promise<void> {
  await write(outputs(root, "new"));
  for (const { dir } of specs(root, NEW)) {
    expect(read(dir)).toEqual(NEW);
    expect(leftovers(dir)).toEqual([]);
  }
  expect(readFileSync(join(root, "README.md"), "utf8")).toBe(NEW_README);
  expect(leftovers(join(root, "README.md"))).toEqual([]);
  expect(existsSync(join(root, ".policypack-build.lock"))).toBe(false);
}

// The order in which a build swaps its outputs in (trees, then files): all are staged before the first swap.
const TARGETS = ["out", "rules", "README.md"] as const;

describe("a build killed after every step of the write", () => {
  const cases = TARGETS.flatMap((target) => (target === "README.md" ? WRITE_STEPS.file : WRITE_STEPS.exchange).map((step) => [`${target}:${step}`] as const));
  // Concurrent: each case waits mostly for its child's start-up.
  it.concurrent.each(cases)("%s: every output is complete under its name, exactly the old or the new one; repaired by the next write", async (fault) => {
    const root = mkdtempSync(join(scratch, "case-"));
    await write(outputs(root, "old"));
    expect(await killedWrite(outputs(root, "new"), fault, "build")).toBe("SIGKILL");

    // Killed once everything is staged, nothing is swapped in yet; killed after a swap, the outputs
    // up to the killed one are new, the rest old. Never a missing or mixed output.
    const [killed, step] = fault.split(":") as [(typeof TARGETS)[number], string];
    const swapped = step === "staged" ? [] : TARGETS.slice(0, TARGETS.indexOf(killed) + 1);
    const [out, rules] = specs(root, OLD).map(({ dir }) => read(dir));
    expect({ out, rules, "README.md": readFileSync(join(root, "README.md"), "latin1") }).toEqual(
      Object.fromEntries(TARGETS.map((target) => [target, swapped.includes(target) ? (target === "README.md" ? NEW_README : NEW) : target === "README.md" ? OLD_README : OLD])),
    );
    if (step === "exchanged") {
      // The swap window: one exchange made the new tree current and put the whole old tree under the staged name.
      const dir = killed === "out" ? join(root, "out") : join(root, "docs", "rules");
      const [staged, ...others] = leftovers(dir);
      expect(others).toEqual([]);
      expect(staged).toMatch(new RegExp(`^\\.${killed}\\.new-`));
      expect(read(join(dirname(dir), staged!))).toEqual(OLD);
    }
    await expectRepairedByNextWrite(root);
  });
});

describe("the fallback two renames, killed after every step", () => {
  const cases = ["out", "rules"].flatMap((tree) => WRITE_STEPS.renames.filter((step) => step !== "staged").map((step) => [`${tree}:${step}`] as const));
  it.concurrent.each(cases)("%s: a complete tree under its name or, between the renames, beside it; repaired by the next write", async (fault) => {
    const root = mkdtempSync(join(scratch, "renames-"));
    await write(outputs(root, "old"));
    expect(await killedWrite(outputs(root, "new"), fault, "renames")).toBe("SIGKILL");

    const [killed, step] = fault.split(":") as [string, string];
    for (const { dir } of specs(root, OLD)) {
      const found = read(dir);
      if (basename(dir) === killed && step === "moved-old") {
        // The instant two renames cannot make atomic: the old tree waits, complete, under the journal name.
        expect(found).toBeUndefined();
        const [journal] = leftovers(dir).filter((name) => name.includes(".old-"));
        expect(read(join(dirname(dir), journal!))).toEqual(OLD);
      } else {
        // The child swaps the trees in order: out, then docs/rules.
        expect(found).toEqual(basename(dir) === killed || (killed === "rules" && basename(dir) === "out") ? NEW : OLD);
      }
    }
    await expectRepairedByNextWrite(root);
  });

  it.concurrent("puts the old tree back when the killed write left none under its name", async () => {
    const root = mkdtempSync(join(scratch, "restore-"));
    await write(outputs(root, "old"));
    expect(await killedWrite(outputs(root, "new"), "out:moved-old", "renames")).toBe("SIGKILL");
    // A write that then refuses (a foreign file in docs/rules) still repairs out/ first.
    writeFileSync(join(root, "docs", "rules", "mine.txt"), "hand-written\n");
    await expect(writeOutputs(treesOf(specs(root, NEW)).map((t) => ({ ...t, owned: (e) => e.name !== "mine.txt" })), [])).rejects.toThrow(/holds "mine\.txt"/);
    expect(read(join(root, "out"))).toEqual(OLD);
    expect(leftovers(join(root, "out"))).toEqual([]);
  });

  it("replaces a tree whole when called directly", async () => {
    const root = mkdtempSync(join(scratch, "direct-"));
    await write(outputs(root, "old"));
    const [tree] = treesOf(specs(root, NEW));
    await swapByRenames(await stageTree(tree!.dir, tree!.files), tree!.dir);
    expect(read(tree!.dir)).toEqual(NEW);
    expect(leftovers(tree!.dir)).toEqual([]);
  });
});

describe.runIf(process.platform === "linux")("the exchange", () => {
  it("swaps two folders in one step", () => {
    const root = mkdtempSync(join(scratch, "exchange-"));
    mkdirSync(join(root, "a"));
    writeFileSync(join(root, "a", "in-a"), "a\n");
    mkdirSync(join(root, "b"));
    writeFileSync(join(root, "b", "in-b"), "b\n");
    expect(exchangePaths(join(root, "a"), join(root, "b"))).toBe(true);
    expect([read(join(root, "a")), read(join(root, "b"))]).toEqual([{ "in-b": "b\n" }, { "in-a": "a\n" }]);
  });

  it("throws a failure as Node's file-system errors are, for the build's one line", () => {
    const root = mkdtempSync(join(scratch, "exchange-missing-"));
    mkdirSync(join(root, "a"));
    const missing = join(root, "missing");
    expect(() => exchangePaths(join(root, "a"), missing)).toThrow(
      expect.objectContaining({ code: "ENOENT", syscall: "renameat2", message: `ENOENT: No such file or directory, renameat2 '${join(root, "a")}' -> '${missing}'` }),
    );
    expect(existsSync(join(root, "a"))).toBe(true);
  });

  it("is loaded only by a build that writes: not by --version, list or build --check", () => {
    const root = mkdtempSync(join(scratch, "lazy-"));
    const out = join(root, "out");
    const commands = [["--version"], ["list"], ["build", "--out", out, "--no-docs", "--check"], ["build", "--out", out, "--no-docs"]];
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fault/loads-koffi.ts", import.meta.url)), JSON.stringify(commands)], { encoding: "utf8" });
    expect(child.stdout).toBe("--version 0 false\nlist 0 false\nbuild 1 false\nbuild 0 true\n");
  }, 120_000);
});

describe("leftovers of builds before the exchange", () => {
  it("are removed by the next write: a staged README of the old naming, staged and journal trees", async () => {
    const root = mkdtempSync(join(scratch, "older-"));
    await write(outputs(root, "old"));
    writeFileSync(join(root, "README.md.policypack-12345.tmp"), NEW_README);
    mkdirSync(join(root, ".out.new-abcdef"));
    mkdirSync(join(root, ".out.old-abcdef"));
    await expectRepairedByNextWrite(root);
  });
});

describe("the build lock", () => {
  it("refuses a second writer with one line while the first is alive", async () => {
    const root = mkdtempSync(join(scratch, "lock-"));
    mkdirSync(root, { recursive: true });
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(root, ".policypack-build.lock"), `${holder.pid}\n`);
      await expect(writeOutputs(treesOf(specs(root, NEW)), [])).rejects.toThrow(
        `${join(root, ".policypack-build.lock")}: another policypack build (pid ${holder.pid}) is writing here; run again when it has finished`,
      );
      expect(read(join(root, "out"))).toBeUndefined();
    } finally {
      holder.kill();
    }
  });

  it("takes over the lock of a build that died", async () => {
    const root = mkdtempSync(join(scratch, "stale-"));
    const dead = spawnSync("true").pid!;
    writeFileSync(join(root, ".policypack-build.lock"), `${dead}\n`);
    await writeOutputs(treesOf(specs(root, NEW)), []);
    expect(read(join(root, "out"))).toEqual(NEW);
    expect(existsSync(join(root, ".policypack-build.lock"))).toBe(false);
  });
});
