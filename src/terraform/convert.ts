// A Terraform resource, read into a TfNode tree, mapped onto the Kubernetes object it creates:
// field names and shapes from the provider's schema tables, the position of every written field,
// and the fields whose value Terraform knows only at apply time.

import type { Json } from "../model/index.ts";
import { type FieldPath, formatFieldPath, positioned, type ScanObject, type SourcePosition } from "../scan/types.ts";
import { type BlockSchema, type ResourceMapping, apiField } from "./schema.ts";
import type { TfEntry, TfNode, TfResource } from "./tree.ts";

type JsonObject = { [key: string]: Json };

/** What mapping one resource learns besides the object: where each field is written, what is unknown (told in `notes`). */
class Mapping {
  readonly positions = new Map<string, SourcePosition>();
  readonly unknowns: FieldPath[] = [];

  constructor(
    readonly address: string,
    readonly file: string,
    readonly notes: string[],
  ) {}

  place(path: FieldPath, at: SourcePosition): void {
    this.positions.set(JSON.stringify(path), at);
  }

  unknown(path: FieldPath, at: SourcePosition, reason: string): undefined {
    this.place(path, at);
    this.unknowns.push(path);
    this.notes.push(positioned(this.file, at, `${this.address}: ${formatFieldPath(path)} is known only at apply time (${reason}): no finding rests on it`));
    return undefined;
  }

  locate(path: FieldPath): SourcePosition {
    for (let length = path.length; length >= 0; length--) {
      const at = this.positions.get(JSON.stringify(path.slice(0, length)));
      if (at) return at;
    }
    throw new Error("a mapped resource always has its own position");
  }
}

/** The object a resource of a known type creates; a note for --verbose goes to `notes` for each value known only at apply time. */
export function mapResource(resource: TfResource, mapping: ResourceMapping, file: string, notes: string[]): ScanObject {
  const state = new Mapping(resource.address, file, notes);
  state.place([], resource.at);
  const body = mapBody(resource.body, mapping.schema, [], state);
  return { ...scanObject({ apiVersion: mapping.apiVersion, kind: mapping.kind, ...body }, resource, state), fieldsFromMapping: true };
}

/** kubernetes_manifest: its `manifest` attribute is the object itself, or the reason it cannot be checked; notes as for mapResource. */
export function mapManifest(resource: TfResource, file: string, notes: string[]): ScanObject | string {
  const state = new Mapping(resource.address, file, notes);
  state.place([], resource.at);
  const entry = resource.body.entries.filter((e) => e.name === "manifest").at(-1);
  if (entry === undefined) return `${resource.address} has no manifest: not checked`;
  if (entry.node.type === "unknown") return `${resource.address}: its manifest is known only at apply time (${entry.node.reason}): not checked`;
  const object = toJson(entry.node, [], state, {});
  if (!isObject(object) || typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return `${resource.address}: its manifest has no known apiVersion and kind: not checked`;
  }
  return scanObject(object, resource, state);
}

function scanObject(object: JsonObject, resource: TfResource, state: Mapping): ScanObject {
  return {
    object,
    file: state.file,
    locate: (path) => state.locate(path),
    terraformAddress: resource.address,
    unknowns: state.unknowns,
  };
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapBody(node: TfNode & { type: "object" }, schema: BlockSchema, path: FieldPath, state: Mapping): JsonObject {
  const result: JsonObject = {};
  const byName = new Map<string, TfEntry[]>();
  for (const entry of node.entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  for (const [name, entries] of byName) {
    const nested = schema.blocks?.[name];
    if (schema.ignore?.includes(name) || (schema.closed && nested === undefined && schema.fields?.[name] === undefined)) continue;
    const fieldPath = [...path, apiField(schema, name)];
    const first = entries[0]!;
    const value = nested ? mapBlocks(entries, nested.schema, nested.list === true, fieldPath, state) : mapAttribute(entries.at(-1)!, schema, name, fieldPath, state);
    if (value !== undefined) {
      result[apiField(schema, name)] = value;
      state.place(fieldPath, (nested ? first : entries.at(-1)!).at);
    }
  }
  for (const [name, value] of Object.entries(schema.defaults ?? {})) {
    if (!byName.has(name)) result[apiField(schema, name)] = value;
  }
  return result;
}

/** A block's instances: repeated HCL blocks, or a JSON object or list of objects. */
function mapBlocks(entries: TfEntry[], schema: BlockSchema, list: boolean, path: FieldPath, state: Mapping): Json | undefined {
  const instances: TfNode[] = entries.flatMap((e) => (e.node.type === "list" ? e.node.items : [e.node]));
  const unknown = instances.find((n) => n.type === "unknown");
  if (unknown?.type === "unknown") return state.unknown(path, unknown.at, unknown.reason);
  const bodies = instances.filter((n): n is TfNode & { type: "object" } => n.type === "object");
  if (bodies.length === 0) return undefined;
  if (!list && bodies.length === 1) return mapBody(bodies[0]!, schema, path, state);
  return bodies.map((body, index) => {
    state.place([...path, index], body.at);
    return mapBody(body, schema, [...path, index], state);
  });
}

interface Conversion {
  integer?: boolean;
  intOrString?: boolean;
}

function mapAttribute(entry: TfEntry, schema: BlockSchema, name: string, path: FieldPath, state: Mapping): Json | undefined {
  return toJson(entry.node, path, state, { integer: schema.integers?.includes(name), intOrString: schema.intOrString?.includes(name) });
}

/** An attribute's value as JSON; null (unset) and unknown values are left out. */
function toJson(node: TfNode, path: FieldPath, state: Mapping, conversion: Conversion): Json | undefined {
  switch (node.type) {
    case "unknown":
      return state.unknown(path, node.at, node.reason);
    case "scalar":
      if (node.value === null) return undefined;
      if (typeof node.value === "string" && (conversion.integer || conversion.intOrString) && /^-?\d+$/.test(node.value)) return Number(node.value);
      return node.value;
    case "list": {
      // An unknown element would shift the indices of the known ones: the whole list is unknown.
      const unknown = node.items.find((n) => n.type === "unknown");
      if (unknown?.type === "unknown") return state.unknown(path, unknown.at, unknown.reason);
      return node.items.flatMap((item, index) => {
        state.place([...path, index], item.at);
        const value = toJson(item, [...path, index], state, conversion);
        return value === undefined ? [] : [value];
      });
    }
    case "object": {
      const result: JsonObject = {};
      for (const entry of node.entries) {
        const value = toJson(entry.node, [...path, entry.name], state, conversion);
        if (value === undefined) continue;
        result[entry.name] = value;
        state.place([...path, entry.name], entry.at);
      }
      return result;
    }
  }
}
