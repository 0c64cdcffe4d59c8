// Lowers a rule to a Rego v1 module for Gatekeeper: one `violation` rule body per check, reading
// the object from input.review.object and parameters from input.parameters over the rule's
// defaults. Shared helpers come from the library in lib.ts.
//
// Missing values follow model/expr.ts through Rego's own undefined: a reference through a missing
// field is undefined, so a test on it fails and `not` turns that into true. Where Rego would
// otherwise see a value the model calls missing or test something the model does not, the
// lowering says so: `core.present(x)` for presence (a bare `x` fails on false; null is missing) and
// before (in)equality, type guards before
// comparisons (Rego orders values of different types), `core.list_at`/`core.map_at` so that
// iterating a missing or mistyped collection sees no elements (`every` then holds).
//
// Each violation's `details.path` is the field it points at (model/fields.ts), so that two
// elements of one `forEach` check yielding the same message stay two violations in Gatekeeper's
// set, as in the other engines.

import type { Check, Collection, Condition, Iteration, Message, PathValue, Value } from "../../model/expr.ts";
import { type Rule, apiVersionOf } from "../../model/rule.ts";
import { exemptsPodUpdates } from "../../model/updates.ts";
import { type FieldRoot, elementFields, objectFields, readsBinding } from "../../model/fields.ts";
import { renderText } from "../../model/messages.ts";
import { lowerAscii } from "../../model/ignoring-case.ts";
import { and } from "../../model/dsl.ts";
import { CORE, CORE_IMPORT, coreLibrary } from "./lib.ts";
import { REGO_KEYWORDS, isRegoIdentifier, regoLiteral, regoRef, regoString } from "./syntax.ts";

export interface RegoLowering {
  /** The template's Rego module (Rego v1). */
  module: string;
  /** Library modules the module imports, to ship as the template's `libs`. */
  libs: string[];
  /** The module's package, e.g. `policypack.host_ipc`. */
  packageName: string;
}

const OBJECT = "input.review.object";
const POD = "pod";
const PARAMS = "params";
const PATH = "path";
/** The module's helper folding ASCII letters to small ones (lowerAsciiCall). */
const LOWER_ASCII = "lower_ascii";
/** Lines longer than this put a message's arguments one per line. */
const LINE_LIMIT = 100;

// Names a generated variable must not take: keywords, the module's own names, and the builtins
// the module calls (a local variable would shadow them).
const RESERVED = new Set([
  ...REGO_KEYWORDS,
  "input", "data", "msg", PATH, POD, PARAMS, CORE, "object", "regex", "json", "array",
  "sprintf", "startswith", "endswith", "is_number", "is_string", "is_array", "count", "concat", LOWER_ASCII,
]);

type Bound = { kind: "element"; name: string } | { kind: "entry"; key: string; value: string };

/** State of the module being written: its helper rules and whether it reads parameters. */
interface ModuleState {
  rule: Rule;
  helpers: string[];
  helperCount: number;
  usesParams: boolean;
}

/** What one rule body (a violation or a helper) sees while it is lowered. */
interface Scope {
  module: ModuleState;
  /** The model's binding names, as the Rego variables they are bound to here. */
  bindings: Map<string, Bound>;
  /** Variable names taken in this rule, so new ones never shadow or collide. */
  taken: Set<string>;
  /** Variables of the enclosing rule body that this body reads (helper arguments). */
  used: Set<string>;
  /** The iteration whose body this is, if any (see loopInvariant). */
  loop?: Loop;
}

/** An iteration being lowered: the variables it binds, and lines computed once before it. */
interface Loop {
  variables: Set<string>;
  before: string[];
}

class LoweringError extends Error {
  constructor(rule: Rule, problem: string) {
    super(`rule ${rule.id}: cannot lower to Rego: ${problem}`);
    this.name = "LoweringError";
  }
}

