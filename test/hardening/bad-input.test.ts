// Hostile and broken input: every case gives exactly one line naming the file (and the line, the
// byte or the field) and the documented exit code, and writes nothing. An error policypack did not
// expect is one line too, with exit code 3, or its stack with --debug.

import { cpSync, existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { tempDir } from "../temp-dir.ts";

const root = tempDir("bad-input");
const REPO = fileURLToPath(new URL("../../", import.meta.url));

async function build(configBytes: Buffer | string) {
  const config = join(root, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, configBytes);
  const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
  let stdout = "";
  let stderr = "";
  const code = await runCli(["build", "--config", config, "--out", out, "--no-readme", "--no-docs"], {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
  });
  return { code, stdout, stderr: stderr.replaceAll(config, "CONFIG"), wroteOut: existsSync(out) };
}

const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => {
  const prev = String.fromCharCode(97 + i);
  const name = String.fromCharCode(98 + i);
  return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
})].join("\n");

const cases: Array<[string, Buffer | string, string]> = [
  [
    "a Latin-1 byte in a parameter",
    Buffer.concat([Buffer.from("profiles: [pss-baseline]\nparameters:\n  privileged-containers:\n    exemptContainers: [\"caf"), Buffer.from([0xe9]), Buffer.from("\"]\n")]),
    "CONFIG:4: not valid UTF-8 at byte 89 (0xe9); save the file as UTF-8\n",
  ],
  ["a UTF-16 config", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("profiles: []\n", "utf16le")]), "CONFIG: is UTF-16; save it as UTF-8\n"],
  ["an alias bomb", `${aliasBomb}\n`, "CONFIG: not read: its YAML aliases expand too far (more than 100 uses); write the values out\n"],
  [
    "a parameter value of 100 kB",
    `parameters:\n  privileged-containers:\n    exemptContainers: ["${"x".repeat(100_000)}"]\n`,
    "CONFIG: parameters.privileged-containers.exemptContainers: 100004 bytes is over the 65536 bytes a parameter value may hold\n",
  ],
  ["a YAML syntax error", "profiles: [pss-baseline\n", "CONFIG:2:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n"],
];

describe("policypack build on bad input", () => {
  it.each(cases)("%s: one line, exit 1, nothing written", async (_name, bytes, line) => {
    const result = await build(bytes);
    expect(result).toEqual({ code: 1, stdout: "", stderr: line, wroteOut: false });
  });

  it("a BOM before UTF-8 is read as UTF-8", async () => {
    const result = await build(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("profiles: [psp]\n")]));
    expect([result.code, result.stderr, result.wroteOut]).toEqual([0, "", true]);
  });
});

/** `text` written to a new file in the temp folder named `name`; its path. */
function file(name: string, text: Buffer | string): string {
  const path = join(root, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, text);
  return path;
}

async function run(args: string[]) {
  let stderr = "";
  const code = await runCli(args, { out: () => undefined, err: (t) => void (stderr += t) });
  return { code, stderr };
}

/** A Pod on the host's network whose annotation makes its JSON encoding 3145903 bytes, after a privileged Pod: the API server would refuse the second. */
const BIG_POD_MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: small
spec:
  containers:
  - name: a
    image: nginx
    securityContext:
      privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: big
  namespace: prod
  annotations:
    note: "${"x".repeat(3 * 1024 * 1024)}"
spec:
  hostNetwork: true
  containers:
  - name: a
    image: nginx
