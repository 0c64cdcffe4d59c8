// The API server's ValidatingAdmissionPolicy engine on a generated policy and its binding: the
// policy's matchConstraints select the request (group, version, operation, resource), the
// binding's namespaceSelector leaves out the excluded namespaces.

import { resourceName } from "../../generators/vap.ts";
import { type CelProgram, celBindings, runCelProgram } from "./cel.ts";
import { type AdmissionRequest, groupVersionKind, objectName } from "./request.ts";

export interface VapPolicy {
  spec: {
    matchConstraints: { resourceRules: Array<{ apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }> };
    variables?: CelProgram["variables"];
    validations: CelProgram["validations"];
  };
}
interface VapBinding {
  spec: { matchResources?: { namespaceSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } } };
}

/** Whether the API server runs `policy` on the request. */
export function vapSelects(policy: VapPolicy, request: Pick<AdmissionRequest, "object" | "operation">): boolean {
  const { group, version, kind } = groupVersionKind(request.object);
  const resource = resourceName(kind);
  return policy.spec.matchConstraints.resourceRules.some(
    (r) => r.apiGroups.includes(group) && r.apiVersions.includes(version) && r.operations.includes(request.operation) && r.resources.includes(resource),
  );
}

/** What a ValidatingAdmissionPolicy and its binding (parsed documents) report for the request; `where` names them in errors. */
export function vapPolicyViolations(documents: unknown[], request: Pick<AdmissionRequest, "object" | "operation">, where: string): string[] {
  const [policy, binding] = documents as [VapPolicy, VapBinding];
  const namespace = objectName(request.object).namespace ?? "";
  const excluded = (binding.spec.matchResources?.namespaceSelector.matchExpressions ?? []).some(
    (e) => e.key === "kubernetes.io/metadata.name" && e.operator === "NotIn" && e.values.includes(namespace),
  );
  if (!vapSelects(policy, request) || excluded) return [];
  return runCelProgram({ variables: policy.spec.variables ?? [], validations: policy.spec.validations }, celBindings(request), {}, where);
}
