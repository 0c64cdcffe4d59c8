// Rendering generated YAML: handlebars templates in templates/<engine>/ hold the fixed skeleton;
// every placeholder receives text the `yaml` package serialized, never raw user text, so quotes,
// backslashes, `{{`, newlines and non-ASCII in rule text stay intact and the YAML stays valid.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { parseAllDocuments, stringify } from "yaml";
import { packageFile } from "../src/package-root.ts";
import type { OutputFile } from "./types.ts";

const templateDir = packageFile("templates");
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** `value` as a YAML block, each line indented by `indent` spaces, without a trailing newline. */
export function yamlBlock(value: unknown, indent: number): string {
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n+$/, "");
  const pad = " ".repeat(indent);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

/**
 * templates/<name> filled with already serialized blocks (YAML; for docs/, Markdown with the rule
 * text escaped), given as strings or as lists and records of them for the template to iterate.
 */
export function renderTemplate(name: string, blocks: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    template = Handlebars.compile(readFileSync(join(templateDir, name), "utf8"), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(blocks);
}

/** The documents of generated YAML, parsed back; a parse error is a generator bug. */
export function parseGenerated(text: string, path: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`generated ${path} is not valid YAML: ${doc.errors[0]!.message}`);
    return doc.toJS();
  });
}

/** <folder>/kustomization.yaml listing the folder's files, sorted. */
export function kustomization(folder: string, files: OutputFile[]): OutputFile {
  const resources = files.map((f) => f.path.slice(folder.length + 1)).sort();
  return { path: `${folder}/kustomization.yaml`, content: renderTemplate("kustomization.yaml.hbs", { resources: yamlBlock(resources, 2) }) };
}
