// A scan: input files (Kubernetes manifests and Terraform) read one at a time, each object checked
// by an engine and by the field check, the findings kept in file order. A finding on a Terraform
// object that rests on a value known only at apply time is dropped: the scan never reports a
// violation it cannot see. What outlives a file is its findings and one small
// record per object (which checks ran on it, for the pass results of JUnit, PolicyReport and
// HTML), so memory grows with the objects and findings, never with the manifests' text.

import { displayPath } from "../catalog/rules.ts";
import type { EnabledRule } from "../config/types.ts";
import { groupVersionKind, objectName } from "../engines/request.ts";
import { kindLabel } from "../model/describe.ts";
import { SEVERITIES, type Rule, type Severity } from "../model/rule.ts";
import type { Engine } from "./evaluate.ts";
import { checkFields, FIELD_CHECK, fieldCheckApplies } from "./field-check/index.ts";
import { resourceRef } from "./object.ts";
import { restsOnUnknown } from "../terraform/index.ts";
import { inputFiles, readInput, STDIN } from "./read.ts";
import { resourceName, ruleDescriptor, type ScanReport } from "./report/types.ts";
import { type FieldPath, type Finding, formatFieldPath, ManifestError, type ScanObject } from "./types.ts";
import { packageVersion } from "../package-root.ts";
import { tooLargeToCheck } from "../size-limits.ts";
import { readTextFile, STANDARD_INPUT, TextFileError } from "../yaml-file.ts";

export interface Progress {
  files: number;
  objects: number;
  findings: number;
}

export interface ScanOptions {
  /** Files, folders, and "-" for standard input. */
  paths: readonly string[];
  rules: readonly EnabledRule[];
  engine: Engine;
  /** Namespaces no rule applies to (the config's excludedNamespaces), as the engines skip them. */
  excludedNamespaces: readonly string[];
  /** Whether the field check (`unknown-field`) runs on every object. */
  fieldCheck: boolean;
  /** An object whose JSON encoding is longer is an input error, not checked. */
  maxObjectBytes: number;
  /** Called after each file. */
  onProgress?: (progress: Progress) => void;
  /** Called with each note about a skipped document, a Terraform resource not checked, a value known only at apply time (for --verbose). */
  onNote?: (note: string) => void;
}

/** Where a finding points while the engine names no field: the object's name, else the object itself. */
const NAME_PATH: FieldPath = ["metadata", "name"];

export function scan({ paths, rules, engine, excludedNamespaces, fieldCheck, maxObjectBytes, onProgress, onNote }: ScanOptions): ScanReport {
  const severities = new Map(rules.map(({ rule }) => [rule.id, rule.severity]));
  const excluded = new Set(excludedNamespaces);
  const ruleIdsOfKind = ruleIdsByKind(rules.map(({ rule }) => rule));
  // Each object's list of checks is one of a few shared arrays: the rules of its kind, with or without the field check.
  const withFieldCheck = new Map<readonly string[], string[]>();
  const checksOf = (ruleIds: readonly string[], checksFields: boolean): readonly string[] => {
    if (!checksFields) return ruleIds;
    let checks = withFieldCheck.get(ruleIds);
    if (checks === undefined) withFieldCheck.set(ruleIds, (checks = [...ruleIds, FIELD_CHECK.id]));
    return checks;
  };
  const report: ScanReport = {
    toolVersion: packageVersion(),
    rules: [...rules.map(({ rule }) => ruleDescriptor(rule)), ...(fieldCheck ? [FIELD_CHECK] : [])],
    files: [],
    objects: [],
    findings: [],
    errors: [],
  };
  for (const path of inputFiles(paths)) {
    const file = path === STDIN ? STDIN : displayPath(path);
    report.files.push(file);
    try {
      const { objects, notes } = readInput(readTextFile(path === STDIN ? STANDARD_INPUT : path), file);
      notes.forEach((note) => onNote?.(note));
      const fileFindings: Finding[] = [];
      for (const scanObject of objects) {
        const { object, terraformAddress } = scanObject;
        const tooLarge = tooLargeToCheck(object, maxObjectBytes);
        if (tooLarge !== undefined) {
          report.errors.push({ file, ...scanObject.locate([]), reason: `${resourceName(resourceRef(object))}: ${tooLarge}` });
          continue;
        }
        const namespace = objectName(object).namespace;
        const ruleIds = namespace !== undefined && excluded.has(namespace) ? NO_RULES : (ruleIdsOfKind.get(kindLabel(groupVersionKind(object))) ?? NO_RULES);
        const checksFields = fieldCheck && !scanObject.fieldsFromMapping && fieldCheckApplies(object);
        report.objects.push({
          resource: resourceRef(object),
          file,
          ...scanObject.locate([]),
          ...(terraformAddress === undefined ? {} : { terraformAddress }),
          ruleIds: checksOf(ruleIds, checksFields),
        });
        if (ruleIds.length > 0) {
          for (const violation of engine.check(object)) {
            // A violation the engine names no field for concerns the whole object, which an unknown value anywhere may change.
            if (restsOnUnknown(violation.path ?? [], scanObject.unknowns)) continue;
            fileFindings.push(finding(scanObject, violation.ruleId, severities.get(violation.ruleId)!, violation.message, violation.path));
          }
        }
        if (checksFields) fileFindings.push(...checkFields(scanObject));
      }
      report.findings.push(...fileFindings.sort(byPosition));
    } catch (error) {
      if (error instanceof ManifestError) report.errors.push({ file: error.file, ...error.position, reason: error.reason });
      else if (error instanceof TextFileError) report.errors.push({ file, line: error.line ?? 1, column: 1, reason: error.problem });
      else throw error;
    }
    onProgress?.({ files: report.files.length, objects: report.objects.length, findings: report.findings.length });
  }
  return report;
}

const NO_RULES: readonly string[] = [];

/** The ids of the rules that match each kind (by apiVersion/kind, as every engine matches), in the rules' order. */
function ruleIdsByKind(rules: readonly Rule[]): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  for (const rule of rules) {
    for (const kind of rule.match.type === "workloads" ? rule.match.workloads : rule.match.kinds) {
      const key = kindLabel(kind);
      byKind.set(key, [...(byKind.get(key) ?? []), rule.id]);
    }
  }
  return byKind;
}

function finding(scanObject: ScanObject, ruleId: string, severity: Severity, message: string, path: FieldPath | undefined): Finding {
  const { object, file, terraformAddress } = scanObject;
  const position = scanObject.locate(path ?? NAME_PATH);
  return {
    ruleId,
    severity,
    message,
    path: formatFieldPath(path ?? []),
    location: { file, ...position },
    resource: resourceRef(object),
    ...(terraformAddress === undefined ? {} : { terraformAddress }),
  };
}

/** Line, then column, then rule id: a stable sort keeps an object's messages in the engine's order. */
function byPosition(a: Finding, b: Finding): number {
  return a.location.line - b.location.line || a.location.column - b.location.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Whether any finding is at `threshold` or more severe. */
export function hasFindingsAtOrAbove(report: ScanReport, threshold: Severity): boolean {
  const least = SEVERITIES.indexOf(threshold);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) >= least);
}
