// Lowers a rule's checks to CEL validations as the Kubernetes API server evaluates them
// (ValidatingAdmissionPolicy, Kyverno's CEL rules, Gatekeeper's K8sNativeValidation).
//
// Every expression is total: defined on every JSON value in every field it reads, with the
// reference evaluator's answer. A path is read step by step (celPath): a field of anything but a
// map, and a null, is missing, so a path is an optional(dyn); a test on it requires
// `.hasValue()`, coalesce is `a.or(b)`, a collection of the wrong type has no elements, a type
// test guards every comparison, and a message renders any value (celRender) as
// model/messages.ts says. Optional types are in the Kubernetes CEL base environment from 1.28
// (usable in newly written expressions from 1.29, whose compatibility version is n-1); the
// strings extension (`join`, `substring`) and the standard macros and functions (`exists`,
// `all`, `filter`, `map`, `matches`, `type()`, `string()`, `double()`) are there from the start.
// Nothing else is used: no cel.bind (a one-element list's `map` names a value), no sort, no
// two-variable comprehensions. Numbers are compared as doubles, so cross-type numeric comparison
// is not needed either.
//
// Known departure from the reference evaluator: map entries are visited in the order CEL
// iterates the map (unspecified in Kubernetes, as Go map order is), not sorted by key:
// per-element messages of an `entries` check may come in another order. Kubernetes CEL has no
// sort function to fix this.

import type { Check, Collection, Condition, Iteration, Json, Message, PathValue, Value } from "../../model/expr.ts";
import type { ParamValues, Rule } from "../../model/rule.ts";
import { MESSAGE_SEPARATOR, MISSING_TEXT, NESTED_LIST_TEXT, OBJECT_TEXT, renderText } from "../../model/messages.ts";
import { CONTAINER_LISTS } from "../../model/fields.ts";
import { QUANTITY_PATTERN, quantityNanos } from "../../model/quantity.ts";

/** Where the lowered expressions find the object and the pod; each engine places them. */
export interface CelRoots {
  /** The object under review, always present: `object` or `variables.anyObject`. */
  object: string;
  /** Workload rules: an expression of type optional(dyn) yielding the pod spec, none when missing. */
  podSpec?: string;
  /** Workload rules: an expression of type optional(dyn) yielding the pod metadata. */
  podMeta?: string;
}

export interface CelValidation {
  /** True when the object complies with the check. */
  expression: string;
  /** The violation message of the check; per-element messages joined by MESSAGE_SEPARATOR. */
  messageExpression: string;
}

export interface CelVariable {
  name: string;
  expression: string;
}

/** The pod roots an engine may give the lowering. */
export type PodRoot = "podSpec" | "podMeta";

export interface CelLowering {
  /** One per check, in the rule's order. */
  validations: CelValidation[];
  /** Variables the validations read as `variables.<name>`, to declare (in order) before them. */
  variables: CelVariable[];
  /** The pod roots the validations and variables read, in the order podSpec, podMeta. */
  podRootsRead: PodRoot[];
}

/** The variable holding every container of the pod, when a check iterates over them. */
export const CONTAINERS_VARIABLE = "containers";

type StaticType = "string" | "number" | "boolean" | "list" | "map" | "null";

/** A lowered value: a CEL expression, of type optional(dyn) when `optional`. */
interface Lowered {
  cel: string;
  optional: boolean;
  /** The type when known at lowering time (literals, inlined parameters). */
  type?: StaticType;
  /** The value itself when known at lowering time, for messages. */
  constant?: Json;
  /** For an optional path: a CEL list holding the value when it is present, else empty. */
  presentList?: string;
}

type Bound = { kind: "element"; ident: string } | { kind: "entry"; ident: string; map: string };

interface Context {
  rule: Rule;
  roots: CelRoots;
  params: ParamValues | "variables.params";
  bindings: Map<string, Bound>;
  usesContainers: boolean;
  /** Shared by every nested context. */
  podRootsRead: Set<PodRoot>;
  /** Loop-invariant lists computed once (see keyLookup), shared by every nested context. */
  hoisted: CelVariable[];
}

