// The Rego abstract syntax tree: the one data structure between the parser and every later stage.
// Shapes follow OPA's own AST (terms, expressions, rules, modules) so that the language reference
// maps onto it directly. Every node keeps the position it was parsed from, so that checks and the
// planner can report `file:line:col`.

export interface Location {
  file: string;
  /** 1-based line. */
  row: number;
  /** 1-based column, counted in characters. */
  col: number;
}

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

export interface NullTerm {
  type: "null";
  loc: Location;
}
export interface BooleanTerm {
  type: "boolean";
  value: boolean;
  loc: Location;
}
/** The literal text is kept (`1e3`, `7`, `2.50`) so that integers and floats stay exact. */
export interface NumberTerm {
  type: "number";
  value: string;
  loc: Location;
}
/** `value` is the decoded string (escapes resolved), for both "..." and `...` literals. */
export interface StringTerm {
  type: "string";
  value: string;
  loc: Location;
}
/**
 * A variable. The wildcard `_` is renamed by the parser to a fresh `$wildcardN` variable, so
 * every later stage sees distinct names. `input` and `data` are vars too (the heads of refs).
 */
export interface VarTerm {
  type: "var";
  name: string;
  loc: Location;
}
/**
 * `head.a[x]["b"]`: head is a var (input, data, a local, an imported alias) or, rarely, another
 * term such as a call or a collection literal; path holds the operands, so `.a` is a string term.
 */
export interface RefTerm {
  type: "ref";
  head: Term;
  path: Term[];
  loc: Location;
}
export interface ArrayTerm {
  type: "array";
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  type: "object";
  items: Array<[Term, Term]>;
  loc: Location;
}
/** `set()` parses to an empty SetTerm; `{}` is an empty object. */
export interface SetTerm {
  type: "set";
  items: Term[];
  loc: Location;
}
export interface ArrayComprehension {
  type: "arraycomp";
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  type: "setcomp";
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  type: "objectcomp";
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}
/**
 * A call of a built-in or a user function. Operators are calls too, named as in OPA:
 * `plus minus mul div rem` for arithmetic, `equal neq lt lte gt gte` for comparison,
 * `or` and `and` for the set operators `|` and `&`, and `internal.member_2` /
 * `internal.member_3` for `x in xs` / `k, v in xs`. Unary minus on a non-literal is
 * `minus(0, x)`. `op` is the dotted name (`object.get`, `data.lib.helpers.f`, `f`).
 */
export interface CallTerm {
  type: "call";
  op: string[];
  opLoc: Location;
  args: Term[];
  loc: Location;
}

export type Body = Expr[];

export interface With {
  /** `input`, `input.a.b`, `data.x.y`: the target as a ref or var term. */
  target: Term;
  value: Term;
  loc: Location;
}

export interface Expr {
  /** `not expr` */
  negated: boolean;
  with: With[];
  node: ExprNode;
  loc: Location;
}

export type ExprNode =
  /** A lone term: a ref, a call, a literal. The expression holds when the term is defined and not `false`. */
  | { type: "term"; term: Term }
  /** `left = right` (unification). */
  | { type: "unify"; left: Term; right: Term }
  /** `left := right` (declaration and assignment of local vars). */
  | { type: "assign"; left: Term; right: Term }
  /** `some x, y` */
  | { type: "some"; vars: VarTerm[] }
  /** `some v in xs`, `some k, v in xs` */
  | { type: "somein"; key?: Term; value: Term; collection: Term }
  /** `every v in xs { body }`, `every k, v in xs { body }` */
  | { type: "every"; key?: Term; value: Term; domain: Term; body: Body };

export type RuleKind = "complete" | "partialSet" | "partialObject" | "function";

export interface RuleHead {
  /**
   * The rule's path below its package as written in the head, e.g. `["violation"]`, or
   * `["a", "b"]` for `a.b := 1`. Rules with a non-ground ref head beyond the key are not supported.
   */
  path: string[];
  kind: RuleKind;
  /** Partial set / object key: `violation[{"msg": msg}]`, `violation contains x`, `p[k] := v`. */
  key?: Term;
  /** Value: for complete rules and functions (defaults to `true` when omitted), partial objects. */
  value?: Term;
  /** Function parameters. */
  args?: Term[];
  /** `:=` rather than `=` in the head. */
  assign: boolean;
  loc: Location;
}

export interface Rule {
  default: boolean;
  head: RuleHead;
  /** Empty for `p := 1` and for defaults; a rule with no body always holds. */
  body: Body;
  /** `else = value { body }` / `else := value if { body }` chain. */
  else?: ElseClause;
  loc: Location;
}

export interface ElseClause {
  value?: Term;
  body: Body;
  else?: ElseClause;
  loc: Location;
}

export interface Import {
  /** `data.lib.helpers` / `input.review` / `rego.v1` / `future.keywords.in` as path segments. */
  path: string[];
  alias?: string;
  loc: Location;
}

export interface Module {
  file: string;
  /** `package lib.helpers` → ["lib", "helpers"] (without the implicit `data`). */
  package: string[];
  imports: Import[];
  rules: Rule[];
  regoVersion: 0 | 1;
  loc: Location;
}
