// A small interpreter of the planner's IR, used only as a test oracle for the planner: it follows
// the execution rules written in src/compiler/ir/types.ts over plain JS values. Production code
// and the tests that run rules go through Wasm, never through this file.
import type { Block, Constant, Func, Local, Operand, Policy, Stmt } from "../../../src/compiler/ir/types.ts";

export type Value = null | boolean | number | string | Value[] | RObject | RSet;

export class RObject {
  readonly entries = new Map<string, [Value, Value]>();
  get(k: Value): Value | undefined {
    return this.entries.get(keyOf(k))?.[1];
  }
  set(k: Value, v: Value): void {
    this.entries.set(keyOf(k), [k, v]);
  }
}

export class RSet {
  readonly items = new Map<string, Value>();
  add(v: Value): void {
    this.items.set(keyOf(v), v);
  }
  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }
}

/** A run-time error of the evaluated policy (conflicts), as OPA reports eval_conflict_error. */
export class EvalError extends Error {}

/** A canonical text per value: equal Rego values (1 == 1.0, sets by content) get equal keys. */
export function keyOf(v: Value): string {
  if (v === null) return "n";
  if (typeof v === "boolean") return v ? "b1" : "b0";
  if (typeof v === "number") return `d${v}`;
  if (typeof v === "string") return `s${JSON.stringify(v)}`;
  if (Array.isArray(v)) return `a[${v.map(keyOf).join(",")}]`;
  if (v instanceof RObject) return `o{${[...v.entries].map(([k, [, x]]) => `${k}:${keyOf(x)}`).sort().join(",")}}`;
  return `S{${[...v.items.keys()].sort().join(",")}}`;
}

const rank = (v: Value): number =>
  v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : typeof v === "string" ? 3 : Array.isArray(v) ? 4 : v instanceof RObject ? 5 : 6;

/** Rego's total order: null < booleans < numbers < strings < arrays < objects < sets. */
export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "boolean" || typeof a === "number") return Number(a) - Number(b);
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const list = (x: Value): Value[] =>
    Array.isArray(x) ? x : x instanceof RObject ? [...x.entries.values()].sort((p, q) => compare(p[0], q[0])).flat() : sorted([...(x as RSet).items.values()]);
  const la = list(a);
  const lb = list(b);
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = compare(la[i], lb[i]);
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

const sorted = (xs: Value[]): Value[] => [...xs].sort(compare);

export function fromJSON(j: unknown): Value {
  if (Array.isArray(j)) return j.map(fromJSON);
  if (j !== null && typeof j === "object") {
    const o = new RObject();
    for (const [k, v] of Object.entries(j)) o.set(k, fromJSON(v));
    return o;
  }
  return j as Value;
}

/** As OPA's JSON output: sets become sorted arrays, object keys must be strings. */
export function toJSON(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RSet) return sorted([...v.items.values()]).map(toJSON);
  if (v instanceof RObject) return Object.fromEntries([...v.entries.values()].map(([k, x]) => [typeof k === "string" ? k : keyOf(k), toJSON(x)]));
  return v;
}

type Signal = "done" | "fail" | "return" | { break: number };
type Frame = Map<Local, Value>;

const num = (v: Value): number => {
  if (typeof v !== "number") throw new Undefined();
  return v;
};
class Undefined {}

const BUILTINS: Record<string, (...args: Value[]) => Value> = {
  equal: (a, b) => keyOf(a) === keyOf(b),
  neq: (a, b) => keyOf(a) !== keyOf(b),
  lt: (a, b) => compare(a, b) < 0,
  lte: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  gte: (a, b) => compare(a, b) >= 0,
  plus: (a, b) => num(a) + num(b),
  minus: (a, b) => {
    if (a instanceof RSet && b instanceof RSet) return setOf([...a.items.values()].filter((x) => !b.has(x)));
    return num(a) - num(b);
  },
  mul: (a, b) => num(a) * num(b),
  div: (a, b) => {
    if (num(b) === 0) throw new Undefined();
    return num(a) / num(b);
  },
  rem: (a, b) => {
    if (num(b) === 0) throw new Undefined();
    return num(a) % num(b);
  },
  or: (a, b) => setOf([...(a as RSet).items.values(), ...(b as RSet).items.values()]),
  and: (a, b) => setOf([...(a as RSet).items.values()].filter((x) => (b as RSet).has(x))),
  "internal.member_2": (x, c) => elements(c).some(([, v]) => keyOf(v) === keyOf(x)),
  "internal.member_3": (k, x, c) => elements(c).some(([ck, v]) => keyOf(ck) === keyOf(k) && keyOf(v) === keyOf(x)),
  count: (c) => (typeof c === "string" ? [...c].length : elements(c, true).length),
  sum: (c) => elements(c, true).reduce((s, [, v]) => s + num(v), 0),
  max: (c) => sorted(elements(c, true).map(([, v]) => v)).pop() ?? raise(),
  sort: (c) => sorted(elements(c, true).map(([, v]) => v)),
  concat: (sep, c) => elements(c, true).map(([, v]) => v as string).join(sep as string),
  startswith: (s, p) => (s as string).startsWith(p as string),
  split: (s, sep) => (s as string).split(sep as string),
  lower: (s) => (s as string).toLowerCase(),
  "object.get": (o, k, d) => (o instanceof RObject ? (o.get(k) ?? d) : d),
  is_string: (v) => typeof v === "string",
  sprintf: (f, args) => {
    let i = 0;
    return (f as string).replace(/%[vsd]/g, () => {
      const x = (args as Value[])[i++];
      return typeof x === "string" ? x : JSON.stringify(toJSON(x));
    });
  },
};

