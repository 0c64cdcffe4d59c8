// A rule's Gatekeeper Constraint as generated (gatekeeper/constraints/<id>.yaml): which objects
// Gatekeeper runs the rule's template on (spec.match) and with which parameters. Every Gatekeeper
// engine decides with this module whether a template runs; the pack compiles the same match
// tables (matchTables) into its Rego.

import { parse } from "yaml";
import type { Json } from "../../model/index.ts";
import type { GeneratedFiles } from "../generated.ts";
import { type AdmissionReview, groupVersionKind, objectName, requestObjects } from "../request.ts";

/** A Constraint's `spec.match`, the parts policypack generates: absent parts match every object. */
export interface ConstraintMatch {
  kinds?: Array<{ apiGroups: string[]; kinds: string[] }>;
  excludedNamespaces?: string[];
}

export interface Constraint {
  match?: ConstraintMatch;
  /** spec.parameters; {} when it sets none. */
  parameters: Record<string, Json>;
}

export const templatePath = (ruleId: string) => `gatekeeper/templates/${ruleId}.yaml`;
export const constraintPath = (ruleId: string) => `gatekeeper/constraints/${ruleId}.yaml`;

/** The ids of the rules with a ConstraintTemplate in the generated files, sorted. */
export function gatekeeperRuleIds(files: GeneratedFiles): string[] {
  return files
    .list("gatekeeper/templates")
    .map((path) => path.slice("gatekeeper/templates/".length, -".yaml".length))
    .filter((id) => id !== "kustomization");
}

/** The rule's Constraint in the generated files. */
export function readConstraint(files: GeneratedFiles, ruleId: string): Constraint {
  const { spec } = parse(files.read(constraintPath(ruleId))) as { spec: { match?: ConstraintMatch; parameters?: Record<string, Json> } };
  return { match: spec.match, parameters: spec.parameters ?? {} };
}

/** A match as sorted tables: kinds by API group, and excluded namespaces. */
export function matchTables(match: ConstraintMatch): { kinds?: Record<string, string[]>; excludedNamespaces: string[] } {
  let kinds: Record<string, string[]> | undefined;
  if (match.kinds) {
    const byGroup = new Map<string, Set<string>>();
    for (const entry of match.kinds) {
      for (const group of entry.apiGroups) {
        const set = byGroup.get(group) ?? new Set<string>();
        for (const kind of entry.kinds) set.add(kind);
        byGroup.set(group, set);
      }
    }
    kinds = Object.fromEntries([...byGroup].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([g, set]) => [g, [...set].sort()]));
  }
  return { kinds, excludedNamespaces: [...new Set(match.excludedNamespaces ?? [])].sort() };
}

/** Whether Gatekeeper runs a Constraint with `match` on the object: its kind listed under its group, its namespace not excluded. */
export function constraintSelects(match: ConstraintMatch | undefined, object: AdmissionReview["object"]): boolean {
  if (match === undefined) return true;
  const { kinds, excludedNamespaces } = matchTables(match);
  const { group, kind } = groupVersionKind(object);
  if (kinds && !(kinds[group]?.includes(kind) ?? false)) return false;
  const { namespace } = objectName(object);
  return namespace === undefined || !excludedNamespaces.includes(namespace);
}

/**
 * Gatekeeper's `input.review` for the request. On DELETE Gatekeeper reviews the deleted object:
 * it copies oldObject into object.
 */
export function gatekeeperReview(request: AdmissionReview): Record<string, Json | undefined> {
  const { object, operation } = request;
  const { name, namespace } = objectName(object);
  return {
    object,
    oldObject: requestObjects(request).oldObject,
    operation,
    kind: { ...groupVersionKind(object) },
    name,
    namespace,
    userInfo: { username: "policypack", groups: ["system:authenticated"] },
  };
}
