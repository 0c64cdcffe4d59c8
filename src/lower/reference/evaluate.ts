// The reference evaluator: the rule model's meaning, executed directly in TypeScript over a
// parsed manifest. The Rego and CEL lowerings must agree with it on every fixture; where they
// disagree, this file and the comments in model/expr.ts say which one is right.

import { type Check, type Collection, type Condition, type Iteration, type Json, type Message, type Scope, type Value, compares } from "../../model/expr.ts";
import { type GroupVersionKind, type ParamValues, type Rule, WORKLOAD_KINDS, type WorkloadKind, apiVersionOf } from "../../model/rule.ts";
import { renderText } from "../../model/messages.ts";
import { re2Find } from "../../model/re2.ts";
import { compareQuantities, quantityNanos } from "../../model/quantity.ts";
import { differenceHolds } from "../../model/difference.ts";
import { textAfterLast } from "../../model/text.ts";
import { joinedText } from "../../model/concat.ts";
import { lowerAscii } from "../../model/ignoring-case.ts";
import { CONTAINER_LISTS, type FieldPath, elementFields, longestPresentPart, objectFields } from "../../model/fields.ts";

export interface Violation {
  /** The id of the rule that produced it. */
  rule: string;
  message: string;
  /** The field it points at (model/fields.ts says which). */
  path: FieldPath;
}

type Doc = Json | undefined;
type Binding = Json | { key: string; value: Json };

interface Pod {
  spec: Doc;
  metadata: Doc;
  /** Where the pod is in the object: [] for a Pod, ["spec", "template"] for a Deployment. */
  path: readonly string[];
}

interface Env {
  object: Json;
  pod: Pod;
  params: ParamValues;
  bindings: Map<string, Binding>;
}

