// Terraform native syntax (.tf) through tree-sitter's HCL grammar: a concrete syntax tree with
// the position of every attribute and block, parsed synchronously. Only literal values are
// evaluated (strings without interpolation, numbers, booleans, null, tuples and objects of them);
// every other expression (variables, references, function calls, conditionals, templates with
// `${...}`) is a value Terraform knows only later, and so an `unknown` node.

import { createRequire } from "node:module";
import type Parser from "tree-sitter";
import { ManifestError, positioned, type SourcePosition } from "../scan/types.ts";
import type { TfEntry, TfNode, TfResource } from "./tree.ts";

type SyntaxNode = Parser.SyntaxNode;

let parser: Parser | undefined;
/** The parser, its native modules loaded on the first .tf file: a scan of manifests never loads them. */
function hclParser(): Parser {
  if (parser === undefined) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require("tree-sitter") as typeof Parser;
    parser = new TreeSitter();
    parser.setLanguage(require("@tree-sitter-grammars/tree-sitter-hcl") as Parser.Language);
  }
  return parser;
}

/** The resources of a .tf file; a syntax error is one ManifestError naming where the HCL goes wrong. */
export function readHclResources(text: string, file: string): TfResource[] {
  const tree = hclParser().parse(text);
  const at = positioner(text);
  const root = tree.rootNode;
  if (root.hasError) {
    const bad = firstError(root);
    const problem = bad?.isMissing ? `not valid HCL: "${bad.type}" is missing` : `not valid HCL: unexpected ${JSON.stringify(clip(bad?.text ?? ""))}`;
    throw new ManifestError(file, at(bad ?? root), problem);
  }
  const resources: TfResource[] = [];
  for (const block of blocksOf(root.namedChildren.find((n) => n.type === "body"))) {
    const labels = block.namedChildren.filter((n) => n.type === "string_lit").map(stringLitValue);
    if (block.namedChildren[0]?.text !== "resource" || labels.length !== 2) continue;
    const [type, name] = labels as [string, string];
    const body = bodyNode(block, at);
    const notes: string[] = [];
    const repeat = body.entries.find((e) => e.name === "count" || e.name === "for_each");
    if (repeat) notes.push(positioned(file, repeat.at, `${type}.${name} has ${repeat.name}: its instances are checked once, as written`));
    resources.push({ type, name, address: `${type}.${name}`, at: at(block), body, notes });
  }
  return resources;
}

