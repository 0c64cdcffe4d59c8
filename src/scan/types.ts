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

/** A file that could not be read (YAML, JSON, HCL, an unknown plan format): where and why, in the parser's words. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly position: SourcePosition,
    readonly reason: string,
  ) {
    super(positioned(file, position, reason));
    this.name = "ManifestError";
  }
}

/** A note for --verbose, or an error's text, as `file:line:col: text`. */
export function positioned(file: string, at: SourcePosition, text: string): string {
  return `${file}:${at.line}:${at.column}: ${text}`;
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
  /**
   * The object's field names are those of policypack's mapping of a Terraform resource type, not
   * the user's: the provider refuses attributes its schema does not define at plan time, and the
   * mapping writes API fields only, so the field check skips such objects (a finding there would be
   * a gap in the mapping, not a misplaced field). A kubernetes_manifest's object is the user's own.
   */
  fieldsFromMapping?: true;
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