export function lowerRego(rule: Rule): RegoLowering {
  const packageName = `policypack.${packageSegment(rule.id)}`;
  const module: ModuleState = { rule, helpers: [], helperCount: 0, usesParams: false };
  const violations = rule.checks.map((check) => lowerCheck(check, module));
  const sections = [
    `${comment(`${rule.id}: ${rule.title}`)}\npackage ${packageName}`,
    CORE_IMPORT,
    ...(module.usesParams ? [paramsRule(rule)] : []),
    ...violations,
    ...module.helpers,
  ];
  return { module: `${sections.join("\n\n")}\n`, libs: [coreLibrary()], packageName };
}

function packageSegment(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, "_");
  return isRegoIdentifier(name) ? name : `rule_${name}`;
}

function comment(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `# ${line}`.trimEnd())
    .join("\n");
}

function paramsRule(rule: Rule): string {
  const defaults = Object.fromEntries(Object.entries(rule.params).map(([name, spec]) => [name, spec.default]));
  return `# The constraint's parameters, with the rule's defaults for those it leaves out.
${PARAMS} := object.union(${regoLiteral(defaults)}, object.get(input, "parameters", {}))`;
}

// ---- checks ----

function lowerCheck(check: Check, module: ModuleState): string {
  let scope: Scope = { module, bindings: new Map(), taken: new Set(RESERVED), used: new Set() };
  const lines: string[] = [];
  let placement: string[];
  if (check.each) {
    // Conditions that do not read the element are tested once, before iterating the elements.
    const conjuncts = conjunctsOf(check.when);
    const bind = check.each.bind;
    const invariant = condition(and(...conjuncts.filter((c) => !readsBinding(c, bind))), scope);
    const each = placedIteration(check.each, scope);
    scope = each.inner;
    // Exemptions (exempt images, names) last: most elements fail the check's own test first.
    const read = conjuncts.filter((c) => readsBinding(c, bind));
    const perElement = condition(and(...read.filter((c) => !isExemption(c)), ...read.filter(isExemption)), scope);
    lines.push(...invariant, ...each.lines, ...perElement, messageLine(check.message, scope));
    placement = elementPath(each, elementFields({ ...check, each: check.each }), scope);
  } else {
    lines.push(...condition(check.when, scope), messageLine(check.message, scope));
    placement = objectPath(objectFields(check), scope);
  }
  const match =
    module.rule.match.type === "workloads"
      ? scope.used.has(POD)
        ? `${POD} := ${CORE}.pod(${OBJECT})`
        : `${CORE}.is_workload(${OBJECT})`
      : `${CORE}.api_version_kind(${OBJECT}) in {${module.rule.match.kinds.map((k) => regoLiteral([apiVersionOf(k), k.kind])).join(", ")}}`;
  // The requests the rule checks (model/updates.ts).
  const requests = [`not ${CORE}.reviewing_delete`, ...(exemptsPodUpdates(module.rule) ? [`not ${CORE}.exempt_pod_update`] : [])];
  const head = `violation contains {"msg": msg, "details": {"path": ${PATH}}}`;
  return `${head} if {\n${indent([match, ...requests, ...lines, ...placement])}\n}`;
}

/** A condition that exempts what it holds for from the check (expr.ts `exempts`). */
function isExemption(c: Condition): boolean {
  return c.op === "not" && c.exempts === true;
}

/** The conditions that must all hold for `c` to hold: the members of nested `and`s, or `c` itself. */
function conjunctsOf(c: Condition): Condition[] {
  return c.op === "and" ? c.conditions.flatMap(conjunctsOf) : [c];
}

// ---- where a violation points (model/fields.ts): computed last, only for violations ----

/** A check's `each` element with where it is: `at`, a term for its path; `root`, the variable holding its fields. */
interface PlacedElement {
  lines: string[];
  inner: Scope;
  at: string;
  root: string;
  bind: string;
}

