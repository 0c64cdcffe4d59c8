// Checks a rule as loaded from its file, before anything is generated from it. A rule file is
// ordinary code (custom rules are plain .ts, possibly written without the type checker), so
// everything the lowerings rely on is verified here and reported against the file, the rule and
// the field.

import { InputError } from "../errors.ts";
import type { Check, Collection, Condition, Iteration, Message, Value } from "./expr.ts";
import { POD_SECURITY_VERSION_PATTERN, type ParamFieldType, type ParamSpec, type ParamType, type References, type Rule, SEVERITIES, WORKLOAD_KINDS } from "./rule.ts";
import { isRe2 } from "./re2.ts";
import { quantityNanos } from "./quantity.ts";

export const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Parameter names become Rego object keys and CEL field selections, so they must be identifiers. */
export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const PARAM_TYPES: Record<ParamType, { test: (value: unknown) => boolean; expected: string }> = {
  string: { test: (v) => typeof v === "string", expected: "a string" },
  integer: { test: (v) => Number.isInteger(v), expected: "an integer" },
  boolean: { test: (v) => typeof v === "boolean", expected: "a boolean" },
  "string[]": { test: (v) => Array.isArray(v) && v.every((e) => typeof e === "string"), expected: "a list of strings" },
  "integer[]": { test: (v) => Array.isArray(v) && v.every((e) => Number.isInteger(e)), expected: "a list of integers" },
  "object[]": {
    test: (v) => Array.isArray(v) && v.every((e) => isRecord(e) && Object.values(e).every((field) => typeof field === "string")),
    expected: "a list of objects of strings",
  },
};

const FIELD_TYPES: Record<ParamFieldType, { test: (value: unknown) => boolean; expected: string }> = {
  string: PARAM_TYPES.string,
  integer: PARAM_TYPES.integer,
};

/** Why `value` is not of parameter type `type` ("must be a string, got 3"), or undefined when it is. */
export function paramTypeProblem(type: ParamType, value: unknown): string | undefined {
  const { test, expected } = PARAM_TYPES[type];
  return test(value) ? undefined : `must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`;
}

/** Why `value` is not a list of objects of exactly the declared fields, each of its type (an object[]'s `fields`). */
function fieldsProblem(fields: Record<string, ParamFieldType>, value: unknown): string | undefined {
  const names = Object.keys(fields);
  const fits = (item: unknown) =>
    isRecord(item) &&
    Object.keys(item).every((name) => Object.hasOwn(fields, name)) &&
    names.every((name) => Object.hasOwn(item, name) && FIELD_TYPES[fields[name]!].test(item[name]));
  if (Array.isArray(value) && value.every(fits)) return undefined;
  const expected = names.map((name) => `${name} (${FIELD_TYPES[fields[name]!].expected})`).join(" and ");
  return `must be a list of objects of ${expected}, got ${JSON.stringify(value) ?? String(value)}`;
}

