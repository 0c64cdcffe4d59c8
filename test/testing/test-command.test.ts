// `policypack test` on a project of its own: two custom rules with their fixtures, run in process.
// Exact output when every engine agrees, the diff when a fixture expects a wrong message, file:line:col
// for a fixture that is not YAML, --rule and --engine narrowing, JUnit that parses back, and the
// warning for a rule with too few fixtures.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import { tempDir } from "../temp-dir.ts";

const MODEL = fileURLToPath(new URL("../../src/model/index.ts", import.meta.url));
const root = tempDir("test-command");
const ENGINES = "reference, gatekeeper-rego, gatekeeper-cel, kyverno, kyverno-clusterpolicy, vap";

/** A rule: every ConfigMap carries the label named by the labelKey parameter. */
const ruleSource = (id: string, labelKey: string) => `
import { any, defineRule, entries, equals, kinds, msg, not, when } from ${JSON.stringify(MODEL)};
export default defineRule({
  id: "${id}",
  title: "ConfigMaps carry the ${labelKey} label",
  description: "A ConfigMap without the label cannot be traced to its owner.",
  severity: "low",
  category: "Governance",
  profiles: ["conventions"],
  match: kinds<{ metadata: { name?: string; labels?: { [key: string]: string } } }>({ group: "", version: "v1", kind: "ConfigMap" }),
  params: { labelKey: { type: "string", description: "The label every ConfigMap carries.", default: "${labelKey}" } },
  references: {},
  remediation: "Add the label.",
  checks: ({ object, params }) => [
    when(not(any(entries(object.metadata.labels, "label"), (label) => equals(label.key, params.labelKey))), msg\`ConfigMap \${object.metadata.name} has no \${params.labelKey} label\`),
  ],
});
`;

function fixture(description: string, name: string, labels: Record<string, string>, violations: string[], parameters?: Record<string, string>): string {
  return JSON.stringify({
    description,
    ...(parameters ? { parameters } : {}),
    expect: { verdict: violations.length === 0 ? "compliant" : "violation", violations },
    object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "apps", labels }, data: { key: "value" } },
  }, null, 2);
}

const OWNER_FIXTURES: Record<string, string> = {
  "labelled.yaml": fixture("A ConfigMap with its owner", "settings", { owner: "payments" }, []),
  "labelled-among-others.yaml": fixture("The owner among other labels", "flags", { app: "web", owner: "web" }, []),
  "custom-key.yaml": fixture("With labelKey team, the team label", "limits", { team: "core" }, [], { labelKey: "team" }),
  "unlabelled.yaml": fixture("A ConfigMap without labels", "settings", {}, ["ConfigMap settings has no owner label"]),
  "other-label.yaml": fixture("Only an app label", "flags", { app: "web" }, ["ConfigMap flags has no owner label"]),
  "custom-key-missing.yaml": fixture("With labelKey team, an owner label does not count", "limits", { owner: "core" }, ["ConfigMap limits has no team label"], { labelKey: "team" }),
};

/** A project: config (which sets a parameter the fixtures must not see), rules/owner-label with six fixtures, rules/tier-label with two; `edit` changes fixture files. */
function project(name: string, edit: Record<string, string> = {}): string {
  const dir = join(root, name);
  const files: Record<string, string> = {
    "policypack.config.yaml": "profiles: [conventions]\nruleDirs: [rules]\nparameters:\n  owner-label:\n    labelKey: example.com/owner\n",
    "rules/owner-label/rule.ts": ruleSource("owner-label", "owner"),
    ...Object.fromEntries(Object.entries(OWNER_FIXTURES).map(([file, text]) => [`rules/owner-label/fixtures/${file}`, text])),
    "rules/tier-label/rule.ts": ruleSource("tier-label", "tier"),
    "rules/tier-label/fixtures/labelled.yaml": fixture("A ConfigMap with its tier", "settings", { tier: "gold" }, []),
    "rules/tier-label/fixtures/unlabelled.yaml": fixture("A ConfigMap without labels", "settings", {}, ["ConfigMap settings has no tier label"]),
    ...edit,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

async function test(dir: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["test", "--config", join(dir, "policypack.config.yaml"), ...args], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr: stderr.replaceAll(`${dir}/`, "") };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) });
const TIER_WARNING = `warning: tier-label (rules/tier-label/rule.ts): 1 violating and 1 compliant fixture(s); built-in rules have at least 3 of each\n`;

