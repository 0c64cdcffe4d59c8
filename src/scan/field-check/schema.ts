// The fields the Kubernetes API defines for each built-in kind, as generated into
// schemas/kubernetes-fields.json by scripts/generate-field-schema.ts; read and indexed once.

import { readFileSync } from "node:fs";
import { packageFile } from "../../package-root.ts";

/**
 * What a field holds: 0 for a value whose inside is not checked (scalars, IntOrString, Quantity,
 * objects the API leaves open); a type id for an object with declared fields; a list; a map
 * (labels, annotations, data, limits) whose keys are free and whose values have a shape.
 */
export type FieldShape = 0 | string | { items: FieldShape } | { values: FieldShape };

export interface SchemaType {
  /** The API's name for the type: `Container`, `PodSpec`. */
  name: string;
  fields: { [field: string]: FieldShape };
}

export interface FieldSchema {
  /** The package and version the schema was generated from. */
  source: string;
  /** apiVersion -> kind -> type id. */
  kinds: { [apiVersion: string]: { [kind: string]: string } };
  types: { [id: string]: SchemaType };
}

/** A path in a kind's schema tree: field names, `[]` for any list item, `{}` for any map key. */
export type SchemaPath = string[];

export interface FieldPlace {
  /** The type that declares the field. */
  type: SchemaType;
  /** From the object's root to the field itself. */
  path: SchemaPath;
}

export const LIST_ITEM = "[]";
export const MAP_VALUE = "{}";

let loaded: FieldSchema | undefined;

export function fieldSchema(): FieldSchema {
  loaded ??= JSON.parse(readFileSync(packageFile("schemas", "kubernetes-fields.json"), "utf8")) as FieldSchema;
  return loaded;
}

/** The root type of a kind, or undefined for kinds the API does not define (custom resources). */
export function kindType(apiVersion: unknown, kind: unknown): string | undefined {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return undefined;
  const kinds = fieldSchema().kinds;
  return Object.hasOwn(kinds, apiVersion) && Object.hasOwn(kinds[apiVersion]!, kind) ? kinds[apiVersion]![kind] : undefined;
}

export function schemaType(id: string): SchemaType {
  return fieldSchema().types[id]!;
}

const placesByRoot = new Map<string, Map<string, FieldPlace[]>>();

/**
 * Every place a field name is declared in the schema tree of a root type, shortest paths first.
 * Built once per root type on the first misplaced field met in an object of that kind; a type is
 * not entered again below itself, so recursive types (JSONSchemaProps) end.
 */
export function fieldPlaces(rootId: string, field: string): FieldPlace[] {
  let places = placesByRoot.get(rootId);
  if (places === undefined) {
    places = new Map();
    collectPlaces(rootId, [], new Set(), places);
    for (const list of places.values()) list.sort((a, b) => a.path.length - b.path.length);
    placesByRoot.set(rootId, places);
  }
  return places.get(field) ?? [];
}

function collectPlaces(id: string, path: SchemaPath, above: Set<string>, places: Map<string, FieldPlace[]>): void {
  const type = schemaType(id);
  above.add(id);
  for (const [field, shape] of Object.entries(type.fields)) {
    const fieldPath = [...path, field];
    let list = places.get(field);
    if (list === undefined) places.set(field, (list = []));
    list.push({ type, path: fieldPath });
    const inner = innerType(shape, fieldPath);
    if (inner !== undefined && !above.has(inner.id)) collectPlaces(inner.id, inner.path, above, places);
  }
  above.delete(id);
}

/** The object type a shape leads to through its lists and maps, with the path to it. */
function innerType(shape: FieldShape, path: SchemaPath): { id: string; path: SchemaPath } | undefined {
  if (shape === 0) return undefined;
  if (typeof shape === "string") return { id: shape, path };
  if ("items" in shape) return innerType(shape.items, [...path, LIST_ITEM]);
  return innerType(shape.values, [...path, MAP_VALUE]);
}