// CEL keywords cannot name a comprehension variable nor follow `.` (Kubernetes escapes them as
// `__name__` there); a comprehension variable must not shadow the names Kubernetes binds, the
// type names the lowering tests against (`type(x) == string`) or the `optional` namespace.
const CEL_KEYWORDS = new Set(
  "true false null in as break const continue else for function if import let loop package namespace return var void while".split(" "),
);
const SHADOWABLE_NAMES = new Set(
  "object oldObject request params variables namespaceObject authorizer int uint double bool string bytes list map null_type type dyn optional".split(" "),
);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A CEL string literal for `text`, ASCII only, so any YAML or JSON carrier keeps it intact. */
export function celString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

function staticType(value: Json): StaticType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "map";
  return typeof value as "string" | "number" | "boolean";
}

function celNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`CEL has no literal for ${n}`);
  if (Number.isSafeInteger(n)) return String(n);
  const text = String(n);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A CEL literal of a JSON value: integers as int, other numbers as double, as Kubernetes decodes JSON. */
export function celLiteral(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "string") return celString(value);
  if (typeof value === "number") return celNumber(value);
  if (typeof value === "boolean") return String(value);
  // Kubernetes rejects mixed-type aggregate literals; dyn() makes mixed ones well-typed.
  const mixed = (items: Json[]) => new Set(items.map((v) => (typeof v === "number" && !Number.isSafeInteger(v) ? "double" : staticType(v)))).size > 1;
  if (Array.isArray(value)) {
    const wrap = mixed(value) ? (v: Json) => `dyn(${celLiteral(v)})` : celLiteral;
    return `[${value.map(wrap).join(", ")}]`;
  }
  const values = Object.values(value);
  const wrap = mixed(values) ? (v: Json) => `dyn(${celLiteral(v)})` : celLiteral;
  return `{${Object.entries(value)
    .map(([k, v]) => `${celString(k)}: ${wrap(v)}`)
    .join(", ")}}`;
}

function optionalField(segment: string): string {
  return IDENTIFIER.test(segment) && !CEL_KEYWORDS.has(segment) ? `.?${segment}` : `[?${celString(segment)}]`;
}

/** The variable of the one-element comprehensions celPath and celRender use to name a value; their bodies read nothing else. */
const STEP = "step";

/**
 * The field `segments` below `root` as an optional(dyn), none when it is missing: when a step
 * is no map holding the next field, or the value is null (model/expr.ts), or `type` is given
 * and the value is not of that type. `root` is a value, or an optional(dyn) when `rootOptional`.
 * Each step filters a list of at most one value, so no JSON value in any field makes the
 * expression an error (`root.?a.?b` fails on a string or a list where a map belongs).
 */
export function celPath(root: string, rootOptional: boolean, segments: readonly string[], type?: "list" | "map"): string {
  return `${celPathList(root, rootOptional, segments, type)}[?0]`;
}

/** What celPath reads, as a list holding the value when it is present, else empty. */
function celPathList(root: string, rootOptional: boolean, segments: readonly string[], type?: "list" | "map"): string {
  let chain = `[${rootOptional ? `${root}.orValue(null)` : root}]`;
  for (const segment of segments) {
    const key = celString(segment);
    chain += `.filter(${STEP}, type(${STEP}) == map && ${key} in ${STEP}).map(${STEP}, ${STEP}[${key}])`;
  }
  return `${chain}.filter(${STEP}, type(${STEP}) ${type ? `== ${type}` : "!= null_type"})`;
}

/** How a value inside a list reads (model/messages.ts), as a CEL string expression over `item`. */
function itemText(item: string): string {
  return `(type(${item}) == string ? string(${item}) : type(${item}) == null_type ? "null" : type(${item}) == map ? ${celString(OBJECT_TEXT)} : type(${item}) == list ? ${celString(NESTED_LIST_TEXT)} : string(${item}))`;
}

/** How any value reads in a message (model/messages.ts), null standing for missing: a CEL string expression. */
function celRender(value: string): string {
  const list = `${STEP}.map(item, ${itemText("item")}).join(${celString(", ")})`;
  return `[dyn(${value})].map(${STEP}, type(${STEP}) == list ? ${list} : type(${STEP}) == null_type ? ${celString(MISSING_TEXT)} : ${itemText(STEP)})[0]`;
}

function where(ctx: Context): string {
  return `rule ${ctx.rule.id}`;
}