/** The `some` lines of a check's `each`, binding the element and what its path is made of (list and index, or key). */
function placedIteration(iteration: Iteration, scope: Scope): PlacedElement {
  const c = iteration.collection;
  switch (c.op) {
    case "containers": {
      requireWorkload(scope, "containers()");
      scope.used.add(POD);
      const list = allocate(scope, `${iteration.bind}_list`);
      const index = allocate(scope, `${iteration.bind}_index`);
      const { declaration, inner } = declare(iteration, scope);
      return {
        lines: [`some ${list} in ${CORE}.container_lists`, `some ${index}, ${declaration} in ${CORE}.list_at(${POD}, ["spec", ${list}])`],
        inner,
        at: place("podSpec", [], [list, index], scope),
        root: declaration,
        bind: iteration.bind,
      };
    }
    case "items": {
      const index = allocate(scope, `${iteration.bind}_index`);
      const { declaration, inner } = declare(iteration, scope);
      return {
        lines: [`some ${index}, ${declaration} in ${collection(c, scope)}`],
        inner,
        at: place(c.list.scope.kind, c.list.segments, [index], scope),
        root: declaration,
        bind: iteration.bind,
      };
    }
    case "entries": {
      const { declaration, inner } = declare(iteration, scope);
      const bound = inner.bindings.get(iteration.bind) as Extract<Bound, { kind: "entry" }>;
      return {
        lines: [`some ${declaration} in ${collection(c, scope)}`],
        inner,
        // A map entry's fields are below its value.
        at: place(c.map.scope.kind, c.map.segments, [bound.key], scope),
        root: bound.value,
        bind: iteration.bind,
      };
    }
    case "paramItems":
      // A violation is about the object: it never iterates the configuration.
      throw new LoweringError(scope.module.rule, `forEach over parameter "${c.list.name}": iterate parameters only in any()/all()`);
  }
}

/** The path of the field `segments` below `root` in the object, followed by the variables `after`. */
function place(root: PathValue["scope"]["kind"], segments: readonly string[], after: string[], scope: Scope): string {
  const items = (names: readonly string[]) => `[${[...names.map(regoString), ...after].join(", ")}]`;
  switch (root) {
    case "object":
      return items(segments);
    case "podSpec":
    case "podMeta":
      requireWorkload(scope, "the pod");
      return `array.concat(${CORE}.review_pod_path, ${items([root === "podSpec" ? "spec" : "metadata", ...segments])})`;
    case "binding":
      throw new LoweringError(scope.module.rule, "a check iterates over a collection of an iteration's element");
  }
}

/** `path :=` the element's path followed by the longest present part of its candidate fields. */
function elementPath(element: PlacedElement, fields: string[][], scope: Scope): string[] {
  if (fields.length === 0) return [`${PATH} := ${element.at}`];
  const at = allocate(scope, `${element.bind}_path`);
  return [`${at} := ${element.at}`, `${PATH} := array.concat(${at}, ${presentPart(element.root, fields.map((f) => regoLiteral(f)))})`];
}

/** `path :=` the longest present part of the candidate fields below the object or the pod. */
function objectPath(fields: Array<{ root: FieldRoot; segments: string[] }>, scope: Scope): string[] {
  if (fields.length === 0) return [`${PATH} := []`];
  return [`${PATH} := ${presentPart(OBJECT, fields.map((field) => place(field.root, field.segments, [], scope)))}`];
}

/** The longest present part of the candidates (Rego terms) below `root`; one candidate needs no comparing. */
function presentPart(root: string, candidates: string[]): string {
  if (candidates.length === 1) return `${CORE}.present_part(${root}, ${candidates[0]})`;
  const oneLine = `${CORE}.longest_present_part(${root}, [${candidates.join(", ")}])`;
  if (oneLine.length + 12 <= LINE_LIMIT) return oneLine;
  return `${CORE}.longest_present_part(${root}, [\n${indent(candidates.map((c) => `${c},`))}\n])`;
}

