// What every engine is asked: an object as an admission request carries it, and the parameter
// values to check it with. The parts of the request engines match policies on (group, version,
// kind, namespace) are read here, once.

import type { Json, ParamValues } from "../model/index.ts";

export interface AdmissionRequest {
  object: { [key: string]: Json };
  /** UPDATE hands the object as oldObject too. */
  operation: "CREATE" | "UPDATE";
  /** Values over the rule's parameters (its defaults, or the Constraint's); {} for none. */
  parameters: ParamValues;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The object's group, version and kind: `apps/v1` is {group: "apps", version: "v1"}, `v1` the core group. */
export function groupVersionKind(object: AdmissionRequest["object"]): GroupVersionKind {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  const kind = String(object.kind);
  return slash === -1 ? { group: "", version: apiVersion, kind } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** metadata.name and metadata.namespace, where they are strings. */
export function objectName(object: AdmissionRequest["object"]): { name?: string; namespace?: string } {
  const { metadata } = object;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return {};
  const { name, namespace } = metadata;
  return { ...(typeof name === "string" ? { name } : {}), ...(typeof namespace === "string" ? { namespace } : {}) };
}

/** The object before the change: the object itself on UPDATE (no change but the one checked), none on CREATE. */
export function oldObjectOf(request: Pick<AdmissionRequest, "object" | "operation">): AdmissionRequest["object"] | null {
  return request.operation === "UPDATE" ? request.object : null;
}
