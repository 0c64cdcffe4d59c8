// What every reporter reads: one ScanReport, built by the scan from what it read and found. The
// reporters derive everything else (counts, per-rule verdicts, scores) from it with the helpers
// below, so all formats agree.

import type { Rule, Severity } from "../../model/rule.ts";
import { SEVERITIES } from "../../model/rule.ts";
import type { Finding, ResourceRef } from "../types.ts";

/** What a report says about a check, whether a Rule or the built-in field check (`unknown-field`). */
export interface RuleDescriptor {
  id: string;
  title: string;
  description: string;
  /** How to fix a finding (a rule's remediation). */
  help: string;
  severity: Severity;
  /** Free text people filter by, e.g. "Security", "Reliability" (PolicyReport's `category`). */
  category: string;
  /** The category and profiles; SARIF consumers filter by them (GitHub shows security-severity only with "security"). */
  tags: string[];
  /** The rule's documentation page. */
  helpUri?: string;
}

/** One object read from an input file, and the enabled checks that were evaluated on it. */
export interface ScannedObject {
  resource: ResourceRef;
  /** The file as reports show it, like SourceLocation.file. */
  file: string;
  /** Where the object starts. */
  line: number;
  column: number;
  terraformAddress?: string;
  /** The checks that applied to the object; empty when no enabled rule matches it (counted, not reported). */
  ruleIds: readonly string[];
}

/** A file or document the scan could not read; the other files are still reported. */
export interface InputError {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export interface ScanReport {
  toolVersion: string;
  /** Every enabled check, including `unknown-field` when the field check ran. */
  rules: RuleDescriptor[];
  /** Every file scanned, errors or not, in the order read. */
  files: string[];
  objects: ScannedObject[];
  findings: Finding[];
  errors: InputError[];
}

/** The descriptor of a rule; its docs page is <linkBase>/docs/rules/<id>.md when a link base is given. */
export function ruleDescriptor(rule: Rule, linkBase?: string): RuleDescriptor {
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    help: rule.remediation,
    severity: rule.severity,
    category: rule.category,
    tags: [...new Set([rule.category.toLowerCase(), ...rule.profiles])],
    ...(linkBase === undefined ? {} : { helpUri: `${linkBase.replace(/\/+$/, "")}/docs/rules/${rule.id}.md` }),
  };
}

/** Most severe first. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();

export interface ScanCounts {
  files: number;
  objects: number;
  objectsByKind: Record<string, number>;
  /** Objects no enabled rule matches: counted, not reported. */
  objectsWithoutRules: number;
  findings: number;
  findingsBySeverity: Record<Severity, number>;
  /** Findings per rule id, in the order of report.rules. */
  findingsByRule: Record<string, number>;
  inputErrors: number;
}

export function scanCounts(report: ScanReport): ScanCounts {
  const objectsByKind: Record<string, number> = {};
  for (const object of [...report.objects].sort((a, b) => compareText(a.resource.kind, b.resource.kind))) {
    objectsByKind[object.resource.kind] = (objectsByKind[object.resource.kind] ?? 0) + 1;
  }
  const findingsBySeverity = Object.fromEntries(SEVERITIES_DESCENDING.map((s) => [s, 0])) as Record<Severity, number>;
  const findingsByRule: Record<string, number> = Object.fromEntries(report.rules.map((r) => [r.id, 0]));
  for (const finding of report.findings) {
    findingsBySeverity[finding.severity]++;
    findingsByRule[finding.ruleId] = (findingsByRule[finding.ruleId] ?? 0) + 1;
  }
  return {
    files: report.files.length,
    objects: report.objects.length,
    objectsByKind,
    objectsWithoutRules: report.objects.filter((o) => o.ruleIds.length === 0).length,
    findings: report.findings.length,
    findingsBySeverity,
    findingsByRule,
    inputErrors: report.errors.length,
  };
}

/** The verdict of one check on one object: passed when it has no findings. */
export interface CheckResult {
  object: ScannedObject;
  rule: RuleDescriptor;
  findings: Finding[];
}

/** Two Terraform resources of a file may create objects that read alike (both named by a variable): their addresses tell them apart. */
function objectKey(file: string, resource: ResourceRef, terraformAddress: string | undefined): string {
  return JSON.stringify([file, resource.apiVersion, resource.kind, resource.namespace ?? "", resource.name ?? "", terraformAddress ?? ""]);
}

/**
 * One CheckResult per object and check evaluated on it, in the order of report.objects and of the
 * object's ruleIds. A finding on an object or rule the report does not list is a bug of the caller.
 */
export function checkResults(report: ScanReport): CheckResult[] {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const results = new Map<string, CheckResult>();
  for (const object of report.objects) {
    for (const ruleId of object.ruleIds) {
      const rule = rules.get(ruleId);
      if (!rule) throw new Error(`${object.file}: ${resourceName(object.resource)} was checked by "${ruleId}", which the report does not describe`);
      results.set(JSON.stringify([objectKey(object.file, object.resource, object.terraformAddress), ruleId]), { object, rule, findings: [] });
    }
  }
  for (const finding of report.findings) {
    const result = results.get(JSON.stringify([objectKey(finding.location.file, finding.resource, finding.terraformAddress), finding.ruleId]));
    if (!result) {
      throw new Error(`${finding.location.file}: a "${finding.ruleId}" finding on ${resourceName(finding.resource)}, which the report does not list as checked by it`);
    }
    result.findings.push(finding);
  }
  return [...results.values()];
}

/** `Deployment/web`, or `prod/Deployment/web` with a namespace. */
export function resourceName(resource: ResourceRef): string {
  const name = `${resource.kind}/${resource.name ?? "(unnamed)"}`;
  return resource.namespace ? `${resource.namespace}/${name}` : name;
}

/** `file:line:col`. */
export function locationText(location: { file: string; line: number; column: number }): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** Findings in reading order: by file (in report.files order), line, column, rule id. */
export function sortedFindings(report: ScanReport): Finding[] {
  const fileOrder = new Map(report.files.map((f, i) => [f, i]));
  return [...report.findings].sort(
    (a, b) =>
      (fileOrder.get(a.location.file) ?? Infinity) - (fileOrder.get(b.location.file) ?? Infinity) ||
      compareText(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compareText(a.ruleId, b.ruleId),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
