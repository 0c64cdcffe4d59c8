// How a Terraform block of the hashicorp/kubernetes provider maps onto its Kubernetes API object.
// An attribute or block maps to the camelCase of its name unless `fields` says otherwise; nested
// blocks are single objects unless they are `list` blocks (a repeated block is a list either way).
// The tables themselves are data, one module per resource family (schema-*.ts).

export interface BlockSchema {
  /** Terraform names whose API field is not the camelCase of the name (`host_ipc` -> `hostIPC`, `container` -> `containers`). */
  fields?: Record<string, string>;
  /** Nested blocks by Terraform name. */
  blocks?: Record<string, NestedBlock>;
  /** Attributes the provider writes as strings but the API holds as integers (`run_as_user = "1000"`). */
  integers?: readonly string[];
  /** Attributes the API holds as IntOrString: a numeric string becomes a number (`port = "8080"`). */
  intOrString?: readonly string[];
  /** What the provider sends for an attribute left out of a written block (its schema's Default), where that differs from leaving the field out. */
  defaults?: Record<string, string | number | boolean>;
  /** Names the provider computes and no rule reads (metadata.uid): never mapped, never unknown. */
  ignore?: readonly string[];
  /** Only the names in `fields` and `blocks` are mapped (a resource's top level: `timeouts`, `wait_for_rollout` are Terraform's own). */
  closed?: boolean;
}

export interface NestedBlock {
  schema: BlockSchema;
  /** A repeatable block: its API field is a list. */
  list?: boolean;
}

export const one = (schema: BlockSchema = {}): NestedBlock => ({ schema });
export const many = (schema: BlockSchema = {}): NestedBlock => ({ schema, list: true });

/** The API field a Terraform name maps to in `schema`. */
export function apiField(schema: BlockSchema, name: string): string {
  return schema.fields?.[name] ?? name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** One Terraform resource type: the object it creates and how its top-level blocks map. */
export interface ResourceMapping {
  apiVersion: string;
  kind: string;
  schema: BlockSchema;
}