const raise = (): never => {
  throw new Undefined();
};

function setOf(xs: Value[]): RSet {
  const s = new RSet();
  for (const x of xs) s.add(x);
  return s;
}

/** [key, value] pairs of a collection as Scan visits them; `strict` makes a scalar an error (undefined). */
/** A collection's elements in Rego's iteration order: objects by key, sets by element. */
function elements(c: Value, strict = false): Array<[Value, Value]> {
  if (Array.isArray(c)) return c.map((v, i) => [i, v]);
  if (c instanceof RObject) return [...c.entries.values()].sort(([a], [b]) => compare(a, b));
  if (c instanceof RSet) return sorted([...c.items.values()]).map((v) => [v, v]);
  if (strict) throw new Undefined();
  return [];
}

export class Interpreter {
  private readonly funcs: Map<string, Func>;

  constructor(private readonly policy: Policy) {
    this.funcs = new Map(policy.funcs.map((f) => [f.name, f]));
  }

  /** The plan's result set, as `{result}` objects converted to JSON. */
  run(plan: string, input: unknown, data: unknown = {}): unknown[] {
    const p = this.policy.plans.find((x) => x.name === plan);
    if (!p) throw new Error(`no plan ${plan}`);
    const results: Value[] = [];
    const frame: Frame = new Map([
      [0, fromJSON(input)],
      [1, fromJSON(data)],
    ]);
    this.blocks(p.blocks, frame, results);
    return results.map((r) => ({ result: toJSON(r) }));
  }

  private blocks(blocks: Block[], frame: Frame, results: Value[]): Signal {
    for (const b of blocks) {
      const s = this.block(b, frame, results);
      if (s === "return" || typeof s === "object") return s;
    }
    return "done";
  }

  /** Runs a block; a break that ends only this block becomes "done". */
  private block(b: Block, frame: Frame, results: Value[]): Signal {
    for (const stmt of b.stmts) {
      const s = this.stmt(stmt, frame, results);
      if (s === "fail") return "fail";
      if (s === "return") return s;
      if (typeof s === "object") return s.break === 0 ? "done" : { break: s.break - 1 };
    }
    return "done";
  }

  private constant(c: Constant): Value {
    const strings = this.policy.static.strings;
    switch (c.type) {
      case "null":
        return null;
      case "bool":
        return c.value;
      case "int":
        return c.value;
      case "number":
        return Number(strings[c.index]);
      case "string":
        return strings[c.value]!;
      case "array":
        return c.items.map((item) => this.constant(item));
      case "object": {
        const o = new RObject();
        for (const [k, v] of c.entries) o.set(this.constant(k), this.constant(v));
        return o;
      }
      case "set": {
        const set = new RSet();
        for (const item of c.items) set.add(this.constant(item));
        return set;
      }
    }
  }

  private read(op: Operand, frame: Frame): Value {
    if (op.type === "bool") return op.value;
    if (op.type === "string") return this.policy.static.strings[op.value];
    const v = frame.get(op.value);
    if (v === undefined) throw new Undefined();
    return v;
  }

