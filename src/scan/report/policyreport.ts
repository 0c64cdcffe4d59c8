// Policy reports as the Kubernetes Policy WG defines them (wgpolicyk8s.io/v1alpha2, the version
// Kyverno writes): a PolicyReport per namespace and a ClusterPolicyReport for objects without a
// namespace, one result per object and enabled check, as multi-document YAML.

import { stringify } from "yaml";
import type { Severity } from "../../model/rule.ts";
import { SEVERITIES } from "../../model/rule.ts";
import type { ResourceRef } from "../types.ts";
import { type CheckResult, type ScanReport, checkResults, locationText } from "./types.ts";

export const POLICY_REPORT_NAME = "policypack-scan";

interface PolicyReportResult {
  policy: string;
  rule: string;
  result: "pass" | "fail" | "error";
  severity?: Severity;
  category?: string;
  message: string;
  source: "policypack";
  scored: boolean;
  resources?: ResourceRef[];
  properties: Record<string, string>;
}

/** The policy of the `error` results that stand for input the scan could not read. */
export const INPUT_POLICY = "policypack-input";

type Summary = Record<"pass" | "fail" | "warn" | "error" | "skip", number>;

function policyReportResult({ object, rule, findings }: CheckResult): PolicyReportResult {
  const { apiVersion, kind, name, namespace } = object.resource;
  const worst = findings.map((f) => f.severity).sort((a, b) => SEVERITIES.indexOf(b) - SEVERITIES.indexOf(a))[0];
  return {
    policy: rule.id,
    rule: rule.id,
    result: findings.length === 0 ? "pass" : "fail",
    severity: worst ?? rule.severity,
    category: rule.category,
    message: findings.length === 0 ? `passed: ${rule.title}` : findings.map((f) => f.message).join("; "),
    source: "policypack",
    scored: true,
    resources: [{ apiVersion, kind, ...(name === undefined ? {} : { name }), ...(namespace === undefined ? {} : { namespace }) }],
    properties: {
      // Where to fix it: the first finding's field, or the object when it passed.
      location: locationText(findings[0]?.location ?? object),
      ...(findings[0] === undefined ? {} : { path: findings.map((f) => f.path).join(", ") }),
      ...(object.terraformAddress === undefined ? {} : { terraformAddress: object.terraformAddress }),
    },
  };
}

export function policyReport(report: ScanReport): string {
  const byNamespace = new Map<string, PolicyReportResult[]>();
  for (const result of checkResults(report)) {
    const namespace = result.object.resource.namespace ?? "";
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), policyReportResult(result)]);
  }
  // Input that could not be read: no object, so no namespace; the cluster report counts them as errors.
  const inputErrors = report.errors.map(
    (error): PolicyReportResult => ({
      policy: INPUT_POLICY,
      rule: "read",
      result: "error",
      message: error.reason,
      source: "policypack",
      scored: false,
      properties: { location: locationText(error) },
    }),
  );
  if (inputErrors.length > 0) byNamespace.set("", [...inputErrors, ...(byNamespace.get("") ?? [])]);
  const namespaces = [...byNamespace.keys()].sort();
  const documents = namespaces.map((namespace) => {
    const results = byNamespace.get(namespace)!;
    const summary: Summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const result of results) summary[result.result]++;
    return {
      apiVersion: "wgpolicyk8s.io/v1alpha2",
      kind: namespace === "" ? "ClusterPolicyReport" : "PolicyReport",
      metadata: {
        name: POLICY_REPORT_NAME,
        ...(namespace === "" ? {} : { namespace }),
        labels: { "app.kubernetes.io/managed-by": "policypack" },
      },
      results,
      summary,
    };
  });
  return documents.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}
