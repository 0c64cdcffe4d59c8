// The scan's pack cache (src/scan/pack-cache.ts), through the CLI: the first scan compiles and
// keeps the module, the second loads it (the entry untouched, and --verbose says so); a custom
// rule's change, a config change and a parameter change each make a new entry with the findings
// they call for; a corrupt entry is compiled again and rewritten; and a scan from the cache finds
// exactly what a scan without it finds. Each test's rules are narrowed to a few, to keep its
// compiles short.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { tempDir } from "../temp-dir.ts";
import { clearColorEnv } from "./color-env.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const dir = tempDir("pack-cache");
const cache = join(dir, "cache");
// This file's own cache (process.env is the worker thread's own).
process.env["POLICYPACK_CACHE_DIR"] = cache;
clearColorEnv();

const MANIFEST = join(dir, "deployment.yaml");
writeFileSync(
  MANIFEST,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      hostIPC: true
      containers:
        - name: app
          image: registry.example.com/web:1.0
        - name: sidecar
          image: busybox:1.36
`,
);

const HOST_IPC = "Deployment web shares the host IPC namespace (spec.hostIPC is true)";
const NOT_ALLOWED = "Container sidecar uses image busybox:1.36, which is not from an allowed repository";

/** A config file in the test's folder, enabling `rules` with `extra` settings. */
function config(name: string, rules: string[], extra = ""): string {
  const file = join(dir, name);
  writeFileSync(file, `profiles: []\nrules:\n  enable: [${rules.join(", ")}]\n${extra}`);
  return file;
}

const ALLOWED_REGISTRY = `parameters:\n  allowed-image-repos:\n    allowedRepos: ["registry.example.com/*"]\n`;
const BASE = config("base.yaml", ["host-ipc", "allowed-image-repos"], ALLOWED_REGISTRY);

async function scan(configFile: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["scan", "--verbose", "-c", configFile, ...argv, MANIFEST], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const KEPT = /^pack: compiled (\d+) rules, kept in (.*\.json)$/m;
const LOADED = /^pack: loaded from the cache, (.*\.json)$/m;

/** The entry a scan compiled and kept (from its --verbose note). */
function keptEntry(stderr: string): string {
  const match = KEPT.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return match![2]!;
}

/** The findings' messages of a text report, in order. */
const messages = (stdout: string) => [...stdout.matchAll(/^ {2}\S+:\d+:\d+ +\w+ +[\w-]+ {2}(.*) {2}\(/gm)].map((m) => m[1]);

describe("the pack cache", () => {
  let first: Awaited<ReturnType<typeof scan>>;
  let entry: string;
  beforeAll(async () => {
    first = await scan(BASE);
    entry = keptEntry(first.stderr);
  }, 180_000);

  it("keeps the compiled module under the cache folder, named by its key", () => {
    expect(first.code).toBe(1);
    expect(messages(first.stdout)).toEqual([HOST_IPC, NOT_ALLOWED]);
    expect(KEPT.exec(first.stderr)![1]).toBe("2");
    expect(dirname(entry)).toBe(join(cache, "pack"));
    expect(readdirSync(join(cache, "pack"))).toEqual([basename(entry)]);
    expect(basename(entry)).toMatch(/^[0-9a-f]{64}\.json$/);
  });

  it("serves a second scan with the same config from the cache, writing nothing", async () => {
    const before = statSync(entry).mtimeMs;
    const second = await scan(BASE);
    expect(LOADED.exec(second.stderr)?.[1]).toBe(entry);
    expect(second.stderr).not.toMatch(KEPT);
    expect(statSync(entry).mtimeMs).toBe(before);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(1);
  });

  it("finds from the cache exactly what a compile without the cache finds", async () => {
    const cached = await scan(BASE, "--format", "json");
    const uncached = await scan(BASE, "--format", "json", "--no-cache");
    expect(cached.stderr).toMatch(LOADED);
    expect(uncached.stderr).toContain("pack: compiled 2 rules (cache not used)\n");
    expect(uncached.stdout).toBe(cached.stdout);
  }, 180_000);

  it("makes a new entry when the config changes what reaches the pack (excluded namespaces)", async () => {
    const excluded = await scan(config("excluded.yaml", ["host-ipc", "allowed-image-repos"], `${ALLOWED_REGISTRY}excludedNamespaces: [shop]\n`));
    expect(keptEntry(excluded.stderr)).not.toBe(entry);
    expect(messages(excluded.stdout)).toEqual([]);
    expect(excluded.code).toBe(0);
  }, 180_000);

  it("makes a new entry when a parameter changes, and finds with the new value", async () => {
    const widened = await scan(config("widened.yaml", ["host-ipc", "allowed-image-repos"], `parameters:\n  allowed-image-repos:\n    allowedRepos: ["registry.example.com/*", "busybox*"]\n`));
    expect(keptEntry(widened.stderr)).not.toBe(entry);
    expect(messages(widened.stdout)).toEqual([HOST_IPC]);
  }, 180_000);

  it("makes a new entry when --rule narrows the rules", async () => {
    const narrowed = await scan(BASE, "--rule", "host-ipc");
    expect(keptEntry(narrowed.stderr)).not.toBe(entry);
    expect(messages(narrowed.stdout)).toEqual([HOST_IPC]);
  }, 180_000);

  it("compiles again over an entry that is not JSON, and rewrites it", async () => {
    writeFileSync(entry, "{ truncated");
    const recovered = await scan(BASE);
    expect(recovered.stderr).toContain(`pack: ignored the cache entry ${entry}: not valid JSON\n`);
    expect(keptEntry(recovered.stderr)).toBe(entry);
    expect(recovered.stdout).toBe(first.stdout);
    expect(LOADED.exec((await scan(BASE)).stderr)?.[1]).toBe(entry);
  }, 180_000);

  it("compiles again over an entry whose module bytes were altered", async () => {
    const kept = JSON.parse(readFileSync(entry, "utf8")) as { wasm: string };
    const bytes = Buffer.from(kept.wasm, "base64");
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(entry, JSON.stringify({ ...kept, wasm: bytes.toString("base64") }));
    const recovered = await scan(BASE);
    expect(recovered.stderr).toContain(`pack: ignored the cache entry ${entry}: its module's bytes do not match their hash\n`);
    expect(keptEntry(recovered.stderr)).toBe(entry);
    expect(recovered.stdout).toBe(first.stdout);
  }, 180_000);
});

