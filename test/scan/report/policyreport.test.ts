import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { policyReport } from "../../../src/scan/report/policyreport.ts";
import { fixtureReport } from "./fixture.ts";
import { validatePolicyReport as validate, yamlDocuments } from "./validators.ts";

type Document = { kind: string; metadata: { namespace?: string }; results: { policy: string; result: string; resources?: { name: string }[] }[]; summary: object };
const documents = (text: string) => yamlDocuments<Document>(text);

describe("policyreport report", () => {
  it("writes the expected YAML", () => {
    expect(policyReport(fixtureReport())).toBe(readFileSync(new URL("expected/fixture.policyreport.yaml", import.meta.url), "utf8"));
  });

  it("writes a ClusterPolicyReport for objects without a namespace and input errors, a PolicyReport per namespace", () => {
    const docs = documents(policyReport(fixtureReport()));
    expect(docs.map((d) => [d.kind, d.metadata.namespace, d.results.map((r) => `${r.policy}:${r.result}`), d.summary])).toEqual([
      [
        "ClusterPolicyReport",
        undefined,
        ["policypack-input:error", "wildcard-verbs:fail", "unknown-field:pass"],
        { pass: 1, fail: 1, warn: 0, error: 1, skip: 0 },
      ],
      [
        "PolicyReport",
        "prod",
        ["privileged-containers:fail", "run-as-non-root:pass", "unknown-field:fail"],
        { pass: 1, fail: 2, warn: 0, error: 0, skip: 0 },
      ],
    ]);
  });

  it("every document validates against schemas/policyreport.schema.json", () => {
    for (const doc of documents(policyReport(fixtureReport()))) expect(() => validate(doc, "report.yaml")).not.toThrow();
  });

  it("the schema rejects a PolicyReport without a namespace and a result without a policy", () => {
    const [cluster, namespaced] = documents(policyReport(fixtureReport()));
    delete namespaced!.metadata.namespace;
    expect(() => validate(namespaced, "report.yaml")).toThrow();
    delete (cluster!.results[0] as { policy?: string }).policy;
    expect(() => validate(cluster, "report.yaml")).toThrow('missing field "policy"');
  });
});