const isObject = (value: Doc): value is { [key: string]: Json } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function walk(value: Doc, segments: readonly string[]): Doc {
  let current = value;
  for (const segment of segments) {
    if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/** The pod spec and metadata of a Pod or workload, and where they are; undefined when the object is no workload. */
export function podOf(object: Json, kinds: readonly WorkloadKind[] = WORKLOAD_KINDS): Pod | undefined {
  if (!isObject(object)) return undefined;
  const workload = kinds.find((k) => isOfKind(object, k));
  if (!workload) return undefined;
  const pod = walk(object, workload.podPath);
  return { spec: walk(pod, ["spec"]), metadata: walk(pod, ["metadata"]), path: workload.podPath };
}

/** Whether the object is of the kind: its apiVersion is the kind's group and version, its kind the kind's (in every engine). */
function isOfKind(object: { [key: string]: Json }, gvk: GroupVersionKind): boolean {
  return object.kind === gvk.kind && object.apiVersion === apiVersionOf(gvk);
}

export function applies(rule: Rule, object: Json): boolean {
  if (!isObject(object)) return false;
  if (rule.match.type === "workloads") return podOf(object, rule.match.workloads) !== undefined;
  return rule.match.kinds.some((k) => isOfKind(object, k));
}

function scopeRoot(scope: Scope, env: Env): Doc {
  switch (scope.kind) {
    case "object":
      return env.object;
    case "podSpec":
      return env.pod.spec;
    case "podMeta":
      return env.pod.metadata;
    case "binding": {
      const bound = env.bindings.get(scope.name);
      if (scope.part === undefined) return bound as Json;
      return (bound as { key: string; value: Json })[scope.part];
    }
  }
}

function elements(collection: Collection, env: Env): Binding[] {
  return placedElements(collection, env).map(({ element }) => element);
}

/**
 * The elements of a collection, each with where it is in the object: the list's path and the
 * element's index, or the map's path and the entry's key. Undefined for a collection read through
 * an iteration's element: checks iterate (`each`) only over the object's or the pod's collections.
 */
function placedElements(collection: Collection, env: Env): Array<{ element: Binding; path: FieldPath | undefined }> {
  switch (collection.op) {
    case "containers":
      return CONTAINER_LISTS.flatMap((field) => {
        const list = walk(env.pod.spec, [field]);
        return Array.isArray(list) ? list.map((element, i) => ({ element, path: [...env.pod.path, "spec", field, i] })) : [];
      });
    case "items": {
      const list = value(collection.list, env);
      const at = placeOf(collection.list.scope.kind, collection.list.segments, env);
      return Array.isArray(list) ? list.map((element, i) => ({ element, path: at && [...at, i] })) : [];
    }
    case "entries": {
      const map = value(collection.map, env);
      if (!isObject(map)) return [];
      const at = placeOf(collection.map.scope.kind, collection.map.segments, env);
      return Object.keys(map)
        .sort()
        .map((key) => ({ element: { key, value: map[key] }, path: at && [...at, key] }));
    }
    case "paramItems": {
      const list = value(collection.list, env);
      return Array.isArray(list) ? list.map((element) => ({ element, path: undefined })) : [];
    }
  }
}

/** Where the field `segments` below `root` is in the object; undefined below an iteration's element. */
function placeOf(root: Scope["kind"], segments: readonly string[], env: Env): string[] | undefined {
  switch (root) {
    case "object":
      return [...segments];
    case "podSpec":
      return [...env.pod.path, "spec", ...segments];
    case "podMeta":
      return [...env.pod.path, "metadata", ...segments];
    case "binding":
      return undefined;
  }
}

function withBinding(env: Env, iteration: Iteration, element: Binding): Env {
  return { ...env, bindings: new Map(env.bindings).set(iteration.bind, element) };
}

function value(v: Value, env: Env): Doc {
  switch (v.op) {
    case "path": {
      // A field set to null reads as a missing one (model/expr.ts).
      const found = walk(scopeRoot(v.scope, env), v.segments);
      return found === null ? undefined : found;
    }
    case "literal":
      return v.value;
    case "param":
      return env.params[v.name];
    case "coalesce":
      for (const candidate of v.values) {
        const found = value(candidate, env);
        if (found !== undefined) return found;
      }
      return undefined;
    case "afterLast": {
      const text = value(v.value, env);
      return typeof text === "string" ? textAfterLast(text, v.separator) : undefined;
    }
    case "concat":
      return joinedText(v.values.map((part) => value(part, env)));
    case "filter": {
      const shown = (scoped: Env, element: Binding): Doc =>
        v.select ? value(v.select, scoped) : v.iteration.collection.op === "entries" ? (element as { key: string }).key : (element as Json);
      return elements(v.iteration.collection, env).flatMap((e) => {
        const scoped = withBinding(env, v.iteration, e);
        const item = holds(v.where, scoped) ? shown(scoped, e) : undefined;
        return item === undefined ? [] : [item];
      });
    }
  }
}

function jsonEquals(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function holds(c: Condition, env: Env): boolean {
  switch (c.op) {
    case "present":
      return value(c.value, env) !== undefined;
    case "absent":
      return value(c.value, env) === undefined;
    case "equals":
    case "notEquals": {
      const left = value(c.left, env);
      const right = value(c.right, env);
      if (left === undefined || right === undefined) return false;
      return jsonEquals(left, right) === (c.op === "equals");
    }
    case "in":
    case "notIn": {
      const item = value(c.value, env);
      const list = value(c.list, env);
      if (item === undefined || !Array.isArray(list)) return false;
      if (c.op === "in" && c.ignoreCase) return typeof item === "string" && list.some((e) => typeof e === "string" && lowerAscii(e) === lowerAscii(item));
      return list.some((e) => jsonEquals(e, item)) === (c.op === "in");
    }
    case "compare": {
      const left = value(c.left, env);
      const right = value(c.right, env);
      return typeof left === "number" && typeof right === "number" && compares(c.cmp, left, right);
    }
    case "startsWith":
    case "endsWith": {
      const subject = value(c.value, env);
      const text = value(c.text, env);
      if (typeof subject !== "string" || typeof text !== "string") return false;
      return c.op === "startsWith" ? subject.startsWith(text) : subject.endsWith(text);
    }
    case "matches": {
      const subject = value(c.value, env);
      return typeof subject === "string" && re2Find(c.pattern, subject);
    }
    case "matchesPattern": {
      const subject = value(c.value, env);
      const patterns = value(c.patterns, env);
      if (typeof subject !== "string" || !Array.isArray(patterns)) return false;
      const fold = c.ignoreCase ? lowerAscii : (text: string) => text;
      const folded = fold(subject);
      return patterns.some((p) =>
        typeof p === "string" && (p.endsWith("*") ? folded.startsWith(fold(p.slice(0, -1))) : folded === fold(p)),
      );
    }
    case "quantity":
      return quantityNanos(value(c.value, env)) !== undefined;
    case "compareQuantity":
      return compareQuantities(c.cmp, value(c.left, env), value(c.right, env));
    case "compareDifference":
      return differenceHolds(c.cmp, value(c.left, env), value(c.right, env), value(c.bound, env));
    case "and":
      return c.conditions.every((x) => holds(x, env));
    case "or":
      return c.conditions.some((x) => holds(x, env));
    case "not":
      return !holds(c.condition, env);
    case "any":
      return elements(c.iteration.collection, env).some((e) => holds(c.where, withBinding(env, c.iteration, e)));
    case "all":
      return elements(c.iteration.collection, env).every((e) => holds(c.where, withBinding(env, c.iteration, e)));
  }
}

function render(message: Message, env: Env): string {
  return message.parts.map((part) => (typeof part === "string" ? part : renderText(value(part, env)))).join("");
}

type CheckViolation = Omit<Violation, "rule">;

function runCheck(check: Check, env: Env): CheckViolation[] {
  if (!check.each) {
    if (!holds(check.when, env)) return [];
    const absolute = objectFields(check).map((field) => placeOf(field.root, field.segments, env)!);
    return [{ message: render(check.message, env), path: longestPresentPart(env.object, absolute) }];
  }
  const each = check.each;
  let relative: string[][] | undefined;
  return placedElements(each.collection, env).flatMap(({ element, path }) => {
    const scoped = withBinding(env, each, element);
    if (!holds(check.when, scoped)) return [];
    relative ??= elementFields({ ...check, each });
    // A map entry's fields are below its value.
    const below = each.collection.op === "entries" ? (element as { value: Json }).value : element;
    return [{ message: render(check.message, scoped), path: [...path!, ...longestPresentPart(below, relative)] }];
  });
}

function checkViolations(rule: Rule, object: Json, params: ParamValues): CheckViolation[][] {
  if (!applies(rule, object)) return rule.checks.map(() => []);
  const env: Env = { object, pod: podOf(object) ?? { spec: undefined, metadata: undefined, path: [] }, params, bindings: new Map() };
  return rule.checks.map((check) => runCheck(check, env));
}

/** The violation messages of `object` under `rule` with the given parameter values, check by check, in document order. */
export function evaluateChecks(rule: Rule, object: Json, params: ParamValues): string[][] {
  return checkViolations(rule, object, params).map((violations) => violations.map((v) => v.message));
}

export function evaluate(rule: Rule, object: Json, params: ParamValues): Violation[] {
  return checkViolations(rule, object, params).flatMap((violations) => violations.map((v) => ({ rule: rule.id, ...v })));
}
