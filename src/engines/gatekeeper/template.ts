// Pulls the Rego out of a Gatekeeper ConstraintTemplate (templates.gatekeeper.sh v1 / v1beta1).
// Gatekeeper reads Rego from two places in the first target:
// - `code[]`, the entry with `engine: Rego`: `source.rego`, `source.libs`, and `source.version`,
//   where only "v1" selects Rego v1 syntax;
// - the legacy `rego` / `libs` fields, always Rego v0 (Gatekeeper's docs: v1 syntax is opt-in and
//   only available under `code[].source` with `version: "v1"`).
// `code[]` wins when both are present, as it is the newer, versioned form.

import { load as loadLenient } from "js-yaml";
import { parseDocument } from "yaml";
import type { RegoSource } from "../../compiler/index.ts";

export interface TemplateRego {
  sources: RegoSource[];
  /** `spec.crd.spec.names.kind`, e.g. K8sRequiredLabels. */
  kind: string;
}

const API_VERSIONS = new Set(["templates.gatekeeper.sh/v1", "templates.gatekeeper.sh/v1beta1"]);

export function regoSourcesFromTemplate(yamlText: string, file: string): TemplateRego {
  const template = readTemplateYaml(yamlText, file);
  const fail = (field: string, problem: string): never => {
    throw new Error(`${file}: ${field}: ${problem}`);
  };
  if (!isRecord(template)) return fail("(document)", "expected a ConstraintTemplate object");
  if (template.kind !== "ConstraintTemplate") fail("kind", `expected ConstraintTemplate, found ${JSON.stringify(template.kind)}`);
  if (typeof template.apiVersion !== "string" || !API_VERSIONS.has(template.apiVersion)) {
    fail("apiVersion", `expected templates.gatekeeper.sh/v1 or /v1beta1, found ${JSON.stringify(template.apiVersion)}`);
  }
  const spec = template.spec;
  const kind = field(spec, ["crd", "spec", "names", "kind"]);
  if (typeof kind !== "string" || kind === "") fail("spec.crd.spec.names.kind", "missing; a template must name its constraint kind");

  const targets = field(spec, ["targets"]);
  if (!Array.isArray(targets) || targets.length === 0) return fail("spec.targets", "missing or empty; no Rego to compile");
  const target: unknown = targets[0];
  if (!isRecord(target)) return fail("spec.targets[0]", "expected an object");

  const code = target.code;
  if (code !== undefined && !Array.isArray(code)) fail("spec.targets[0].code", "expected a list");
  const regoIndex = Array.isArray(code) ? code.findIndex((c) => isRecord(c) && c.engine === "Rego") : -1;
  if (regoIndex >= 0) {
    const at = `spec.targets[0].code[${regoIndex}].source`;
    const source = (code as unknown[])[regoIndex] as Record<string, unknown>;
    if (!isRecord(source.source)) return fail(at, "missing; the Rego engine entry needs source.rego");
    const version = source.source.version;
    if (version !== undefined && version !== "v0" && version !== "v1") {
      fail(`${at}.version`, `expected "v0" or "v1", found ${JSON.stringify(version)}`);
    }
    return { kind: kind as string, sources: collect(source.source, at, version === "v1" ? 1 : 0) };
  }
  if (target.rego === undefined) {
    return fail("spec.targets[0]", "has no Rego: expected `rego` or a `code` entry with `engine: Rego`");
  }
  return { kind: kind as string, sources: collect(target, "spec.targets[0]", 0) };

  function collect(holder: Record<string, unknown>, at: string, regoVersion: 0 | 1): RegoSource[] {
    const rego = holder.rego;
    if (typeof rego !== "string" || rego.trim() === "") return fail(`${at}.rego`, "missing or empty; no Rego to compile");
    const libs = holder.libs ?? [];
    if (!Array.isArray(libs)) return fail(`${at}.libs`, "expected a list of Rego modules");
    const sources: RegoSource[] = [{ file: `${file}#${at}.rego`, text: rego, regoVersion }];
    libs.forEach((lib, i) => {
      if (typeof lib !== "string") fail(`${at}.libs[${i}]`, "expected a Rego module as a string");
      sources.push({ file: `${file}#${at}.libs[${i}]`, text: lib as string, regoVersion });
    });
    return sources;
  }
}

/**
 * The template as data. Gatekeeper reads templates with Go's YAML parser, which accepts some text
 * the YAML spec (and the `yaml` package) refuses, such as a double-quoted scalar continued on a
 * line indented at its key's level; js-yaml 4 reads those as Go does, so a template `yaml` refuses
 * is read again with it, and only refused when both refuse it (with `yaml`'s error and position).
 */
function readTemplateYaml(yamlText: string, file: string): unknown {
  const doc = parseDocument(yamlText);
  if (doc.errors.length === 0) return doc.toJS();
  try {
    return loadLenient(yamlText);
  } catch {
    const err = doc.errors[0];
    const where = err.linePos?.[0] ? `${file}:${err.linePos[0].line}:${err.linePos[0].col}` : file;
    throw new Error(`${where}: invalid YAML: ${err.message.split("\n")[0]}`);
  }
}

/**
 * The entrypoint Gatekeeper queries in a template's Rego: `violation` in the package of its first
 * source (the template's `rego`), e.g. policypack/host_ipc/violation.
 */
export function violationEntrypoint(sources: RegoSource[], file: string): string {
  const packageName = /^package\s+([A-Za-z0-9_.]+)/m.exec(sources[0]?.text ?? "")?.[1];
  if (!packageName) throw new Error(`${file}: the template's Rego has no package`);
  return `${packageName.replaceAll(".", "/")}/violation`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}