function clip(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 40 ? `${line.slice(0, 40)}...` : line;
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === "ERROR") {
    // Error recovery may wrap a whole block: the problem is what follows its last complete part.
    const parts = node.children;
    const lastComplete = parts.findLastIndex((n) => (n.type === "attribute" || n.type === "block") && !n.hasError);
    return parts[lastComplete + 1] !== undefined && lastComplete >= 0 ? parts[lastComplete + 1] : node;
  }
  if (node.isMissing) return node;
  for (const child of node.children) {
    if (child.hasError || child.isMissing) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** The binding indexes the text in UTF-16 code units, as JavaScript strings do. */
function positioner(text: string): Locator {
  const at = (node: SyntaxNode): SourcePosition => ({ line: node.startPosition.row + 1, column: node.startPosition.column + 1 });
  return Object.assign(at, { source: text });
}

/** Positions of nodes, and the source text they index. */
type Locator = ((node: SyntaxNode) => SourcePosition) & { source: string };

function blocksOf(body: SyntaxNode | undefined): SyntaxNode[] {
  return body ? body.namedChildren.filter((n) => n.type === "block") : [];
}

/** A block's body as an object node: attributes and nested blocks, in order. */
function bodyNode(block: SyntaxNode, at: Locator): TfNode & { type: "object" } {
  const entries: TfEntry[] = [];
  const body = block.namedChildren.find((n) => n.type === "body");
  for (const item of body?.namedChildren ?? []) {
    const name = item.namedChildren[0]?.text ?? "";
    if (item.type === "attribute") {
      entries.push({ name, at: at(item), node: expressionNode(item.namedChildren[1]!, at) });
    } else if (item.type === "block" && name === "dynamic") {
      // A dynamic block's instances exist only once for_each is known.
      const label = item.namedChildren.find((n) => n.type === "string_lit");
      entries.push({ name: label ? stringLitValue(label) : name, at: at(item), node: { type: "unknown", at: at(item), reason: "a dynamic block" } });
    } else if (item.type === "block") {
      entries.push({ name, at: at(item), node: bodyNode(item, at) });
    }
  }
  return { type: "object", at: at(block), entries };
}

function expressionNode(expression: SyntaxNode, at: Locator): TfNode {
  const unknown = (reason: string): TfNode => ({ type: "unknown", at: at(expression), reason });
  // An expression followed by an index, attribute access or splat is evaluated by Terraform.
  if (expression.namedChildCount !== 1) return unknown(describe(expression));
  const value = expression.namedChildren[0]!;
  switch (value.type) {
    case "expression":
      return expressionNode(value, at); // parenthesised
    case "literal_value":
      return literalNode(value.namedChildren[0]!, at);
    case "template_expr": {
      const text = templateText(value.namedChildren[0]!, at.source);
      return text === undefined ? unknown("a string template") : { type: "scalar", at: at(value), value: text };
    }
    case "collection_value":
      return collectionNode(value.namedChildren[0]!, at);
    case "operation": {
      const operand = value.namedChildren[0]?.type === "unary_operation" ? value.namedChildren[0] : undefined;
      const number = operand?.namedChildren[0]?.type === "literal_value" ? operand.namedChildren[0].namedChildren[0] : undefined;
      if (operand?.children[0]?.type === "-" && number?.type === "numeric_lit") return { type: "scalar", at: at(value), value: -Number(number.text) };
      return unknown("an operation");
    }
    default:
      return unknown(describe(expression));
  }
}

function describe(expression: SyntaxNode): string {
  const first = expression.namedChildren[0];
  if (first?.type === "variable_expr") {
    const root = first.text;
    if (root === "var") return `a variable (${clip(expression.text)})`;
    if (root === "local") return `a local value (${clip(expression.text)})`;
    return `a reference (${clip(expression.text)})`;
  }
  if (first?.type === "function_call") return `a function call (${clip(expression.text)})`;
  return `an expression (${clip(expression.text)})`;
}

function literalNode(literal: SyntaxNode, at: Locator): TfNode {
  switch (literal.type) {
    case "numeric_lit":
      return { type: "scalar", at: at(literal), value: Number(literal.text) };
    case "bool_lit":
      return { type: "scalar", at: at(literal), value: literal.text === "true" };
    case "null_lit":
      return { type: "scalar", at: at(literal), value: null };
    default:
      return { type: "scalar", at: at(literal), value: stringLitValue(literal) };
  }
}

function collectionNode(collection: SyntaxNode, at: Locator): TfNode {
  if (collection.type === "tuple") {
    const items = collection.namedChildren.filter((n) => n.type === "expression").map((e) => expressionNode(e, at));
    return { type: "list", at: at(collection), items };
  }
  const entries: TfEntry[] = [];
  for (const element of collection.namedChildren.filter((n) => n.type === "object_elem")) {
    const key = element.childForFieldName("key")!;
    const keyNode = key.namedChildCount === 1 && key.namedChildren[0]!.type === "variable_expr" ? key.namedChildren[0]!.text : undefined;
    const keyValue = keyNode ?? scalarString(expressionNode(key, at));
    if (keyValue === undefined) return { type: "unknown", at: at(collection), reason: `an object with a computed key (${clip(key.text)})` };
    entries.push({ name: keyValue, at: at(element), node: expressionNode(element.childForFieldName("val")!, at) });
  }
  return { type: "object", at: at(collection), entries };
}

function scalarString(node: TfNode): string | undefined {
  return node.type === "scalar" && typeof node.value === "string" ? node.value : undefined;
}

/** A quoted string literal's value, escapes decoded. */
function stringLitValue(literal: SyntaxNode): string {
  return literal.namedChildren
    .filter((n) => n.type === "template_literal")
    .map((n) => unescapeQuoted(n.text))
    .join("");
}

/** A template's text when it holds no interpolation or directive. */
function templateText(template: SyntaxNode, source: string): string | undefined {
  if (template.namedChildren.some((n) => n.type === "template_interpolation" || n.type === "template_directive")) return undefined;
  if (template.type === "quoted_template") return stringLitValue(template);
  return heredocText(template, source);
}

/** HCL heredocs take their lines literally; `<<-` strips the indentation the lines share. */
function heredocText(heredoc: SyntaxNode, source: string): string {
  const [open, close] = heredoc.namedChildren.filter((n) => n.type === "heredoc_identifier");
  const start = source.indexOf("\n", open!.endIndex) + 1;
  const end = source.lastIndexOf("\n", close!.startIndex) + 1;
  let lines = source.slice(start, end).split("\n").slice(0, -1);
  if (heredoc.namedChildren[0]?.text === "<<-") {
    const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
    lines = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
  }
  return lines.map((l) => `${l}\n`).join("").replaceAll("$${", "${").replaceAll("%%{", "%{");
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function unescapeQuoted(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (match, escape: string | undefined) => {
    if (escape === undefined) return match.slice(1);
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return ESCAPES[escape] ?? match;
  });
}
