// Reading the objects of a multi-document YAML manifest with their source positions: each mapping
// document becomes a ScanObject whose `locate` finds a field's key in the parsed document.

import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type ParsedNode } from "yaml";
import { InputError } from "../errors.ts";
import type { Json } from "../model/index.ts";
import type { FieldPath, ScanObject, SourcePosition } from "./types.ts";

/**
 * The mapping documents of `text`, in order; empty documents are passed over, and so are documents
 * that are not mappings (a list or a scalar is not a Kubernetes object). A syntax error throws one
 * InputError naming `file`, line and column.
 */
export function yamlScanObjects(text: string, file: string): ScanObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(documents)) return []; // an empty stream
  const objects: ScanObject[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error !== undefined) {
      const at = lineCounter.linePos(error.pos[0]);
      throw new InputError(`${file}:${at.line}:${at.col}`, undefined, `not valid YAML: ${error.code}`);
    }
    const root = document.contents;
    if (!isMap(root)) continue;
    const object = document.toJS() as { [key: string]: Json };
    objects.push({
      object,
      file,
      locate: (path) => position(lineCounter, locateNode(root, path)),
      unknowns: [],
      notes: [],
    });
  }
  return objects;
}

/** The key of the field at `path` (the item, for a list index); for a field not written, that of its nearest written parent. */
function locateNode(root: ParsedNode, path: FieldPath): Node {
  let node: Node | null = root;
  let found: Node = root;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      found = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      found = node.items[segment] as Node;
      node = found;
    } else {
      break;
    }
  }
  return found;
}

function position(lineCounter: LineCounter, node: Node): SourcePosition {
  const { line, col } = lineCounter.linePos(node.range![0]);
  return { line, column: col };
}