/** Why `value` cannot be the parameter's value (its type, then its format or its oneOf), or undefined when it can. */
export function paramValueProblem(spec: ParamSpec, value: unknown): string | undefined {
  const problem = spec.fields ? fieldsProblem(spec.fields, value) : paramTypeProblem(spec.type, value);
  if (problem) return problem;
  if (spec.format === "quantity" && quantityNanos(value) === undefined) {
    return `must be a Kubernetes quantity such as 500m, 2 or 1Gi, got ${JSON.stringify(value)}`;
  }
  if (spec.oneOf && !spec.oneOf.includes(value as string)) {
    return `must be one of ${spec.oneOf.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

const REFERENCE_KEYS: Array<keyof References> = ["pss", "polaris", "gatekeeper", "kyverno", "kics", "datadog", "urls"];
const RULE_FIELDS = ["id", "title", "description", "severity", "category", "profiles", "references", "remediation", "match", "params", "checks"];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

/** Throws an InputError naming `file`, the rule and the field unless `value` is a well-formed Rule. */
export function validateRule(value: unknown, file: string): asserts value is Rule {
  if (!isRecord(value)) {
    throw new InputError(file, undefined, "the default export is not a rule (write `export default defineRule({ ... })`)");
  }
  if (typeof value.id !== "string" || !RULE_ID_PATTERN.test(value.id)) {
    throw new InputError(file, "id", `${JSON.stringify(value.id) ?? "undefined"} is not a kebab-case rule id (like "host-ipc")`);
  }
  const rule = value as unknown as Rule;
  const fail = (field: string, problem: string): never => {
    throw new InputError(file, `rule "${rule.id}" ${field}`, problem);
  };

  const unknown = Object.keys(rule).find((key) => !RULE_FIELDS.includes(key));
  if (unknown !== undefined) fail(unknown, `unknown field (a rule has ${RULE_FIELDS.join(", ")})`);
  for (const field of ["title", "description", "remediation", "category"] as const) {
    if (!isNonEmptyString(rule[field])) fail(field, "must be a non-empty string");
    const problem = unreadableCharacter(rule[field]);
    if (problem) fail(field, problem);
  }
  if (!SEVERITIES.includes(rule.severity)) fail("severity", `must be one of ${SEVERITIES.map((s) => `"${s}"`).join(", ")}`);
  if (!Array.isArray(rule.profiles) || !rule.profiles.every(isNonEmptyString)) {
    fail("profiles", "must be a list of profile names");
  }
  validateReferences(rule.references, fail);
  validateMatch(rule, fail);
  validateParams(rule, fail);

  if (!Array.isArray(rule.checks) || rule.checks.length === 0) fail("checks", "must return at least one check");
  rule.checks.forEach((check, i) => new CheckWalker(rule, fail).check(check, i));
}

type Fail = (field: string, problem: string) => never;

function validateReferences(references: unknown, fail: Fail): void {
  if (!isRecord(references)) fail("references", "must be an object (use {} when there are none)");
  for (const [key, ref] of Object.entries(references as Record<string, unknown>)) {
    if (!(REFERENCE_KEYS as string[]).includes(key)) fail(`references.${key}`, `unknown reference (known: ${REFERENCE_KEYS.join(", ")})`);
    const isList = Array.isArray(ref) && ref.length > 0 && ref.every(isNonEmptyString);
    const ok = key === "urls" ? isList : isNonEmptyString(ref) || isList;
    if (!ok) fail(`references.${key}`, key === "urls" ? "must be a list of URLs" : "must be a non-empty string or a non-empty list of them");
  }
}

function validateMatch(rule: Rule, fail: Fail): void {
  const match: unknown = rule.match;
  if (!isRecord(match)) return fail("match", "must be `workloads` or kinds(...)");
  if (match.type === "workloads") {
    // Compared as data: a rule file loads its own instance of the model module.
    const known = WORKLOAD_KINDS.map((k) => JSON.stringify(k));
    if (!Array.isArray(match.workloads) || match.workloads.length === 0) {
      return fail("match.workloads", "names no kind: a workloads match needs at least one pod-bearing kind");
    }
    match.workloads.forEach((kind: unknown, i) => {
      if (!known.includes(JSON.stringify(kind))) fail(`match.workloads[${i}]`, `must be one of WORKLOAD_KINDS (${WORKLOAD_KINDS.map((k) => k.kind).join(", ")})`);
    });
    return;
  }
  if (match.type !== "kinds") return fail("match", "must be `workloads` or kinds(...)");
  if (!Array.isArray(match.kinds) || match.kinds.length === 0) {
    return fail("match.kinds", "names no kind: a `kinds` match needs at least one kind");
  }
  match.kinds.forEach((gvk: unknown, i) => {
    if (!isRecord(gvk) || typeof gvk.group !== "string" || !isNonEmptyString(gvk.version) || !isNonEmptyString(gvk.kind)) {
      fail(`match.kinds[${i}]`, 'must be { group, version, kind } (group "" for the core group)');
    }
  });
}

function validateParams(rule: Rule, fail: Fail): void {
  if (!isRecord(rule.params)) return fail("params", "must be an object of parameter specs");
  for (const [name, spec] of Object.entries(rule.params)) {
    const field = `params.${name}`;
    if (!PARAM_NAME_PATTERN.test(name)) fail(field, "a parameter name must be an identifier (letters, digits, _)");
    if (!isRecord(spec) || !Object.hasOwn(PARAM_TYPES, spec.type as string)) {
      fail(`${field}.type`, `must be one of ${Object.keys(PARAM_TYPES).map((t) => `"${t}"`).join(", ")}`);
    }
    if (!isNonEmptyString(spec.description)) fail(`${field}.description`, "must be a non-empty string");
    if (spec.format !== undefined && (spec.format !== "quantity" || spec.type !== "string")) {
      fail(`${field}.format`, 'must be "quantity", for a parameter of type "string"');
    }
    if (spec.oneOf !== undefined && (spec.type !== "string" || !Array.isArray(spec.oneOf) || !spec.oneOf.every((v) => typeof v === "string"))) {
      fail(`${field}.oneOf`, "must be a list of strings, on a string parameter");
    }
    const fields: unknown = spec.fields;
    if (
      fields !== undefined &&
      (spec.type !== "object[]" || !isRecord(fields) || Object.keys(fields).length === 0 || !Object.values(fields).every((t) => Object.hasOwn(FIELD_TYPES, t as string)))
    ) {
      fail(`${field}.fields`, 'must map field names to "string" or "integer", on an object[] parameter');
    }
    const problem = paramValueProblem(spec, spec.default);
    if (problem) fail(`${field}.default`, `${problem} (the parameter's type is ${spec.type})`);
    const earlier: unknown = spec.earlierDefaults;
    if (earlier === undefined) continue;
    if (!Array.isArray(earlier)) return fail(`${field}.earlierDefaults`, "must be a list of {before, default}");
    earlier.forEach((entry: unknown, i) => {
      const at = `${field}.earlierDefaults.${i}`;
      if (!isRecord(entry) || typeof entry.before !== "string" || entry.before === "latest" || !POD_SECURITY_VERSION_PATTERN.test(entry.before)) {
        return fail(`${at}.before`, "must be a Kubernetes minor such as v1.31");
      }
      const wrong = paramValueProblem(spec, entry.default);
      if (wrong) fail(`${at}.default`, `${wrong} (the parameter's type is ${spec.type})`);
    });
  }
}

/** Walks one check, tracking the bindings in scope, and reports what the lowerings could not handle. */
class CheckWalker {
  /** Bindings in scope, innermost last, and whether each binds map entries. */
  private readonly scope: Array<{ name: string; entries: boolean }> = [];
  /** The field being walked (`checks[0].when`) and what it is called in problems ("condition"). */
  private field = "";
  private context = "condition";

  constructor(
    private readonly rule: Rule,
    private readonly report: Fail,
  ) {}

  check(check: Check, index: number): void {
    const base = `checks[${index}]`;
    if (!isRecord(check)) this.report(base, "must be a check built with when(...) or forEach(...)");
    const part = (field: string, context: string, body: () => void) => {
      [this.field, this.context] = [`${base}.${field}`, context];
      try {
        body();
      } catch (error) {
        if (error instanceof InputError) throw error;
        this.fail(`is malformed (${(error as Error).message})`);
      }
    };
    const walk = () => {
      part("when", "condition", () => this.condition(check.when));
      part("message", "message", () => this.message(check.message));
    };
    if (check.each === undefined) return walk();
    // A violation concerns the object: one per configured value would point at nothing in it.
    if (check.each.collection.op === "paramItems") part("each", "iteration", () => this.fail(`${this.context} iterates a parameter: use paramItems() only in any()/all()`));
    part("each", "iteration", () => this.within(check.each!, walk));
  }

  private fail(problem: string): never {
    return this.report(this.field, problem);
  }

  private within(iteration: Iteration, body: () => void): void {
    this.collection(iteration.collection);
    if (!isNonEmptyString(iteration.bind)) this.fail(`${this.context} has an iteration without a binding name`);
    if (this.scope.some((b) => b.name === iteration.bind)) {
      this.fail(`${this.context} binding \`${iteration.bind}\` shadows an enclosing binding of the same name`);
    }
    this.scope.push({ name: iteration.bind, entries: iteration.collection.op === "entries" });
    try {
      body();
    } finally {
      this.scope.pop();
    }
  }

  private collection(collection: Collection): void {
    switch (collection.op) {
      case "containers":
        return this.needsPod("containers(pod)");
      case "items":
        return this.value(collection.list);
      case "entries":
        return this.value(collection.map);
      case "paramItems":
        return this.value(collection.list);
      default:
        this.fail(`${this.context} iterates over an unknown collection \`${(collection as { op: unknown }).op}\``);
    }
  }

  private needsPod(what: string): void {
    if (this.rule.match.type !== "workloads") this.fail(`${this.context} uses ${what}, which needs \`match: workloads\``);
  }

  private value(value: Value): void {
    switch (value.op) {
      case "path": {
        const { scope } = value;
        if (scope.kind === "podSpec" || scope.kind === "podMeta") this.needsPod("`pod`");
        if (scope.kind === "binding") {
          const bound = this.scope.find((b) => b.name === scope.name);
          if (!bound) this.fail(`${this.context} refers to \`${scope.name}\` outside the iteration that binds it`);
          if (bound.entries !== (scope.part !== undefined)) {
            this.fail(`${this.context} uses \`${scope.name}\` ${bound.entries ? "without .key or .value" : "as a map entry"}`);
          }
        }
        if (!Array.isArray(value.segments) || !value.segments.every((s) => typeof s === "string")) {
          this.fail(`${this.context} has a path with non-string segments`);
        }
        return;
      }
      case "literal":
        return;
      case "param":
        if (!Object.hasOwn(this.rule.params, value.name)) {
          this.fail(`${this.context} names unknown parameter \`${value.name}\` (declare it in params)`);
        }
        return;
      case "coalesce":
        if (value.values.length === 0) this.fail(`${this.context} has a coalesce of no values`);
        return value.values.forEach((v) => this.value(v));
      case "filter":
        return this.within(value.iteration, () => this.condition(value.where));
      case "afterLast":
        if (typeof value.separator !== "string" || [...value.separator].length !== 1) this.fail(`${this.context} has an afterLast() separator that is not one character`);
        return this.value(value.value);
      case "concat":
        if (value.values.length === 0) this.fail(`${this.context} has a concat of no values`);
        return value.values.forEach((v) => this.value(v));
      default:
        this.fail(`${this.context} has an unknown value \`${(value as { op: unknown }).op}\``);
    }
  }

  private condition(condition: Condition): void {
    switch (condition.op) {
      case "present":
      case "absent":
      case "quantity":
        return this.value(condition.value);
      case "equals":
      case "notEquals":
      case "compare":
      case "compareQuantity":
        this.value(condition.left);
        return this.value(condition.right);
      case "compareDifference":
        this.value(condition.left);
        this.value(condition.right);
        return this.value(condition.bound);
      case "in":
      case "notIn":
        this.value(condition.value);
        return this.value(condition.list);
      case "startsWith":
      case "endsWith":
        this.value(condition.value);
        return this.value(condition.text);
      case "matches":
        this.value(condition.value);
        if (!isRe2(condition.pattern)) this.fail(`${this.context} has an invalid regular expression ${JSON.stringify(condition.pattern)}`);
        return;
      case "matchesPattern":
        this.value(condition.value);
        return this.value(condition.patterns);
      case "and":
      case "or":
        if (condition.conditions.length === 0) this.fail(`${this.context} has an empty ${condition.op}()`);
        return condition.conditions.forEach((c) => this.condition(c));
      case "not":
        return this.condition(condition.condition);
      case "any":
      case "all":
        return this.within(condition.iteration, () => this.condition(condition.where));
      default:
        this.fail(`${this.context} has an unknown condition \`${(condition as { op: unknown }).op}\``);
    }
  }

  private message(message: Message): void {
    if (!Array.isArray(message.parts) || message.parts.length === 0) this.fail("message is empty");
    for (const part of message.parts) {
      if (typeof part !== "string") this.value(part);
      else {
        const problem = unreadableCharacter(part);
        if (problem) this.fail(`message ${problem}`);
      }
    }
  }
}

// Characters Kubernetes' YAML reader refuses, or reads as line breaks, wherever they stand in a
// generated file: C0 and C1 controls other than tab and newline, DEL, the Unicode line and
// paragraph separators, the non-characters U+FFFE/U+FFFF, and unpaired surrogates.
const UNREADABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** Why text cannot go into the generated YAML intact, or undefined when it can. */
export function unreadableCharacter(text: string): string | undefined {
  const found = UNREADABLE.exec(text)?.[0];
  if (found === undefined) return undefined;
  const code = found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `contains the character U+${code}, which Kubernetes' YAML reader refuses or reads as a line break`;
}
