// Runs the generated Gatekeeper Rego on a fixture's object as Gatekeeper would: the constraint's
// match (kinds, excluded namespaces) decides whether the template runs at all; the template's
// Rego (code entry `engine: Rego` with its libs) is compiled to WebAssembly by the project's own
// compiler, loaded with @open-policy-agent/opa-wasm and evaluated on Gatekeeper's input
// ({review, parameters}); the result is the `msg` of every `violation`.
//
// The template and constraint are read from out/ on disk, as built. Parameters are the
// constraint's, overridden by the fixture's (Gatekeeper would take them from an edited constraint).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadedPolicy, loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse } from "yaml";
import { compileRego } from "../../src/compiler/index.ts";
import { regoSourcesFromTemplate, violationEntrypoint } from "../../src/compiler/template.ts";
import type { Fixture } from "../../src/catalog/fixtures.ts";
import type { Json } from "../../src/model/index.ts";

const OUT_DIR = fileURLToPath(new URL("../../out/", import.meta.url));

interface Constraint {
  spec: { match?: { kinds?: Array<{ apiGroups: string[]; kinds: string[] }>; excludedNamespaces?: string[] }; parameters?: Record<string, Json> };
}

interface CompiledTemplate {
  policy: LoadedPolicy;
  entrypoint: string;
}

/** Which compiler turns the template's Rego into Wasm: policypack's own, or `opa build` when present. */
export type RegoCompiler = "builtin" | "opa";

// Compiling is the slow part; a template's text compiles once per compiler and test file.
const compiled = new Map<string, Promise<CompiledTemplate>>();

function compileTemplate(text: string, file: string, compiler: RegoCompiler): Promise<CompiledTemplate> {
  const key = `${compiler}\0${text}`;
  let entry = compiled.get(key);
  if (!entry) {
    const { sources } = regoSourcesFromTemplate(text, file);
    const entrypoint = violationEntrypoint(sources, file);
    entry = loadPolicy(compileRego(sources, [entrypoint], { compiler })).then((policy) => ({ policy, entrypoint }));
    compiled.set(key, entry);
  }
  return entry;
}

function groupVersion(apiVersion: unknown): { group: string; version: string } {
  const text = typeof apiVersion === "string" ? apiVersion : "";
  const slash = text.indexOf("/");
  return slash === -1 ? { group: "", version: text } : { group: text.slice(0, slash), version: text.slice(slash + 1) };
}

/** The messages of the violations Gatekeeper's Rego engine reports for the fixture, from `outDir`. */
export function regoViolationsIn(outDir: string, compiler: RegoCompiler = "builtin") {
  return async (ruleId: string, fixture: Fixture): Promise<string[]> => {
    const templateFile = join(outDir, "gatekeeper", "templates", `${ruleId}.yaml`);
    const constraintFile = join(outDir, "gatekeeper", "constraints", `${ruleId}.yaml`);
    const constraint = parse(readFileSync(constraintFile, "utf8")) as Constraint;
    const { object } = fixture;
    const { group, version } = groupVersion(object.apiVersion);
    const kind = String(object.kind);
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const match = constraint.spec.match;
    const kindMatches = match?.kinds?.some((k) => k.apiGroups.includes(group) && k.kinds.includes(kind)) ?? true;
    const excluded = metadata.namespace !== undefined && (match?.excludedNamespaces ?? []).includes(metadata.namespace);
    if (!kindMatches || excluded) return [];

    const { policy, entrypoint } = await compileTemplate(readFileSync(templateFile, "utf8"), templateFile, compiler);
    const input = {
      review: {
        object,
        oldObject: fixture.operation === "UPDATE" ? object : null,
        operation: fixture.operation,
        kind: { group, version, kind },
        name: metadata.name,
        namespace: metadata.namespace,
        userInfo: { username: "policypack-fixture", groups: ["system:authenticated"] },
      },
      parameters: { ...constraint.spec.parameters, ...fixture.parameters },
    };
    const resultSet = policy.evaluate(input, entrypoint) as Array<{ result: Array<{ msg: string }> }>;
    return resultSet.flatMap((r) => r.result.map((violation) => violation.msg));
  };
}

/** regoViolationsIn over out/. */
export const regoViolations = regoViolationsIn(OUT_DIR);
