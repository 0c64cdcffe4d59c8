// What a scan reads and reports. Readers (YAML and JSON manifests, Terraform) turn input files into
// ScanObjects, each able to say where one of its fields is written; checks (the rules through an
// engine, the field check) turn ScanObjects into Findings; reporters write Findings in a format.

import type { Json } from "../model/index.ts";
import type { Severity } from "../model/rule.ts";

/** 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface SourceLocation extends SourcePosition {
  /** The file as reports show it: relative to the working directory when below it; "-" for standard input. */
  file: string;
}

/** A field of an object: keys and array indices, outermost first (`["spec", "containers", 0, "image"]`). */
export type FieldPath = ReadonlyArray<string | number>;

/** One Kubernetes object found in an input file. */
export interface ScanObject {
  object: { [key: string]: Json };
  file: string;
  /** Where the field at `path` is written; for a field that is not written, its nearest written parent. */
  locate(path: FieldPath): SourcePosition;
  /** The Terraform address of the resource that creates the object (`kubernetes_pod_v1.web`), when it came from Terraform. */
  terraformAddress?: string;
  /** Fields whose value Terraform knows only at apply time: no finding may rest on them. */
  unknowns: FieldPath[];
  /** What --verbose tells about this object (unknown values met, count/for_each checked once, ...). */
  notes: string[];
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export interface Finding {
  /** A rule id, or `unknown-field` for the field check. */
  ruleId: string;
  severity: Severity;
  message: string;
  /** The offending field as users write it: `spec.template.spec.containers[1].securityContext.privileged`. */
  path: string;
  location: SourceLocation;
  resource: ResourceRef;
  terraformAddress?: string;
}

/** Formats a FieldPath as users write it: `spec.containers[0].image`. */
export function formatFieldPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}