/** The value at `path`; with `type`, only a value of that type (a collection to iterate). */
function pathValue(path: PathValue, ctx: Context, type?: "list" | "map"): Lowered {
  let root: Lowered;
  switch (path.scope.kind) {
    case "object":
      root = { cel: ctx.roots.object, optional: false };
      break;
    case "podSpec":
    case "podMeta": {
      const cel = path.scope.kind === "podSpec" ? ctx.roots.podSpec : ctx.roots.podMeta;
      if (cel === undefined) throw new Error(`${where(ctx)}: reads the pod, but this engine gives it no pod root`);
      ctx.podRootsRead.add(path.scope.kind);
      root = { cel, optional: true };
      break;
    }
    case "binding": {
      const bound = ctx.bindings.get(path.scope.name);
      if (!bound) throw new Error(`${where(ctx)}: reads "${path.scope.name}" outside the iteration binding it`);
      if (bound.kind === "entry") {
        if (path.scope.part === undefined) throw new Error(`${where(ctx)}: reads map entry "${path.scope.name}" without .key or .value`);
        root = { cel: path.scope.part === "key" ? bound.ident : `${bound.map}[${bound.ident}]`, optional: false };
      } else {
        root = { cel: bound.ident, optional: false };
      }
      break;
    }
  }
  // The object and a map entry's key are never null; an element or an entry's value may be.
  const neverNull = path.scope.kind === "object" || (path.scope.kind === "binding" && path.scope.part === "key");
  if (path.segments.length === 0 && type === undefined && !root.optional && neverNull) return root;
  const presentList = celPathList(root.cel, root.optional, path.segments, type);
  return { cel: `${presentList}[?0]`, optional: true, presentList };
}

function paramValue(name: string, ctx: Context): Lowered {
  const spec = ctx.rule.params[name];
  if (!spec) throw new Error(`${where(ctx)}: uses parameter "${name}", which the rule does not declare`);
  const type: StaticType = spec.type.endsWith("[]") ? "list" : spec.type === "integer" ? "number" : (spec.type as StaticType);
  if (ctx.params === "variables.params") {
    // Gatekeeper binds variables.params to the constraint's parameters, null when it sets none.
    const fallback = celLiteral(spec.default as Json);
    return {
      cel: `(variables.params != null ? variables.params${optionalField(name)}.orValue(${fallback}) : ${fallback})`,
      optional: false,
      type,
    };
  }
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`${where(ctx)}: no value for parameter "${name}"`);
  return { cel: celLiteral(value), optional: false, type: staticType(value), constant: value };
}

function lowerValue(v: Value, ctx: Context): Lowered {
  switch (v.op) {
    case "path":
      return pathValue(v, ctx);
    case "literal":
      return { cel: celLiteral(v.value), optional: false, type: staticType(v.value), constant: v.value };
    case "param":
      return paramValue(v.name, ctx);
    case "coalesce": {
      if (v.values.length === 0) return { cel: "optional.none()", optional: true };
      // The first always-present candidate ends the chain: later ones are never reached.
      const candidates = v.values.map((c) => lowerValue(c, ctx));
      const end = candidates.findIndex((c) => !c.optional);
      const chain = end === -1 ? candidates : candidates.slice(0, end);
      if (chain.length === 0) return candidates[0]!;
      const head = chain.map((c) => c.cel).reduce((a, b) => `${a}.or(${b})`);
      return end === -1 ? { cel: head, optional: true } : { cel: `${head}.orValue(${candidates[end]!.cel})`, optional: false };
    }
    case "afterLast": {
      // lastIndexOf and substring (the strings extension) count code points, as Rego's split does.
      const text = lowerValue(v.value, ctx);
      const cut = (s: string) => `${s}.substring(${s}.lastIndexOf(${celString(v.separator)}) + 1)`;
      if (text.type === "string" && !text.optional) return { cel: cut(text.cel), optional: false, type: "string" };
      const list = `[${text.optional ? `${text.cel}.orValue(null)` : text.cel}].filter(${STEP}, type(${STEP}) == string).map(${STEP}, dyn(${cut(STEP)}))`;
      return { cel: `${list}[?0]`, optional: true, presentList: list };
    }
    case "concat": {
      // Missing unless every part is a present string (model/concat.ts).
      const guards: string[] = [];
      const texts = v.values.map((part) => {
        const lowered = lowerValue(part, ctx);
        const present = lowered.optional ? `${lowered.cel}.value()` : lowered.cel;
        if (lowered.optional) guards.push(`${lowered.cel}.hasValue()`);
        guards.push(...typeIs(lowered, present, "string"));
        return present;
      });
      const joined = texts.join(" + ");
      if (guards.length === 0) return { cel: joined, optional: false, type: "string" };
      return { cel: `(${guards.join(" && ")} ? optional.of(${joined}) : optional.none())`, optional: true };
    }
    case "filter":
      return iterate(v.iteration, ctx, (range, ident, inner) => {
        const where = lowerCondition(v.where, inner);
        // Without a projection the elements show as themselves; a map's macros already range
        // over its keys, which is what a filtered map shows.
        if (!v.select) return { cel: `${range.cel}.filter(${ident}, ${where})`, optional: false, type: "list" };
        const shown = lowerValue(v.select, inner);
        const cel = shown.optional
          ? `${range.cel}.filter(${ident}, ${where} && ${shown.cel}.hasValue()).map(${ident}, ${shown.cel}.value())`
          : `${range.cel}.filter(${ident}, ${where}).map(${ident}, ${shown.cel})`;
        return { cel, optional: false, type: "list" };
      });
  }
}

