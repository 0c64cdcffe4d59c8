// Gatekeeper's K8sNativeValidation engine: the Constraint's match and the code's matchConditions
// decide whether the template runs; its CEL code entry runs with `params` (the Constraint's parameters, overridden by the
// request's) and `anyObject` preset.

import { parse } from "yaml";
import { type CelProgram, type MatchCondition, celBindings, matchConditionsHold, runCelProgram, toCel } from "../cel.ts";
import type { GeneratedFiles } from "../generated.ts";
import type { AdmissionRequest } from "../request.ts";
import { constraintSelects, readConstraint, templatePath } from "./constraint.ts";

interface ConstraintTemplate {
  spec: {
    targets: Array<{
      code?: Array<{ engine: string; source: { matchConditions?: MatchCondition[]; variables?: CelProgram["variables"]; validations: CelProgram["validations"] } }>;
    }>;
  };
}

/** The messages Gatekeeper's CEL engine reports for the request under the rule's template and Constraint. */
export function gatekeeperCelViolations(files: GeneratedFiles, ruleId: string, request: AdmissionRequest): string[] {
  const path = templatePath(ruleId);
  const template = parse(files.read(path)) as ConstraintTemplate;
  const code = template.spec.targets.flatMap((t) => t.code ?? []).find((c) => c.engine === "K8sNativeValidation");
  if (!code) throw new Error(`${files.shown(path)}: the template has no K8sNativeValidation code`);
  const constraint = readConstraint(files, ruleId);
  if (!constraintSelects(constraint.match, request.object)) return [];
  const bindings = celBindings(request);
  if (!matchConditionsHold(code.source.matchConditions ?? [], bindings, path)) return [];
  const parameters = { ...constraint.parameters, ...request.parameters };
  const preset = { params: Object.keys(parameters).length === 0 ? null : toCel(parameters), anyObject: bindings.object ?? bindings.oldObject };
  return runCelProgram({ variables: code.source.variables ?? [], validations: code.source.validations }, bindings, preset, path);
}