function messageLine(message: Message, scope: Scope): string {
  let text = "";
  let format = "";
  const args: string[] = [];
  for (const part of message.parts) {
    const literal = typeof part === "string" ? part : part.op === "literal" ? renderText(part.value) : undefined;
    if (literal !== undefined) {
      text += literal;
      format += literal.replaceAll("%", "%%");
    } else {
      format += "%s";
      args.push(messageValue(part as Value, scope));
    }
  }
  if (args.length === 0) return `msg := ${regoString(text)}`;
  const oneLine = `msg := sprintf(${regoString(format)}, [${args.join(", ")}])`;
  if (oneLine.length + 1 <= LINE_LIMIT) return oneLine;
  return `msg := sprintf(${regoString(format)}, [\n${indent(args.map((a) => `${a},`))}\n])`;
}

/** A message value as text: what it renders to, "<none>" when it is missing. */
function messageValue(value: Value, scope: Scope): string {
  switch (value.op) {
    case "path": {
      const { root, segments } = pathParts(value, scope);
      return segments.length > 0 ? `${CORE}.text_at(${root}, ${regoLiteral(segments)})` : `${CORE}.render(${root})`;
    }
    case "coalesce":
    case "afterLast":
    case "concat": {
      const found = allocate(scope, "value");
      return `${CORE}.text([${found} | ${found} := ${term(value, scope)}])`;
    }
    default:
      return `${CORE}.render(${term(value, scope)})`;
  }
}

// ---- conditions: each lowers to the lines of a rule body, all of which must hold ----

