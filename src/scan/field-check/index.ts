// The field check: every field of an object that the Kubernetes API does not define for its kind
// is a finding, since the API server drops it (or, with strict field validation, refuses the
// object) and a setting written there does nothing. When the field name is declared elsewhere in
// the kind, the message says where, for a security setting in the wrong place (a container's
// `hostIPC`) protects nothing. Kinds the API does not define (custom resources) are not checked.

import type { Json } from "../../model/index.ts";
import { resourceRef } from "../object.ts";
import type { RuleDescriptor } from "../report/types.ts";
import { type FieldPath, type Finding, formatFieldPath, type ScanObject } from "../types.ts";
import { type FieldPlace, type FieldShape, fieldPlaces, kindType, LIST_ITEM, MAP_VALUE, type SchemaType, schemaType } from "./schema.ts";

export const UNKNOWN_FIELD = "unknown-field";

/** How reports describe the field check; its severity is that of its most severe findings (a misplaced security field). */
export const FIELD_CHECK: RuleDescriptor = {
  id: UNKNOWN_FIELD,
  title: "Fields must be defined by Kubernetes",
  description:
    "A field the Kubernetes API does not define for the object's kind is dropped by the API server (or refused under strict field validation): " +
    "a setting written in the wrong place does nothing. Custom resources are not checked.",
  help: "Move the field to where the message says it belongs, or fix its name; remove it if it is not needed.",
  severity: "high",
  category: "Correctness",
  tags: ["correctness", "security"],
};

/** Fields that configure isolation: written in the wrong place, the workload runs without them. */
const SECURITY_FIELDS = new Set([
  "hostIPC", "hostPID", "hostNetwork", "privileged", "runAsNonRoot", "runAsUser", "allowPrivilegeEscalation",
  "readOnlyRootFilesystem", "seccompProfile", "capabilities", "procMount", "seLinuxOptions", "appArmorProfile",
  "hostUsers", "windowsOptions", "sysctls",
]);

/**
 * How a message names the place a field belongs in. The rule: a type users know by its role in
 * the manifest rather than by its API name is named by that role (PodSpec is "the pod spec",
 * SecurityContext "the container's securityContext", PodSecurityContext "the pod's
 * securityContext", ObjectMeta "metadata"), with what a security setting there protects; any
 * other type is named by its API name (`DeploymentSpec`), as `kubectl explain` shows it.
 * "is not a field of X" always uses the API name, as the API server's own error does.
 */
const ROLES: { [typeName: string]: { place: string; protects?: string } } = {
  PodSpec: { place: "the pod spec", protects: "pod" },
  PodSecurityContext: { place: "the pod's securityContext", protects: "pod" },
  SecurityContext: { place: "the container's securityContext", protects: "container" },
  Container: { place: "the container", protects: "container" },
  EphemeralContainer: { place: "the ephemeral container", protects: "container" },
  ObjectMeta: { place: "metadata" },
};

/** Whether the field check knows the object's kind (custom resources it does not). */
export function fieldCheckApplies(object: { [key: string]: Json }): boolean {
  return kindType(object.apiVersion, object.kind) !== undefined;
}

export function checkFields(scanObject: ScanObject): Finding[] {
  const { object } = scanObject;
  const rootId = kindType(object.apiVersion, object.kind);
  if (rootId === undefined) return [];
  const findings: Finding[] = [];
  const path: Array<string | number> = [];

  const walk = (value: Json, shape: FieldShape): void => {
    if (shape === 0 || value === null || typeof value !== "object") return;
    if (typeof shape === "string") {
      if (Array.isArray(value)) return;
      const type = schemaType(shape);
      for (const [field, fieldValue] of Object.entries(value)) {
        path.push(field);
        if (Object.hasOwn(type.fields, field)) walk(fieldValue, type.fields[field]!);
        else if (!underUnknown(scanObject, path)) findings.push(unknownField(scanObject, rootId, type, [...path]));
        path.pop();
      }
    } else if ("items" in shape) {
      if (!Array.isArray(value)) return;
      value.forEach((item, index) => {
        path.push(index);
        walk(item, shape.items);
        path.pop();
      });
    } else if (!Array.isArray(value)) {
      for (const [key, entry] of Object.entries(value)) {
        path.push(key);
        walk(entry, shape.values);
        path.pop();
      }
    }
  };
  walk(object, rootId);
  return findings;
}

/** Terraform fills a field known only at apply time with a placeholder: nothing below it is checked. */
function underUnknown(scanObject: ScanObject, path: FieldPath): boolean {
  return scanObject.unknowns.some((unknown) => unknown.length <= path.length && unknown.every((segment, i) => segment === path[i]));
}

function unknownField(scanObject: ScanObject, rootId: string, type: SchemaType, path: FieldPath): Finding {
  const field = String(path[path.length - 1]);
  const written = formatFieldPath(path);
  const place = bestPlace(fieldPlaces(rootId, field), path);
  let message: string;
  if (place === undefined) {
    message = `${written} is not a field of ${type.name}; as written it is ignored`;
  } else {
    const role = ROLES[place.type.name];
    const protects = SECURITY_FIELDS.has(field) && role?.protects !== undefined ? ` and the ${role.protects} is not protected` : "";
    const where = `${role?.place ?? place.type.name} (${adaptedPath(place.path, path)})`;
    message = `${written} is not a field of ${type.name}: ${field} belongs in ${where}; as written it is ignored${protects}`;
  }
  return {
    ruleId: UNKNOWN_FIELD,
    severity: SECURITY_FIELDS.has(field) ? "high" : "medium",
    message,
    path: written,
    location: { file: scanObject.file, ...scanObject.locate(path) },
    resource: resourceRef(scanObject.object),
    ...(scanObject.terraformAddress === undefined ? {} : { terraformAddress: scanObject.terraformAddress }),
  };
}

/**
 * The place nearest the written field in the kind's tree: fewest steps up from the written field
 * and down to the place, then the shortest path. Places under `status` are left out: the cluster
 * writes status, a manifest never does.
 */
function bestPlace(places: FieldPlace[], written: FieldPath): FieldPlace | undefined {
  let best: FieldPlace | undefined;
  let bestDistance = Infinity;
  for (const place of places) {
    if (place.path[0] === "status") continue;
    const shared = sharedStart(place.path, written);
    const distance = written.length - shared + (place.path.length - shared);
    // places come shortest first: a later one must be strictly nearer to win.
    if (distance < bestDistance) [best, bestDistance] = [place, distance];
  }
  return best;
}

function sharedStart(schemaPath: string[], written: FieldPath): number {
  let shared = 0;
  while (shared < schemaPath.length && shared < written.length && segmentMatches(schemaPath[shared]!, written[shared]!)) shared++;
  return shared;
}

function segmentMatches(schemaSegment: string, written: string | number): boolean {
  if (schemaSegment === LIST_ITEM) return typeof written === "number";
  if (schemaSegment === MAP_VALUE) return typeof written === "string";
  return schemaSegment === written;
}

/** The place's path with this object's own indices and keys where it follows the written path; `[]` for any other list item, `*` for any map key. */
function adaptedPath(schemaPath: string[], written: FieldPath): string {
  const shared = sharedStart(schemaPath, written);
  let text = formatFieldPath(written.slice(0, shared));
  for (const segment of schemaPath.slice(shared)) {
    if (segment === LIST_ITEM) text += "[]";
    else text += text === "" ? segment : `.${segment === MAP_VALUE ? "*" : segment}`;
  }
  return text;
}
