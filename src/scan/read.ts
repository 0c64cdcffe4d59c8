// Reading manifests: files, folders and standard input turned into ScanObjects, one file at a
// time. YAML (multi-document, as `helm template` and `kustomize build` print it) and JSON go
// through the same parser, which keeps every node's source range, so that a ScanObject can say on
// which line and column any of its fields is written. `kind: List` and the `*List` kinds are
// opened: each item is an object of its own, located inside the list. Terraform files (.tf,
// .tf.json, and `terraform show -json` output, known by its content) are read by src/terraform
// into the objects their kubernetes_* resources create.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import { InputError } from "../errors.ts";
import { yamlErrorReason } from "../yaml-file.ts";
import type { Json } from "../model/index.ts";
import { terraformInputKind, terraformScanObjects } from "../terraform/index.ts";
import { STDIN } from "./choices.ts";
import { type FieldPath, ManifestError, type ScanObject, type SourcePosition } from "./types.ts";

export { STDIN } from "./choices.ts";

/** .tf.json ends in .json: a JSON file is told apart by its name and content when it is read. */
const INPUT_EXTENSIONS = [".yaml", ".yml", ".json", ".tf"];

/** Terraform's working folder: the modules and providers `terraform init` downloads are scanned where they are written, not as copies. */
const TERRAFORM_WORKING_FOLDER = ".terraform";

/** What reading one file gives: its Kubernetes objects, and notes on what it skipped or could not see. */
export interface ManifestFile {
  objects: ScanObject[];
  /**
   * For --verbose, as `file:line:col: ...`: every document that is no Kubernetes object; every
   * Terraform resource not checked, checked once for its count or for_each, and every value known only at apply time.
   */
  notes: string[];
}

/**
 * The input files named by `paths`, in order: a file as named, a folder as every .yaml, .yml,
 * .json and .tf file below it (outside .terraform folders), sorted by path (so every run reads
 * them in the same order). Throws an InputError for a path that does not exist.
 */
export function inputFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (path === STDIN) return [STDIN];
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new InputError(path, undefined, "no such file or folder");
    }
    return isDirectory ? filesBelow(path) : [path];
  });
}

function filesBelow(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === TERRAFORM_WORKING_FOLDER ? [] : filesBelow(path);
    return entry.isFile() && INPUT_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) ? [path] : [];
  });
}

/** The objects of one input file's text, Terraform or Kubernetes manifests; `file` is the name findings show. Throws a ManifestError on a file that cannot be read. */
export function readInput(text: string, file: string): ManifestFile {
  const kind = terraformInputKind(file, text);
  if (kind === undefined) return readManifests(text, file);
  const { objects, errors, notes } = terraformScanObjects(text, file, kind);
  if (errors[0] !== undefined) throw errors[0];
  return { objects, notes };
}

/** The Kubernetes objects of one file's text; `file` is the name findings show. Throws a ManifestError on bad YAML or JSON. */
export function readManifests(text: string, file: string): ManifestFile {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // An empty stream (only comments, or nothing) parses to an EmptyStream: no documents.
  if (!Array.isArray(documents)) return { objects: [], notes: [] };
  const objects: ScanObject[] = [];
  const notes: string[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new ManifestError(file, position(error.pos[0]), yamlErrorReason(error));
    const root = document.contents;
    // Empty documents (helm's `---` between templates that rendered to nothing) are no objects.
    if (root === null || (isScalar(root) && root.value === null)) continue;
    const value = document.toJS() as Json;
    collectObjects(value, root, [], { file, position, objects, notes });
  }
  return { objects, notes };
}

interface Collector {
  file: string;
  position: (offset: number) => SourcePosition;
  objects: ScanObject[];
  notes: string[];
}

function isKubernetesObject(value: Json): value is { [key: string]: Json } & { apiVersion: string; kind: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value.apiVersion === "string" && typeof value.kind === "string";
}

/** `value` (the node `root` within its document, at `base`) as objects: itself, or a List's items. */
function collectObjects(value: Json, root: Node, base: FieldPath, into: Collector): void {
  const at = () => {
    const { line, column } = into.position(nodeStart(deepestNode(root, base)));
    return `${into.file}:${line}:${column}`;
  };
  if (!isKubernetesObject(value)) {
    into.notes.push(`${at()}: skipped: not a Kubernetes object (no apiVersion and kind)`);
    return;
  }
  if (value.kind.endsWith("List") && Array.isArray(value.items)) {
    value.items.forEach((item, i) => collectObjects(item, root, [...base, "items", i], into));
    return;
  }
  into.objects.push({
    object: value,
    file: into.file,
    locate: (path) => into.position(nodeStart(deepestNode(root, [...base, ...path]))),
    unknowns: [],
  });
}

/**
 * The node that writes the deepest existing field of `path` below `root`: for a map entry its key
 * (where a reader looks for the field), for a list element the element itself.
 */
function deepestNode(root: Node, path: FieldPath): Node {
  let node = root;
  let found: Node = root;
  for (const segment of path) {
    if (typeof segment === "number" && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = found = item;
    } else if (typeof segment === "string" && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      found = pair.key as Node;
      if (!pair.value) break;
      node = pair.value as Node;
    } else {
      break;
    }
  }
  return found;
}

function nodeStart(node: Node): number {
  return node.range?.[0] ?? 0;
}

/** The parser's reason on one line, without the position it appends. */