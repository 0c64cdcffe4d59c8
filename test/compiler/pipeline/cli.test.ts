// `policypack rego build|eval`. Most cases run the CLI in-process with its output captured; two
// run it as a child process to see the real exit code and standard streams.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string) => join(FIXTURES, name);
const work = mkdtempSync(join(tmpdir(), "policypack-rego-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `policypack rego …` in-process, as the CLI's entry point does, capturing its output. */
async function rego(args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(["rego", ...args], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { status, stdout, stderr };
}

/** Runs `rego …` in a child process through a tiny tsx runner. */
function regoProcess(args: string[], stdin?: string) {
  const runner = join(import.meta.dirname, "run-rego-command.ts");
  const run = spawnSync(process.execPath, ["--import", "tsx", runner, ...args], { cwd: FIXTURES, input: stdin, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const wasm = join(work, "demo.wasm");
const input = join(work, "input.json");
const data = join(work, "data.json");
writeFileSync(input, JSON.stringify({ user: "bob" }));
writeFileSync(data, JSON.stringify({ admins: ["alice"] }));

describe("rego build and eval", () => {
  it("build writes a Wasm module", async () => {
    const run = await rego(["build", fixture("allow.rego"), "-e", "demo/allow", "-e", "demo/reasons", "-o", wasm]);
    expect(run).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(readFileSync(wasm).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  });

  it("eval prints the result set as JSON", async () => {
    const run = await rego(["eval", wasm, "-e", "demo/reasons", "--input", input, "--data", data]);
    expect(run).toEqual({ status: 0, stdout: '[\n  {\n    "result": [\n      "not an admin"\n    ]\n  }\n]\n', stderr: "" });
  });

  it("eval of an undefined decision prints the empty result set", async () => {
    const v0 = join(work, "maybe.rego");
    writeFileSync(v0, "package maybe\n\nyes if input.ok\n");
    const out = join(work, "maybe.wasm");
    expect((await rego(["build", v0, "-e", "maybe/yes", "-o", out])).status).toBe(0);
    expect(await rego(["eval", out, "-e", "maybe/yes", "--input", input])).toEqual({ status: 0, stdout: "[]\n", stderr: "" });
  });

  it("eval prints integers exactly, in digits, from literals, the input and the data", async () => {
    const source = join(work, "big.rego");
    writeFileSync(
      source,
      "package big\n\nx := 9007199254740993\n\nanswer := {\"literal\": x, \"huge\": 1000000000000000000000, \"input\": input.n + 1, \"data\": data.d, \"half\": 1.5}\n",
    );
    const out = join(work, "big.wasm");
    expect((await rego(["build", source, "-e", "big/x", "-e", "big/answer", "-o", out])).status).toBe(0);
    expect(await rego(["eval", out, "-e", "big/x", "--input", input])).toEqual({ status: 0, stdout: '[\n  {\n    "result": 9007199254740993\n  }\n]\n', stderr: "" });
    const bigInput = join(work, "big-input.json");
    const bigData = join(work, "big-data.json");
    writeFileSync(bigInput, '{"n": 18446744073709551615}');
    writeFileSync(bigData, '{"d": [-9007199254740995]}');
    const run = await rego(["eval", out, "-e", "big/answer", "--input", bigInput, "--data", bigData]);
    expect(run).toEqual({
      status: 0,
      stdout:
        '[\n  {\n    "result": {\n      "data": [\n        -9007199254740995\n      ],\n      "half": 1.5,\n      "huge": 1000000000000000000000,\n' +
        '      "input": 18446744073709551616,\n      "literal": 9007199254740993\n    }\n  }\n]\n',
      stderr: "",
    });
  });

  it("eval prints every number that is not an integer as its text, as opa eval does", async () => {
    const source = join(work, "decimals.rego");
    writeFileSync(source, "package decimals\n\nanswer := [1.50, input.x, 0.1 + 0.2, 10 / 3, 1234567.5 + 0, input.x * 2]\n");
    const out = join(work, "decimals.wasm");
    expect((await rego(["build", source, "-e", "decimals/answer", "-o", out])).status).toBe(0);
    const decimalInput = join(work, "decimal-input.json");
    writeFileSync(decimalInput, '{"x": 2.50e-3}');
    const run = await rego(["eval", out, "-e", "decimals/answer", "--input", decimalInput]);
    expect(run).toEqual({
      status: 0,
      stdout: '[\n  {\n    "result": [\n      1.50,\n      2.50e-3,\n      0.3,\n      3.3333333333333333333,\n      1.2345675e+06,\n      0.005\n    ]\n  }\n]\n',
      stderr: "",
    });
  });

  it("eval of an unknown entrypoint is one clear error", async () => {
    const run = await rego(["eval", wasm, "-e", "demo/nope", "--input", input]);
    expect(run).toEqual({ status: 1, stdout: "", stderr: "error: entrypoint demo/nope is not valid in this instance\n" });
  });

  it("eval with an invalid input file names the file", async () => {
    const broken = join(work, "broken.json");
    writeFileSync(broken, "{");
    const run = await rego(["eval", wasm, "-e", "demo/allow", "--input", broken]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${broken.replace(/[.\\]/g, "\\$&")}: invalid JSON: [^\\n]+\\n$`));
  });

  it("build compiles a ConstraintTemplate with its declared Rego version", async () => {
    const out = join(work, "template.wasm");
    const run = await rego(["build", fixture("required-labels-v0.yaml"), "-e", "ppkrequiredlabels/violation", "-o", out]);
    expect(run).toEqual({ status: 0, stdout: "", stderr: "" });
    const review = join(work, "review.json");
    writeFileSync(
      review,
      JSON.stringify({
        review: { object: { metadata: { name: "web", labels: {} } }, kind: { group: "", version: "v1", kind: "Pod" }, operation: "CREATE" },
        parameters: { labels: [{ key: "owner" }] },
      }),
    );
    const evaluated = await rego(["eval", out, "-e", "ppkrequiredlabels/violation", "--input", review]);
    expect(evaluated.status).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toEqual([
      { result: [{ msg: "Pod/web is missing required labels: owner", details: { missing_labels: ["owner"] } }] },
    ]);
  });

  it("Rego v0 files fail as v1 and compile with --v0-compatible", async () => {
    const v0 = join(work, "v0.rego");
    writeFileSync(v0, "package old\n\nallow { input.ok }\n");
    const out = join(work, "v0.wasm");
    const strict = await rego(["build", v0, "-e", "old/allow", "-o", out]);
    expect(strict.status).toBe(1);
    expect(strict.stderr.startsWith(`error: ${v0}:3:1: `)).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(await rego(["build", v0, "-e", "old/allow", "-o", out, "--v0-compatible"])).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(existsSync(out)).toBe(true);
  });

  it("build without an entrypoint is refused", async () => {
    const run = await rego(["build", fixture("allow.rego"), "-o", join(work, "none.wasm")]);
    expect(run).toEqual({ status: 1, stdout: "", stderr: "error: name at least one entrypoint with -e pkg/rule\n" });
  });

  it("build refuses files that are neither Rego nor YAML", async () => {
    const run = await rego(["build", "notes.txt", "-e", "x/y", "-o", join(work, "none.wasm")]);
    expect(run).toEqual({ status: 1, stdout: "", stderr: "error: notes.txt: expected a .rego file or a ConstraintTemplate .yaml file\n" });
  });

  it("build rejects an unknown --compiler", async () => {
    const run = await rego(["build", fixture("allow.rego"), "-e", "demo/allow", "--compiler", "gcc"]);
    expect(run.status).toBe(1);
    // A usage error: the message, then the command's usage.
    expect(run.stderr.startsWith("error: option '--compiler <name>' argument 'gcc' is invalid. Allowed choices are builtin, opa.\n\nUsage: policypack rego build")).toBe(true);
  });

  it("build --emit ir prints the planned IR and writes no module", async () => {
    const out = join(work, "ir-only.wasm");
    const run = await rego(["build", fixture("allow.rego"), "-e", "demo/allow", "--emit", "ir", "-o", out]);
    expect(run).toEqual({
      status: 0,
      stdout: `strings
  0 "user"
  1 "admins"
builtins
  internal.member_2/2
files
  0 ${fixture("allow.rego")}

plan demo/allow
  block
    Call g0.data.demo.allow(%0, %1) -> %2
    ResultSetAdd %2

func g0.data.demo.allow(%0, %1) -> %2    # data.demo.allow
  block
    Dot %0 "user" -> %3
    Dot %1 "admins" -> %4
    Call internal.member_2(%3, %4) -> %5    @ ${fixture("allow.rego")}:6:3
    NotEqual %5 false
    AssignVarOnce true -> %2    @ ${fixture("allow.rego")}:5:1
  block
    IsUndefined %2
    AssignVar false -> %2
  block
    ReturnLocal %2
`,
      stderr: "",
    });
    expect(existsSync(out)).toBe(false);
  });

  it("build --emit ir refuses the opa compiler and unknown forms", async () => {
    const opa = await rego(["build", fixture("allow.rego"), "-e", "demo/allow", "--emit", "ir", "--compiler", "opa"]);
    expect(opa).toEqual({ status: 1, stdout: "", stderr: "error: --emit ir shows the builtin compiler's IR; it cannot be used with --compiler opa\n" });
    const unknown = await rego(["build", fixture("allow.rego"), "-e", "demo/allow", "--emit", "plan"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.startsWith("error: option '--emit <form>' argument 'plan' is invalid. Allowed choices are wasm, ir.\n")).toBe(true);
  });
});

describe("rego as a process", () => {
  it("build --emit ir writes the IR to standard output", () => {
    const run = regoProcess(["build", "allow.rego", "-e", "demo/allow", "--emit", "ir"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.startsWith('strings\n  0 "user"\n  1 "admins"\nbuiltins\n  internal.member_2/2\nfiles\n  0 allow.rego\n\nplan demo/allow\n')).toBe(true);
  });

  // Child processes load the whole compiler; allow for a busy machine.
  const SLOW = 180_000;

  it("a syntax error prints file:line:col, exits 1, and writes no output file", { timeout: SLOW }, () => {
    const out = join(work, "bad.wasm");
    const run = regoProcess(["build", "bad-syntax.rego", "-e", "bad/p", "-o", out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: bad-syntax\.rego:3:6: [^\n]+\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("eval reads the input from standard input and prints to standard output", { timeout: SLOW }, () => {
    const run = regoProcess(["eval", wasm, "-e", "demo/allow", "--input", "-", "--data", data], '{"user": "alice"}');
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('[\n  {\n    "result": true\n  }\n]\n');
  });
});
