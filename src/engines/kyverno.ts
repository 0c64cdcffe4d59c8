// Kyverno's CEL engine on a generated ClusterPolicy: the rules whose match selects the object
// (kinds, not in an excluded namespace) run their validate.cel.

import { kyvernoKind } from "../../generators/kyverno.ts";
import { type CelProgram, celBindings, runCelProgram } from "./cel.ts";
import { type AdmissionRequest, groupVersionKind, objectName } from "./request.ts";

type KyvernoFilter = { any: Array<{ resources: { kinds?: string[]; namespaces?: string[] } }> };
interface KyvernoPolicy {
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
export function kyvernoPolicyViolations(documents: unknown[], request: Pick<AdmissionRequest, "object" | "operation">, where: string): string[] {
  const [policy] = documents as [KyvernoPolicy];
  const kindName = kyvernoKind(groupVersionKind(request.object));
  const { namespace } = objectName(request.object);
  const rules = policy.spec.rules.filter(
    (rule) =>
      rule.match.any.some((f) => f.resources.kinds?.includes(kindName)) &&
      !(rule.exclude?.any.some((f) => namespace !== undefined && f.resources.namespaces?.includes(namespace)) ?? false),
  );
  const bindings = celBindings(request);
  return rules.flatMap((rule) =>
    runCelProgram({ variables: rule.validate.cel.variables ?? [], validations: rule.validate.cel.expressions }, bindings, {}, `${where} rule ${rule.name}`),
  );
}