describe("the pack cache and custom rules", () => {
  const rules = join(dir, "custom-rules");
  const ruleFile = join(rules, "team-label", "rule.ts");
  /** The custom rule, saying `complaint` of a workload without a team label. */
  const writeRule = (complaint: string) =>
    writeFileSync(
      ruleFile,
      `import { any, defineRule, entries, equals, msg, not, when, workloads } from ${JSON.stringify(join(REPO, "src", "model", "index.ts"))};

export default defineRule({
  id: "team-label",
  title: "Pods must name their team",
  description: "A test rule.",
  severity: "low",
  category: "Conventions",
  profiles: [],
  match: workloads,
  references: {},
  remediation: "Add the team label.",
  checks: ({ pod, object }) => [
    when(not(any(entries(pod.metadata.labels, "label"), (label) => equals(label.key, "team"))), msg\`\${object.metadata.name} ${complaint}\`),
  ],
});
`,
    );

  it("makes a new entry when a custom rule file changes what the rule says", async () => {
    mkdirSync(join(rules, "team-label"), { recursive: true });
    const customConfig = config("custom.yaml", ["team-label"], `ruleDirs: [custom-rules]\n`);
    writeRule("has no team label");
    const before = await scan(customConfig);
    expect(messages(before.stdout)).toEqual(["web has no team label"]);
    const entry = keptEntry(before.stderr);
    expect(LOADED.exec((await scan(customConfig)).stderr)?.[1]).toBe(entry);

    writeRule("names no team");
    const after = await scan(customConfig);
    expect(keptEntry(after.stderr)).not.toBe(entry);
    expect(messages(after.stdout)).toEqual(["web names no team"]);
  }, 300_000);
});
