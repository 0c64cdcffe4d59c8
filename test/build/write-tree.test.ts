// The replacement of generated folders: killed at every step of the write (POLICYPACK_FAULT makes
// the child kill itself with SIGKILL right after the step), a tree is found complete, old or new,
// and the next write repairs what the killed one left. Also the build lock.

import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WRITE_STEPS, writeOutputs } from "../../src/generate/write-tree.ts";
import { type TreeSpec, treesOf } from "./fault/trees.ts";

const CHILD = fileURLToPath(new URL("./fault/write-trees.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "policypack-write-tree-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const OLD = { "gatekeeper/a.yaml": "old a\n", "gatekeeper/b.yaml": "old b\n", "kyverno/c.yaml": "old c\n" };
const NEW = { "gatekeeper/a.yaml": "new a\n", "kyverno/c.yaml": "new c\n", "vap/d.yaml": "new d\n" };

function specs(root: string, files: Record<string, string>): TreeSpec[] {
  return [
    { dir: join(root, "out"), files },
    { dir: join(root, "docs", "rules"), files },
  ];
}

/** The files below `dir`, with their contents; undefined when it does not exist. */
function read(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(join(dir, path), "utf8");
    }
  };
  walk("");
  return files;
}

/** What stands beside `dir`: its leftovers from an interrupted replacement. */
const leftovers = (dir: string) => readdirSync(dirname(dir)).filter((name) => name.startsWith(`.${basename(dir)}.`));

/** Runs writeOutputs in a child told to kill itself after the step `fault`; resolves to the signal that ended it. */
function killedWrite(trees: TreeSpec[], fault: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(trees)], { env: { ...process.env, POLICYPACK_FAULT: fault } });
    child.on("exit", (_code, signal) => resolve(signal));
  });
}

describe("writeOutputs killed at every step", () => {
  const cases = ["out", "rules"].flatMap((tree) => WRITE_STEPS.map((step) => [`${tree}:${step}`] as const));
  // Concurrent: each case waits mostly for its child's start-up.
  it.concurrent.each(cases)("%s: a complete tree under its name or, between the renames, beside it; repaired by the next write", async (fault) => {
    const root = mkdtempSync(join(scratch, "case-"));
    writeOutputs(treesOf(specs(root, OLD)), []);
    expect(await killedWrite(specs(root, NEW), fault)).toBe("SIGKILL");

    const [killedTree, step] = fault.split(":") as [string, string];
    for (const { dir } of specs(root, OLD)) {
      const found = read(dir);
      if (basename(dir) === killedTree && step === "moved-old") {
        // The one instant Node cannot make atomic: the old tree waits, complete, under the journal name.
        expect(found).toBeUndefined();
        const [journal] = leftovers(dir).filter((name) => name.includes(".old-"));
        expect(read(join(dirname(dir), journal!))).toEqual(OLD);
      } else {
        expect([OLD, NEW]).toContainEqual(found);
      }
    }

    writeOutputs(treesOf(specs(root, NEW)), []);
    for (const { dir } of specs(root, NEW)) {
      expect(read(dir)).toEqual(NEW);
      expect(leftovers(dir)).toEqual([]);
    }
    expect(existsSync(join(root, ".policypack-build.lock"))).toBe(false);
  });

  it.concurrent("puts the old tree back when the killed write left none under its name", async () => {
    const root = mkdtempSync(join(scratch, "restore-"));
    writeOutputs(treesOf(specs(root, OLD)), []);
    expect(await killedWrite(specs(root, NEW), "out:moved-old")).toBe("SIGKILL");
    // A write that then refuses (a foreign file in docs/rules) still repairs out/ first.
    writeFileSync(join(root, "docs", "rules", "mine.txt"), "hand-written\n");
    expect(() => writeOutputs(treesOf(specs(root, NEW)).map((t) => ({ ...t, owned: (e) => e.name !== "mine.txt" })), [])).toThrow(/holds "mine\.txt"/);
    expect(read(join(root, "out"))).toEqual(OLD);
    expect(leftovers(join(root, "out"))).toEqual([]);
  });
});

describe("the build lock", () => {
  it("refuses a second writer with one line while the first is alive", async () => {
    const root = mkdtempSync(join(scratch, "lock-"));
    mkdirSync(root, { recursive: true });
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(root, ".policypack-build.lock"), `${holder.pid}\n`);
      expect(() => writeOutputs(treesOf(specs(root, NEW)), [])).toThrow(
        `${join(root, ".policypack-build.lock")}: another policypack build (pid ${holder.pid}) is writing here; run again when it has finished`,
      );
      expect(read(join(root, "out"))).toBeUndefined();
    } finally {
      holder.kill();
    }
  });

  it("takes over the lock of a build that died", () => {
    const root = mkdtempSync(join(scratch, "stale-"));
    const dead = spawnSync("true").pid!;
    writeFileSync(join(root, ".policypack-build.lock"), `${dead}\n`);
    writeOutputs(treesOf(specs(root, NEW)), []);
    expect(read(join(root, "out"))).toEqual(NEW);
    expect(existsSync(join(root, ".policypack-build.lock"))).toBe(false);
  });
});
