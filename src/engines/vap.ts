// The API server's ValidatingAdmissionPolicy engine on a generated policy and its binding: the
// policy's matchConstraints select the request (group, version, operation, resource), the
// binding's namespaceSelector leaves out the excluded namespaces. A Kyverno ValidatingPolicy
// extends the same spec and is evaluated alike (admissionPolicyViolations).

import { resourceName } from "../../generators/admission.ts";
import { type CelProgram, celBindings, matchConditionsHold, runCelProgram } from "./cel.ts";
import { type AdmissionReview, groupVersionKind, objectName } from "./request.ts";

type NamespaceSelector = { matchExpressions: Array<{ key: string; operator: string; values: string[] }> };

/** The spec of a ValidatingAdmissionPolicy, and of a Kyverno ValidatingPolicy, which extends it. */
export interface AdmissionPolicySpec {
  matchConstraints: {
    resourceRules: Array<{ apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }>;
    namespaceSelector?: NamespaceSelector;
  };
  matchConditions?: Array<{ name: string; expression: string }>;
  variables?: CelProgram["variables"];
  validations: CelProgram["validations"];
}
export interface VapPolicy {
  spec: AdmissionPolicySpec;
}
interface VapBinding {
  spec: { matchResources?: { namespaceSelector: NamespaceSelector } };
}

/** Whether the API server runs `policy` on the request: a subresource's requests only where `resource/subresource` is listed. */
export function vapSelects(policy: VapPolicy, request: AdmissionReview): boolean {
  const { group, version, kind } = groupVersionKind(request.object);
  const resource = request.subResource === undefined ? resourceName(kind) : `${resourceName(kind)}/${request.subResource}`;
  return policy.spec.matchConstraints.resourceRules.some(
    (r) => r.apiGroups.includes(group) && r.apiVersions.includes(version) && r.operations.includes(request.operation) && r.resources.includes(resource),
  );
}

/** What a ValidatingAdmissionPolicy and its binding (parsed documents) report for the request; `where` names them in errors. */
export function vapPolicyViolations(documents: unknown[], request: AdmissionReview, where: string): string[] {
  const [policy, binding] = documents as [VapPolicy, VapBinding];
  return admissionPolicyViolations(policy, binding.spec.matchResources?.namespaceSelector, request, where);
}

/** What an admission policy reports for the request, its namespaces left out by `selector` (the binding's, or the policy's own). */
export function admissionPolicyViolations(
  policy: VapPolicy,
  selector: NamespaceSelector | undefined,
  request: AdmissionReview,
  where: string,
): string[] {
  const namespace = objectName(request.object).namespace ?? "";
  const excluded = (selector?.matchExpressions ?? []).some(
    (e) => e.key === "kubernetes.io/metadata.name" && e.operator === "NotIn" && e.values.includes(namespace),
  );
  if (!vapSelects(policy, request) || excluded) return [];
  const bindings = celBindings(request);
  if (!matchConditionsHold(policy.spec.matchConditions ?? [], bindings, where)) return [];
  return runCelProgram({ variables: policy.spec.variables ?? [], validations: policy.spec.validations }, bindings, {}, where);
}
