// Where the CEL of each engine finds the pod of a workload: a Pod keeps it at the top, the
// controllers under spec.template, a CronJob under spec.jobTemplate.spec.template. An engine
// either gives the lowering the pod's place for one kind (podRoots), or declares variables
// that pick it by the object's kind (podVariableRoots + podSelector).

import { WORKLOAD_KINDS, type WorkloadKind } from "../../model/rule.ts";
import type { CelRoots, CelVariable, PodRoot } from "./lower.ts";
import { celPath, celString } from "./lower.ts";

/** CEL roots for pods kept at `podPath` in the object (empty for a Pod itself). */
export function podRoots(object: string, podPath: readonly string[]): CelRoots {
  return { object, podSpec: celPath(object, false, [...podPath, "spec"]), podMeta: celPath(object, false, [...podPath, "metadata"]) };
}

/** Roots reading the pod from the variables podSelectors declares. */
export function podVariableRoots(object: string): CelRoots {
  return { object, podSpec: "variables.podSpec", podMeta: "variables.podMeta" };
}

/** Workload kinds grouped by where they keep the pod, in the given order. */
export function workloadsByPodPath(kinds: readonly WorkloadKind[]): WorkloadKind[][] {
  const groups = new Map<string, WorkloadKind[]>();
  for (const kind of kinds) groups.set(kind.podPath.join("."), [...(groups.get(kind.podPath.join(".")) ?? []), kind]);
  return [...groups.values()];
}

/**
 * An optional(dyn) CEL expression for the pod spec or metadata of `object`, chosen by its kind
 * among `kinds` (the kinds the policy matches); the largest group of kinds sharing a pod path is
 * the fallback.
 */
export function podSelector(part: PodRoot, object: string, kinds: readonly WorkloadKind[] = WORKLOAD_KINDS): string {
  const ordered = workloadsByPodPath(kinds).sort((a, b) => a.length - b.length);
  const root = (kinds: WorkloadKind[]) => podRoots(object, kinds[0]!.podPath)[part]!;
  const fallback = ordered.pop()!;
  const branches = ordered.map((kinds) => {
    const names = kinds.map((k) => celString(k.kind));
    const kind = `${object}.?kind.orValue("")`;
    const test = names.length === 1 ? `${kind} == ${names[0]}` : `${kind} in [${names.join(", ")}]`;
    return `${test} ? ${root(kinds)} : `;
  });
  return branches.join("") + root(fallback);
}

/** The variables podVariableRoots names, for the pod roots a lowering read. */
export function podSelectors(read: readonly PodRoot[], object: string, kinds?: readonly WorkloadKind[]): CelVariable[] {
  return read.map((name) => ({ name, expression: podSelector(name, object, kinds) }));
}