interface Range {
  /** A CEL list or map expression the macros iterate over. */
  cel: string;
  /** For map entries: the map, to read an entry's value by key. */
  entryMap?: string;
}

function collectionRange(collection: Collection, ctx: Context): Range {
  switch (collection.op) {
    case "containers":
      if (ctx.roots.podSpec === undefined) throw new Error(`${where(ctx)}: iterates containers, but this engine gives it no pod root`);
      ctx.usesContainers = true;
      return { cel: `variables.${CONTAINERS_VARIABLE}` };
    case "items": {
      return { cel: `${pathValue(collection.list, ctx, "list").cel}.orValue([])` };
    }
    case "entries": {
      const cel = `${pathValue(collection.map, ctx, "map").cel}.orValue({})`;
      return { cel, entryMap: cel };
    }
    case "paramItems":
      // A list parameter is a list: its type is checked before it reaches an engine.
      return { cel: `dyn(${paramValue(collection.list.name, ctx).cel})` };
  }
}

function bindingIdent(name: string, ctx: Context): string {
  const base = IDENTIFIER.test(name) && !CEL_KEYWORDS.has(name) && !SHADOWABLE_NAMES.has(name) ? name : `each_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const taken = new Set([...ctx.bindings.values()].map((b) => b.ident));
  let ident = base;
  for (let n = 2; taken.has(ident); n++) ident = `${base}${n}`;
  return ident;
}

/** Runs `body` with the iteration's binding in scope. */
function iterate<T>(iteration: Iteration, ctx: Context, body: (range: Range, ident: string, inner: Context) => T): T {
  const range = collectionRange(iteration.collection, ctx);
  const ident = bindingIdent(iteration.bind, ctx);
  const bound: Bound = range.entryMap ? { kind: "entry", ident, map: range.entryMap } : { kind: "element", ident };
  const inner: Context = { ...ctx, bindings: new Map(ctx.bindings).set(iteration.bind, bound) };
  const result = body(range, ident, inner);
  ctx.usesContainers ||= inner.usesContainers;
  return result;
}

/**
 * `test` over the present values of `values`, false when any is missing. A path's value is read
 * once, named by an `exists` over the list holding it.
 */
function whenPresent(values: Lowered[], ctx: Context, test: (present: string[]) => string): string {
  const guards: string[] = [];
  const named: Array<{ list: string; ident: string }> = [];
  const present = values.map((v) => {
    if (!v.optional) return v.cel;
    if (v.presentList === undefined) {
      guards.push(`${v.cel}.hasValue()`);
      return `${v.cel}.value()`;
    }
    const taken = new Set([...[...ctx.bindings.values()].map((b) => b.ident), ...named.map((n) => n.ident)]);
    let ident = "value";
    for (let n = 2; taken.has(ident); n++) ident = `value${n}`;
    named.push({ list: v.presentList, ident });
    return ident;
  });
  return named.reduceRight((body, { list, ident }) => `${list}.exists(${ident}, ${body})`, [...guards, test(present)].join(" && "));
}

function typeIs(value: Lowered, present: string, type: "string" | "list"): string[] {
  return value.type === type ? [] : [`type(${present}) == ${type}`];
}

function isNumber(value: Lowered, present: string): string[] {
  return value.type === "number" ? [] : [`(type(${present}) == int || type(${present}) == double)`];
}

function asDouble(value: Lowered, present: string): string {
  return typeof value.constant === "number" ? celNumber(value.constant).replace(/^(-?\d+)$/, "$1.0") : `double(${present})`;
}

/**
 * Whether a present value is a quantity (model/quantity.ts): a number, or a string in quantity
 * syntax; "true" or "false" for a value known at lowering time.
 */
function isQuantityTest(value: Lowered, present: string): string {
  if (value.constant !== undefined) return quantityNanos(value.constant) === undefined ? "false" : "true";
  const text = `${present}.matches(${celString(QUANTITY_PATTERN)})`;
  if (value.type === "string") return text;
  return `(type(${present}) == int || type(${present}) == double || (type(${present}) == string && ${text}))`;
}

/**
 * A present quantity as a Kubernetes CEL quantity (the base environment's quantity library,
 * Kubernetes 1.29+); a number is the quantity its text spells.
 */
function asQuantity(value: Lowered, present: string): string {
  return `quantity(${value.type === "string" ? present : `string(${present})`})`;
}

function lowerCondition(c: Condition, ctx: Context): string {
  switch (c.op) {
    case "quantity": {
      const value = lowerValue(c.value, ctx);
      return whenPresent([value], ctx, ([v]) => isQuantityTest(value, v!));
    }
    case "compareQuantity": {
      const left = lowerValue(c.left, ctx);
      const right = lowerValue(c.right, ctx);
      return whenPresent([left, right], ctx, ([l, r]) => {
        const guards = [isQuantityTest(left, l!), isQuantityTest(right, r!)].filter((g) => g !== "true");
        return [...guards, `${asQuantity(left, l!)}.compareTo(${asQuantity(right, r!)}) ${c.cmp} 0`].join(" && ");
      });
    }
    case "compareDifference": {
      const values = [c.left, c.right, c.bound].map((v) => lowerValue(v, ctx));
      // In doubles, as the reference (JavaScript) computes; no int overflow.
      return whenPresent(values, ctx, (present) => {
        const [l, r, b] = values.map((v, i) => asDouble(v, present[i]!));
        return [...values.flatMap((v, i) => isNumber(v, present[i]!)), `${l} - ${r} ${c.cmp} ${b}`].join(" && ");
      });
    }
    case "present":
    case "absent": {
      const v = lowerValue(c.value, ctx);
      const present = v.optional ? `${v.cel}.hasValue()` : "true";
      return c.op === "present" ? present : v.optional ? `!${present}` : "false";
    }
    case "equals":
    case "notEquals": {
      const left = lowerValue(c.left, ctx);
      let right = lowerValue(c.right, ctx);
      // Two statically typed sides of different types would not type-check; dyn defers to run time.
      if (left.type !== undefined && right.type !== undefined && left.type !== right.type) right = { ...right, cel: `dyn(${right.cel})`, type: undefined };
      const op = c.op === "equals" ? "==" : "!=";
      return whenPresent([left, right], ctx, ([l, r]) => `${l} ${op} ${r}`);
    }
    case "in":
    case "notIn": {
      const value = lowerValue(c.value, ctx);
      const list = lowerValue(c.list, ctx);
      if (c.op === "in" && c.ignoreCase) {
        const element = bindingIdent("name", ctx);
        return whenPresent([value, list], ctx, ([v, l]) =>
          [...typeIs(value, v!, "string"), ...typeIs(list, l!, "list"), `${l}.exists(${element}, type(${element}) == string && ${element}.lowerAscii() == ${v}.lowerAscii())`].join(" && "),
        );
      }
      return whenPresent([value, list], ctx, ([v, l]) =>
        [...typeIs(list, l!, "list"), c.op === "in" ? `${v} in ${l}` : `!(${v} in ${l})`].join(" && "),
      );
    }
    case "compare": {
      const left = lowerValue(c.left, ctx);
      const right = lowerValue(c.right, ctx);
      // Compared as doubles, as the reference (JavaScript) compares numbers.
      return whenPresent([left, right], ctx, ([l, r]) =>
        [...isNumber(left, l!), ...isNumber(right, r!), `${asDouble(left, l!)} ${c.cmp} ${asDouble(right, r!)}`].join(" && "),
      );
    }
    case "startsWith":
    case "endsWith": {
      const value = lowerValue(c.value, ctx);
      const text = lowerValue(c.text, ctx);
      return whenPresent([value, text], ctx, ([v, t]) =>
        [...typeIs(value, v!, "string"), ...typeIs(text, t!, "string"), `${v}.${c.op}(${t})`].join(" && "),
      );
    }
    case "matches": {
      const value = lowerValue(c.value, ctx);
      return whenPresent([value], ctx, ([v]) => [...typeIs(value, v!, "string"), `${v}.matches(${celString(c.pattern)})`].join(" && "));
    }
    case "matchesPattern": {
      const value = lowerValue(c.value, ctx);
      const patterns = lowerValue(c.patterns, ctx);
      const p = bindingIdent("pattern", ctx);
      // Elements are strings when the list is a parameter (typed string[]) or a known constant.
      const stringElements = c.patterns.op === "param" || c.patterns.op === "literal";
      return whenPresent([value, patterns], ctx, ([v, l]) => {
        // A value equal to a `*` pattern also starts with its text, so "equal, or starts with
        // a `*` pattern's text" is the model's rule.
        const [pattern, subject] = c.ignoreCase ? [`${p}.lowerAscii()`, `${v}.lowerAscii()`] : [p, v];
        const test = `(${pattern} == ${subject} || (${p}.endsWith("*") && ${subject}.startsWith(${pattern}.substring(0, ${p}.size() - 1))))`;
        const element = stringElements ? test : `type(${p}) == string && ${test}`;
        return [...typeIs(value, v!, "string"), ...typeIs(patterns, l!, "list"), `${l}.exists(${p}, ${element})`].join(" && ");
      });
    }
    case "and":
    case "or": {
      if (c.conditions.length === 0) return c.op === "and" ? "true" : "false";
      const parts = c.conditions.map((x) => lowerCondition(x, ctx));
      return parts.length === 1 ? parts[0]! : `(${parts.map((p) => `(${p})`).join(c.op === "and" ? " && " : " || ")})`;
    }
    case "not":
      return `!(${lowerCondition(c.condition, ctx)})`;
    case "any":
    case "all":
      if (c.op === "any") {
        const lookup = keyLookup(c, ctx);
        if (lookup !== undefined) return lookup;
      }
      return iterate(c.iteration, ctx, (range, ident, inner) => `${range.cel}.${c.op === "any" ? "exists" : "all"}(${ident}, ${lowerCondition(c.where, inner)})`);
  }
}

/** The names of the iteration bindings a piece of the model reads. */
function bindingsRead(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => bindingsRead(n, into));
  else if (typeof node === "object" && node !== null) {
    const scope = (node as { op?: string; scope?: { kind: string; name?: string } }).scope;
    if ((node as { op?: string }).op === "path" && scope?.kind === "binding") into.add(scope.name!);
    Object.values(node).forEach((n) => bindingsRead(n, into));
  }
  return into;
}

/**
 * `any(containers, c => any(items(c.list), e => and(equals(e.key, outer), ...rest)))` inside
 * another iteration (outer reads its binding) costs outer x containers x items, past the API
 * server's per-expression budget on large pods. When `rest` and `e.key` read nothing but c and e,
 * the keys of the matching items are computed once, per container, in a variable, and each outer
 * element only looks its value up there: outer x (containers + items).
 */
function keyLookup(c: Extract<Condition, { op: "any" }>, ctx: Context): string | undefined {
  const inner = c.where;
  if (c.iteration.collection.op !== "containers" || inner.op !== "any" || inner.iteration.collection.op !== "items") return undefined;
  const container = c.iteration.bind;
  const item = inner.iteration.bind;
  const local = new Set([container, item]);
  const parts = inner.where.op === "and" ? inner.where.conditions : [inner.where];
  const keyIndex = parts.findIndex((p) => {
    if (p.op !== "equals") return false;
    const [left, right] = [bindingsRead(p.left), bindingsRead(p.right)];
    return left.size === 1 && left.has(item) && p.left.op === "path" && right.size > 0 && ![...right].some((b) => local.has(b));
  });
  if (keyIndex === -1) return undefined;
  const key = parts[keyIndex] as Extract<Condition, { op: "equals" }>;
  const rest = parts.filter((_, i) => i !== keyIndex);
  if ([...bindingsRead(rest), ...bindingsRead(key.left)].some((b) => !local.has(b))) return undefined;
  // The variable is lowered outside every enclosing iteration: only c and e are bound there.
  const outside: Context = { ...ctx, bindings: new Map() };
  const expression = iterate(c.iteration, outside, (containers, cIdent, withContainer) =>
    iterate(inner.iteration, withContainer, (items, eIdent, withItem) => {
      const keyValue = lowerValue(key.left, withItem);
      const kept = [...rest.map((r) => lowerCondition(r, withItem)), ...(keyValue.optional ? [`${keyValue.cel}.hasValue()`] : [])];
      const filtered = kept.length > 0 ? `.filter(${eIdent}, ${kept.join(" && ")})` : "";
      return `${containers.cel}.map(${cIdent}, ${items.cel}${filtered}.map(${eIdent}, ${keyValue.optional ? `${keyValue.cel}.value()` : keyValue.cel}))`;
    }),
  );
  ctx.usesContainers = true;
  // The validation and its message hold the same lookup: one variable serves both.
  let name = ctx.hoisted.find((v) => v.expression === expression)?.name;
  if (name === undefined) {
    name = `${CONTAINERS_VARIABLE}Keys${ctx.hoisted.length}`;
    ctx.hoisted.push({ name, expression });
  }
  const keys = bindingIdent("keys", ctx);
  return whenPresent([lowerValue(key.right, ctx)], ctx, ([value]) => `variables.${name}.exists(${keys}, ${value} in ${keys})`);
}

/** A message part: literal text when known at lowering time, else a CEL string expression. */
function renderValue(value: Value, ctx: Context): { text: string } | { cel: string } {
  const lowered = lowerValue(value, ctx);
  if (lowered.constant !== undefined) return { text: renderText(lowered.constant) };
  if (value.op === "filter" && !value.select && value.iteration.collection.op === "containers") {
    throw new Error(`${where(ctx)}: a message lists filtered containers, which are objects CEL cannot render; select a field to show, e.g. (container) => container.name`);
  }
  return { cel: celRender(lowered.optional ? `${lowered.cel}.orValue(null)` : lowered.cel) };
}

function lowerMessage(message: Message, ctx: Context): string {
  const pieces: string[] = [];
  let text = "";
  for (const part of message.parts) {
    const rendered = typeof part === "string" ? { text: part } : renderValue(part, ctx);
    if ("text" in rendered) {
      text += rendered.text;
      continue;
    }
    if (text !== "") pieces.push(celString(text));
    text = "";
    pieces.push(rendered.cel);
  }
  if (text !== "" || pieces.length === 0) pieces.push(celString(text));
  return pieces.join(" + ");
}

function lowerCheck(check: Check, ctx: Context): CelValidation {
  if (!check.each) {
    return { expression: `!(${lowerCondition(check.when, ctx)})`, messageExpression: lowerMessage(check.message, ctx) };
  }
  return iterate(check.each, ctx, (range, ident, inner) => ({
    expression: `!${range.cel}.exists(${ident}, ${lowerCondition(check.when, inner)})`,
    messageExpression: `${range.cel}.filter(${ident}, ${lowerCondition(check.when, inner)}).map(${ident}, ${lowerMessage(check.message, inner)}).join(${celString(MESSAGE_SEPARATOR)})`,
  }));
}

/**
 * The rule's checks as CEL validations, one per check. `params` holds the values to inline as
 * literals (Kyverno, VAP), or is "variables.params" to read them at evaluation time with the
 * rule's defaults for absent ones (Gatekeeper).
 */
export function lowerCel(rule: Rule, roots: CelRoots, params: ParamValues | "variables.params"): CelLowering {
  const ctx: Context = { rule, roots, params, bindings: new Map(), usesContainers: false, podRootsRead: new Set(), hoisted: [] };
  const validations = rule.checks.map((check) => lowerCheck(check, ctx));
  const variables: CelVariable[] = [];
  if (ctx.usesContainers) {
    ctx.podRootsRead.add("podSpec");
    const spec = roots.podSpec!;
    variables.push({
      name: CONTAINERS_VARIABLE,
      expression: CONTAINER_LISTS.map((list) => `${celPath(spec, true, [list], "list")}.orValue([])`).join(" + "),
    });
  }
  variables.push(...ctx.hoisted);
  const podRootsRead = (["podSpec", "podMeta"] as const).filter((root) => ctx.podRootsRead.has(root));
  return { validations, variables, podRootsRead };
}
