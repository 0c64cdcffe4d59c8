// What every engine is asked: an object as an admission request carries it, and the parameter
// values to check it with. The parts of the request engines match policies on (group, version,
// kind, namespace) are read here, once.

import type { Json, ParamValues } from "../model/index.ts";
import type { Operation, PodSubresource } from "../model/updates.ts";

export interface AdmissionRequest {
  /** The object created or updated; on DELETE, the object deleted. */
  object: { [key: string]: Json };
  operation: Operation;
  /** The object before an UPDATE; the object itself when not given (an update changing nothing). */
  oldObject?: { [key: string]: Json };
  /** An UPDATE of the Pod's subresource (pods/ephemeralcontainers) rather than of the Pod itself. */
  subResource?: PodSubresource;
  /** Values over the rule's parameters (its defaults, or the Constraint's); {} for none. */
  parameters: ParamValues;
}

/** The request without the parameter values: what the admission engines themselves are handed. */
export type AdmissionReview = Omit<AdmissionRequest, "parameters">;

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

/** The request's `object` and `oldObject` as the API server hands them: none before a CREATE, none after a DELETE. */
export function requestObjects(request: AdmissionReview): { object: AdmissionRequest["object"] | null; oldObject: AdmissionRequest["object"] | null } {
  switch (request.operation) {
    case "CREATE":
      return { object: request.object, oldObject: null };
    case "UPDATE":
      return { object: request.object, oldObject: request.oldObject ?? request.object };
    case "DELETE":
      return { object: null, oldObject: request.object };
  }
}