describe("policypack test", () => {
  it("passes when every engine gives every fixture's messages, warning about a rule with too few fixtures", async () => {
    const dir = project("passing");
    const { code, stdout, stderr } = await test(dir);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: ["PASS  owner-label  6 fixtures, 36 checks", "PASS  tier-label  2 fixtures, 12 checks", `2 rules, 8 fixtures, 48 checks (${ENGINES}): 48 passed, 0 failed`, ""].join("\n"),
      stderr: TIER_WARNING,
    });
  });

  it("fails with the missing and unexpected messages of each engine when a fixture expects a wrong message", async () => {
    const dir = project("wrong-message", {
      "rules/owner-label/fixtures/other-label.yaml": fixture("Only an app label", "flags", { app: "web" }, ["ConfigMap flags lacks an owner label"]),
    });
    const { code, stdout } = await test(dir, "--rule", "owner-label");
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        "FAIL  owner-label  6 fixtures, 36 checks, 6 failed",
        `  other-label (${dir}/rules/owner-label/fixtures/other-label.yaml): Only an app label`,
        "    expected: violation",
        "      ConfigMap flags lacks an owner label",
        `    ${ENGINES}:`,
        "      missing:    ConfigMap flags lacks an owner label",
        "      unexpected: ConfigMap flags has no owner label",
        `1 rule, 6 fixtures, 36 checks (${ENGINES}): 30 passed, 6 failed`,
        "",
      ].join("\n"),
    );
  });

  it("names file:line:col of a fixture that is not YAML, exits 2, and still runs the other rules", async () => {
    const dir = project("bad-yaml", { "rules/tier-label/fixtures/broken.yaml": "description: broken\nexpect: [unclosed\n" });
    const { code, stdout, stderr } = await test(dir, "--engine", "reference");
    expect(code).toBe(2);
    expect(stdout).toBe(
      [
        "PASS  owner-label  6 fixtures, 6 checks",
        "FAIL  tier-label  2 fixtures, 2 checks, 1 fixture file not read",
        "2 rules, 8 fixtures, 8 checks (reference): 8 passed, 0 failed, 1 fixture file not read",
        "",
      ].join("\n"),
    );
    expect(stderr).toBe(`rules/tier-label/fixtures/broken.yaml:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n${TIER_WARNING}`);

    const junit = await test(dir, "--rule", "tier-label", "--engine", "reference", "--format", "junit");
    expect(junit.code).toBe(2);
    const errored = parser.parse(junit.stdout).testsuites.testsuite[0].testcase.filter((c: { error?: unknown }) => c.error);
    expect(errored).toEqual([
      {
        classname: "tier-label.broken",
        name: "read",
        file: `${dir}/rules/tier-label/fixtures/broken.yaml`,
        error: { message: `${dir}/rules/tier-label/fixtures/broken.yaml:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`, type: "fixture-error" },
      },
    ]);
  });

  it("refuses a rule file that does not load with one line and exit 2", async () => {
    const dir = project("bad-rule", { "rules/tier-label/rule.ts": "export default {" });
    const { code, stdout, stderr } = await test(dir);
    expect([code, stdout]).toEqual([2, ""]);
    // The type check reads the file first: a syntax error is named with its line and column.
    expect(stderr).toBe("rules/tier-label/rule.ts:1:17: '}' expected.\n");
  });

  it("runs only the rules of --rule with the engines of --engine", async () => {
    const dir = project("narrow");
    const { code, stdout, stderr } = await test(dir, "--rule", "tier-label", "--engine", "kyverno", "--engine", "vap");
    expect([code, stdout]).toEqual([0, "PASS  tier-label  2 fixtures, 4 checks\n1 rule, 2 fixtures, 4 checks (kyverno, vap): 4 passed, 0 failed\n"]);
    expect(stderr).toBe(TIER_WARNING);
  });

  it("refuses an unknown --rule or --engine with exit 2", async () => {
    const dir = project("unknown");
    expect(await test(dir, "--rule", "no-such-rule")).toEqual({ code: 2, stdout: "", stderr: "--rule no-such-rule: unknown rule (see `policypack list`)\n" });
    const engine = await test(dir, "--engine", "opa");
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain("error: option '--engine <name...>' argument 'opa' is invalid. Allowed choices are reference, gatekeeper-rego, gatekeeper-cel, kyverno, kyverno-clusterpolicy, vap.");
  });

  it("writes JUnit XML with one suite per rule and one case per fixture and engine", async () => {
    const dir = project("junit", {
      "rules/owner-label/fixtures/other-label.yaml": fixture("Only an app label", "flags", { app: "web" }, ["ConfigMap flags lacks an owner label"]),
    });
    const output = join(dir, "report.xml");
    const { code, stdout } = await test(dir, "--engine", "reference", "--engine", "vap", "--format", "junit", "--output", output);
    expect([code, stdout]).toEqual([1, ""]);
    const suites = parser.parse(readFileSync(output, "utf8")).testsuites.testsuite as Array<{ name: string; tests: string; failures: string; testcase: Array<Record<string, unknown>> }>;
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ["owner-label", "12", "2"],
      ["tier-label", "4", "0"],
    ]);
    const names = Object.keys(OWNER_FIXTURES).sort().map((file) => file.replace(/\.yaml$/, ""));
    expect(suites[0]!.testcase.map((c) => `${c.classname} ${c.name}`)).toEqual(names.flatMap((name) => [`owner-label.${name} reference`, `owner-label.${name} vap`]));
    expect(suites[0]!.testcase.filter((c) => c.failure).map((c) => [c.name, c.file, (c.failure as { message: string }).message])).toEqual(
      ["reference", "vap"].map((engine) => [engine, `${dir}/rules/owner-label/fixtures/other-label.yaml`, "missing: ConfigMap flags lacks an owner label; unexpected: ConfigMap flags has no owner label"]),
    );
  });

  it("prints the JSON report: engines, summary, and per rule its fixtures with each engine's answer", async () => {
    const dir = project("json", {
      "rules/tier-label/fixtures/unlabelled.yaml": fixture("A ConfigMap without labels", "settings", {}, ["ConfigMap settings has no tier label", "ConfigMap settings has no tier label"]),
    });
    const { code, stdout } = await test(dir, "--rule", "tier-label", "--engine", "reference", "--format", "json");
    expect(code).toBe(1);
    const fixtures = `${dir}/rules/tier-label/fixtures`;
    expect(JSON.parse(stdout)).toEqual({
      engines: ["reference"],
      summary: { rules: 1, fixtures: 2, checks: 2, passed: 1, failed: 1, errors: 0, warnings: 1 },
      rules: [
        {
          id: "tier-label",
          file: `${dir}/rules/tier-label/rule.ts`,
          passed: false,
          warning: "1 violating and 1 compliant fixture(s); built-in rules have at least 3 of each",
          errors: [],
          fixtures: [
            {
              name: "labelled",
              file: `${fixtures}/labelled.yaml`,
              description: "A ConfigMap with its tier",
              expected: { verdict: "compliant", violations: [] },
              passed: true,
              results: [{ engine: "reference", passed: true, violations: [], missing: [], unexpected: [] }],
            },
            {
              name: "unlabelled",
              file: `${fixtures}/unlabelled.yaml`,
              description: "A ConfigMap without labels",
              expected: { verdict: "violation", violations: ["ConfigMap settings has no tier label", "ConfigMap settings has no tier label"] },
              passed: false,
              // Messages compare as a multiset: the one given twice is missing once.
              results: [{ engine: "reference", passed: false, violations: ["ConfigMap settings has no tier label"], missing: ["ConfigMap settings has no tier label"], unexpected: [] }],
            },
          ],
        },
      ],
    });
  });

  it("names the line and column of a fixture field that breaks the schema", async () => {
    const dir = project("schema", { "rules/tier-label/fixtures/typo.yaml": "description: typo\nexpect:\n  verdict: compliant\n  violations: []\n  verdit: compliant\nobject: {apiVersion: v1, kind: ConfigMap}\n" });
    const { code, stderr } = await test(dir, "--rule", "tier-label", "--engine", "reference");
    expect(code).toBe(2);
    expect(stderr).toBe(`rules/tier-label/fixtures/typo.yaml:5:3: expect: unknown field "verdit"\n${TIER_WARNING}`);
  });
});
