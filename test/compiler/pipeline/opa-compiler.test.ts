// The `compiler: "opa"` path: finding the binary, the `opa build` command line, and reading
// policy.wasm out of the bundle. No real opa binary exists here, so a stand-in script plays
// `opa build`: it records its arguments and writes a bundle tarball with system tar.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { compileRego, extractFromTarGz, opaAvailable } from "../../../src/compiler/index.ts";

const work = mkdtempSync(join(tmpdir(), "policypack-opa-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const saved = { OPA_BIN: process.env.OPA_BIN, PATH: process.env.PATH };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const argsFile = join(work, "args.txt");
const fakeOpa = join(work, "bin", "opa");
mkdirSync(join(work, "bin"));
writeFileSync(
  fakeOpa,
  `#!/bin/sh
out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then out="$a"; fi
  prev="$a"
done
printf '%s\\n' "$@" > "${argsFile}"
d=$(mktemp -d)
printf 'wasm-from-opa' > "$d/policy.wasm"
echo '{}' > "$d/data.json"
tar -czf "$out" -C "$d" ./data.json ./policy.wasm
rm -rf "$d"
`,
);
chmodSync(fakeOpa, 0o755);

describe("opaAvailable", () => {
  it("prefers $OPA_BIN", () => {
    process.env.OPA_BIN = "/somewhere/opa";
    expect(opaAvailable()).toBe("/somewhere/opa");
  });

  it("finds opa on PATH", () => {
    delete process.env.OPA_BIN;
    process.env.PATH = `/nonexistent:${join(work, "bin")}`;
    expect(opaAvailable()).toBe(fakeOpa);
  });

  it("is undefined when there is none", () => {
    delete process.env.OPA_BIN;
    process.env.PATH = "/nonexistent";
    expect(opaAvailable()).toBeUndefined();
  });
});

describe("compileRego with the opa compiler", () => {
  it("fails clearly without an opa binary", () => {
    delete process.env.OPA_BIN;
    process.env.PATH = "/nonexistent";
    expect(() => compileRego([{ file: "a.rego", text: "package a", regoVersion: 1 }], ["a/p"], { compiler: "opa" })).toThrow(
      "the opa compiler needs an opa binary on PATH or in $OPA_BIN; none was found",
    );
  });

  it("runs opa build for wasm and returns policy.wasm from the bundle", () => {
    process.env.OPA_BIN = fakeOpa;
    const sources = [
      { file: "dir/policy.rego", text: "package a\np { true }\n", regoVersion: 0 as const },
      { file: "t.yaml#spec.targets[0].libs[0]", text: "package lib\n", regoVersion: 0 as const },
    ];
    const wasm = compileRego(sources, ["a/p", "a/q"], { compiler: "opa" });
    expect(Buffer.from(wasm).toString()).toBe("wasm-from-opa");
    const args = readFileSync(argsFile, "utf8").trim().split("\n");
    expect(args.slice(0, 7)).toEqual(["build", "-t", "wasm", "-e", "a/p", "-e", "a/q"]);
    expect(args[7]).toBe("-o");
    expect(args[9]).toBe("--v0-compatible");
    expect(args.slice(10).map((f) => f.replace(/^.*\/src\//, ""))).toEqual(["0/policy.rego", "1/t.yaml_spec.targets_0_.libs_0_.rego"]);
  });

  it("leaves out --v0-compatible for v1 sources", () => {
    process.env.OPA_BIN = fakeOpa;
    compileRego([{ file: "a.rego", text: "package a", regoVersion: 1 }], ["a/p"], { compiler: "opa" });
    expect(readFileSync(argsFile, "utf8")).not.toContain("--v0-compatible");
  });

  it("refuses to mix v0 and v1 sources", () => {
    process.env.OPA_BIN = fakeOpa;
    const sources = [
      { file: "a.rego", text: "package a", regoVersion: 0 as const },
      { file: "b.rego", text: "package b", regoVersion: 1 as const },
    ];
    expect(() => compileRego(sources, ["a/p"], { compiler: "opa" })).toThrow(
      "the opa compiler cannot build Rego v0 and v1 sources together",
    );
  });

  it("reports opa's own error output", () => {
    const failing = join(work, "bin", "failing-opa");
    // Like opa, it reports errors against the paths it was given, one per line.
    writeFileSync(failing, '#!/bin/sh\nfor f; do last="$f"; done\nprintf "2 errors occurred:\\n%s:1: rego_parse_error: bad\\n%s:2: rego_parse_error: worse\\n" "$last" "$last" >&2\nexit 2\n');
    chmodSync(failing, 0o755);
    process.env.OPA_BIN = failing;
    expect(() => compileRego([{ file: "policies/a.rego", text: "x", regoVersion: 1 }], ["a/p"], { compiler: "opa" })).toThrow(
      "opa build failed: 2 errors occurred:; policies/a.rego:1: rego_parse_error: bad; policies/a.rego:2: rego_parse_error: worse",
    );
  });
});

describe("extractFromTarGz", () => {
  it("reads a file from a gzip'd tar, including long ustar names", () => {
    const dir = join(work, "tar");
    const deep = join(dir, "a".repeat(60), "b".repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(dir, "policy.wasm"), Buffer.alloc(1500, 7));
    writeFileSync(join(deep, "file.txt"), "deep");
    const archive = join(work, "bundle.tar.gz");
    execFileSync("tar", ["--format=ustar", "-czf", archive, "-C", dir, "."]);
    const bytes = readFileSync(archive);
    expect(extractFromTarGz(bytes, "policy.wasm")).toEqual(new Uint8Array(Buffer.alloc(1500, 7)));
    expect(Buffer.from(extractFromTarGz(bytes, `${"a".repeat(60)}/${"b".repeat(60)}/file.txt`)).toString()).toBe("deep");
    expect(() => extractFromTarGz(bytes, "missing.wasm")).toThrow("the opa bundle has no missing.wasm");
  });
});