function condition(c: Condition, scope: Scope): string[] {
  switch (c.op) {
    case "present":
      return alwaysPresent(c.value) ? [] : [`${CORE}.present(${term(c.value, scope)})`];
    case "absent":
      // Not `not present(x)`: Rego evaluates a negated call's arguments first, so a missing x
      // would fail the body instead of satisfying the negation.
      return alwaysPresent(c.value) ? ["false"] : [`count([true | ${CORE}.present(${term(c.value, scope)})]) == 0`];
    case "equals":
    case "notEquals": {
      // Null is missing: two nulls are not equal, and null differs from nothing. A value equal
      // to a present one is present itself.
      const [left, right] = [term(c.left, scope), term(c.right, scope)];
      const sides = c.op === "equals" && (alwaysPresent(c.left) || alwaysPresent(c.right)) ? [] : [c.left, c.right];
      const presence = sides.flatMap((v, i) => (alwaysPresent(v) ? [] : [`${CORE}.present(${i === 0 ? left : right})`]));
      return [...presence, `${left} ${c.op === "equals" ? "==" : "!="} ${right}`];
    }
    case "in": {
      if (c.ignoreCase) {
        // Each side lowered once: the item, then membership in the set of the list's lowered strings.
        const item = term(c.value, scope);
        return [...guard("string", c.value, item, scope), `${lowerAsciiTerm(c.value, item, scope)} in ${loweredStrings(c.list, scope)}`];
      }
      const list = term(c.list, scope);
      return [...guard("array", c.list, list, scope), `${term(c.value, scope)} in ${list}`];
    }
    case "notIn": {
      const item = term(c.value, scope);
      const list = term(c.list, scope);
      const presence = alwaysPresent(c.value) ? [] : [`${CORE}.present(${item})`];
      return [...presence, ...guard("array", c.list, list, scope), `not ${item} in ${list}`];
    }
    case "compare": {
      const left = term(c.left, scope);
      const right = term(c.right, scope);
      return [...guard("number", c.left, left, scope), ...guard("number", c.right, right, scope), `${left} ${c.cmp} ${right}`];
    }
    case "startsWith":
    case "endsWith": {
      const subject = term(c.value, scope);
      const text = term(c.text, scope);
      const call = c.op === "startsWith" ? "startswith" : "endswith";
      return [...guard("string", c.value, subject, scope), ...guard("string", c.text, text, scope), `${call}(${subject}, ${text})`];
    }
    case "matches": {
      const subject = term(c.value, scope);
      return [...guard("string", c.value, subject, scope), `regex.match(${regoString(c.pattern)}, ${subject})`];
    }
    case "matchesPattern": {
      if (!c.ignoreCase) return [`${CORE}.matches_pattern(${term(c.value, scope)}, ${term(c.patterns, scope)})`];
      const subject = term(c.value, scope);
      const patterns = term(c.patterns, scope);
      const pattern = allocate(scope, "pattern");
      return [
        ...guard("string", c.value, subject, scope),
        ...guard("array", c.patterns, patterns, scope),
        `some ${pattern} in ${patterns}`,
        `is_string(${pattern})`,
        `${CORE}.pattern_matches(${lowerAsciiCall(subject, scope)}, ${lowerAsciiCall(pattern, scope)})`,
      ];
    }
    case "quantity":
      return [`${CORE}.is_quantity(${term(c.value, scope)})`];
    case "compareQuantity":
      return [`${CORE}.quantity_value(${term(c.left, scope)}) ${c.cmp} ${CORE}.quantity_value(${term(c.right, scope)})`];
    case "compareDifference": {
      const [left, right, bound] = [term(c.left, scope), term(c.right, scope), term(c.bound, scope)];
      return [
        ...guard("number", c.left, left, scope),
        ...guard("number", c.right, right, scope),
        ...guard("number", c.bound, bound, scope),
        `${left} - ${right} ${c.cmp} ${bound}`,
      ];
    }
    case "and":
      // A repeated line (the same type guard for two tests) is the same condition again.
      return [...new Set(c.conditions.flatMap((x) => condition(x, scope)))];
    case "or":
      if (c.conditions.length === 0) return ["false"];
      if (c.conditions.length === 1) return condition(c.conditions[0], scope);
      return [helperCall("any_of", scope, (inner) => {
        const bodies = c.conditions.map((x) => indent(orTrue(condition(x, inner))));
        return (head) => bodies.map((body) => `${head} if {\n${body}\n}`).join("\n\n");
      })];
    case "not":
      return negation(c.condition, scope);
    case "any": {
      const { declaration, inner, loop } = declareLoop(c.iteration, scope);
      const body = condition(c.where, inner);
      return [...loop.before, `some ${declaration} in ${collection(c.iteration.collection, scope)}`, ...body];
    }
    case "all": {
      const { declaration, inner, loop } = declareLoop(c.iteration, scope);
      const body = orTrue(condition(c.where, inner));
      return [...loop.before, `every ${declaration} in ${collection(c.iteration.collection, scope)} {\n${indent(body)}\n}`];
    }
  }
  const unknown: never = c;
  throw new Error(`unknown condition ${JSON.stringify(unknown)}`);
}

/**
 * The negation of a condition: presence and absence swap, a double negation cancels, `==` of
 * references and constants is negated in place, and anything else becomes a helper rule to
 * negate. Rego evaluates the calls and the references inside the arguments of a negated
 * expression before the negation (a missing one fails the body), so only a helper whose
 * arguments are variables bound here negates exactly "this condition fails".
 */
function negation(c: Condition, scope: Scope): string[] {
  switch (c.op) {
    case "present":
    case "absent":
      return condition({ ...c, op: c.op === "present" ? "absent" : "present" }, scope);
    case "not":
      return condition(c.condition, scope);
    case "and":
    case "or":
      if (c.conditions.length === 1) return negation(c.conditions[0], scope);
      break;
    case "equals": {
      // In place only when the comparison is one line (no presence guards to negate with it).
      const lines = isReference(c.left) && isReference(c.right) ? condition(c, scope) : [];
      if (lines.length === 1) return [`not ${lines[0]}`];
      break;
    }
    default:
      break;
  }
  const inner = helperScope(scope);
  const lines = condition(c, inner);
  if (lines.length === 0) return ["false"];
  if (lines.length === 1 && lines[0] === "false") return [];
  const name = `all_of_${++scope.module.helperCount}`;
  const call = helperHead(name, scope, inner);
  scope.module.helpers.push(`${call} if {\n${indent(lines)}\n}`);
  return [`not ${call}`];
}

