// Which field of the object a violation points at, in every engine that can say: the reference
// evaluator returns it with each violation, the Rego lowering puts it in Gatekeeper's violation
// `details.path` (CEL has no way to return it). Tools such as `policypack scan` show it as the
// place to fix.
//
// The rule, the same in every engine:
// 1. The candidates are the fields the check's condition (`when`) reads, in the order written:
//    every path in it, and the collection of every iteration inside it (the elements of such an
//    inner iteration are not candidates: which one decided is not one field). Fields read by an
//    exemption (`unless`: exempt images, Windows pods) are not candidates: they say what the
//    check leaves alone, not what is wrong.
// 2. For a check with `each`, only fields below the element count, and the path always starts
//    with the element's own (its array index, or map key): two elements never share a path, so
//    two violations that read alike stay two. Without `each`, fields below the object and the pod
//    count.
// 3. A candidate's present part is its longest prefix that exists in the object: the field
//    itself when it is set, else its nearest existing parent (the container, its
//    securityContext, ...). The violation points at the longest present part among the
//    candidates, the first candidate winning ties; without candidates, at the element (or the
//    object).
// So a violation points at the deepest field the condition reads that is set, and for a required
// field that is missing, at the nearest parent that is.

import type { Check, Collection, Condition, Iteration, PathValue, Value } from "./expr.ts";

/** The fields of a pod spec that hold containers, in the order `containers()` walks them. */
export const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** A field of an object: keys and array indices, outermost first (`["spec", "containers", 0, "image"]`). */
export type FieldPath = ReadonlyArray<string | number>;

/** Where a candidate field of a check without `each` starts: the object, or the pod's spec or metadata. */
export type FieldRoot = "object" | "podSpec" | "podMeta";

/** The candidate fields of a check with `each` (rules 1 and 2): field names below its element. */
export function elementFields(check: Check & { each: Iteration }): string[][] {
  const { each } = check;
  return candidates(check, ({ scope, segments }) => {
    if (scope.kind !== "binding" || scope.name !== each.bind) return undefined;
    if (each.collection.op !== "entries") return segments;
    // A map entry is the value under its key: the key itself is no field below it.
    const [part, ...rest] = scope.part === undefined ? segments : [scope.part, ...segments];
    return part === "value" ? rest : [];
  }).map(({ segments }) => segments);
}

/** The candidate fields of a check without `each` (rules 1 and 2): field names below the object or the pod. */
export function objectFields(check: Check): Array<{ root: FieldRoot; segments: string[] }> {
  return candidates(check, ({ scope, segments }) => (scope.kind === "binding" ? undefined : segments)).map(({ path, segments }) => ({
    root: path.scope.kind as FieldRoot,
    segments,
  }));
}

/**
 * The paths the check's condition reads that `below` places (field names below the root), without
 * repeats, in the order read. An empty list of names (the element or the object itself) is left
 * out: the violation points there when nothing deeper is present anyway.
 */
function candidates(check: Check, below: (path: PathValue) => string[] | undefined): Array<{ path: PathValue; segments: string[] }> {
  const found = new Map<string, { path: PathValue; segments: string[] }>();
  for (const path of conditionPaths(check.when, false)) {
    const segments = below(path);
    if (segments && segments.length > 0) found.set(JSON.stringify([path.scope.kind, segments]), { path, segments });
  }
  return [...found.values()];
}

/** The paths `c` reads; those of exemptions (`not` with `exempts`) only when `withExempted`. */
function conditionPaths(c: Condition, withExempted: boolean): PathValue[] {
  const values = (...vs: Value[]) => vs.flatMap((v) => valuePaths(v, withExempted));
  switch (c.op) {
    case "present":
    case "absent":
    case "matches":
    case "quantity":
      return values(c.value);
    case "equals":
    case "notEquals":
    case "compare":
    case "compareQuantity":
      return values(c.left, c.right);
    case "compareDifference":
      return values(c.left, c.right, c.bound);
    case "in":
    case "notIn":
      return values(c.value, c.list);
    case "startsWith":
    case "endsWith":
      return values(c.value, c.text);
    case "matchesPattern":
      return values(c.value, c.patterns);
    case "and":
    case "or":
      return c.conditions.flatMap((x) => conditionPaths(x, withExempted));
    case "not":
      return c.exempts && !withExempted ? [] : conditionPaths(c.condition, withExempted);
    case "any":
    case "all":
      return [...collectionPaths(c.iteration.collection), ...conditionPaths(c.where, withExempted)];
  }
}

function valuePaths(v: Value, withExempted: boolean): PathValue[] {
  switch (v.op) {
    case "path":
      return [v];
    case "literal":
    case "param":
      return [];
    case "coalesce":
    case "concat":
      return v.values.flatMap((x) => valuePaths(x, withExempted));
    case "afterLast":
      return valuePaths(v.value, withExempted);
    case "filter":
      return [
        ...collectionPaths(v.iteration.collection),
        ...conditionPaths(v.where, withExempted),
        ...(v.select ? valuePaths(v.select, withExempted) : []),
      ];
  }
}

/** True when `c` reads the binding `name` (an iteration's element), exemptions included. */
export function readsBinding(c: Condition, name: string): boolean {
  return conditionPaths(c, true).some((path) => path.scope.kind === "binding" && path.scope.name === name);
}

function collectionPaths(c: Collection): PathValue[] {
  switch (c.op) {
    case "containers":
      return CONTAINER_LISTS.map((list): PathValue => ({ op: "path", scope: { kind: "podSpec" }, segments: [list] }));
    case "items":
      return [c.list];
    case "entries":
      return [c.map];
    case "paramItems":
      return [];
  }
}

/**
 * How many of `segments` exist one inside the other from `root` (rule 3): the length of the
 * candidate's present part. Only objects have fields; a field set to null exists.
 */
export function presentDepth(root: unknown, segments: readonly string[]): number {
  let current = root;
  let depth = 0;
  for (const segment of segments) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) break;
    current = (current as Record<string, unknown>)[segment];
    depth++;
  }
  return depth;
}

/** The longest present part among `candidates` below `root`, the first on ties (rule 3). */
export function longestPresentPart(root: unknown, candidates: ReadonlyArray<readonly string[]>): string[] {
  let best: string[] = [];
  for (const segments of candidates) {
    const depth = presentDepth(root, segments);
    if (depth > best.length) best = segments.slice(0, depth);
  }
  return best;
}
