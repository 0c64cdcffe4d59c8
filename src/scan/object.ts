// What a scan reads off a Kubernetes object's header: its group, version and kind, name and namespace.

import type { Json } from "../model/index.ts";
import type { ResourceRef } from "./types.ts";

export interface ObjectKind {
  group: string;
  version: string;
  kind: string;
}

export function groupVersionKind(object: { [key: string]: Json }): ObjectKind {
  const apiVersion = String(object.apiVersion);
  const slash = apiVersion.indexOf("/");
  return { group: slash === -1 ? "" : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind: String(object.kind) };
}

function metadataOf(object: { [key: string]: Json }): { [key: string]: Json } {
  const { metadata } = object;
  return typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) ? metadata : {};
}

/** metadata.name and metadata.namespace where they are strings. */
export function nameAndNamespace(object: { [key: string]: Json }): { name?: string; namespace?: string } {
  const { name, namespace } = metadataOf(object);
  return { ...(typeof name === "string" ? { name } : {}), ...(typeof namespace === "string" ? { namespace } : {}) };
}

export function resourceRef(object: { [key: string]: Json }): ResourceRef {
  return { apiVersion: String(object.apiVersion), kind: String(object.kind), ...nameAndNamespace(object) };
}