/** Type checks the model implies for a test on `value`, unless its type is known here. */
function guard(type: "number" | "string" | "array", value: Value, lowered: string, scope: Scope): string[] {
  if (value.op === "literal") return [];
  // A map entry's key is a string.
  if (type === "string" && value.op === "path" && value.scope.kind === "binding" && value.scope.part === "key" && value.segments.length === 0) return [];
  if (value.op === "param") {
    const declared = scope.module.rule.params[value.name]?.type;
    const known = type === "number" ? declared === "integer" : type === "string" ? declared === "string" : declared?.endsWith("[]");
    if (known) return [];
  }
  return [`is_${type}(${lowered})`];
}

/** Values that lower to a reference or a constant, never to a call. */
function isReference(value: Value): boolean {
  return value.op === "path" || value.op === "literal" || value.op === "param";
}

/** Values never missing: constants, filtered lists, the object and map entries' keys (an element may be null). */
function alwaysPresent(value: Value): boolean {
  if (value.op === "path") return value.segments.length === 0 && (value.scope.kind === "object" || (value.scope.kind === "binding" && value.scope.part === "key"));
  return value.op === "literal" || value.op === "param" || value.op === "filter";
}

function orTrue(lines: string[]): string[] {
  return lines.length > 0 ? lines : ["true"];
}

// ---- values: each lowers to a term that is undefined exactly when the value is missing ----

function term(value: Value, scope: Scope): string {
  switch (value.op) {
    case "path": {
      const { root, segments } = pathParts(value, scope);
      return regoRef(root, segments);
    }
    case "literal":
      return regoLiteral(value.value);
    case "param":
      if (!Object.hasOwn(scope.module.rule.params, value.name)) {
        throw new LoweringError(scope.module.rule, `parameter "${value.name}" is not declared`);
      }
      scope.module.usesParams = true;
      return regoRef(PARAMS, [value.name]);
    case "coalesce":
      return helperCall("first_present", scope, (inner) => {
        const result = allocate(inner, "value");
        const branches = value.values.map((v) => `${result} if {\n${indent([`${result} := ${term(v, inner)}`, `${CORE}.present(${result})`])}\n}`);
        return (head) => `${head} := ${branches.join(" else := ")}`;
      });
    case "afterLast":
      return `${CORE}.after_last(${term(value.value, scope)}, ${regoString(value.separator)})`;
    case "concat":
      // Undefined unless every part is a string, as model/concat.ts says.
      return helperCall("concat", scope, (inner) => {
        const parts = value.values.map((part) => {
          if (part.op === "literal" && typeof part.value === "string") return { name: term(part, inner), lines: [] };
          const name = allocate(inner, "part");
          return { name, lines: [`${name} := ${term(part, inner)}`, `is_string(${name})`] };
        });
        const lines = parts.flatMap((part) => part.lines);
        return (head) => `${head} := concat("", [${parts.map((part) => part.name).join(", ")}]) if {\n${indent(orTrue(lines))}\n}`;
      });
    case "filter":
      return helperCall("filtered", scope, (inner) => {
        const { declaration, inner: element } = declare(value.iteration, inner);
        const lines = [`some ${declaration} in ${collection(value.iteration.collection, inner)}`, ...condition(value.where, element)];
        const shown = value.select ? term(value.select, element) : elementTerm(value.iteration, element);
        if (value.select) lines.push(`${CORE}.present(${shown})`);
        return (head) => `${head} := [${shown} |\n${indent(lines)}\n]`;
      });
  }
}

