// Hostile and broken input: every case gives exactly one line naming the file (and the line, the
// byte or the field) and the documented exit code, and writes nothing.

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { tempDir } from "../temp-dir.ts";

const root = tempDir("bad-input");

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
