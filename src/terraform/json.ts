// Terraform's JSON inputs: configuration in JSON syntax (.tf.json), and plans and states as
// `terraform show -json` writes them. The `yaml` package reads JSON with the source position of
// every key and value.

import { LineCounter, type Node as YamlNode, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { ManifestError, positioned, type SourcePosition } from "../scan/types.ts";
import type { TfEntry, TfNode, TfResource } from "./tree.ts";

/** The major version of `terraform show -json` output this reader knows. */
const SHOW_JSON_MAJOR = "1";

/** A JSON file as a TfNode tree; a syntax error is one ManifestError naming where it is. */
function readJson(text: string, file: string, templates: boolean): TfNode {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const error = doc.errors[0];
  let strict: string | undefined;
  try {
    JSON.parse(text);
  } catch (e) {
    strict = (e as Error).message;
  }
  const position = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  if (error) throw new ManifestError(file, position(error.pos[0]), `not valid JSON: ${error.code}`);
  // What YAML accepts but JSON does not (a trailing comma): JSON.parse names no position, so the file's start stands for it.
  if (strict !== undefined) throw new ManifestError(file, position(0), `not valid JSON: ${strict.split("\n")[0]}`);
  const build = (node: unknown): TfNode => {
    const at = position((node as YamlNode | undefined)?.range?.[0]);
    if (isMap(node)) {
      const entries: TfEntry[] = node.items.map((pair) => ({
        name: String(isScalar(pair.key) ? pair.key.value : pair.key),
        at: position((pair.key as YamlNode | undefined)?.range?.[0]),
        node: build(pair.value),
      }));
      return { type: "object", at, entries };
    }
    if (isSeq(node)) return { type: "list", at, items: node.items.map(build) };
    const value = isScalar(node) ? (node.value as string | number | boolean | null) : null;
    // In configuration, every JSON string is a template: `${...}` and `%{...}` are evaluated by Terraform, `$${` escapes.
    if (templates && typeof value === "string") {
      if (/(^|[^$])\$\{|(^|[^%])%\{/.test(value)) return { type: "unknown", at, reason: `a string template (${JSON.stringify(value)})` };
      return { type: "scalar", at, value: value.replaceAll("$${", "${").replaceAll("%%{", "%{") };
    }
    return { type: "scalar", at, value };
  };
  return build(doc.contents);
}

function entry(node: TfNode, name: string): TfNode | undefined {
  return node.type === "object" ? node.entries.filter((e) => e.name === name).at(-1)?.node : undefined;
}

/** An object, or each object of a list: JSON syntax writes a block either way. */
function objectsOf(node: TfNode | undefined): Array<TfNode & { type: "object" }> {
  if (node?.type === "object") return [node];
  if (node?.type === "list") return node.items.flatMap(objectsOf);
  return [];
}

/** The resources of a .tf.json file: `"resource": { "<type>": { "<name>": {...} } }`. */
export function readTfJsonResources(text: string, file: string): TfResource[] {
  const root = readJson(text, file, true);
  const resources: TfResource[] = [];
  for (const byType of objectsOf(entry(root, "resource"))) {
    for (const typeEntry of byType.entries) {
      for (const byName of objectsOf(typeEntry.node)) {
        for (const nameEntry of byName.entries) {
          for (const body of objectsOf(nameEntry.node)) {
            const address = `${typeEntry.name}.${nameEntry.name}`;
            const notes: string[] = [];
            const dynamic = body.entries.find((e) => e.name === "dynamic");
            const withoutDynamic = { ...body, entries: body.entries.filter((e) => e !== dynamic) };
            // A dynamic block's instances exist only once for_each is known.
            for (const block of objectsOf(dynamic?.node).flatMap((d) => d.entries)) {
              withoutDynamic.entries.push({ name: block.name, at: block.at, node: { type: "unknown", at: block.at, reason: "a dynamic block" } });
            }
            const repeat = body.entries.find((e) => e.name === "count" || e.name === "for_each");
            if (repeat) notes.push(positioned(file, repeat.at, `${address} has ${repeat.name}: its instances are checked once, as written`));
            resources.push({ type: typeEntry.name, name: nameEntry.name, address, at: nameEntry.at, body: withoutDynamic, notes });
          }
        }
      }
    }
  }
  return resources;
}

/** Whether a parsed JSON value is `terraform show -json` output (a plan or a state) rather than configuration. */
export function isShowJson(value: unknown): boolean {
  return typeof value === "object" && value !== null && "format_version" in value && ("planned_values" in value || "values" in value);
}

/** The managed resources of a plan (`planned_values`) or a state (`values`), child modules included. */
export function readShowJsonResources(text: string, file: string): TfResource[] {
  const root = readJson(text, file, false);
  const version = entry(root, "format_version");
  const versionText = version?.type === "scalar" ? String(version.value) : "";
  if (versionText.split(".")[0] !== SHOW_JSON_MAJOR) {
    throw new ManifestError(
      file,
      version?.at ?? root.at,
      `${versionText === "" ? "no format_version" : `format_version ${JSON.stringify(versionText)}`}: only the ${SHOW_JSON_MAJOR}.x format of \`terraform show -json\` is read`,
    );
  }
  const planned = entry(root, "planned_values");
  const rootModule = entry(planned ?? entry(root, "values") ?? root, "root_module");
  const afterUnknown = new Map<string, TfNode>();
  for (const change of objectsOf(entry(root, "resource_changes")).flatMap((c) => objectsOf(c))) {
    const address = entry(change, "address");
    const unknown = entry(entry(change, "change") ?? change, "after_unknown");
    if (address?.type === "scalar" && unknown) afterUnknown.set(String(address.value), unknown);
  }
  const resources: TfResource[] = [];
  const visit = (module: TfNode | undefined) => {
    for (const resource of objectsOf(entry(module ?? root, "resources"))) {
      const field = (name: string) => {
        const node = entry(resource, name);
        return node?.type === "scalar" ? String(node.value) : "";
      };
      const values = objectsOf(entry(resource, "values"))[0];
      if (field("mode") !== "managed" || values === undefined) continue;
      const address = field("address");
      const unknown = afterUnknown.get(address);
      const body = prune(unknown ? withUnknowns(values, unknown) : values);
      resources.push({ type: field("type"), name: field("name"), address, at: resource.at, body: body.type === "object" ? body : { ...values, entries: [] }, notes: [] });
    }
    for (const child of objectsOf(entry(module ?? root, "child_modules")).flatMap((c) => objectsOf(c))) visit(child);
  };
  if (rootModule) visit(rootModule);
  return resources;
}

/** Marks the values a plan's `after_unknown` flags with `true` as unknown. */
function withUnknowns(node: TfNode, unknown: TfNode): TfNode {
  if (unknown.type === "scalar" && unknown.value === true) return { type: "unknown", at: node.at, reason: "computed by the plan" };
  if (node.type === "object" && unknown.type === "object") {
    const entries = node.entries.map((e) => {
      const flag = entry(unknown, e.name);
      return flag ? { ...e, node: withUnknowns(e.node, flag) } : e;
    });
    for (const flag of unknown.entries) {
      if (entries.some((e) => e.name === flag.name) || !(flag.node.type === "scalar" && flag.node.value === true)) continue;
      entries.push({ name: flag.name, at: node.at, node: { type: "unknown", at: node.at, reason: "computed by the plan" } });
    }
    return { ...node, entries };
  }
  if (node.type === "list" && unknown.type === "list") {
    return { ...node, items: node.items.map((item, i) => (unknown.items[i] ? withUnknowns(item, unknown.items[i]) : item)) };
  }
  return node;
}

/** Plans and states write every attribute the provider knows, unset ones as null, "", [] or {}: those are left out. */
function prune(node: TfNode): TfNode {
  if (node.type === "object") {
    const entries = node.entries.map((e) => ({ ...e, node: prune(e.node) })).filter((e) => !isEmpty(e.node));
    return { ...node, entries };
  }
  if (node.type === "list") return { ...node, items: node.items.map(prune).filter((n) => !isEmpty(n)) };
  return node;
}

function isEmpty(node: TfNode): boolean {
  if (node.type === "scalar") return node.value === null || node.value === "";
  if (node.type === "list") return node.items.length === 0;
  if (node.type === "object") return node.entries.length === 0;
  return false;
}