function pathParts(value: PathValue, scope: Scope): { root: string; segments: string[] } {
  const scopeKind = value.scope.kind;
  switch (scopeKind) {
    case "object":
      return { root: OBJECT, segments: value.segments };
    case "podSpec":
    case "podMeta":
      requireWorkload(scope, "the pod");
      scope.used.add(POD);
      return { root: POD, segments: [scopeKind === "podSpec" ? "spec" : "metadata", ...value.segments] };
    case "binding": {
      const binding = value.scope;
      const bound = scope.bindings.get(binding.name);
      if (!bound) throw new LoweringError(scope.module.rule, `"${binding.name}" is used outside the iteration that binds it`);
      if (bound.kind === "element") return use(scope, bound.name, value.segments);
      if (binding.part) return use(scope, bound[binding.part], value.segments);
      // The entry as a whole: {key, value}, as the reference evaluator binds it.
      const [first, ...rest] = value.segments;
      if (first === "key" || first === "value") return use(scope, bound[first], rest);
      if (first === undefined) {
        scope.used.add(bound.key).add(bound.value);
        return { root: `{"key": ${bound.key}, "value": ${bound.value}}`, segments: [] };
      }
      throw new LoweringError(scope.module.rule, `map entry "${binding.name}" has only a key and a value, not "${first}"`);
    }
  }
}

function use(scope: Scope, name: string, segments: string[]): { root: string; segments: string[] } {
  scope.used.add(name);
  return { root: name, segments };
}

function requireWorkload(scope: Scope, what: string): void {
  if (scope.module.rule.match.type !== "workloads") {
    throw new LoweringError(scope.module.rule, `${what} is only there for rules matching workloads`);
  }
}

// ---- iterations ----

function collection(c: Collection, scope: Scope): string {
  switch (c.op) {
    case "containers":
      requireWorkload(scope, "containers()");
      scope.used.add(POD);
      return `${CORE}.containers(${POD})`;
    case "items":
    case "entries": {
      const { root, segments } = pathParts(c.op === "items" ? c.list : c.map, scope);
      const [at, whole] = c.op === "items" ? ["list_at", "as_list"] : ["map_at", "as_map"];
      return segments.length > 0 ? `${CORE}.${at}(${root}, ${regoLiteral(segments)})` : `${CORE}.${whole}(${root})`;
    }
    case "paramItems":
      return `${CORE}.as_list(${term(c.list, scope)})`;
  }
}

/** Declares the iteration's variables in `scope`; `inner` is the scope of its body. */
function declare(iteration: Iteration, scope: Scope): { declaration: string; inner: Scope } {
  const bound: Bound =
    iteration.collection.op === "entries"
      ? { kind: "entry", key: allocate(scope, `${iteration.bind}_key`), value: allocate(scope, `${iteration.bind}_value`) }
      : { kind: "element", name: allocate(scope, iteration.bind) };
  const inner: Scope = { ...scope, bindings: new Map(scope.bindings).set(iteration.bind, bound) };
  return { declaration: bound.kind === "entry" ? `${bound.key}, ${bound.value}` : bound.name, inner };
}

/** `declare` for an iteration whose body may compute values once before it (loopInvariant). */
function declareLoop(iteration: Iteration, scope: Scope): { declaration: string; inner: Scope; loop: Loop } {
  const { declaration, inner } = declare(iteration, scope);
  const bound = inner.bindings.get(iteration.bind)!;
  const loop: Loop = { variables: new Set(bound.kind === "entry" ? [bound.key, bound.value] : [bound.name]), before: [] };
  return { declaration, inner: { ...inner, loop }, loop };
}

/**
 * A variable bound, before the iteration whose body `scope` is, to the term `write` returns, when
 * that term reads none of the iteration's variables: computed once rather than for every element.
 * Undefined outside an iteration or when the term reads its variables. The term must always be
 * defined (a comprehension), so that binding it cannot fail the body around the iteration.
 */
function loopInvariant(scope: Scope, base: string, write: (probe: Scope) => string): string | undefined {
  const loop = scope.loop;
  if (!loop) return undefined;
  const probe: Scope = { ...scope, used: new Set() };
  const text = write(probe);
  if ([...probe.used].some((name) => loop.variables.has(name))) return undefined;
  probe.used.forEach((name) => scope.used.add(name));
  const name = allocate(scope, base);
  loop.before.push(`${name} := ${text}`);
  return name;
}