`;

/** A project with a copy of the example custom rule and a fixture whose object is over 3 MiB as JSON. */
function projectWithBigFixture(): string {
  const dir = join(root, `project-${Math.random().toString(36).slice(2)}`);
  cpSync(join(REPO, "examples", "custom-rules", "require-team-label"), join(dir, "rules", "require-team-label"), { recursive: true });
  const ruleFile = join(dir, "rules", "require-team-label", "rule.ts");
  // Its imports, relative to the repository, made absolute.
  const source = readFileSync(ruleFile, "utf8")
    .replace('"../../../src/model/index.ts"', JSON.stringify(join(REPO, "src", "model", "index.ts")))
    .replace('"kubernetes-types/apps/v1.js"', JSON.stringify(join(REPO, "node_modules", "kubernetes-types", "apps", "v1.js")));
  writeFileSync(ruleFile, source);
  const fixture = readFileSync(join(dir, "rules", "require-team-label", "fixtures", "deployment-with-team.yaml"), "utf8");
  writeFileSync(join(dir, "rules", "require-team-label", "fixtures", "huge.yaml"), fixture.replace("    labels:\n", `    annotations:\n      note: "${"x".repeat(3 * 1024 * 1024)}"\n    labels:\n`));
  writeFileSync(join(dir, "policypack.config.yaml"), "profiles: [team-conventions]\nruleDirs: [rules]\n");
  return dir;
}

/** A Wasm module answering `count/answer` with the size of input.items, built by `rego build`; its path. */
async function countModule(): Promise<string> {
  const rego = file("count.rego", "package count\n\nimport rego.v1\n\nanswer := count(input.items)\n");
  const wasm = `${rego}.wasm`;
  expect(await run(["rego", "build", rego, "-e", "count/answer", "-o", wasm])).toEqual({ code: 0, stderr: "" });
  return wasm;
}

// [case, the command line (making the files it needs), the line on standard error with FILE for the file named, the exit code]
const commandCases: Array<[string, () => Promise<{ args: string[]; file: string }>, string, number]> = [
  [
    "scan: an object over 3 MiB, among others",
    async () => {
      const manifest = file("pods.yaml", BIG_POD_MANIFEST);
      return { args: ["scan", manifest], file: manifest };
    },
    "FILE:12:1: prod/Pod/big: too large to check: 3145903 bytes as JSON, over the 3145728-byte object limit (--max-object-size raises it)\n",
    2,
  ],
  [
    "scan: a file over 64 MiB",
    async () => {
      const manifest = file("huge.yaml", "");
      truncateSync(manifest, 64 * 1024 * 1024 + 1);
      return { args: ["scan", manifest], file: manifest };
    },
    "FILE:1:1: 67108865 bytes is larger than the 67108864 bytes policypack reads\n",
    2,
  ],
  [
    "scan: a manifest that is not UTF-8",
    async () => {
      const manifest = file("latin1.yaml", Buffer.concat([Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf"), Buffer.from([0xe9]), Buffer.from("}\n")]));
      return { args: ["scan", manifest], file: manifest };
    },
    "FILE:3:1: not valid UTF-8 at byte 51 (0xe9); save the file as UTF-8\n",
    2,
  ],
  [
    "test: a fixture whose object is over 3 MiB",
    async () => {
      const project = projectWithBigFixture();
      return {
        args: ["test", "--config", join(project, "policypack.config.yaml"), "--engine", "reference"],
        file: join(project, "rules", "require-team-label", "fixtures", "huge.yaml"),
      };
    },
    "FILE:5:1: too large to check: 3146065 bytes as JSON, over the 3145728-byte object limit (--max-object-size raises it)\n",
    2,
  ],
  [
    "rego eval: an input over 3 MiB",
    async () => {
      const input = file("input.json", JSON.stringify({ items: ["x".repeat(3 * 1024 * 1024)] }));
      return { args: ["rego", "eval", await countModule(), "-e", "count/answer", "--input", input], file: input };
    },
    "error: FILE: the input is too large to check: 3145742 bytes as JSON, over the 3145728-byte object limit (--max-object-size raises it)\n",
    1,
  ],
  [
    "rego eval: an input that is not UTF-8",
    async () => {
      const input = file("input.json", Buffer.concat([Buffer.from('{"items": ["caf'), Buffer.from([0xe9]), Buffer.from('"]}')]));
      return { args: ["rego", "eval", await countModule(), "-e", "count/answer", "--input", input], file: input };
    },
    "error: FILE:1: not valid UTF-8 at byte 15 (0xe9); save the file as UTF-8\n",
    1,
  ],
  [
    "init into a file: an error policypack did not expect",
    async () => {
      const notAFolder = file("not-a-folder", "");
      return { args: ["init", notAFolder], file: notAFolder };
    },
    "policypack: EEXIST: file already exists, mkdir 'FILE' (rerun with --debug for the stack)\n",
    3,
  ],
];

describe("every command on bad input", () => {
  it.each(commandCases)("%s: one line, its exit code", async (_name, setup, line, code) => {
    const { args, file: named } = await setup();
    const result = await run(args);
    expect({ code: result.code, stderr: result.stderr.replaceAll(named, "FILE") }).toEqual({ code, stderr: line });
  });

  it("--debug prints the stack of an error policypack did not expect, with the same exit code", async () => {
    const notAFolder = file("not-a-folder", "");
    for (const args of [["--debug", "init", notAFolder], ["init", notAFolder, "--debug"]]) {
      const { code, stderr } = await run(args);
      expect(code).toBe(3);
      expect(stderr.replaceAll(notAFolder, "FILE")).toMatch(/^Error: EEXIST: file already exists, mkdir 'FILE'\n {4}at mkdirSync .*\n {4}at init \(.*src\/cli\/init\.ts:\d+:\d+\)\n/);
    }
  });

  it("scan --max-object-size 4MiB checks the object over 3 MiB: its findings, no error", async () => {
    const manifest = file("pods.yaml", BIG_POD_MANIFEST);
    let stdout = "";
    let stderr = "";
    const code = await runCli(["scan", manifest, "--max-object-size", "4MiB", "--format", "json", "--rule", "privileged-containers", "--rule", "host-network"], {
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
    });
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; resource: { name: string } }>; errors: unknown[] };
    expect({ code, stderr, errors: report.errors }).toEqual({ code: 1, stderr: "", errors: [] });
    expect(report.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([["privileged-containers", "small"], ["host-network", "big"]]);
  });
});
