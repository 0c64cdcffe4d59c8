// Gatekeeper's Rego engine: the Constraint's match decides whether the template runs at all; the
// template's Rego (code entry `engine: Rego` with its libs) is compiled to WebAssembly, loaded with
// @open-policy-agent/opa-wasm and evaluated on Gatekeeper's input ({review, parameters}); the
// answer is the `msg` of every `violation`. Parameters are the Constraint's, overridden by the
// request's (Gatekeeper would take them from an edited Constraint).

import { type LoadedPolicy, loadPolicy } from "@open-policy-agent/opa-wasm";
import { HOST_BUILTINS } from "../../compiler/host-builtins.ts";
import { type CompilerChoice, compileRego } from "../../compiler/index.ts";
import type { GeneratedFiles } from "../generated.ts";
import type { AdmissionRequest } from "../request.ts";
import { constraintSelects, gatekeeperReview, readConstraint, templatePath } from "./constraint.ts";
import { regoSourcesFromTemplate, violationEntrypoint } from "./template.ts";

interface CompiledTemplate {
  policy: LoadedPolicy;
  entrypoint: string;
}

// Compiling is the slow part; a template's text compiles once per compiler and process.
const compiled = new Map<string, Promise<CompiledTemplate>>();

function compileTemplate(text: string, file: string, compiler: CompilerChoice): Promise<CompiledTemplate> {
  const key = `${compiler}\0${text}`;
  let entry = compiled.get(key);
  if (!entry) {
    const { sources } = regoSourcesFromTemplate(text, file);
    const entrypoint = violationEntrypoint(sources, file);
    entry = loadPolicy(compileRego(sources, [entrypoint], { compiler }), undefined, HOST_BUILTINS).then((policy) => ({ policy, entrypoint }));
    compiled.set(key, entry);
  }
  return entry;
}

/** The messages of the violations Gatekeeper's Rego engine reports for the request under the rule's template and Constraint. */
export async function gatekeeperRegoViolations(files: GeneratedFiles, ruleId: string, request: AdmissionRequest, compiler: CompilerChoice = "builtin"): Promise<string[]> {
  const constraint = readConstraint(files, ruleId);
  if (!constraintSelects(constraint.match, request.object)) return [];
  const path = templatePath(ruleId);
  const { policy, entrypoint } = await compileTemplate(files.read(path), files.shown(path), compiler);
  const input = { review: gatekeeperReview(request), parameters: { ...constraint.parameters, ...request.parameters } };
  const resultSet = policy.evaluate(input, entrypoint) as Array<{ result: Array<{ msg: string }> }>;
  return resultSet.flatMap((r) => r.result.map((violation) => violation.msg));
}