function elementTerm(iteration: Iteration, scope: Scope): string {
  const bound = scope.bindings.get(iteration.bind)!;
  return bound.kind === "entry" ? bound.key : bound.name;
}

function allocate(scope: Scope, base: string): string {
  let stem = base.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(stem)) stem = `v_${stem}`;
  let name = stem;
  for (let n = 2; scope.taken.has(name); n++) name = `${stem}${n}`;
  scope.taken.add(name);
  return name;
}

// ---- helper rules ----

/** Variables a helper of `scope` may take as arguments, in a fixed order. */
function enclosingVariables(scope: Scope): string[] {
  const names = [POD];
  for (const bound of scope.bindings.values()) {
    if (bound.kind === "element") names.push(bound.name);
    else names.push(bound.key, bound.value);
  }
  return names;
}

function helperScope(scope: Scope): Scope {
  return {
    module: scope.module,
    bindings: new Map(scope.bindings),
    taken: new Set([...RESERVED, ...enclosingVariables(scope)]),
    used: new Set(),
  };
}

/** The helper's head, taking the enclosing variables its body reads; those count as read here too. */
function helperHead(name: string, scope: Scope, inner: Scope): string {
  const args = enclosingVariables(scope).filter((v) => inner.used.has(v));
  args.forEach((v) => scope.used.add(v));
  return args.length > 0 ? `${name}(${args.join(", ")})` : name;
}

/**
 * Adds a helper rule and returns its call. `write` lowers the body in the helper's scope and
 * returns the rule given its head, which is only known then: it lists the variables read.
 */
function helperCall(prefix: string, scope: Scope, write: (inner: Scope) => (head: string) => string): string {
  const name = `${prefix}_${++scope.module.helperCount}`;
  const inner = helperScope(scope);
  const rule = write(inner);
  const head = helperHead(name, scope, inner);
  scope.module.helpers.push(rule(head));
  return head;
}

/** The lowered value `value` (the term `lowered`): folded here when it is a literal string. */
function lowerAsciiTerm(value: Value, lowered: string, scope: Scope): string {
  if (value.op === "literal" && typeof value.value === "string") return regoString(lowerAscii(value.value));
  return lowerAsciiCall(lowered, scope);
}

/**
 * The set of the strings of the array `list`, lowered; empty when it is missing or no array. Inside
 * an iteration it does not read, it is computed once before the iteration (see loopInvariant).
 */
function loweredStrings(list: Value, scope: Scope): string {
  const element = allocate(scope, "name");
  const set = (listTerm: string) => `{${lowerAsciiCall(element, scope)} | some ${element} in ${CORE}.as_list(${listTerm}); is_string(${element})}`;
  return loopInvariant(scope, "lowered", (probe) => set(term(list, probe))) ?? set(term(list, scope));
}

/**
 * `text` with its ASCII letters made small, as CEL's lowerAscii(): a helper rule of the module,
 * written once. Rego's lower() also folds other Unicode letters, so it serves only for ASCII text
 * (the usual case, and far cheaper than replacing the 26 letters one by one).
 */
function lowerAsciiCall(text: string, scope: Scope): string {
  const letters = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((letter) => [letter, letter.toLowerCase()]);
  const rule = `${LOWER_ASCII}(text) := lower(text) if {
\tregex.match(${regoString("^[\\x00-\\x7F]*$")}, text)
} else := strings.replace_n(${regoLiteral(Object.fromEntries(letters))}, text)`;
  if (!scope.module.helpers.includes(rule)) scope.module.helpers.push(rule);
  return `${LOWER_ASCII}(${text})`;
}

function indent(lines: string[]): string {
  // Split on "\n" only: a ^ in a multiline RegExp also matches after U+2028 and U+2029.
  return lines.flatMap((line) => line.split("\n")).map((line) => `\t${line}`).join("\n");
}
