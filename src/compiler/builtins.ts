// The built-in functions the compiler accepts, with their arity. Every stage reads this table:
// the checker for unknown functions and arity, the planner for call names, the emitter to decide
// between the runtime's native implementation and the host's (opa_builtinN imports).
// `host: true` for functions the host implements, through OPA's opa_builtinN imports called by a
// runtime wrapper (rt_host_<name>): only time.now_ns, which OPA's Wasm modules also take from the
// host (policypack's engines supply it: see src/compiler/host-builtins.ts).

/** The arity of `print`, which takes any number of arguments. */
export const VARIADIC = -1;

export interface BuiltinDecl {
  name: string;
  /** The number of arguments, or VARIADIC. */
  arity: number;
  host?: true;
  /**
   * An OPA built-in this compiler does not implement (network, randomness, JWT verification): a
   * call to it compiles only under a `with` that replaces it, as Rego unit tests mock them.
   */
  mockOnly?: true;
}

const decls: BuiltinDecl[] = [
  // operators (the parser names them as OPA does)
  { name: "equal", arity: 2 },
  { name: "neq", arity: 2 },
  { name: "lt", arity: 2 },
  { name: "lte", arity: 2 },
  { name: "gt", arity: 2 },
  { name: "gte", arity: 2 },
  { name: "plus", arity: 2 },
  { name: "minus", arity: 2 },
  { name: "mul", arity: 2 },
  { name: "div", arity: 2 },
  { name: "rem", arity: 2 },
  { name: "or", arity: 2 },
  { name: "and", arity: 2 },
  { name: "internal.member_2", arity: 2 },
  { name: "internal.member_3", arity: 3 },
  // print(a, b, …): the planner turns it into internal.print([{a's values}, {b's values}, …]) as
  // OPA does, so that an undefined argument prints as <undefined> instead of failing the body
  { name: "print", arity: VARIADIC },
  { name: "internal.print", arity: 1 },
  { name: "trace", arity: 1 },
  // numbers and aggregates
  { name: "abs", arity: 1 },
  { name: "round", arity: 1 },
  { name: "ceil", arity: 1 },
  { name: "floor", arity: 1 },
  { name: "count", arity: 1 },
  { name: "sum", arity: 1 },
  { name: "product", arity: 1 },
  { name: "max", arity: 1 },
  { name: "min", arity: 1 },
  { name: "sort", arity: 1 },
  { name: "numbers.range", arity: 2 },
  { name: "to_number", arity: 1 },
  { name: "format_int", arity: 2 },
  { name: "units.parse", arity: 1 },
  { name: "units.parse_bytes", arity: 1 },
  // collections
  { name: "array.concat", arity: 2 },
  { name: "array.slice", arity: 3 },
  { name: "array.reverse", arity: 1 },
  { name: "object.get", arity: 3 },
  { name: "object.keys", arity: 1 },
  { name: "object.union", arity: 2 },
  { name: "object.union_n", arity: 1 },
  { name: "object.remove", arity: 2 },
  { name: "object.filter", arity: 2 },
  { name: "union", arity: 1 },
  { name: "intersection", arity: 1 },
  // strings
  { name: "concat", arity: 2 },
  { name: "contains", arity: 2 },
  { name: "startswith", arity: 2 },
  { name: "endswith", arity: 2 },
  { name: "indexof", arity: 2 },
  { name: "indexof_n", arity: 2 },
  { name: "strings.count", arity: 2 },
  { name: "substring", arity: 3 },
  { name: "split", arity: 2 },
  { name: "lower", arity: 1 },
  { name: "upper", arity: 1 },
  { name: "replace", arity: 3 },
  { name: "strings.replace_n", arity: 2 },
  { name: "trim", arity: 2 },
  { name: "trim_left", arity: 2 },
  { name: "trim_right", arity: 2 },
  { name: "trim_prefix", arity: 2 },
  { name: "trim_suffix", arity: 2 },
  { name: "trim_space", arity: 1 },
  { name: "strings.any_prefix_match", arity: 2 },
  { name: "strings.any_suffix_match", arity: 2 },
  { name: "regex.match", arity: 2 },
  { name: "glob.match", arity: 3 },
  { name: "sprintf", arity: 2 },
  // encodings
  { name: "json.marshal", arity: 1 },
  { name: "json.unmarshal", arity: 1 },
  { name: "json.is_valid", arity: 1 },
  { name: "base64.encode", arity: 1 },
  { name: "base64.decode", arity: 1 },
  { name: "base64.is_valid", arity: 1 },
  { name: "base64url.encode", arity: 1 },
  { name: "base64url.encode_no_pad", arity: 1 },
  { name: "base64url.decode", arity: 1 },
  // time
  { name: "time.now_ns", arity: 0, host: true },
  { name: "time.parse_rfc3339_ns", arity: 1 },
  // types
  { name: "is_number", arity: 1 },
  { name: "is_string", arity: 1 },
  { name: "is_boolean", arity: 1 },
  { name: "is_array", arity: 1 },
  { name: "is_set", arity: 1 },
  { name: "is_object", arity: 1 },
  { name: "is_null", arity: 1 },
  { name: "type_name", arity: 1 },
  // not implemented: callable only under a `with` that replaces them
  { name: "http.send", arity: 1, mockOnly: true },
  { name: "net.lookup_ip_addr", arity: 1, mockOnly: true },
  { name: "opa.runtime", arity: 0, mockOnly: true },
  { name: "io.jwt.decode_verify", arity: 2, mockOnly: true },
  { name: "rand.intn", arity: 2, mockOnly: true },
  { name: "uuid.rfc4122", arity: 1, mockOnly: true },
];

export const BUILTINS: ReadonlyMap<string, BuiltinDecl> = new Map(decls.map((d) => [d.name, d]));