  private stmt(s: Stmt, frame: Frame, results: Value[]): Signal {
    const get = (l: Local) => this.read({ type: "local", value: l }, frame);
    try {
      switch (s.type) {
        case "ReturnLocal":
          return "return";
        case "Call": {
          const args = s.args.map((a) => this.read(a, frame));
          const func = this.funcs.get(s.func);
          let result: Value | undefined;
          if (func) {
            const f: Frame = new Map(func.params.map((p, i) => [p, args[i]]));
            this.blocks(func.blocks, f, results);
            result = f.get(func.result);
          } else {
            const b = BUILTINS[s.func];
            if (!b) throw new Error(`interpreter lacks built-in ${s.func}`);
            if (!this.policy.static.builtins.some((x) => x.name === s.func && x.arity === args.length)) {
              throw new Error(`built-in ${s.func} missing from static.builtins`);
            }
            result = b(...args);
          }
          if (result === undefined) return "fail";
          frame.set(s.result, result);
          return "done";
        }
        case "Block":
          for (const b of s.blocks) {
            const r = this.block(b, frame, results);
            if (r === "return" || typeof r === "object") return r;
          }
          return "done";
        case "Break":
          return { break: s.index };
        case "Dot": {
          const src = this.read(s.source, frame);
          const key = this.read(s.key, frame);
          let v: Value | undefined;
          if (Array.isArray(src)) v = typeof key === "number" && Number.isInteger(key) ? src[key] : undefined;
          else if (src instanceof RObject) v = src.get(key);
          else if (src instanceof RSet) v = src.has(key) ? key : undefined;
          if (v === undefined) return "fail";
          frame.set(s.target, v);
          return "done";
        }
        case "Len": {
          const v = this.read(s.source, frame);
          frame.set(s.target, typeof v === "string" ? [...v].length : elements(v, true).length);
          return "done";
        }
        case "Scan":
          for (const [k, v] of elements(get(s.source))) {
            frame.set(s.key, k);
            frame.set(s.value, v);
            const r = this.block(s.block, frame, results);
            if (r === "return" || typeof r === "object") return r;
          }
          return "done";
        case "Not":
          return this.block(s.block, frame, results) === "done" ? "fail" : "done";
        case "AssignInt":
        case "MakeNumberInt":
          frame.set(s.target, s.value);
          return "done";
        case "AssignVar":
          frame.set(s.target, this.read(s.source, frame));
          return "done";
        case "AssignVarOnce": {
          const v = this.read(s.source, frame);
          const old = frame.get(s.target);
          if (old !== undefined && keyOf(old) !== keyOf(v)) throw new EvalError("conflict: complete rules must not produce multiple outputs");
          frame.set(s.target, v);
          return "done";
        }
        case "ResetLocal":
          frame.delete(s.target);
          return "done";
        case "MakeNull":
          frame.set(s.target, null);
          return "done";
        case "MakeNumberRef":
          frame.set(s.target, Number(this.policy.static.strings[s.index]));
          return "done";
        case "MakeArray":
          frame.set(s.target, []);
          return "done";
        case "MakeObject":
          frame.set(s.target, new RObject());
          return "done";
        case "MakeSet":
          frame.set(s.target, new RSet());
          return "done";
        case "MakeConstant":
          frame.set(s.target, this.constant(s.value));
          return "done";
        case "Equal":
          return keyOf(this.read(s.a, frame)) === keyOf(this.read(s.b, frame)) ? "done" : "fail";
        case "NotEqual":
          return keyOf(this.read(s.a, frame)) !== keyOf(this.read(s.b, frame)) ? "done" : "fail";
        case "IsArray":
          return Array.isArray(this.read(s.source, frame)) ? "done" : "fail";
        case "IsObject":
          return this.read(s.source, frame) instanceof RObject ? "done" : "fail";
        case "IsSet":
          return this.read(s.source, frame) instanceof RSet ? "done" : "fail";
        case "IsDefined":
          return frame.has(s.source) ? "done" : "fail";
        case "IsUndefined":
          return frame.has(s.source) ? "fail" : "done";
        case "ArrayAppend":
          (get(s.array) as Value[]).push(this.read(s.value, frame));
          return "done";
        case "ObjectInsert":
          (get(s.object) as RObject).set(this.read(s.key, frame), this.read(s.value, frame));
          return "done";
        case "ObjectInsertOnce": {
          const o = get(s.object) as RObject;
          const k = this.read(s.key, frame);
          const v = this.read(s.value, frame);
          const old = o.get(k);
          if (old !== undefined && keyOf(old) !== keyOf(v)) throw new EvalError("conflict: object keys must be unique");
          o.set(k, v);
          return "done";
        }
        case "ObjectMerge":
          frame.set(s.target, merge(get(s.a), get(s.b)));
          return "done";
        case "SetAdd":
          (get(s.set) as RSet).add(this.read(s.value, frame));
          return "done";
        case "With": {
          const saved = frame.get(s.local);
          const path = s.path.map((i) => this.policy.static.strings[i]);
          frame.set(s.local, replaceAt(saved ?? null, path, this.read(s.value, frame)));
          try {
            const r = this.block(s.block, frame, results);
            return r === "fail" ? "done" : r;
          } finally {
            if (saved === undefined) frame.delete(s.local);
            else frame.set(s.local, saved);
          }
        }
        case "Nop":
          return "done";
        case "ResultSetAdd":
          results.push(get(s.value));
          return "done";
      }
    } catch (e) {
      if (e instanceof Undefined) return "fail";
      throw e;
    }
  }
}

function merge(a: Value, b: Value): Value {
  if (!(a instanceof RObject) || !(b instanceof RObject)) return a;
  const out = new RObject();
  for (const [k, v] of b.entries.values()) out.set(k, v);
  for (const [k, v] of a.entries.values()) {
    const old = out.get(k);
    out.set(k, old === undefined ? v : merge(v, old));
  }
  return out;
}

/** A copy of `root` with the value at `path` replaced (objects created along the way). */
function replaceAt(root: Value, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const out = new RObject();
  if (root instanceof RObject) for (const [k, v] of root.entries.values()) out.set(k, v);
  out.set(path[0], replaceAt(out.get(path[0]) ?? null, path.slice(1), value));
  return out;
}
