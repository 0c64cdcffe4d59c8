// A scan: manifest files read one at a time, each object checked by an engine, the findings kept
// in file order. Only the findings (and counts) outlive a file, so memory does not grow with the
// number of files scanned.

import { readFileSync } from "node:fs";
import { displayPath } from "../catalog/rules.ts";
import type { EnabledRule } from "../config/types.ts";
import type { Json } from "../model/index.ts";
import { SEVERITIES, type Severity } from "../model/rule.ts";
import type { Engine } from "./evaluate.ts";
import { ManifestError, manifestFiles, readManifests, STDIN } from "./read.ts";
import { groupVersionKind } from "../engines/request.ts";
import { resourceRef } from "./object.ts";
import { type Finding, type FieldPath, formatFieldPath, type ScanObject } from "./types.ts";

export interface ScanReport {
  findings: Finding[];
  /** Files that could not be read as YAML or JSON, in the order met. */
  errors: ManifestError[];
  /** Files read (including those in errors). */
  files: number;
  /** Objects checked against the rules. */
  objects: number;
  /** Objects of kinds no enabled rule applies to: counted, not checked. */
  unchecked: number;
}

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
  /** Called after each file. */
  onProgress?: (progress: Progress) => void;
  /** Called with each note about a skipped document (for --verbose). */
  onNote?: (note: string) => void;
}

/** Where a finding points while the engine names no field: the object's name, else the object itself. */
const NAME_PATH: FieldPath = ["metadata", "name"];

export function scan({ paths, rules, engine, onProgress, onNote }: ScanOptions): ScanReport {
  const severities = new Map(rules.map(({ rule }) => [rule.id, rule.severity]));
  const checkedKinds = new Set(rules.flatMap(({ rule }) => (rule.match.type === "workloads" ? rule.match.workloads : rule.match.kinds).map(kindKey)));
  const report: ScanReport = { findings: [], errors: [], files: 0, objects: 0, unchecked: 0 };
  for (const path of manifestFiles(paths)) {
    const file = path === STDIN ? STDIN : displayPath(path);
    report.files++;
    try {
      const { objects, notes } = readManifests(readFileSync(path === STDIN ? 0 : path, "utf8"), file);
      notes.forEach((note) => onNote?.(note));
      const fileFindings: Finding[] = [];
      for (const scanObject of objects) {
        if (!checkedKinds.has(kindKey(groupVersionKind(scanObject.object)))) {
          report.unchecked++;
          continue;
        }
        report.objects++;
        for (const violation of engine.check(scanObject.object)) {
          fileFindings.push(finding(scanObject, violation.ruleId, severities.get(violation.ruleId)!, violation.message, violation.path));
        }
      }
      report.findings.push(...fileFindings.sort(byPosition));
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      report.errors.push(error);
    }
    onProgress?.({ files: report.files, objects: report.objects + report.unchecked, findings: report.findings.length });
  }
  return report;
}

function finding(scanObject: ScanObject, ruleId: string, severity: Severity, message: string, path: FieldPath | undefined): Finding {
  const { object, file } = scanObject;
  const position = scanObject.locate(path ?? NAME_PATH);
  return { ruleId, severity, message, path: formatFieldPath(path ?? []), location: { file, ...position }, resource: resourceRef(object) };
}

/** Line, then column, then rule id: a stable sort keeps an object's messages in the engine's order. */
function byPosition(a: Finding, b: Finding): number {
  return a.location.line - b.location.line || a.location.column - b.location.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

const kindKey = ({ group, kind }: { group: string; kind: string }) => `${group}/${kind}`;

/** Whether any finding is at `threshold` or more severe. */
export function hasFindingsAtOrAbove(report: ScanReport, threshold: Severity): boolean {
  const least = SEVERITIES.indexOf(threshold);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) >= least);
}
