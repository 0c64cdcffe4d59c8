// Kyverno's CEL engine on the generated policies: a ValidatingPolicy (policies.kyverno.io/v1) is
// evaluated as a ValidatingAdmissionPolicy whose spec carries its own namespaceSelector; a
// ClusterPolicy (kyverno.io/v1) runs the validate.cel of the rules whose match selects the object
// (kinds and operation, not in an excluded namespace).

import { kyvernoKind } from "../../generators/kyverno-clusterpolicy.ts";
import { type CelProgram, celBindings, runCelProgram } from "./cel.ts";
import { type AdmissionReview, groupVersionKind, objectName } from "./request.ts";
import { admissionPolicyViolations, type VapPolicy } from "./vap.ts";

/** What a Kyverno ValidatingPolicy (its parsed documents) reports for the request; `where` names it in errors. */
export function kyvernoPolicyViolations(documents: unknown[], request: AdmissionReview, where: string): string[] {
  const [policy] = documents as [VapPolicy];
  return admissionPolicyViolations(policy, policy.spec.matchConstraints.namespaceSelector, request, where);
}

type KyvernoFilter = { any: Array<{ resources: { kinds?: string[]; namespaces?: string[]; operations?: string[] } }> };
interface KyvernoClusterPolicy {
  spec: {
    rules: Array<{
      name: string;
      match: KyvernoFilter;
      exclude?: KyvernoFilter;
      validate: { cel: { variables?: CelProgram["variables"]; expressions: CelProgram["validations"] } };
    }>;
  };
}

/** What a Kyverno ClusterPolicy (its parsed documents) reports for the request; `where` names it in errors. */
export function kyvernoClusterPolicyViolations(documents: unknown[], request: AdmissionReview, where: string): string[] {
  const [policy] = documents as [KyvernoClusterPolicy];
  const kindName = kyvernoKind(groupVersionKind(request.object));
  const { namespace } = objectName(request.object);
  const rules = policy.spec.rules.filter(
    (rule) =>
      rule.match.any.some((f) => f.resources.kinds?.includes(kindName) && (f.resources.operations?.includes(request.operation) ?? true)) &&
      !(rule.exclude?.any.some((f) => namespace !== undefined && f.resources.namespaces?.includes(namespace)) ?? false),
  );
  const bindings = celBindings(request);
  return rules.flatMap((rule) =>
    runCelProgram({ variables: rule.validate.cel.variables ?? [], validations: rule.validate.cel.expressions }, bindings, {}, `${where} rule ${rule.name}`),
  );
}
